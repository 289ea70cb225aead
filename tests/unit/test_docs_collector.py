"""The docs example collector finds every Python block and reads its marker."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs_examples import collect, for_gateway

PAGE = """# Page

```python
print("runs")
```

<!-- docs-example: not-run reason=needs a proxy -->
```python
print("skipped")
```

<!-- docs-example: stack=iam -->
```py
print("iam")
```

```pyi
def signature() -> None: ...
```

- a list item:

    ```python
    if True:
        print("indented")
    ```
"""


def _tree(tmp_path: Path, page: str) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text("```sh\nls\n```\n")
    (tmp_path / "docs" / "page.md").write_text(page)
    return tmp_path


def test_blocks_markers_and_indentation(tmp_path: Path) -> None:
    blocks = collect(_tree(tmp_path, PAGE))
    assert [(b.line, b.not_run, b.stack) for b in blocks] == [
        (3, None, "default"),
        (8, "needs a proxy", "default"),
        (13, None, "iam"),
        (23, None, "default"),
    ]
    assert blocks[3].code == 'if True:\n    print("indented")\n'
    compile(blocks[3].code, blocks[3].id, "exec")


def test_a_marker_without_a_reason_is_refused(tmp_path: Path) -> None:
    page = "<!-- docs-example: not-run -->\n```python\npass\n```\n"
    with pytest.raises(ValueError, match=r"docs/page.md:2: a not-run marker needs reason="):
        collect(_tree(tmp_path, page))


def test_the_default_address_is_replaced() -> None:
    code = 'Api("http://localhost:8888/"); Api("ws://localhost:8888/")'
    assert for_gateway(code, "http://127.0.0.1:4567/") == (
        'Api("http://127.0.0.1:4567/"); Api("ws://127.0.0.1:4567/")'
    )


def test_the_repository_documents_have_blocks() -> None:
    blocks = collect()
    assert any(b.path == "README.md" and b.not_run is None for b in blocks)
    assert all(b.not_run is None or b.not_run.strip() for b in blocks)
