"""The command line's frame: global options, one client per run, errors to exit codes."""

from __future__ import annotations

import copy
import dataclasses
import json
import logging
import sys
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

import click

from ..arguments import IgnoredArgumentWarning
from ..errors import AuthError, TransportError, TrustGraphError, UnsupportedOperationError
from ..options import ENV_TOKEN, ENV_URL, ENV_WORKSPACE
from .exit_codes import ExitCode, exit_code_for
from .output import CellFormatter, Output
from .progress import Meter, describe_amount
from .transfer import Interrupted

__all__ = ["RootGroup", "Settings", "State", "alias_command", "global_options", "main"]

C = TypeVar("C")
F = TypeVar("F", bound=Callable[..., Any])


@dataclasses.dataclass(frozen=True)
class Settings:
    """The global options of one run."""

    url: str | None
    token: str | None
    workspace: str | None
    scope: str
    as_json: bool
    debug: bool
    timeout: float
    quiet: bool


def global_options(scope_option: str, scope_default: str) -> Callable[[F], F]:
    """The options every command shares, given before the group name."""
    scope_env = f"TRUSTGRAPH_{scope_option.upper()}"

    def decorate(f: F) -> F:
        options = [
            click.option(
                "--url",
                envvar=ENV_URL,
                show_envvar=True,
                help="Gateway address: http(s):// for REST, ws(s):// for the WebSocket "
                "[default: http://localhost:8888/].",
            ),
            click.option("--token", envvar=ENV_TOKEN, show_envvar=True, help="API key or JWT."),
            click.option(
                "--workspace",
                envvar=ENV_WORKSPACE,
                show_envvar=True,
                help="Workspace to address [default: the identity's own].",
            ),
            click.option(
                f"--{scope_option}",
                "scope",
                envvar=scope_env,
                show_envvar=True,
                default=scope_default,
                show_default=True,
                help=f"The {scope_option} that {scope_option} services run in.",
            ),
            click.option(
                "--json",
                "as_json",
                is_flag=True,
                help="Print JSON (JSON Lines for streams and exports) instead of tables.",
            ),
            click.option(
                "--timeout",
                type=float,
                default=60.0,
                show_default=True,
                help="Seconds to wait for each answer.",
            ),
            click.option("--quiet", "-q", is_flag=True, help="No progress bars."),
            click.option("--debug", is_flag=True, help="Show tracebacks of errors."),
        ]
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


class State(Generic[C]):
    """What a command needs: the settings, a client opened on first use, the output."""

    def __init__(
        self,
        settings: Settings,
        open_client: Callable[[Settings], C],
        *,
        cell: CellFormatter | None = None,
    ) -> None:
        self.settings = settings
        if not settings.debug:
            # Library loggers (websockets' keepalive, ...) would print tracebacks of failures
            # that the command already reports as one line.
            logging.getLogger().addHandler(logging.NullHandler())
        self._open_client = open_client
        self._client: C | None = None
        self.output = Output(as_json=settings.as_json, cell=cell)

    def client(self) -> C:
        """The client for this run (opened once, closed when the run ends)."""
        if self._client is None:
            self._client = self._open_client(self.settings)
        return self._client

    def close(self) -> None:
        close = getattr(self._client, "close", None)
        if close is not None:
            close()

    @property
    def progress(self) -> bool:
        """Whether to show progress bars (never in JSON mode or with --quiet)."""
        return not (self.settings.quiet or self.settings.as_json)

    def show(self, value: Any) -> None:
        """Print a call's result."""
        self.output.result(value)

    def show_stream(self, chunks: Iterable[Any], text_field: str | None) -> None:
        """Print a stream's chunks as they arrive; Ctrl-C stops it."""
        with _closing(chunks) as items:
            self.output.stream(items, text_field)

    def send_items(
        self,
        send: Callable[[Callable[[int], None]], Any],
        *,
        unit: str,
        total: int | None,
    ) -> None:
        """Run a bulk import with a progress bar, then say what it delivered."""
        with Meter(f"import {unit}", unit=unit, total=total, enabled=self.progress) as meter:
            try:
                result = send(meter.update)
            except KeyboardInterrupt:
                raise Interrupted(
                    f"import interrupted: {describe_amount(meter.done, unit)} had been sent; "
                    "the gateway keeps what it received"
                ) from None
        meter.update(result.items)
        if self.settings.as_json:
            self.output.result(dataclasses.asdict(result))
        else:
            click.echo(f"imported {meter.summary()}", err=True)

    def receive_items(
        self, items: Iterable[Any], write: Callable[[Any], None], *, unit: str
    ) -> int:
        """Write exported items as they come; Ctrl-C ends the export (not an error)."""
        with (
            Meter(f"export {unit}", unit=unit, enabled=self.progress) as meter,
            _closing(items) as stream,
        ):
            try:
                for item in stream:
                    write(item)
                    meter.advance(1)
            except KeyboardInterrupt:
                click.echo(f"stopped by Ctrl-C after {describe_amount(meter.done, unit)}", err=True)
                return meter.done
        click.echo(f"exported {meter.summary()}", err=True)
        return meter.done


class _closing:
    """Close an iterable (a stream or export socket) when done, if it can be closed."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items

    def __enter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __exit__(self, *exc: object) -> None:
        close = getattr(self.items, "close", None)
        if close is not None:
            close()


_HINTS: dict[ExitCode, str] = {
    ExitCode.AUTH: f"pass --token or set {ENV_TOKEN}",
    ExitCode.CONNECTION: f"is the gateway running? pass --url or set {ENV_URL}",
    ExitCode.TIMEOUT: "the gateway did not answer in time; raise --timeout",
}


class RootGroup(click.Group):
    """The top-level group: maps errors to exit codes and short messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Interrupted as exc:
            click.echo(f"tgclient: {exc}", err=True)
            ctx.exit(ExitCode.INTERRUPTED)
        except KeyboardInterrupt:
            click.echo("tgclient: interrupted", err=True)
            ctx.exit(ExitCode.INTERRUPTED)
        except Exception as exc:
            self._report(ctx, exc)
        return None

    @staticmethod
    def _report(ctx: click.Context, exc: Exception) -> None:
        debug = isinstance(ctx.obj, State) and ctx.obj.settings.debug
        if debug:
            traceback.print_exception(exc, file=sys.stderr)
        code = exit_code_for(exc)
        if isinstance(exc, TrustGraphError):
            kind = type(exc).__name__
            message = f"tgclient: {kind}: {exc}"
            if isinstance(exc, UnsupportedOperationError | AuthError | TransportError):
                hint = _HINTS.get(code)
                message += f"\n  ({hint})" if hint else ""
        else:
            message = f"tgclient: unexpected {type(exc).__name__}: {exc}"
        if not debug and code == ExitCode.ERROR and not isinstance(exc, TrustGraphError):
            message += "\n  (run with --debug for the traceback)"
        if isinstance(ctx.obj, State) and ctx.obj.settings.as_json:
            error = {"error": type(exc).__name__, "message": str(exc), "exit_code": int(code)}
            click.echo(json.dumps(error), err=True)
        else:
            click.echo(message, err=True)
        ctx.exit(code)


def alias_command(command: click.Command, name: str) -> click.Command:
    """``command`` under another name (a method alias), left out of ``--help``."""
    alias = copy.copy(command)
    alias.name = name
    alias.hidden = True
    return alias


def _warn(message: Warning | str, *args: object, **kwargs: object) -> None:
    click.echo(f"tgclient: warning: {message}", err=True)


def main(group: click.Group) -> None:
    """Run the command line (the ``tgclient`` console script)."""
    warnings.simplefilter("always", IgnoredArgumentWarning)  # a deprecated option was given
    warnings.showwarning = _warn
    group(prog_name="tgclient", auto_envvar_prefix=None)
