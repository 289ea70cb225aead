"""Render the IR through the Jinja templates into an in-memory ``{path: source}`` map."""

from __future__ import annotations

import ast
import hashlib
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import jinja2

from . import GENERATOR_VERSION
from .cli_ir import build_cli_ir
from .format import format_python
from .ir import ApiIR, build_ir
from .loader import Spec
from .models import chunk_modules, generate_models, generate_wire_shapes

__all__ = ["HEADER", "TEMPLATES", "render_all"]

# Names terms.py.j2 defines, re-exported from the package root.
TERM_EXPORTS = ["Blank", "Literal", "Quoted", "Term", "Triple", "Uri", "term_text"]

# Names transport.py.j2 defines, re-exported from the package root.
TRANSPORT_EXPORTS = ["RestTransport", "Transport", "WebSocketTransport"]

# The official client's class and error names that _compat.py.j2 defines (trustgraph.api
# 2.11.1), re-exported from the package root. LookupError is importable but not in __all__:
# the official __all__ has it, so its star import shadows the builtin.
OFFICIAL_EXPORTS = (
    "AgentError",
    "AsyncBulkClient",
    "AsyncSocketClient",
    "AsyncSocketFlowInstance",
    "BulkClient",
    "ConfigError",
    "DocumentRagError",
    "FlowError",
    "GraphRagError",
    "ImageToTextResult",
    "LLMError",
    "LoadError",
    "NLPQueryError",
    "RequestError",
    "RowsQueryError",
    "SocketClient",
    "SocketFlowInstance",
    "StructuredQueryError",
    "TextCompletionResult",
    "UnexpectedError",
)
OFFICIAL_HIDDEN = ("LookupError",)

TEMPLATES = Path(__file__).parent / "templates"
HEADER = (TEMPLATES / "_header.j2").read_text(encoding="utf-8").strip()


def _pystr_wrapped(text: str, indent: int) -> str:
    """A long string as implicitly concatenated literals that fit in 100 columns."""
    width = 100 - indent - 2
    pieces = textwrap.wrap(text, width=width, drop_whitespace=False) or [""]
    return ("\n" + " " * indent).join(repr(piece) for piece in pieces)


def _pystr_lines(text: str, indent: int) -> str:
    """Like :func:`_pystr_wrapped`, keeping the text's line breaks."""
    width = 100 - indent - 4
    pieces: list[str] = []
    lines = text.split("\n")
    for number, line in enumerate(lines):
        chunks = textwrap.wrap(line, width=width, drop_whitespace=False) or [""]
        if number < len(lines) - 1:
            chunks[-1] += "\n"
        pieces += chunks
    return ("\n" + " " * indent).join(repr(piece) for piece in pieces)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pystr_wrapped"] = _pystr_wrapped
    env.filters["pystr_lines"] = _pystr_lines
    return env


def _sha256_of(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    return digest.hexdigest()


def _template_files() -> dict[str, bytes]:
    return {
        p.relative_to(TEMPLATES).as_posix(): p.read_bytes() for p in sorted(TEMPLATES.rglob("*.j2"))
    }


def _runtime_error_names(repo_root: Path) -> list[str]:
    """The exception classes the runtime's errors module exports, read from its source (so
    generating does not need the runtime installed)."""
    source = (repo_root / "runtime" / "tgclient_runtime" / "errors.py").read_text("utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            names = ast.literal_eval(node.value)
            return sorted(n for n in names if n[0].isupper())
    raise RuntimeError("runtime/tgclient_runtime/errors.py has no __all__")


def _distribution(repo_root: Path) -> dict[str, str]:
    """The distribution's name and version, owned by pyproject.toml."""
    with (repo_root / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)["project"]
    return {"name": project["name"], "version": project["version"]}


# The names of the hand-written explainability module (templates/explainability.py.j2) that
# the package exports: the official client's ExplainabilityClient and provenance types.
EXPLAINABILITY_EXPORTS = (
    "Analysis",
    "AsyncExplainabilityClient",
    "Conclusion",
    "Decomposition",
    "EdgeSelection",
    "ExplainEntity",
    "ExplainabilityClient",
    "Exploration",
    "Finding",
    "Focus",
    "Grounding",
    "Observation",
    "Plan",
    "ProvenanceEvent",
    "Question",
    "Reflection",
    "StepResult",
    "Synthesis",
)


def _exports(api: ApiIR, errors: list[str]) -> list[str]:
    names = [
        "Api",
        "AsyncApi",
        "GATEWAY_VERSION",
        "__version__",
        "TextResult",
        "TransportName",
        "Stream",
        "AsyncStream",
    ]
    names += [*errors, *TERM_EXPORTS]
    for accessor in api.accessors:
        names += accessor.exports
    for _, models in api.root_type_exports:
        names += models
    names += [name for name, _ in api.aliases]
    names += ["AsyncBulk", "Bulk", *EXPLAINABILITY_EXPORTS, *TRANSPORT_EXPORTS, *OFFICIAL_EXPORTS]
    return sorted(set(names))


def render_all(spec: Spec, repo_root: Path) -> dict[str, str]:
    """Every generated file, relative to ``generated/tgclient``, formatted."""
    api = build_ir(spec)
    env = _environment()
    errors = _runtime_error_names(repo_root)
    context: dict[str, Any] = {
        "api": api,
        "errors": errors,
        "distribution": _distribution(repo_root),
        "exports": _exports(api, errors),
        "chunk_modules": chunk_modules(spec),
        "explainability_exports": EXPLAINABILITY_EXPORTS,
        "official_names": sorted([*OFFICIAL_EXPORTS, *OFFICIAL_HIDDEN]),
        "provenance": {
            "generator_version": GENERATOR_VERSION,
            "spec_sha256": _sha256_of(spec.files),
            "templates_sha256": _sha256_of(_template_files()),
        },
    }
    files: dict[str, str] = {}
    for name in (
        "__init__.py",
        "_client.py",
        "_operations.py",
        "_spec.py",
        "terms.py",
        "_terms_base.py",
        "_chunks_base.py",
        "_compat.py",
        "explainability.py",
        "transport.py",
        "resources/__init__.py",
        "types/__init__.py",
    ):
        files[name] = env.get_template(f"{name}.j2").render(**context)
    accessor_template = env.get_template("resources/accessor.py.j2")
    for accessor in api.accessors:
        files[f"resources/{accessor.module}.py"] = accessor_template.render(
            accessor=accessor, **context
        )
    cli = build_cli_ir(api, spec)
    for name in ("cli/__init__.py", "cli/_commands.py", "cli/__main__.py"):
        files[name] = env.get_template(f"{name}.j2").render(cli=cli, **context)
    files.update(generate_models(spec, HEADER))
    files.update(generate_wire_shapes(spec, HEADER))
    formatted = {
        name: format_python(source, f"generated/tgclient/{name}", cwd=repo_root)
        for name, source in sorted(files.items())
    }
    formatted["py.typed"] = HEADER + "\n"
    return formatted
