"""``scripts/stack start|stop|status``: run the integration stack by hand.

``start`` prints the gateway URL on stdout (alone, so ``URL=$(scripts/stack start)`` works)
and records PIDs, URL and state directory in the state file (:mod:`.state`); the servers
keep running after it exits. ``stop`` kills exactly the recorded PIDs and removes the state
directory. ``status`` reports each process and whether the gateway answers (exit 0 when
everything is up, 1 when something is down, 3 when no stack is recorded).
"""

import argparse
import sys

from . import probes, state
from .launcher import Stack, StackError
from .procs import Proc


def _err(*args):
    print(*args, file=sys.stderr)


def start(args):
    saved = state.load()
    if saved and any(not Proc.from_dict(p).exited() for p in saved["procs"]):
        _err(f"a stack is already running at {saved['url']} (scripts/stack stop first)")
        return 1
    stack = Stack(
        patch_knowledge_core=args.patch_kg,
        die_with_parent=False,
        keep_state=args.keep_state,
        iam=args.iam,
    )
    try:
        stack.start()
    except StackError as e:
        _err(f"stack failed to start: {e}")
        return 1
    path = state.save(stack.to_dict())
    _err(f"stack up in {stack.timings['total']:.1f} s; logs in {stack.logs_dir}; state {path}")
    if stack.admin_key:
        _err(f"IAM admin API key (user 'admin'): {stack.admin_key}")
    print(stack.url)
    return 0


def stop(args):
    saved = state.load()
    if not saved:
        _err("no stack recorded")
        return 0
    try:
        killed = Stack.from_dict(saved).stop()
    except StackError as e:
        _err(str(e))
        return 1
    state.clear()
    _err("stopped" + (f" (killed: {', '.join(killed)})" if killed else ""))
    return 0


def status(args):
    saved = state.load()
    if not saved:
        print("not running")
        return 3
    down = 0
    for data in saved["procs"]:
        proc = Proc.from_dict(data)
        alive = not proc.exited()
        down += not alive
        print(f"{proc.name:12} pid {proc.pid:<7} {'up' if alive else 'DOWN'}")
    try:
        flows = probes.flows(saved["url"], 3.0)
    except OSError as e:
        flows, down = None, down + 1
        print(f"gateway      {saved['url']} not answering: {e}")
    if flows is not None:
        print(f"gateway      {saved['url']} flows: {', '.join(flows) or '-'}")
    return 1 if down else 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="scripts/stack", description="Run the integration gateway stack by hand."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    begin = sub.add_parser("start", help="start a stack and print its URL")
    begin.add_argument(
        "--patch-kg",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="apply the opt-in knowledge-core server patch (default: $TGCLIENT_STACK_PATCH_KG)",
    )
    begin.add_argument("--keep-state", action="store_true", help="keep logs and state on stop")
    begin.add_argument(
        "--iam", action="store_true", help="run the stock iam-svc instead of no-auth-svc"
    )
    sub.add_parser("stop", help="stop the recorded stack")
    sub.add_parser("status", help="show the recorded stack")
    args = parser.parse_args(argv)
    return {"start": start, "stop": stop, "status": status}[args.command](args)
