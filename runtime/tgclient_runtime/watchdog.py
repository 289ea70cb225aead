"""The deadline of whichever task reads an asyncio socket, kept with one lazy timer.

An ``asyncio.timeout`` per read costs a timer-heap insertion and removal for every frame. The
reading task's deadline mostly moves forward, call after call, so :class:`ReaderWatchdog`
keeps a single timer: a new deadline later than the armed one only updates a number, and a
timer that fires before the current deadline re-arms itself for it. When the deadline has
passed, the reader is cancelled, as ``asyncio.timeout`` would; :meth:`ReaderWatchdog.expired`
tells that cancellation apart from any other.
"""

from __future__ import annotations

import asyncio

__all__ = ["ReaderWatchdog"]


class ReaderWatchdog:
    """Cancels the task between :meth:`watch` and :meth:`release` once its deadline passes."""

    __slots__ = ("_armed_at", "_expired", "_handle", "_task", "_until")

    def __init__(self) -> None:
        self._handle: asyncio.TimerHandle | None = None
        self._armed_at = 0.0
        self._task: asyncio.Task[object] | None = None
        self._until = 0.0
        self._expired: asyncio.Task[object] | None = None

    def watch(self, until: float) -> asyncio.Task[object]:
        """Watch the current task until the loop's clock reaches ``until``; returns the task."""
        task = asyncio.current_task()
        if task is None:  # as asyncio.timeout: a deadline needs a task to cancel
            raise RuntimeError("tgclient's asyncio calls must run inside an asyncio task")
        self._task, self._until = task, until
        if self._handle is None or self._armed_at > until:
            self.disarm()
            self._arm(until)
        return task

    def release(self) -> None:
        """The task stops reading (the timer stays armed for the next reader)."""
        self._task = None

    def expired(self, task: asyncio.Task[object]) -> bool:
        """Whether ``task``, cancelled, was cancelled only by this watchdog (a time-out, now
        taken back), rather than from outside."""
        if self._expired is not task:
            return False
        self._expired = None
        return task.uncancel() == 0

    def disarm(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _arm(self, at: float) -> None:
        self._armed_at = at
        self._handle = asyncio.get_running_loop().call_at(at, self._fire)

    def _fire(self) -> None:
        self._handle = None
        task = self._task
        if task is None:
            return
        if task.get_loop().time() < self._until:
            self._arm(self._until)
            return
        self._expired = task
        task.cancel()
