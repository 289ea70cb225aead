"""The spec examples printed in docs/reference/ run, as printed, against a fake gateway.

Each reference entry's Python blocks are its operation's spec examples, in order. The block's
text is executed with ``api`` bound to a client of a fake gateway that checks the exact wire
request and answers with the example's response (or frames). Their ids are illustrative, so
the real gateway would refuse most of them: that is why they carry a not-run marker for the
integration collector (tests/docs_examples.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

import tgclient
from codegen.spec_schema import OperationSpec, ServiceSpec
from tests.docs_examples import ROOT, Block, collect
from tests.fakes.ws_gateway import FakeGateway
from tests.unit.test_every_operation import (
    SPEC,
    RestRecorder,
    Script,
    _expected_rest,
    _frames,
    _service,
    ws_gateway,  # noqa: F401  (the fixture)
)

ENTRY = re.compile(r"^<!-- reference-entry: (\S+) -->$", re.MULTILINE)
OPERATIONS = {
    f"{svc.service}.{name}": (svc, name, op)
    for _, svc in SPEC.services
    for name, op in svc.operations.items()
}


def _entry_at(path: str, line: int) -> str:
    """The reference entry (``service.operation``) a line of a reference page belongs to."""
    text = (ROOT / path).read_text(encoding="utf-8")
    entry = None
    for match in ENTRY.finditer(text):
        if text.count("\n", 0, match.start()) + 1 > line:
            break
        entry = match.group(1)
    assert entry is not None, f"{path}:{line} is outside any reference entry"
    return entry


def _cases() -> list[Any]:
    cases = []
    seen: dict[str, int] = {}
    for block in collect():
        if not block.path.startswith("docs/reference/"):
            continue
        entry = _entry_at(block.path, block.line)
        index = seen.get(entry, 0)
        seen[entry] = index + 1
        cases.append(pytest.param(block, *OPERATIONS[entry], index, id=f"{entry}[{index}]"))
    return cases


CASES = _cases()


def test_every_spec_example_is_printed_once() -> None:
    printed = {c.id for c in CASES}
    expected = {
        f"{key}[{i}]" for key, (_, _, op) in OPERATIONS.items() for i in range(len(op.examples))
    }
    assert printed == expected


def _run(block: Block, api: Any) -> Any:
    namespace: dict[str, Any] = {"api": api}
    exec(compile(block.code, block.id, "exec"), namespace)
    return namespace["result"]


@pytest.mark.parametrize(("block", "svc", "op_name", "op", "index"), CASES)
def test_printed_example_sends_the_spec_request(
    ws_gateway: FakeGateway,  # noqa: F811
    block: Block,
    svc: ServiceSpec,
    op_name: str,
    op: OperationSpec,
    index: int,
) -> None:
    example = op.examples[index]
    if op.streaming.mode == "always" and not op.unsupported:
        since = len(ws_gateway.envelopes)
        Script.frames = _frames(example)
        with tgclient.Api(ws_gateway.url, strict=True, timeout=10) as api:
            chunks = list(_run(block, api))
        assert len(chunks) == len(_frames(example))
        [envelope] = ws_gateway.envelopes[since:]
        assert envelope["service"] == _service(svc, op, example)
        assert envelope["request"] == example.request
        return
    recorder = RestRecorder(example)
    client = httpx.Client(transport=httpx.MockTransport(recorder))
    with tgclient.Api("http://gw:8888/", http_client=client, strict=True) as api:
        if op.unsupported:
            with pytest.raises(tgclient.UnsupportedOperationError):
                _run(block, api)
            assert recorder.seen == []
            return
        _run(block, api)
    assert recorder.seen == [_expected_rest(svc, op_name, example)]


def test_a_wrong_printed_argument_is_caught() -> None:
    block = next(c.values[0] for c in CASES if c.id == "config.get[0]")
    wrong = Block(block.path, block.line, block.code.replace("keys=", "key="), block.not_run)
    client = httpx.Client(
        transport=httpx.MockTransport(RestRecorder(OPERATIONS["config.get"][2].examples[0]))
    )
    with tgclient.Api("http://gw:8888/", http_client=client) as api, pytest.raises(TypeError):
        _run(wrong, api)


def test_reference_pages_exist() -> None:
    assert len(list(Path(ROOT, "docs", "reference").glob("*.md"))) >= 12
