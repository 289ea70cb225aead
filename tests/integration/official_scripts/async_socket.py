"""The asyncio WebSocket client: api.async_socket().flow(...)."""
# expect: ^async completion: From asyncio\.$
# expect: ^async streamed: Streaming from asyncio$

import asyncio
import sys

from trustgraph.api import Api


async def main():
    api = Api(sys.argv[1])
    flow = api.async_socket().flow("default")
    result = await flow.text_completion(system="", prompt="From asyncio.")
    print("async completion:", result.text)
    pieces = []
    async for chunk in await flow.text_completion(
        system="", prompt="Streaming from asyncio", streaming=True
    ):
        pieces.append(chunk.content)
    print("async streamed:", "".join(pieces))
    await api.aclose()


asyncio.run(main())
