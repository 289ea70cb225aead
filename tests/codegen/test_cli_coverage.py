"""The command line cannot fall behind the spec: every operation has a command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from codegen.ir import build_ir
from codegen.loader import load_spec

ROOT = Path(__file__).resolve().parents[2]


def _command_paths(group: click.Group, prefix: str = "") -> set[str]:
    paths: set[str] = set()
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            paths |= _command_paths(command, path + " ")
        else:
            paths.add(path)
    return paths


def test_every_spec_operation_has_a_command() -> None:
    from tgclient.cli._commands import OPERATIONS, cli

    operations = {op.constant for op in build_ir(load_spec(ROOT / "spec")).operations}
    commands = _command_paths(cli)
    covered = {op for op in operations if OPERATIONS.get(op) in commands}
    print(f"spec operations: {len(operations)}; operations with a command: {len(covered)}")
    print(f"tgclient commands: {len(commands)} (composites included)")
    assert sorted(operations - covered) == []
    assert set(OPERATIONS) == operations


def test_console_script_without_the_cli_extra_says_what_to_install() -> None:
    code = "import sys; sys.modules['click'] = None; from tgclient.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 1
    assert "pip install 'tgclient-trustgraph[cli]'" in done.stderr
    assert "Traceback" not in done.stderr
