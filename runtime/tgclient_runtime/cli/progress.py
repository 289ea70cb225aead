"""A progress bar on a terminal (items or bytes, rate, ETA), silence when piped."""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.text import Text

__all__ = ["Meter", "describe_amount"]


class _ItemRate(ProgressColumn):
    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f} {self.unit}/s", style="cyan")


def describe_amount(done: int, unit: str) -> str:
    """``"12,000 triples"`` or ``"3.0 MiB"``."""
    if unit == "bytes":
        return f"{done / (1024 * 1024):,.1f} MiB" if done >= 1024 * 1024 else f"{done:,} bytes"
    return f"{done:,} {unit}"


class Meter:
    """Counts work done and shows it; use as a context manager.

    ``unit`` is "bytes" or a plural noun ("triples"); ``total`` None shows no bar or ETA.
    Shown only when ``enabled`` and standard error is a terminal.
    """

    def __init__(
        self, description: str, *, unit: str, total: int | None = None, enabled: bool = True
    ) -> None:
        self.unit = unit
        self.done = 0
        self.started = time.monotonic()
        self._progress: Progress | None = None
        self._task = None
        if enabled and sys.stderr.isatty():
            if unit == "bytes":
                columns: list[ProgressColumn] = [DownloadColumn(), TransferSpeedColumn()]
            else:
                columns = [MofNCompleteColumn() if total else TextColumn(""), _ItemRate(unit)]
            bar: list[ProgressColumn] = [BarColumn(), TaskProgressColumn()] if total else []
            self._progress = Progress(
                TextColumn("{task.description}"),
                *bar,
                *columns,
                TimeRemainingColumn(),
                console=Console(file=sys.stderr),
                transient=False,
            )
            self._task = self._progress.add_task(description, total=total)

    def __enter__(self) -> Meter:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, done: int) -> None:
        """Record the running total."""
        self.done = done
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=done)

    def advance(self, amount: int) -> None:
        """Record ``amount`` more."""
        self.update(self.done + amount)

    def summary(self) -> str:
        """``"12,000 triples in 3.1 s (3,870 triples/s)"``."""
        seconds = max(time.monotonic() - self.started, 1e-9)
        rate = self.done / seconds
        rate_text = (
            f"{describe_amount(int(rate), self.unit)}/s"
            if self.unit == "bytes"
            else f"{rate:,.0f} {self.unit}/s"
        )
        return f"{describe_amount(self.done, self.unit)} in {seconds:.1f} s ({rate_text})"
