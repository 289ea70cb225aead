"""A short tour of tgclient against a running TrustGraph gateway 2.11.1.

    python examples/tour.py http://127.0.0.1:8888/
"""

from __future__ import annotations

import sys

import tgclient
from tgclient import Api


def section(title: str) -> None:
    print(f"\n== {title}")


def main(url: str) -> None:
    with Api(url, timeout=30) as api:
        section("flows and blueprints")
        print("running flows:", api.flow().list())
        print("blueprints:   ", api.flow().list_blueprints())
        default = api.flow().get("default")
        print("flow 'default' serves:", ", ".join(sorted(default["interfaces"])))

        section("configuration")
        api.config().put([{"type": "tour", "key": "greeting", "value": "hello"}])
        print("tour keys:", api.config().list("tour"))
        print("greeting =", api.config().get([{"type": "tour", "key": "greeting"}])[0].value)
        api.config().delete([{"type": "tour", "key": "greeting"}])

        section("text completion (REST)")
        flow = api.flow().id("default")
        answer = flow.text_completion("You are terse.", "What is a knowledge graph?")
        print(f"answer: {answer!r}")
        print(f"usage:  in={answer.in_token} out={answer.out_token} model={answer.model}")

        section("typed errors")
        try:
            api.flow().id("no-such-flow").text_completion("s", "p")
        except tgclient.BadRequestError as exc:
            print(f"{type(exc).__name__}: {exc}")
        try:
            api.config().get_values_all_workspaces("prompt")
        except tgclient.UnsupportedOperationError as exc:
            print(f"{type(exc).__name__}: {exc.message[:90]}...")
    print("\ntour finished")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8888/")
