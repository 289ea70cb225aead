"""A private RabbitMQ node from Debian's ``rabbitmq-server`` package, on loopback only.

Runs the package's unwrapped ``rabbitmq-server`` script in the foreground (the
``/usr/sbin`` wrapper switches user and writes to system directories) with every path in
the stack's state directory: config, mnesia, logs, Erlang cookie (``HOME``). The AMQP,
distribution and epmd ports are free ports chosen per run; the node's own epmd is started
first, in the foreground, so the launcher owns it. No plugins, no management UI.
"""

import os
import shutil
from pathlib import Path

SERVER_SCRIPT = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")
EPMD_CANDIDATES = ("/usr/bin/epmd", "/usr/lib/erlang/bin/epmd")


class RabbitMissing(RuntimeError):
    """The Debian rabbitmq-server package is not installed."""


def check_installed():
    """Raise :class:`RabbitMissing` with the install command when the package is absent."""
    if not SERVER_SCRIPT.exists() or not epmd_binary():
        raise RabbitMissing(
            f"{SERVER_SCRIPT} or epmd not found: install RabbitMQ with "
            "`apt-get update && apt-get install -y rabbitmq-server`"
        )


def epmd_binary():
    """Path of the ``epmd`` executable, or None."""
    found = shutil.which("epmd")
    return found or next((p for p in EPMD_CANDIDATES if Path(p).exists()), None)


def epmd_argv(epmd_port):
    """Command line of a foreground epmd bound to loopback."""
    return [epmd_binary(), "-port", str(epmd_port), "-address", "127.0.0.1"]


def prepare(root, amqp_port, dist_port, epmd_port):
    """Write the node's files under ``root``; return (argv, env) to start it."""
    root.mkdir(parents=True, exist_ok=True)
    home = root / "home"
    home.mkdir(exist_ok=True)
    (root / "rabbitmq.conf").write_text(
        f"listeners.tcp.1 = 127.0.0.1:{amqp_port}\n"
        "loopback_users.guest = true\n"
        "disk_free_limit.absolute = 50MB\n"
    )
    (root / "enabled_plugins").write_text("[].\n")
    (root / "rabbitmq-env.conf").write_text("")
    env = {
        **os.environ,
        "HOME": str(home),
        "RABBITMQ_CONF_ENV_FILE": str(root / "rabbitmq-env.conf"),
        "RABBITMQ_CONFIG_FILE": str(root / "rabbitmq.conf"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(root / "enabled_plugins"),
        "RABBITMQ_MNESIA_BASE": str(root / "mnesia"),
        "RABBITMQ_LOG_BASE": str(root / "log"),
        "RABBITMQ_LOGS": "-",
        "RABBITMQ_PID_FILE": str(root / "rabbitmq.pid"),
        "RABBITMQ_NODENAME": f"tgstack{amqp_port}@localhost",
        "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
        "RABBITMQ_NODE_PORT": str(amqp_port),
        "RABBITMQ_DIST_PORT": str(dist_port),
        "ERL_EPMD_PORT": str(epmd_port),
        "ERL_EPMD_ADDRESS": "127.0.0.1",
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
    }
    return [str(SERVER_SCRIPT)], env
