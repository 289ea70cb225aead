"""Whether a bulk import socket is alive: progress decides, not a fixed ping timeout (sans-I/O).

A loaded gateway reads an import socket slowly, and a ping queued behind megabytes of frames
in the socket buffers is answered only after all of them: a fixed ping timeout then ends an
import that is making progress. Here the clock runs only while the client waits on the
gateway (a send in flight, a ping unanswered, the close unconfirmed), and every sign of
progress restarts it: a frame taken by the socket (the gateway's window had room) or a pong
(the gateway has read everything sent before that ping). The import is dead when it waited
``limit`` seconds with no progress at all: a gateway that stopped reading blocks the next send
once the buffers are full, and one that is gone answers nothing. The drivers report events,
act on :meth:`ImportLiveness.verdict` and own no rule.
"""

from __future__ import annotations

__all__ = ["ImportLiveness"]


class ImportLiveness:
    """The liveness of one import socket; every method takes the driver's monotonic ``now``."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self._waiting_since: float | None = None
        self._sending = False
        self._pings = 0  # sent and not yet answered
        self._closing = False
        self.pongs = 0

    def send_began(self, now: float) -> None:
        self._sending = True
        self._wait(now)

    def send_done(self, now: float) -> None:
        """The socket took a whole frame: progress."""
        self._sending = False
        self._progress(now)

    def pinged(self, now: float) -> None:
        self._pings += 1
        self._wait(now)

    def ponged(self, now: float, answered: int = 1) -> None:
        """``answered`` pings were answered (a pong answers every ping before it): progress."""
        self._pings = max(0, self._pings - answered)
        self.pongs += answered
        self._progress(now)

    def closing(self, now: float) -> None:
        """The close frame is on its way; the gateway answers it after reading every frame."""
        self._closing = True
        self._wait(now)

    def verdict(self, now: float) -> str | None:
        """None while alive; else why the import is considered dead."""
        if self._waiting_since is None or now - self._waiting_since < self.limit:
            return None
        if self._sending:
            what = "a send stayed blocked"
        elif self._closing:
            what = "the gateway did not confirm the close"
        else:
            what = "the gateway answered no ping"
        return (
            f"{what} for {self.limit:g} s, with no frame taken and no ping answered in that "
            "time: the gateway stopped reading the socket"
        )

    def _wait(self, now: float) -> None:
        if self._waiting_since is None:
            self._waiting_since = now

    def _progress(self, now: float) -> None:
        awaiting = self._sending or self._pings > 0 or self._closing
        self._waiting_since = now if awaiting else None
