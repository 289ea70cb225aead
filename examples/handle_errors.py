"""What failures look like: one exception tree, typed by what went wrong.

python examples/handle_errors.py http://127.0.0.1:8888/
"""

from __future__ import annotations

import sys

import tgclient
from tgclient import Api


def attempt(label: str, call: object) -> None:
    try:
        call()  # type: ignore[operator]
    except tgclient.TrustGraphError as exc:
        print(f"{label:<28} {type(exc).__name__}: {exc.message[:80]}")
    else:
        raise SystemExit(f"{label}: expected an error")


def main(url: str) -> None:
    with Api(url, timeout=30) as api:
        flow = api.flow().id("default")
        attempt("bad argument (not sent)", lambda: api.config().get([{"type": 1}]))
        attempt("unknown flow", lambda: api.flow().id("no-such-flow").embeddings(["x"]))
        attempt("back-end failure", lambda: flow.graph_rag("[[error]]"))
        attempt("dropped error detected", lambda: flow.text_completion("", "[[error]]"))
        attempt("not served by 2.11.1", lambda: api.config().get_values_all_workspaces("prompt"))
    with Api("http://127.0.0.1:9/", timeout=2) as down:
        attempt("gateway unreachable", lambda: down.flow().list())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8888/")
