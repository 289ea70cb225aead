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


def test_commands_accept_every_keyword_and_name_their_method_accepts() -> None:
    """Aliases and deprecated keywords of the Python methods are options of their commands,
    and a method's other names are (hidden) commands: the CLI and the library agree."""
    from tgclient.cli._commands import OPERATIONS, cli

    api = build_ir(load_spec(ROOT / "spec"))
    accessors = [a for top in api.top_level for a in (top, *top.children)]
    checked = aliases = 0
    for method in (m for a in accessors for m in a.methods):
        group_name, name = OPERATIONS[method.operation.constant].split(" ")
        group = cli.commands[group_name]
        assert isinstance(group, click.Group)
        command = group.commands[name]
        options = {p.name for p in command.params}
        keywords = [k.name for k in method.kwonly if k.alias_of or k.deprecated]
        missing = {p.name for p in method.params} | set(keywords)
        assert missing - options == set(), f"{group_name} {name}"
        checked += len(keywords)
        for alias in method.aliases:
            assert group.commands[alias.replace("_", "-")].callback is command.callback
            aliases += 1
    print(f"aliases and deprecated keywords as options: {checked}; method aliases: {aliases}")
    assert checked and aliases
