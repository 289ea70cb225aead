"""``python -m codegen drift --write``: the spec changes drift can make mechanically.

Written: ``gateway_version`` in ``spec/gateway.yaml`` and each service's ``errors: kept|dropped``
(one line each, the rest of the file untouched, comments kept). Everything else drift reports
(keys, operations, required keys, Python surface, docs, examples) is printed as still needing a
person; review the diff with ``git diff spec/``.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..loader import Spec
from .behaviour import error_changes
from .compare import JSON


def _set_line(path: Path, key: str, value: str) -> bool:
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(rf"(?m)^({key}:\s*)(\"?)[\w.]+\2", rf"\g<1>{value}", text, count=1)
    if count and new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


def write_spec(spec: Spec, inv: JSON, spec_dir: Path) -> list[str]:
    """Apply the mechanical changes to ``spec_dir``; one line per file changed."""
    done = []
    release = str(inv.get("gateway_version"))
    if release != spec.gateway.gateway_version and _set_line(
        spec_dir / "gateway.yaml", "gateway_version", f'"{release}"'
    ):
        done.append(f"spec/gateway.yaml: gateway_version {release}")
    for where, _svc, seen in error_changes(spec, inv):
        path = spec_dir / where.removeprefix("spec/")
        if _set_line(path, "errors", seen):
            done.append(f"{where}: errors: {seen} (review its comment and failure_unless)")
    return done
