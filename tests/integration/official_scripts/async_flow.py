"""The asyncio REST client: api.async_flow()."""
# expect: ^flows: .*default
# expect: ^async completion: Over asyncio REST\.$
# expect: ^async graph rag: Graph RAG answer: Who is Bob\?$

import asyncio
import sys

from trustgraph.api import Api


async def main():
    api = Api(sys.argv[1])
    flow = api.async_flow()
    print("flows:", await flow.list())
    instance = flow.id("default")
    result = await instance.text_completion(system="", prompt="Over asyncio REST.")
    print("async completion:", result.text)
    answer = await instance.graph_rag(query="Who is Bob?", collection="default")
    print("async graph rag:", answer)
    await api.aclose()


asyncio.run(main())
