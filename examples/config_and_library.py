"""Workspace services: configuration entries and the document library.

python examples/config_and_library.py http://127.0.0.1:8888/
"""

from __future__ import annotations

import sys
import time
import uuid

from tgclient import Api


def main(url: str) -> None:
    with Api(url, timeout=30) as api:
        config = api.config()
        config.put([{"type": "example", "key": "greeting", "value": "hello"}])
        print(
            "config example/greeting =",
            config.get([{"type": "example", "key": "greeting"}])[0].value,
        )
        print("keys of 'example':", config.list("example"))
        config.delete([{"type": "example", "key": "greeting"}])

        library = api.library()
        doc_id = f"urn:example:doc:{uuid.uuid4()}"
        library.add_document(
            {"id": doc_id, "time": int(time.time()), "kind": "text/plain", "title": "Example"},
            b"TrustGraph builds knowledge graphs.",
        )
        print("stored:", [d.title for d in library.get_documents() if d.id == doc_id])
        print("content:", library.get_document_content(doc_id))
        library.remove_document(doc_id)
        print("after removal:", any(d.id == doc_id for d in library.get_documents()))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8888/")
