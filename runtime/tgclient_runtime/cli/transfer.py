"""File transfers of the command line: chunked upload that resumes, streamed download.

The caller supplies the gateway steps as callables; this module handles files, the resume
record, progress and interruption.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from .progress import Meter, describe_amount

__all__ = ["Interrupted", "UploadSteps", "download", "upload"]


class Interrupted(Exception):
    """Ctrl-C during a transfer; the message says how far it got."""


@dataclasses.dataclass(frozen=True)
class UploadSteps:
    """The gateway calls of a chunked upload."""

    begin: Callable[[int, int], tuple[str, int, int]]
    """(total size, chunk size) -> (upload id, chunk size, chunk count)."""
    send: Callable[[str, int, bytes], None]
    """(upload id, chunk index, bytes)."""
    received: Callable[[str], list[int] | None]
    """upload id -> indexes the gateway holds, None when the upload is gone."""
    complete: Callable[[str], str | None]
    """upload id -> the stored document's id."""


def _state_dir() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "tgclient" / "uploads"


def _state_path(path: Path, target: str) -> Path:
    stat = path.stat()
    key = f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\0{target}"
    return _state_dir() / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".json")


def upload(
    path: Path, steps: UploadSteps, *, target: str, chunk_size: int, progress: bool
) -> str | None:
    """Upload ``path`` in chunks; a run interrupted earlier is resumed where it stopped.

    ``target`` identifies where it goes (gateway, workspace, document id) so a resume record
    is only reused for the same file (path, size, mtime) and the same target.
    """
    total = path.stat().st_size
    state_path = _state_path(path, target)
    upload_id, size, count, have = _resume(state_path, steps)
    if upload_id is None:
        upload_id, size, count = steps.begin(total, chunk_size)
        have = set()
        state_path.parent.mkdir(parents=True, exist_ok=True)
        state_path.write_text(json.dumps({"upload_id": upload_id, "size": size, "count": count}))
    with Meter(f"upload {path.name}", unit="bytes", total=total, enabled=progress) as meter:
        meter.update(min(total, len(have) * size))
        try:
            with path.open("rb") as f:
                for index in range(count):
                    if index in have:
                        continue
                    f.seek(index * size)
                    data = f.read(size)
                    steps.send(upload_id, index, data)
                    have.add(index)
                    meter.advance(len(data))
        except KeyboardInterrupt:
            raise Interrupted(
                f"upload interrupted after {len(have)} of {count} chunks "
                f"({describe_amount(meter.done, 'bytes')}); run the same command again to "
                f"resume upload {upload_id}"
            ) from None
    document = steps.complete(upload_id)
    state_path.unlink(missing_ok=True)
    return document


def _resume(state_path: Path, steps: UploadSteps) -> tuple[str | None, int, int, set[int]]:
    if not state_path.exists():
        return None, 0, 0, set()
    try:
        state = json.loads(state_path.read_text())
        received = steps.received(state["upload_id"])
    except (ValueError, KeyError):
        received = None
    if received is None:
        state_path.unlink(missing_ok=True)
        return None, 0, 0, set()
    return state["upload_id"], int(state["size"]), int(state["count"]), set(received)


def download(chunks: Iterable[bytes], path: Path, *, total: int | None, progress: bool) -> int:
    """Write streamed chunks to ``path`` (through ``path.part``, renamed when complete);
    returns the byte count. Interrupted, the partial file is removed."""
    partial = path.with_name(path.name + ".part")
    with Meter(f"download {path.name}", unit="bytes", total=total, enabled=progress) as meter:
        try:
            with partial.open("wb") as f:
                for data in chunks:
                    f.write(data)
                    meter.advance(len(data))
        except KeyboardInterrupt:
            partial.unlink(missing_ok=True)
            raise Interrupted(
                f"download interrupted after {describe_amount(meter.done, 'bytes')}; "
                "nothing was written"
            ) from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.replace(path)
    return meter.done
