"""Many calls at once from asyncio, multiplexed on one WebSocket.

python examples/async_concurrent.py ws://127.0.0.1:8888/
"""

from __future__ import annotations

import asyncio
import sys
import time

from tgclient import AsyncApi


async def main(url: str) -> None:
    ws_url = url.replace("http", "ws", 1) if url.startswith("http") else url
    async with AsyncApi(ws_url, timeout=60) as api:
        flow = api.flow().id("default")
        questions = [f"Question {i}?" for i in range(20)]
        started = time.monotonic()
        answers = await asyncio.gather(
            *(flow.text_completion(system="Be brief.", prompt=q) for q in questions)
        )
        print(f"{len(answers)} answers in {time.monotonic() - started:.2f} s on one socket")
        print("first:", answers[0], "| usage:", answers[0].in_token, answers[0].out_token)

        print("streamed graph-rag:")
        stream = await flow.graph_rag("Who discovered penicillin?", streaming=True)
        async with stream:
            async for chunk in stream:
                if chunk.content:
                    print(f"  {chunk.content!r}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "ws://localhost:8888/"))
