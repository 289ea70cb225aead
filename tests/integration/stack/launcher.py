"""``Stack``: the real TrustGraph 2.11.1 api-gateway on a private RabbitMQ, with stub back ends.

Start order (the race-free order of the recipe; a request published before its consumer
binds is silently dropped by RabbitMQ):

1. epmd and the RabbitMQ node; wait until AMQP answers;
2. config-svc (SQLite store); wait until it consumes ``request:tg:config``;
3. the IAM regime (no-auth-svc, or with ``iam=True`` the stock iam-svc), flow-svc, the
   processor group (stubs, librarian, knowledge) and the gateway;
4. bootstrap, once the IAM regime consumes ``request:tg:iam``;
5. with ``iam=True``: IAM's first-run bootstrap through the gateway, which creates user
   ``admin`` and returns its API key (``Stack.admin_key``);
6. wait until the gateway lists flow ``default`` and every service answers a probe.

Everything listens on 127.0.0.1 only and keeps its state in one temporary directory, which
``stop()`` removes after killing every process it started (by PID).
"""

import atexit
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from . import group, probes, procs, rabbit
from .net import amqp_ready, free_ports, post_json
from .venv import ensure_venv

STACK_DIR = Path(__file__).resolve().parent
ENV_PATCH_KG = "TGCLIENT_STACK_PATCH_KG"
ENV_KEEP = "TGCLIENT_STACK_KEEP"
ENV_START_TIMEOUT = "TGCLIENT_STACK_START_TIMEOUT"
STATE_PREFIX = "tgstack-"
KEEP_MARKER = "KEEP"
STALE_AFTER = 600.0


def sweep_stale_state_dirs(now=None):
    """Remove state directories left by stacks whose launcher was killed.

    A directory qualifies when it is older than ``STALE_AFTER`` seconds, was not kept on
    purpose (``keep_state``) and no live process works in it. Returns the removed paths.
    """
    now = time.time() if now is None else now
    removed = []
    for path in Path(tempfile.gettempdir()).glob(f"{STATE_PREFIX}*"):
        try:
            old = now - path.stat().st_mtime > STALE_AFTER
        except OSError:
            continue
        kept = (path / KEEP_MARKER).exists()
        if old and path.is_dir() and not kept and not procs.running_in(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


START_ATTEMPTS = 2  # a start that fails is tried once more from scratch, then it raises


class StackError(RuntimeError):
    """The stack failed to start; the message names the process and tails its log."""


class Stack:
    """A throw-away gateway stack.

    ``patch_knowledge_core`` applies the opt-in server patch for the trustgraph-base 2.11.1
    knowledge-core defect (see ``tgstack/kg_patch.py``); None reads ``$TGCLIENT_STACK_PATCH_KG``
    (``1`` = on), default off. ``die_with_parent`` (default) makes every server exit when the
    thread that started it dies, and stops the stack at interpreter exit; the CLI turns it
    off so the stack outlives it. ``keep_state`` (or ``$TGCLIENT_STACK_KEEP=1``) keeps the state
    directory and its logs after ``stop()``. ``start_timeout`` (default
    ``$TGCLIENT_STACK_START_TIMEOUT`` or 60 s) bounds ``start()`` once the venv exists.

    ``iam=True`` runs the stock ``iam-svc`` (users, API keys, EdDSA JWTs, roles) on an
    in-memory table store (``tgstack/memory_iam.py``) in place of ``no-auth-svc``; once up,
    ``admin_key`` is the API key of the bootstrapped admin, and ``iam_key_file`` holds the
    service's current JWT signing key (a test window of the stand-in store).
    """

    def __init__(
        self,
        *,
        patch_knowledge_core=None,
        gateway_timeout=120,
        start_timeout=None,
        die_with_parent=True,
        keep_state=None,
        log_level="INFO",
        iam=False,
    ):
        if patch_knowledge_core is None:
            patch_knowledge_core = os.environ.get(ENV_PATCH_KG) == "1"
        if keep_state is None:
            keep_state = os.environ.get(ENV_KEEP) == "1"
        self.patch_knowledge_core = bool(patch_knowledge_core)
        self.gateway_timeout = int(gateway_timeout)
        if start_timeout is None:
            start_timeout = os.environ.get(ENV_START_TIMEOUT, "60")
        self.start_timeout = float(start_timeout)
        self.die_with_parent = die_with_parent
        self.keep_state = keep_state
        self.log_level = log_level
        self.iam = bool(iam)
        self.admin_key = None
        self.state_dir = None
        self.url = None
        self.procs = []
        self.ports = {}
        self.timings = {}

    @property
    def logs_dir(self):
        """Directory holding one ``<process>.log`` per started process."""
        return self.state_dir / "logs" if self.state_dir else None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    # -- start ------------------------------------------------------------------------

    def start(self):
        """Start everything; return once every service answers through the gateway."""
        if self.procs:
            raise StackError("stack already started")
        began = time.monotonic()
        rabbit.check_installed()
        python = ensure_venv()
        self.timings["venv"] = time.monotonic() - began
        for attempt in range(1, START_ATTEMPTS + 1):
            if self.die_with_parent:
                atexit.register(self.stop)
            try:
                self._start(python, time.monotonic())
                break
            except StackError as exc:
                self.stop()
                if attempt == START_ATTEMPTS:
                    raise
                # Seen on a loaded CI machine: a start stalls although every log looks fine.
                # A fresh start (new ports, new RabbitMQ) is cheaper than a failed run; say so.
                first = str(exc).splitlines()[0]
                print(f"stack start failed ({first}); starting again", file=sys.stderr)
            except BaseException:
                self.stop()
                raise
        self.timings["total"] = time.monotonic() - began
        return self

    def _start(self, python, began):
        deadline = began + self.start_timeout
        sweep_stale_state_dirs()
        self.state_dir = Path(tempfile.mkdtemp(prefix=STATE_PREFIX))
        self.logs_dir.mkdir()
        if self.keep_state:
            (self.state_dir / KEEP_MARKER).write_text("kept by request; remove by hand\n")
        amqp, dist, epmd, http = free_ports(4)
        self.ports = {"amqp": amqp, "dist": dist, "epmd": epmd, "gateway": http}
        self.url = f"http://127.0.0.1:{http}/"
        files = group.write_all(self.state_dir, amqp)
        bin_dir = python.parent

        self._spawn("epmd", rabbit.epmd_argv(epmd), death=signal.SIGTERM)
        argv, env = rabbit.prepare(self.state_dir / "rabbitmq", amqp, dist, epmd)
        node = self._spawn("rabbitmq", argv, env=env, death=signal.SIGTERM)
        self._wait(node, lambda: amqp_ready(amqp), deadline, "AMQP listener")
        self._mark("rabbitmq", began)

        env = self._env()
        common = self._common_args(amqp)
        config = self._spawn("config-svc", [python, "-m", "tgstack.config_svc", *common], env)
        self._wait_log(config, "Added consumer: request:tg:config\n", deadline)
        procargs = self._processor_args(amqp)
        iam = self._spawn_iam(python, bin_dir, procargs, env)
        self._spawn("flow-svc", [bin_dir / "flow-svc", *procargs], env)
        group_args = ["-c", files["group"], "--no-metrics", "--no-loki-enabled"]
        self._spawn(
            "stubs", [python, "-m", "tgstack.processors", *group_args, "-l", self.log_level], env
        )
        gateway_args = ["--port", str(http), "--timeout", str(self.gateway_timeout)]
        gateway_args += ["--prometheus-url", "http://127.0.0.1:9/"]
        gateway = self._spawn(
            probes.GATEWAY, [python, "-m", "tgstack.gateway", *common, *gateway_args], env
        )
        self._wait_log(iam, "Added consumer: request:tg:iam\n", deadline)
        boot = self._spawn(
            "bootstrap", [bin_dir / "bootstrap", *procargs, "-c", files["bootstrap"]]
        )
        self._wait(gateway, self._gateway_listening, deadline, "HTTP listener")
        if self.iam:
            self._wait(iam, self._bootstrap_admin, deadline, "admin bootstrap")
        self._wait(
            boot,
            lambda: "default" in self._flows(),
            deadline,
            "flow 'default' listed",
            related=("flow-svc", iam.name, "config-svc"),
        )
        self._mark("flow", began)
        done = set()
        stubs = self._proc("stubs")
        key = self.admin_key
        self._wait(
            stubs,
            lambda: not probes.pending(self.url, done, 2.0, key),
            deadline,
            "probes",
            detail=lambda: f"not answering: {probes.pending(self.url, done, 2.0, key)}",
            related=(probes.GATEWAY,),
        )
        self._mark("ready", began)

    @property
    def iam_key_file(self):
        """Where the IAM stand-in store mirrors the current JWT signing key (``iam=True``)."""
        return self.state_dir / "iam-signing-key.json" if self.state_dir else None

    def _spawn_iam(self, python, bin_dir, procargs, env):
        if not self.iam:
            return self._spawn("no-auth-svc", [bin_dir / "no-auth-svc", *procargs], env)
        env = {**env, "TGSTACK_IAM_KEY_FILE": str(self.iam_key_file)}
        argv = [python, "-m", "tgstack.iam_svc", *procargs, "--bootstrap-mode", "bootstrap"]
        return self._spawn("iam-svc", argv, env)

    def _bootstrap_admin(self):
        """IAM's first-run bootstrap (PUBLIC route); True once ``admin_key`` is known.

        The gateway must not fetch IAM's signing key before this (launcher default: no
        start-up fetch), since in bootstrap mode a fetch creates the key and ends
        bootstrap mode.
        """
        try:
            status, body = post_json(f"{self.url}api/v1/auth/bootstrap", {}, 5.0)
        except OSError:
            return False
        if status == 200 and isinstance(body, dict) and body.get("bootstrap_admin_api_key"):
            self.admin_key = body["bootstrap_admin_api_key"]
            return True
        if status == 200 and isinstance(body, dict) and body.get("bootstrap_available") is False:
            raise StackError(f"IAM bootstrap refused (already bootstrapped?): {body}")
        return False

    def _env(self):
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        env.update(
            PYTHONPATH=str(STACK_DIR),
            PYTHONUNBUFFERED="1",
            TGSTACK_CONFIG_DB=str(self.state_dir / "config.db"),
            TGSTACK_PATCH_KG="1" if self.patch_knowledge_core else "0",
            PUBSUB_BACKEND="rabbitmq",
            RABBITMQ_HOST="127.0.0.1",
            RABBITMQ_PORT=str(self.ports["amqp"]),
            # Defaults that would leave loopback if anything consulted them.
            LOKI_URL="http://127.0.0.1:9/loki/api/v1/push",
            PROMETHEUS_URL="http://127.0.0.1:9/",
        )
        return env

    def _common_args(self, amqp):
        return [
            "--pubsub-backend", "rabbitmq", "--rabbitmq-host", "127.0.0.1",
            "--rabbitmq-port", str(amqp), "--no-metrics", "--no-loki-enabled",
            "-l", self.log_level,
        ]  # fmt: skip

    def _processor_args(self, amqp):
        # A lost config request costs --config-timeout before the retry (stock: 60 s).
        return [*self._common_args(amqp), "--config-timeout", str(group.CONFIG_TIMEOUT)]

    def _spawn(self, name, argv, env=None, death=signal.SIGKILL):
        """Start one process; ``death`` both stops it and is its parent-death signal.

        SIGKILL for TrustGraph processes (all state is throw-away and written as it
        happens; the gateway's graceful SIGTERM path can hang while the broker goes away),
        SIGTERM for epmd and for the RabbitMQ wrapper script, which traps it to stop the
        Erlang VM it started.
        """
        argv = [str(a) for a in argv]
        proc = procs.spawn(
            name, argv, log=self.logs_dir / f"{name}.log", env=env or self._env(),
            cwd=self.state_dir, die_with_parent=death if self.die_with_parent else None,
            stop_signal=death,
        )  # fmt: skip
        self.procs.append(proc)
        return proc

    def _proc(self, name):
        return next(p for p in self.procs if p.name == name)

    def _mark(self, step, began):
        self.timings[step] = time.monotonic() - began

    # -- waiting ----------------------------------------------------------------------

    def _check_alive(self):
        for p in self.procs:
            if p.exited():
                code = p.popen.returncode if p.popen else "?"
                raise StackError(
                    f"{p.name} exited (code {code}) during start-up; "
                    f"last lines of {p.log}:\n{procs.tail(p.log)}"
                )

    def _wait(self, proc, ready, deadline, what, detail=None, related=()):
        while True:
            self._check_alive()
            if ready():
                return
            if time.monotonic() > deadline:
                extra = f" ({detail()})" if detail else ""
                others = "".join(
                    f"\n-- last lines of {p.log}:\n{procs.tail(p.log, 15)}"
                    for p in self.procs
                    if p.name in related
                )
                raise StackError(
                    f"{proc.name}: no {what} within {self.start_timeout:.0f} s{extra}; "
                    f"last lines of {proc.log}:\n{procs.tail(proc.log)}{others}"
                )
            time.sleep(0.1)

    def _wait_log(self, proc, needle, deadline):
        self._wait(proc, lambda: procs.log_has(proc.log, needle), deadline, repr(needle.strip()))

    def _gateway_listening(self):
        try:
            probes.flows(self.url, 2.0, self.admin_key)
        except OSError:
            return False
        return True

    def _flows(self):
        try:
            return probes.flows(self.url, 2.0, self.admin_key)
        except OSError:
            return []

    # -- stop -------------------------------------------------------------------------

    def stop(self):
        """Kill every started process by PID, stop RabbitMQ and remove the state directory."""
        atexit.unregister(self.stop)
        killed = procs.stop_all(self.procs, grace=10.0) if self.procs else []
        left = procs.leftovers(self.procs)
        self.procs = []
        if self.state_dir and not self.keep_state:
            shutil.rmtree(self.state_dir, ignore_errors=True)
        if left:
            raise StackError(f"processes still running after stop: {left}")
        return killed

    # -- state for the CLI ------------------------------------------------------------

    def to_dict(self):
        """What ``scripts/stack stop`` needs to stop this stack from another process."""
        return {
            "url": self.url,
            "state_dir": str(self.state_dir),
            "ports": self.ports,
            "keep_state": self.keep_state,
            "procs": [p.to_dict() for p in self.procs],
        }

    @classmethod
    def from_dict(cls, data):
        """A handle on a stack started elsewhere, able to ``stop()`` it."""
        stack = cls(keep_state=data.get("keep_state", False))
        stack.url = data["url"]
        stack.state_dir = Path(data["state_dir"])
        stack.ports = data.get("ports", {})
        stack.procs = [procs.Proc.from_dict(p) for p in data["procs"]]
        return stack
