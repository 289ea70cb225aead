"""Load many triples through the bulk import socket with progress, then read them back.

    python examples/bulk_triples.py http://127.0.0.1:8888/

Items are read lazily from a generator and sent in frames of ``batch_size``: memory holds one
frame, whatever the number of items.
"""

from __future__ import annotations

import sys
import time
import uuid

from tgclient import Api, Literal, Triple, Uri

COUNT = 5000


def main(url: str) -> None:
    subject = f"urn:example:{uuid.uuid4()}"
    triples = (
        Triple(s=Uri(subject), p=Uri("urn:example:value"), o=Literal(str(i))) for i in range(COUNT)
    )
    with Api(url, timeout=60) as api:
        flow = api.flow().id("default")
        marks: list[int] = []
        result = flow.import_triples(triples, batch_size=500, on_progress=marks.append)
        print(f"imported {result.items} triples in {result.frames} frames, {result.seconds:.2f} s")
        print(f"progress callbacks: {len(marks)}, last {marks[-1]}")

        found = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the store writes asynchronously after the import
            found = flow.triples_query(s=Uri(subject), limit=COUNT + 1)
            if len(found) == COUNT:
                break
            time.sleep(0.2)
        print(f"triples_query finds {len(found)} of them")
        if len(found) != COUNT:
            raise SystemExit(f"expected {COUNT} triples, found {len(found)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8888/")
