"""Write the rendered map into ``generated/tgclient``, or compare it with what is there."""

from __future__ import annotations

import difflib
from pathlib import Path

__all__ = ["diff_tree", "write_tree"]


def _existing(out_dir: Path) -> dict[str, bytes]:
    if not out_dir.exists():
        return {}
    return {
        p.relative_to(out_dir).as_posix(): p.read_bytes()
        for p in sorted(out_dir.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def write_tree(files: dict[str, str], out_dir: Path) -> list[str]:
    """Make ``out_dir`` hold exactly ``files``; returns the names that changed or were removed."""
    existing = _existing(out_dir)
    changed: list[str] = []
    for name in sorted(set(existing) - set(files)):
        (out_dir / name).unlink()
        changed.append(f"removed {name}")
    for name, text in sorted(files.items()):
        data = text.encode("utf-8")
        if existing.get(name) != data:
            path = out_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            changed.append(f"wrote {name}")
    for directory in sorted(out_dir.rglob("*"), reverse=True):
        if directory.is_dir() and directory.name != "__pycache__" and not any(directory.iterdir()):
            directory.rmdir()
    return changed


def diff_tree(files: dict[str, str], out_dir: Path, *, label: str = "generated/tgclient") -> str:
    """A unified diff from what is in ``out_dir`` to what the spec generates; empty if equal."""
    existing = _existing(out_dir)
    chunks: list[str] = []
    for name in sorted(set(existing) | set(files)):
        old = existing.get(name)
        new = files.get(name)
        new_bytes = None if new is None else new.encode("utf-8")
        if old == new_bytes:
            continue
        old_lines = [] if old is None else old.decode("utf-8", "replace").splitlines(keepends=True)
        new_lines = [] if new is None else new.splitlines(keepends=True)
        chunks.extend(
            difflib.unified_diff(
                old_lines,
                new_lines,
                fromfile=f"a/{label}/{name}" if old is not None else "/dev/null",
                tofile=f"b/{label}/{name}" if new is not None else "/dev/null",
            )
        )
    return "".join(chunks)
