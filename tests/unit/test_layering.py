"""The runtime is spec-agnostic: it never imports tgclient and names no gateway service."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from codegen.loader import load_spec

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / "runtime" / "tgclient_runtime"


def _runtime_files() -> list[Path]:
    files = sorted(RUNTIME.rglob("*.py"))
    assert files, "runtime sources not found"
    return files


def test_runtime_never_imports_tgclient() -> None:
    for path in _runtime_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] != "tgclient", f"{path.name} imports {name}"


def test_runtime_names_no_service() -> None:
    spec = load_spec(ROOT / "spec")
    services = [svc.service for _, svc in spec.services]
    assert "text-completion" in services
    # Multi-word kinds are unambiguous anywhere in the source; single words like "config" are
    # common in prose, so for them only exact string literals count. Surface names ("flow",
    # "iam", "auth") are exempt: the runtime routes by surface, and they double as protocol
    # terms (the envelope's flow key, the WebSocket auth frame).
    surfaces = set(spec.gateway.surfaces)
    for path in _runtime_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        literals = {
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        }
        source = path.read_text(encoding="utf-8")
        for service in services:
            if "-" in service:
                assert not re.search(rf"\b{re.escape(service)}\b", source), (
                    f"{path.name} names service {service!r}"
                )
            assert service not in literals or service in surfaces, (
                f"{path.name} has the string literal {service!r}"
            )
