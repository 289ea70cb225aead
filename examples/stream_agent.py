"""Stream an agent's answer as typed chunks, stop a stream early, and bound a slow call.

    python examples/stream_agent.py ws://127.0.0.1:8888/

Streaming needs the WebSocket: an http(s) URL is switched to ws(s) here.
"""

from __future__ import annotations

import sys

from tgclient import AgentAnswer, AgentObservation, AgentThought, Api, RequestTimeoutError


def main(url: str) -> None:
    ws_url = url.replace("http", "ws", 1) if url.startswith("http") else url
    # timeout bounds each whole call; idle_timeout each wait for the next frame of a stream.
    with Api(ws_url, timeout=60, idle_timeout=20) as api:
        flow = api.flow().id("default")

        print("== typed chunks as they arrive")
        kinds = {AgentThought: "thought", AgentObservation: "observation", AgentAnswer: "answer"}
        with flow.agent("Why is the sky blue?", streaming=True) as stream:
            for chunk in stream:
                kind = kinds.get(type(chunk), type(chunk).__name__)
                if getattr(chunk, "content", None):
                    print(f"  {kind:>11}: {chunk.content!r}")

        print("== stop after the first answer piece (the rest is discarded)")
        with flow.text_completion(system="", prompt="one two three four", streaming=True) as s:
            for piece in s:
                if piece:  # text completion streams str pieces
                    print(f"  first piece: {piece!r}")
                    break  # leaving the with block closes the stream

        print("== a deadline shorter than the answer")
        try:
            # The local stub LLM honours [[sleep:S]]: it answers after S seconds.
            flow.text_completion(system="", prompt="[[sleep:3]] slow", timeout=0.5)
        except RequestTimeoutError as exc:
            print(f"  RequestTimeoutError after 0.5 s: {exc.message[:70]}")
        print("  the socket still works:", flow.text_completion(system="", prompt="ok"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "ws://localhost:8888/")
