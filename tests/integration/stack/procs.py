"""Child processes of the stack: spawn with a log file, find, and stop strictly by PID.

Every process starts in its own session (so its PID is also its process-group id). Stopping
sends signals only to PIDs that belong to a recorded process: the recorded PID itself if
its kernel start time still matches, members of its process group, and its descendants
(some Erlang helpers start their own sessions). Nothing is matched by name.
"""

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

_PR_SET_PDEATHSIG = 1


@dataclass
class Proc:
    """One started process: a name for messages, its PID, start time, log file, and the
    signal that stops it (SIGKILL where a graceful stop buys nothing and can hang)."""

    name: str
    pid: int
    starttime: int
    log: Path
    stop_signal: int = signal.SIGTERM
    popen: subprocess.Popen | None = field(default=None, repr=False, compare=False)

    def to_dict(self):
        return {
            "name": self.name,
            "pid": self.pid,
            "starttime": self.starttime,
            "log": str(self.log),
            "stop_signal": int(self.stop_signal),
        }

    @classmethod
    def from_dict(cls, data):
        return cls(
            data["name"],
            data["pid"],
            data["starttime"],
            Path(data["log"]),
            data.get("stop_signal", signal.SIGTERM),
        )

    def exited(self):
        """True once the process is gone (or a zombie). Reaps it when it is our child."""
        if self.popen is not None:
            return self.popen.poll() is not None
        stat = _stat(self.pid)
        return stat is None or stat[2] != self.starttime or stat[0] == "Z"


def _stat(pid):
    """(state, pgid, starttime, ppid) from /proc/<pid>/stat, or None if there is no such PID."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return fields[0], int(fields[2]), int(fields[19]), int(fields[1])


def _with_death_signal(argv, sig):
    """(argv, preexec_fn) that arm the parent-death signal ``sig`` in the child.

    util-linux ``setpriv`` (always on Debian) does it without running Python code between
    fork and exec; the ctypes fallback does it in a ``preexec_fn``.
    """
    setpriv = shutil.which("setpriv")
    if setpriv:
        return [setpriv, f"--pdeathsig={signal.Signals(sig).name[3:]}", "--", *argv], None

    def arm():
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, sig)

    return argv, arm


def spawn(
    name, argv, *, log, env=None, cwd=None, die_with_parent=signal.SIGTERM,
    stop_signal=signal.SIGTERM,
):  # fmt: skip
    """Start ``argv`` in a new session with stdout and stderr appended to ``log``.

    ``die_with_parent`` is the signal the kernel sends the process if the thread that
    started it dies (so a killed test run does not strand servers), or None for no such
    signal (the stack CLI).
    """
    preexec = None
    if die_with_parent:
        argv, preexec = _with_death_signal(argv, die_with_parent)
    with open(log, "ab") as out:
        popen = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=preexec,
        )
    stat = _stat(popen.pid)
    return Proc(name, popen.pid, stat[2] if stat else 0, Path(log), stop_signal, popen)


def _table():
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat and stat[0] != "Z":
                table[int(entry.name)] = stat
    return table


def _targets(proc):
    """{pid: starttime} of what belongs to ``proc``: itself, its group, its descendants."""
    table = _table()
    mine = set()
    own = table.get(proc.pid)
    if own and own[2] == proc.starttime:
        mine.add(proc.pid)
    # Group members started no earlier than the leader (a reused PGID would be older).
    mine |= {p for p, s in table.items() if s[1] == proc.pid and s[2] >= proc.starttime}
    grown = True
    while grown:
        kids = {p for p, s in table.items() if s[3] in mine and p not in mine}
        grown = bool(kids)
        mine |= kids
    return {p: table[p][2] for p in mine}


def _running(targets):
    """The subset of ``targets`` that is still the same, live (non-zombie) process."""
    out = {}
    for pid, started in targets.items():
        stat = _stat(pid)
        if stat and stat[0] != "Z" and stat[2] == started:
            out[pid] = started
    return out


def _signal(targets, sig):
    for pid in _running(targets):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def stop_all(procs, grace=5.0):
    """Stop ``procs`` (each its ``stop_signal``, then SIGKILL after ``grace`` s).

    Returns the names of processes that had to be killed after the grace period.
    """
    targets = {p.name: _targets(p) for p in procs}
    for p in procs:
        _signal(targets[p.name], p.stop_signal)
    deadline = time.monotonic() + grace
    killed = []
    for p in procs:
        while time.monotonic() < deadline:
            p.exited()  # reaps our own child so it stops counting
            if not _running(targets[p.name]):
                break
            time.sleep(0.05)
        left = _running(targets[p.name]) | _targets(p)
        if left:
            killed.append(p.name)
            _signal(left, signal.SIGKILL)
            _wait_gone(left, p, 2.0)
    for p in procs:
        if p.popen is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.popen.wait(timeout=grace)
    return killed


def _wait_gone(targets, proc, timeout):
    deadline = time.monotonic() + timeout
    while _running(targets) and time.monotonic() < deadline:
        proc.exited()
        time.sleep(0.02)


def leftovers(procs):
    """{name: [pid, ...]} of ``procs`` (with their groups and descendants) still running."""
    found = {p.name: sorted(_targets(p)) for p in procs}
    return {name: pids for name, pids in found.items() if pids}


def tail(path, lines=40):
    """The last ``lines`` lines of a log file (empty if it does not exist)."""
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def log_has(path, needle):
    """True when the log file contains ``needle``."""
    try:
        return needle in Path(path).read_text(errors="replace")
    except OSError:
        return False


def running_in(directory):
    """PIDs of live processes whose working directory is (or was) ``directory``."""
    prefix = str(directory)
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        stat = _stat(int(entry.name))
        if (
            stat
            and stat[0] != "Z"
            and (cwd == prefix or cwd.startswith(prefix + "/") or cwd == f"{prefix} (deleted)")
        ):
            found.append(int(entry.name))
    return found
