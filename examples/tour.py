"""A short tour of tgclient against a running TrustGraph gateway 2.11.1.

    python examples/tour.py http://127.0.0.1:8888/

The local demo stack answers with stub back ends (an echoing LLM, a scripted agent), so the
answers are predictable; against a real deployment the same code gets real ones.
"""

from __future__ import annotations

import sys
import time

import tgclient
from tgclient import AgentAnswer, AgentObservation, AgentThought, Api, Literal, Triple, Uri


def section(title: str) -> None:
    print(f"\n== {title}")


def tour(url: str) -> None:
    ws_url = url.replace("http", "ws", 1)

    with Api(url, timeout=30) as api:  # http:// -> REST
        section("flows and configuration (REST)")
        print("running flows:", api.flow().list(), " blueprints:", api.flow().list_blueprints())
        api.config().put([{"type": "tour", "key": "greeting", "value": "hello"}])
        print(
            "config tour/greeting =",
            api.config().get([{"type": "tour", "key": "greeting"}])[0].value,
        )
        api.config().delete([{"type": "tour", "key": "greeting"}])

    with Api(ws_url, timeout=30) as api:  # ws:// -> one multiplexed WebSocket
        flow = api.flow().id("default")

        section("an agent answer, streamed as typed chunks (WebSocket)")
        labels = {AgentThought: "thought", AgentObservation: "observation", AgentAnswer: "answer"}
        current = None
        with flow.agent("Why is the sky blue?", streaming=True) as stream:
            for chunk in stream:  # tokens arrive as they are produced
                label = labels.get(type(chunk))
                if label is None or not chunk.content:
                    continue  # explain (provenance) events and the closing frame
                if label != current:
                    print(f"\n  {label:>11}: ", end="")
                    current = label
                print(chunk.content, end="", flush=True)
        print()

        section("a graph-rag answer, whole (the socket collects frames to end_of_session)")
        answer = flow.graph_rag("Who discovered penicillin?", collection="default")
        print(f"  {answer}")
        print(
            f"  sources: {[s.uri for s in answer.sources]}  usage: in={answer.in_token} "
            f"out={answer.out_token} model={answer.model}"
        )

        section("bulk-load triples, then query them")
        subject = f"urn:tour:{int(time.time())}"
        facts = [
            Triple(s=Uri(subject), p=Uri("urn:tour:fact"), o=Literal(f"fact {i}"))
            for i in range(1000)
        ]
        result = flow.import_triples(facts, batch_size=200)
        print(
            f"  imported {result.items} triples in {result.frames} frames, "
            f"{result.seconds * 1000:.0f} ms"
        )
        found: list[Triple] = []
        for _ in range(50):  # the store writes asynchronously after the import
            found = flow.triples_query(s=Uri(subject), limit=2000)
            if len(found) == len(facts):
                break
            time.sleep(0.2)
        print(f"  query found {len(found)} of them, e.g. {found[0].o.value!r}")

        section("typed errors")
        for call in (
            lambda: api.flow().id("no-such-flow").text_completion("s", "p"),
            lambda: flow.text_completion("s", "[[error]]"),
            lambda: api.config().get_values_all_workspaces("prompt"),
        ):
            try:
                call()
            except tgclient.TrustGraphError as exc:
                print(f"  {type(exc).__name__}: {exc.message[:88]}")
    print("\ntour finished")


if __name__ == "__main__":
    tour(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8888/")
