"""The command line's hand-written plumbing: argument text, RDF files, output, transfers,
exit codes and the environment variables the clients read."""

from __future__ import annotations

import io
import json
from pathlib import Path

import click
import pytest

from tgclient_runtime.cli.exit_codes import ExitCode, exit_code_for
from tgclient_runtime.cli.output import Output
from tgclient_runtime.cli.params import json_items, records, term_parts
from tgclient_runtime.cli.rdf import BadRdf, StatementWriter, read_statements
from tgclient_runtime.cli.transfer import Interrupted, UploadSteps, download, upload
from tgclient_runtime.errors import (
    AuthError,
    ConnectError,
    NotFoundError,
    RequestTimeoutError,
    RequestValidationError,
    ServiceError,
    UnsupportedOperationError,
    WorkspaceNotFoundError,
)
from tgclient_runtime.models import WireModel
from tgclient_runtime.options import ClientOptions
from tgclient_runtime.results import ResponseTuple, TextResult


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("http://ex.org/p", ("iri", "http://ex.org/p", None, None)),
        ("<urn:x>", ("iri", "urn:x", None, None)),
        ("_:b1", ("blank", "b1", None, None)),
        ('"chat"@fr', ("literal", "chat", None, "fr")),
        (
            '"5"^^<http://www.w3.org/2001/XMLSchema#int>',
            ("literal", "5", "http://www.w3.org/2001/XMLSchema#int", None),
        ),
        ('"say \\"hi\\""', ("literal", 'say "hi"', None, None)),
        ("plain words", ("literal", "plain words", None, None)),
    ],
)
def test_term_text(text: str, parts: tuple[str, str, str | None, str | None]) -> None:
    assert term_parts(text) == parts


def test_records_group_words_or_take_json() -> None:
    assert records(["prompt", "system", "prompt", "x"], ["type", "key"], "keys") == [
        {"type": "prompt", "key": "system"},
        {"type": "prompt", "key": "x"},
    ]
    assert records(['[{"type": "a", "key": "b"}]'], ["type", "key"], "keys") == [
        {"type": "a", "key": "b"}
    ]
    with pytest.raises(click.BadParameter, match="TYPE KEY groups of 2 words, got 3"):
        records(["a", "b", "c"], ["type", "key"], "keys")


def test_json_items_read_lines_lazily_and_name_the_bad_line(tmp_path: Path) -> None:
    good = tmp_path / "items.jsonl"
    good.write_text('{"a": 1}\n\n{"a": 2}\n')
    assert list(json_items(str(good))) == [{"a": 1}, {"a": 2}]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"a": 1}\nnot json\n')
    with pytest.raises(click.BadParameter, match="line 2 is not JSON"):
        list(json_items(str(bad)))


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (UnsupportedOperationError("x"), ExitCode.UNSUPPORTED),
        (AuthError("x"), ExitCode.AUTH),
        (WorkspaceNotFoundError("x"), ExitCode.NOT_FOUND),
        (NotFoundError("x"), ExitCode.NOT_FOUND),
        (RequestValidationError("x"), ExitCode.BAD_REQUEST),
        (RequestTimeoutError("x"), ExitCode.TIMEOUT),
        (ConnectError("x"), ExitCode.CONNECTION),
        (ServiceError("x"), ExitCode.ERROR),
        (ValueError("x"), ExitCode.ERROR),
    ],
)
def test_exit_code_by_error_class(error: Exception, code: ExitCode) -> None:
    assert exit_code_for(error) == code


NT = """\
<urn:s> <urn:p> "chat"@fr .
# a comment
_:b1 <urn:p> "5"^^<http://www.w3.org/2001/XMLSchema#int> .

<urn:s> <urn:p> <urn:o> .
"""


def test_ntriples_are_read_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "a.nt"
    path.write_text(NT)
    statements = list(read_statements(str(path), "nt"))
    assert statements == [
        (
            ("iri", "urn:s", None, None),
            ("iri", "urn:p", None, None),
            ("literal", "chat", None, "fr"),
            None,
        ),
        (
            ("blank", statements[1][0][1], None, None),
            ("iri", "urn:p", None, None),
            ("literal", "5", "http://www.w3.org/2001/XMLSchema#int", None),
            None,
        ),
        (
            ("iri", "urn:s", None, None),
            ("iri", "urn:p", None, None),
            ("iri", "urn:o", None, None),
            None,
        ),
    ]


def test_nquads_keep_the_graph_and_bad_lines_are_named(tmp_path: Path) -> None:
    path = tmp_path / "a.nq"
    path.write_text('<urn:s> <urn:p> "v" <urn:g> .\n<urn:s> <urn:p> "w" .\n')
    graphs = [g for *_, g in read_statements(str(path), "nquads")]
    assert graphs == ["urn:g", None]
    path.write_text('<urn:s> <urn:p> "v" .\n<urn:s> oops .\n')
    with pytest.raises(BadRdf, match="line 2"):
        list(read_statements(str(path), "nt"))


def test_turtle_round_trips_through_the_writer(tmp_path: Path) -> None:
    source = tmp_path / "a.nt"
    source.write_text(NT)
    out = io.StringIO()
    writer = StatementWriter(out, "turtle")
    for statement in read_statements(str(source), "nt"):
        writer.write(statement)
    writer.close()
    turtle = tmp_path / "b.ttl"
    turtle.write_text(out.getvalue())
    again = list(read_statements(str(turtle), "turtle"))
    assert len(again) == 3
    assert ("literal", "chat", None, "fr") in [o for _, _, o, _ in again]


def test_ntriples_writer_streams_lines() -> None:
    out = io.StringIO()
    writer = StatementWriter(out, "nt")
    writer.write(
        (
            ("iri", "urn:s", None, None),
            ("iri", "urn:p", None, None),
            ("literal", "a\nb", None, "en"),
            None,
        )
    )
    assert out.getvalue() == '<urn:s> <urn:p> "a\\nb"@en .\n'


class Item(WireModel):
    name: str
    size: int | None = None


def test_output_json_and_tables() -> None:
    out = io.StringIO()
    Output(as_json=True, stdout=out).result([Item(name="a"), Item(name="b", size=2)])
    assert json.loads(out.getvalue()) == [{"name": "a"}, {"name": "b", "size": 2}]
    out = io.StringIO()
    Output(as_json=False, stdout=out).result([Item(name="a"), Item(name="b", size=2)])
    table = out.getvalue()
    assert "name" in table and "size" in table and "b" in table
    out = io.StringIO()
    Output(as_json=False, stdout=out).result(["x", "y"])
    assert out.getvalue() == "x\ny\n"


def test_a_response_tuple_prints_as_its_whole_response() -> None:
    whole = ResponseTuple(Item(name="cfg", size=7), ("name", "size"))
    assert tuple(whole) == ("cfg", 7)
    out = io.StringIO()
    Output(as_json=True, stdout=out).result(whole)
    assert json.loads(out.getvalue()) == {"name": "cfg", "size": 7}


def test_text_answers_keep_usage_and_sources() -> None:
    answer = TextResult("Blue.", in_token=3, out_token=1, sources=[{"title": "Sky"}])
    out = io.StringIO()
    Output(as_json=True, stdout=out).result(answer)
    assert json.loads(out.getvalue()) == {
        "text": "Blue.",
        "in_token": 3,
        "out_token": 1,
        "sources": [{"title": "Sky"}],
    }
    out = io.StringIO()
    Output(as_json=False, stdout=out).result(answer)
    assert out.getvalue().startswith("Blue.\nSources:\n") and "Sky" in out.getvalue()


class Thought(WireModel):
    content: str


class Answer(WireModel):
    content: str


def test_stream_prints_text_as_it_comes_and_json_lines() -> None:
    chunks = [Thought(content="hmm"), Answer(content="It is "), Answer(content="blue.")]
    out = io.StringIO()
    Output(as_json=False, stdout=out).stream(iter(chunks), "content")
    assert out.getvalue() == "hmm\nIt is blue.\n"
    out = io.StringIO()
    Output(as_json=True, stdout=out).stream(iter(chunks), "content")
    assert [json.loads(line)["content"] for line in out.getvalue().splitlines()] == [
        "hmm",
        "It is ",
        "blue.",
    ]


class FakeUploads:
    """The gateway side of a chunked upload, able to fail once at one chunk."""

    def __init__(self, interrupt_at: int | None) -> None:
        self.interrupt_at = interrupt_at
        self.chunks: dict[int, bytes] = {}
        self.sent: list[int] = []
        self.begun = 0

    def steps(self) -> UploadSteps:
        def begin(total: int, size: int) -> tuple[str, int, int]:
            self.begun += 1
            return "up-1", size, -(-total // size)

        def send(upload_id: str, index: int, data: bytes) -> None:
            if index == self.interrupt_at:
                self.interrupt_at = None
                raise KeyboardInterrupt
            self.sent.append(index)
            self.chunks[index] = data

        return UploadSteps(
            begin=begin,
            send=send,
            received=lambda upload_id: sorted(self.chunks),
            complete=lambda upload_id: "doc-1",
        )


def test_upload_resumes_after_an_interruption(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "file.bin"
    data = bytes(range(256)) * 40  # 10 chunks of 1024
    path.write_bytes(data)
    gateway = FakeUploads(interrupt_at=4)
    with pytest.raises(Interrupted, match=r"after 4 of 10 chunks .*resume upload up-1"):
        upload(path, gateway.steps(), target="t", chunk_size=1024, progress=False)
    assert upload(path, gateway.steps(), target="t", chunk_size=1024, progress=False) == "doc-1"
    assert gateway.begun == 1 and gateway.sent == list(range(10))
    assert b"".join(gateway.chunks[i] for i in range(10)) == data
    assert not list((tmp_path / "cache").rglob("*.json"))


def test_download_writes_whole_files_only(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    assert download(iter([b"ab", b"cd"]), target, total=None, progress=False) == 4
    assert target.read_bytes() == b"abcd"

    def interrupted() -> object:
        yield b"xx"
        raise KeyboardInterrupt

    other = tmp_path / "other.bin"
    with pytest.raises(Interrupted, match="after 2 bytes"):
        download(interrupted(), other, total=None, progress=False)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == [target]


def test_clients_read_the_trustgraph_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTGRAPH_URL", "ws://gw.example:9000/")
    monkeypatch.setenv("TRUSTGRAPH_TOKEN", "tg_secret")
    monkeypatch.setenv("TRUSTGRAPH_WORKSPACE", "research")
    options = ClientOptions.build()
    assert (options.base_url, options.transport, options.workspace) == (
        "ws://gw.example:9000/",
        "websocket",
        "research",
    )
    assert "tg_secret" not in repr(options)
    given = ClientOptions.build(url="http://other:1/", workspace="w")
    assert (given.base_url, given.workspace) == ("http://other:1/", "w")
    monkeypatch.delenv("TRUSTGRAPH_URL")
    assert ClientOptions.build(default_url="http://fallback:2/").base_url == "http://fallback:2/"
