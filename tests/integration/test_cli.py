"""The ``tgclient`` command line against the real gateway 2.11.1: answers, lists, config,
RDF files, uploads and each error class's exit status."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tgclient import Api
from tgclient.cli._commands import cli
from tgclient_runtime.cli.exit_codes import ExitCode


@pytest.fixture
def tg(gateway_url: str) -> Iterator[Callable[..., Result]]:
    runner = CliRunner()

    def invoke(*args: str, url: str | None = None) -> Result:
        return runner.invoke(cli, ["--url", url or gateway_url, "--quiet", *args])

    yield invoke


def _ok(result: Result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    return result.stdout


def _eventually(check: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.3)


def test_help_lists_every_group_as_installed(gateway_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tgclient.cli", "--help"], capture_output=True, text=True, check=True
    )
    for group in ("flow", "config", "library", "knowledge", "collection", "iam", "auth", "triples"):
        assert f"  {group} " in done.stdout


def test_answers_text_json_and_stream(tg: Callable[..., Result]) -> None:
    assert _ok(tg("flow", "agent", "Why is the sky blue?")).strip().endswith("Why is the sky blue?")
    streamed = _ok(tg("flow", "agent", "Why is the sky blue?", "--stream"))
    assert "Answer: Why is the sky blue?" in streamed
    lines = _ok(tg("--json", "flow", "graph-rag", "who?", "--stream")).splitlines()
    assert lines and all(isinstance(json.loads(line), dict) for line in lines)


def test_lists_as_json_and_tables(tg: Callable[..., Result]) -> None:
    assert json.loads(_ok(tg("--json", "flow", "list"))) == ["default"]
    assert "default" in _ok(tg("flow", "list")).split()
    assert isinstance(json.loads(_ok(tg("--json", "library", "get-documents"))), list)
    found = json.loads(
        _ok(tg("--json", "flow", "triples-query", "--p", "urn:none", "--limit", "5"))
    )
    assert found == []


def test_config_round_trip(tg: Callable[..., Result]) -> None:
    kind, key = f"cli-{uuid.uuid4().hex[:6]}", "greeting"
    _ok(tg("config", "put", json.dumps([{"type": kind, "key": key, "value": "hello"}])))
    assert _ok(tg("config", "list", kind)).split() == [key]
    [value] = json.loads(_ok(tg("--json", "config", "get", kind, key)))
    assert value["value"] == "hello"
    _ok(tg("config", "delete", kind, key))
    assert json.loads(_ok(tg("--json", "config", "list", kind))) == []


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--url", "http://127.0.0.1:1/", "flow", "list"), ExitCode.CONNECTION),
        (("--timeout", "0.001", "flow", "list"), ExitCode.TIMEOUT),
        (("--token", "wrong", "flow", "list"), ExitCode.AUTH),
        (("--workspace", "no-such-workspace", "flow", "list"), ExitCode.NOT_FOUND),
        (("--flow", "no-such-flow", "flow", "agent", "hi"), ExitCode.BAD_REQUEST),
        (("config", "get-values-all-workspaces", "prompt"), ExitCode.UNSUPPORTED),
        (("flow", "get-blueprint", "no-such-blueprint"), ExitCode.ERROR),
        (("config", "get", "prompt"), ExitCode.USAGE),
    ],
)
def test_exit_status_by_error_class(gateway_url: str, args: tuple[str, ...], code: int) -> None:
    # A real process: the status the shell sees, and no traceback without --debug.
    done = subprocess.run(
        [sys.executable, "-m", "tgclient.cli", "--url", gateway_url, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip()


def _ntriples(path: Path, subject: str, count: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(count):
            f.write(f'<{subject}/{i % 1000}> <urn:cli:p{i // 1000}> "value {i}"@en .\n')


def _count(gateway_url: str, collection: str, expected: int) -> None:
    with Api(gateway_url, timeout=120) as api:
        flow = api.flow().id()
        _eventually(
            lambda: len(flow.triples_query(collection=collection, limit=expected * 2)) == expected,
            180,
        )


def test_rdf_import_100k_then_query(
    tg: Callable[..., Result], gateway_url: str, tmp_path: Path
) -> None:
    collection = f"cli{uuid.uuid4().hex[:6]}"
    subject = f"urn:cli:{collection}"
    source = tmp_path / "data.nt"
    _ntriples(source, subject, 100_000)
    result = tg("--json", "triples", "import", str(source), "--collection", collection)
    assert json.loads(_ok(result))["items"] == 100_000
    _count(gateway_url, collection, 100_000)
    sample = json.loads(
        _ok(
            tg("--json", "flow", "triples-query", "--s", f"{subject}/7", "--collection", collection)
        )
    )
    assert len(sample) == 100 and all(t["o"]["language"] == "en" for t in sample)


def test_rdf_export_then_reimport(
    tg: Callable[..., Result], gateway_url: str, tmp_path: Path
) -> None:
    collection = f"cli{uuid.uuid4().hex[:6]}"
    source = tmp_path / "data.nt"
    _ntriples(source, f"urn:cli:{collection}", 5_000)
    _ok(tg("triples", "import", str(source), "--collection", collection))
    _count(gateway_url, collection, 5_000)

    exported = tmp_path / "export.nt"
    _ok(tg("triples", "export", "--collection", collection, "-o", str(exported)))
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert sorted(lines) == sorted(source.read_text(encoding="utf-8").splitlines())

    turtle = tmp_path / "export.ttl"
    _ok(
        tg("triples", "export", "--collection", collection, "--format", "turtle", "-o", str(turtle))
    )
    again = f"{collection}b"
    _ok(tg("triples", "import", str(turtle), "--collection", again))
    _count(gateway_url, again, 5_000)


def test_upload_then_download_is_byte_identical(tg: Callable[..., Result], tmp_path: Path) -> None:
    source = tmp_path / "doc.bin"
    source.write_bytes(bytes(range(256)) * 4096 * 3 + b"tail")  # 3 MiB and a bit
    doc_id = f"urn:cli:doc:{uuid.uuid4().hex[:8]}"
    out = _ok(tg("library", "add", str(source), "--id", doc_id, "--chunk-size", str(1 << 20)))
    assert out.strip() == doc_id
    try:
        target = tmp_path / "copy.bin"
        _ok(tg("library", "get", doc_id, "-o", str(target), "--chunk-size", "65536"))
        assert target.read_bytes() == source.read_bytes()
        assert not (tmp_path / "copy.bin.part").exists()
    finally:
        _ok(tg("library", "remove-document", doc_id))


def test_upload_interrupted_by_ctrl_c_resumes_byte_identical(
    gateway_url: str, tg: Callable[..., Result], tmp_path: Path
) -> None:
    """A real SIGINT to a real process mid-upload, then the same command again: it carries on
    with the same upload (the gateway's session, not a new one) and the document is whole."""
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(8 << 20))  # 128 chunks of 64 KiB
    doc_id = f"urn:cli:doc:{uuid.uuid4().hex[:8]}"
    command = [sys.executable, "-m", "tgclient.cli", "--url", gateway_url, "library", "add"]
    command += [str(source), "--id", doc_id, "--chunk-size", "65536"]
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}  # the resume record
    with Api(gateway_url, timeout=60) as api:
        library = api.library()

        def session() -> Any:
            return next((u for u in library.get_pending_uploads() if u.document_id == doc_id), None)

        first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            _eventually(lambda: (s := session()) is not None and (s.chunks_received or 0) >= 4, 120)
            first.send_signal(signal.SIGINT)
            _, stderr = first.communicate(timeout=60)
        finally:
            first.kill()
        message = stderr.decode()
        assert first.returncode == ExitCode.INTERRUPTED, message
        sent = re.search(r"interrupted after (\d+) of 128 chunks", message)
        assert sent and 4 <= int(sent[1]) < 128, message
        interrupted = session()
        assert interrupted is not None and interrupted.upload_id in message

        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0 and done.stdout.strip() == doc_id, done.stderr
        assert session() is None  # that session was completed, not left behind a new one
    try:
        target = tmp_path / "copy.bin"
        _ok(tg("library", "get", doc_id, "-o", str(target)))
        assert target.read_bytes() == source.read_bytes()
    finally:
        _ok(tg("library", "remove-document", doc_id))


def test_aliases_and_deprecated_keywords_work_as_options(gateway_url: str) -> None:
    """The names the Python methods accept: ``--question`` for QUERY answers like QUERY, a
    deprecated ``--user`` is ignored with a warning, ``list-models`` runs its method."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        cli_args = [sys.executable, "-m", "tgclient.cli", "--url", gateway_url, *args]
        return subprocess.run(cli_args, capture_output=True, text=True, timeout=120)

    by_name = run("flow", "graph-rag", "--question", "Who wrote it?", "--max-entity-distance", "3")
    assert by_name.returncode == 0, by_name.stderr
    assert by_name.stdout == run("flow", "graph-rag", "Who wrote it?").stdout
    both = run("flow", "graph-rag", "one", "--question", "two")
    assert both.returncode == ExitCode.BAD_REQUEST and "pass one" in both.stderr
    deprecated = run("flow", "agent", "hi", "--user", "alice")
    assert deprecated.returncode == 0, deprecated.stderr
    assert "warning: agent(): user= is deprecated and ignored" in deprecated.stderr
    listed = run("--json", "flow", "list-models")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == run("--json", "flow", "text-completion-list-models").stdout
