"""The sans-I/O mux core, without sockets: envelopes, auth, routing, termination, errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tgclient_runtime import (
    AccessDeniedError,
    AuthError,
    BadRequestError,
    GatewayError,
    Operation,
    Secret,
    ServiceError,
    StreamEnd,
    UnknownServiceError,
    WorkspaceNotFoundError,
    error_from_wire,
)
from tgclient_runtime.mux import AuthReply, AuthState, Delivery, MuxCore, Stray, read_frame
from tgclient_runtime.options import ClientOptions
from tgclient_runtime.plan import plan_call

SVC = "svc"
PLAIN = Operation(
    service=SVC,
    name="op",
    surface="flow",
    rest_path="flow/{flow}/service/svc",
    workspace_in_body=True,
)
ENDS_ON_LAST = Operation(
    service=SVC, name="op", surface="flow", rest_path="x", end=StreamEnd(field="last")
)
WORKSPACE_OP = Operation(
    service="ws-svc", name="op", surface="workspace", rest_path="ws-svc", workspace_in_body=True
)
SYSTEM_OP = Operation(service="sys-svc", name="op", surface="iam", rest_path="sys-svc")


# -- termination (gateway-2.11 §5.6) ---------------------------------------------------------

TERMINATION = [
    # (operation, frame, final?, error class or None)
    (PLAIN, {"response": {"a": 1}, "complete": True}, True, None),
    (PLAIN, {"response": {"a": 1}, "complete": False}, False, None),
    (PLAIN, {"response": {"a": 1}}, False, None),
    (PLAIN, {"response": {"last": True}, "complete": False}, False, None),
    (ENDS_ON_LAST, {"response": {"last": True}, "complete": False}, True, None),
    (ENDS_ON_LAST, {"response": {"last": False}, "complete": False}, False, None),
    (ENDS_ON_LAST, {"response": {"last": False}, "complete": True}, True, None),
    (ENDS_ON_LAST, {"response": {}, "complete": False}, False, None),
    # any error ends the request, even with complete: false
    (
        PLAIN,
        {"error": {"type": "error", "message": "Invalid flow"}, "complete": False},
        True,
        BadRequestError,
    ),
    (
        PLAIN,
        {"response": {"error": {"type": "x-error", "message": "m"}}, "complete": False},
        True,
        ServiceError,
    ),
    (
        ENDS_ON_LAST,
        {"response": {"error": {"type": "x", "message": "m"}, "last": False}},
        True,
        ServiceError,
    ),
    (PLAIN, {"response": None, "complete": True}, True, None),
    (PLAIN, {"response": [1, 2], "complete": True}, True, BadRequestError),
    (PLAIN, {"response": {"error": None, "v": 1}, "complete": True}, True, None),
]


@pytest.mark.parametrize(("op", "frame", "final", "error"), TERMINATION)
def test_termination_rules(
    op: Operation, frame: dict[str, Any], final: bool, error: type[Exception] | None
) -> None:
    read = read_frame(frame, op)
    assert read.final is final
    if error is None:
        assert read.error is None
    else:
        assert type(read.error) is error
        assert read.error.service == SVC


# -- error shapes (§5.4, §9): the same class as the same error over REST ----------------------

ERROR_FRAMES = [
    ({"error": {"message": "auth failure", "type": "auth-required"}}, AuthError),
    ({"error": {"message": "unknown service", "type": "unknown-service"}}, UnknownServiceError),
    ({"error": {"message": "x", "type": "workspace-not-found"}}, WorkspaceNotFoundError),
    ({"error": {"message": "access denied", "type": "access-denied"}}, AccessDeniedError),
    ({"error": {"message": "Bad message", "type": "error"}}, BadRequestError),
    ({"error": "Invalid flow ws/nope"}, BadRequestError),
    ({"response": {"error": {"type": "gateway-error", "message": ""}}}, GatewayError),
    ({"response": {"error": {"type": "gateway-error", "message": "'question'"}}}, GatewayError),
    ({"response": {"error": {"type": "llm-error", "message": "boom"}}}, ServiceError),
    ({"response": {"error": {"message": "m", "code": "not-found"}}}, ServiceError),
    ({"response": {"error": "plain string"}}, BadRequestError),
]


@pytest.mark.parametrize(("frame", "cls"), ERROR_FRAMES)
def test_error_frames_map_like_rest(frame: dict[str, Any], cls: type[Exception]) -> None:
    read = read_frame({**frame, "complete": True}, PLAIN)
    assert read.final
    assert type(read.error) is cls
    # The REST path reports the same wire error with status 200: same class.
    wire = frame.get("error") or frame["response"]["error"]
    assert type(error_from_wire(wire, status=200, service=SVC)) is cls


def test_response_error_keeps_the_response_as_body() -> None:
    frame = {"response": {"error": {"type": "t", "message": "m"}, "n": 1}, "complete": False}
    read = read_frame(frame, PLAIN)
    assert read.error is not None and read.error.body == frame["response"]
    assert read.error.message == "m" and read.error.error_type == "t"


# -- envelopes --------------------------------------------------------------------------------


def test_envelope_for_flow_service() -> None:
    core: MuxCore[str] = MuxCore(workspace="acme")
    req_id, text = core.open(PLAIN, {"q": 1}, "my-flow", "sink")
    envelope = json.loads(text)
    assert envelope == {
        "id": req_id,
        "service": SVC,
        "flow": "my-flow",
        "workspace": "acme",
        "request": {"q": 1},
    }
    assert isinstance(req_id, str) and req_id


def test_envelope_for_workspace_and_system_services() -> None:
    core: MuxCore[str] = MuxCore(workspace="acme")
    _, text = core.open(WORKSPACE_OP, {"operation": "list"}, None, "s")
    assert json.loads(text)["workspace"] == "acme"
    assert "flow" not in json.loads(text)
    _, text = core.open(SYSTEM_OP, {"operation": "whoami"}, None, "s")
    assert "workspace" not in json.loads(text)


def test_flow_service_needs_a_flow() -> None:
    """The call plan refuses it before anything reaches the core."""
    options = ClientOptions.build(url="ws://127.0.0.1:9/")
    with pytest.raises(ValueError, match="needs a flow id"):
        plan_call(options, PLAIN, {}, flow=None)


def test_ids_are_unique_non_empty_strings() -> None:
    core: MuxCore[int] = MuxCore()
    ids = [core.open(PLAIN, {}, "f", i)[0] for i in range(500)]
    assert len(set(ids)) == 500 and all(isinstance(i, str) and i for i in ids)


# -- auth state machine -----------------------------------------------------------------------


def test_auth_frame_carries_token_or_empty_string() -> None:
    assert json.loads(MuxCore[str](token=Secret("tg_k")).auth_frame()) == {
        "type": "auth",
        "token": "tg_k",
    }
    assert json.loads(MuxCore[str]().auth_frame()) == {"type": "auth", "token": ""}


def test_auth_ok_adopts_default_workspace_only_without_user_workspace() -> None:
    core: MuxCore[str] = MuxCore()
    core.auth_frame()
    assert core.auth_state is AuthState.PENDING
    reply = core.receive(json.dumps({"type": "auth-ok", "default_workspace": "research"}))
    assert reply == AuthReply(True, "research", None)
    assert core.auth_state is AuthState.OK and core.workspace == "research"
    _, text = core.open(PLAIN, {}, "f", "s")
    assert json.loads(text)["workspace"] == "research"

    pinned: MuxCore[str] = MuxCore(workspace="mine")
    pinned.auth_frame()
    pinned.receive(json.dumps({"type": "auth-ok", "default_workspace": "research"}))
    assert pinned.workspace == "mine"


def test_auth_failed_is_an_auth_error_and_keeps_previous_identity() -> None:
    core: MuxCore[str] = MuxCore(token=Secret("tg_old"))
    core.auth_frame()
    core.receive(json.dumps({"type": "auth-ok", "default_workspace": "w"}))
    core.token = Secret("tg_new_secret")
    core.auth_frame()
    reply = core.receive(json.dumps({"type": "auth-failed", "error": "auth failure"}))
    assert isinstance(reply, AuthReply) and not reply.ok
    assert isinstance(reply.error, AuthError)
    assert core.auth_state is AuthState.OK  # the gateway keeps the old identity
    assert "tg_new_secret" not in str(reply.error) + repr(reply.error) + repr(core)


def test_first_auth_failure_marks_failed() -> None:
    core: MuxCore[str] = MuxCore()
    core.auth_frame()
    core.receive(json.dumps({"type": "auth-failed", "error": "auth failure"}))
    assert core.auth_state is AuthState.FAILED


def test_connection_lost_returns_every_sink_and_resets_auth() -> None:
    core: MuxCore[str] = MuxCore()
    core.auth_frame()
    core.receive(json.dumps({"type": "auth-ok", "default_workspace": "w"}))
    for sink in "abc":
        core.open(PLAIN, {}, "f", sink)
    assert sorted(core.connection_lost()) == ["a", "b", "c"]
    assert core.in_flight == 0 and core.auth_state is AuthState.NONE
    assert core.workspace == "w"  # the adopted workspace survives a reconnect


# -- routing ----------------------------------------------------------------------------------


def test_routing_and_strays() -> None:
    core: MuxCore[str] = MuxCore()
    a, _ = core.open(PLAIN, {}, "f", "A")
    b, _ = core.open(ENDS_ON_LAST, {}, "f", "B")
    event = core.receive(json.dumps({"id": b, "response": {"last": False}}))
    assert isinstance(event, Delivery) and event.sink == "B" and not event.frame.final
    event = core.receive(json.dumps({"id": a, "response": {"x": 1}, "complete": True}))
    assert isinstance(event, Delivery) and event.sink == "A" and event.frame.final
    assert core.in_flight == 1
    # a frame for a finished request is a stray, not an error
    assert isinstance(core.receive(json.dumps({"id": a, "response": {}})), Stray)
    assert isinstance(core.receive("not json"), Stray)
    assert isinstance(core.receive("[1]"), Stray)
    assert isinstance(core.receive(json.dumps({"error": {"type": "error"}})), Stray)
    assert isinstance(core.receive(json.dumps({"id": 7, "response": {}})), Stray)
    assert core.forget(b) is True and core.forget(b) is False
    assert isinstance(core.receive(json.dumps({"id": b, "response": {"last": True}})), Stray)
    assert core.in_flight == 0


def test_binary_frames_are_json_too() -> None:
    core: MuxCore[str] = MuxCore()
    a, _ = core.open(PLAIN, {}, "f", "A")
    event = core.receive(json.dumps({"id": a, "response": {"v": 1}, "complete": True}).encode())
    assert isinstance(event, Delivery) and event.frame.response == {"v": 1}


# -- property: any interleaving routes every frame to its request, in order -----------------

streams = st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(lengths=streams, data=st.data())
def test_interleaved_frames_route_in_order(lengths: list[int], data: st.DataObject) -> None:
    core: MuxCore[int] = MuxCore()
    ids = [core.open(ENDS_ON_LAST, {}, "f", n)[0] for n in range(len(lengths))]
    # each request's frames in order; the last one ends it by the end field or by complete
    queues = [
        [
            {"id": ids[n], "response": {"n": n, "i": i, "last": i == count - 1}}
            if data.draw(st.booleans())
            else {"id": ids[n], "response": {"n": n, "i": i}, "complete": i == count - 1}
            for i in range(count)
        ]
        for n, count in enumerate(lengths)
    ]
    received: dict[int, list[int]] = {n: [] for n in range(len(lengths))}
    ended: set[int] = set()
    while any(queues):
        n = data.draw(st.sampled_from([k for k, q in enumerate(queues) if q]))
        event = core.receive(json.dumps(queues[n].pop(0)))
        assert isinstance(event, Delivery) and event.sink == n and n not in ended
        received[n].append(event.frame.response["i"])
        if event.frame.final:
            ended.add(n)
    assert received == {n: list(range(c)) for n, c in enumerate(lengths)}
    assert ended == set(range(len(lengths))) and core.in_flight == 0


@settings(max_examples=100, deadline=None)
@given(
    error=st.one_of(
        st.text(min_size=1),
        st.fixed_dictionaries({"type": st.text(min_size=1), "message": st.text()}),
    ),
    top_level=st.booleans(),
    complete=st.booleans(),
)
def test_any_error_is_terminal(error: Any, top_level: bool, complete: bool) -> None:
    core: MuxCore[str] = MuxCore()
    a, _ = core.open(PLAIN, {}, "f", "A")
    frame = {"id": a, "complete": complete}
    frame.update({"error": error} if top_level else {"response": {"error": error}})
    event = core.receive(json.dumps(frame))
    assert isinstance(event, Delivery) and event.frame.final
    assert event.frame.error is not None and core.in_flight == 0
