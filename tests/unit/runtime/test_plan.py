"""The call plan: every decision about a call made once, before any I/O."""

from __future__ import annotations

import time

import pytest

from tgclient_runtime.errors import (
    NotFoundError,
    RequestValidationError,
    StreamingNotSupportedError,
    TrustGraphError,
    UnsupportedOperationError,
)
from tgclient_runtime.operation import Operation, StreamEnd
from tgclient_runtime.options import ClientOptions
from tgclient_runtime.plan import Deadline, choose_route, plan_call, resolve_timeout

FLOW_OP = Operation(
    service="agent",
    name="agent",
    surface="flow",
    rest_path="api/v1/flow/{flow}/service/agent",
    streams="optional",
    end=StreamEnd("end_of_dialog"),
    workspace_in_body=True,
)
IAM_OP = Operation(service="iam", name="whoami", surface="iam", rest_path="api/v1/iam")
AUTH_OP = Operation(
    service="auth", name="login", surface="auth", rest_path="api/v1/auth/login", via_socket=False
)
ALWAYS = Operation(
    service="kc", name="get", surface="workspace", rest_path="api/v1/kc", streams="always"
)
REST = ClientOptions.build(url="http://127.0.0.1:9/", workspace="research", timeout=30)
SOCKET = ClientOptions.build(url="ws://127.0.0.1:9/", idle_timeout=5)


@pytest.mark.parametrize("given", [0, 0.0, -1, -0.5, True, "5", float("nan")])
def test_a_timeout_that_is_not_a_positive_number_is_refused(given: object) -> None:
    with pytest.raises(RequestValidationError, match="timeout must be a positive number") as err:
        resolve_timeout(given, 60.0)  # type: ignore[arg-type]
    assert isinstance(err.value, ValueError)
    assert "60 s" in str(err.value)  # says what None would have meant


def test_none_means_the_client_default_and_a_number_is_kept() -> None:
    assert resolve_timeout(None, 60.0) == 60.0
    assert resolve_timeout(2, 60.0) == 2.0
    assert resolve_timeout(0.25, 60.0) == 0.25


def test_plan_carries_an_absolute_deadline() -> None:
    before = time.monotonic()
    plan = plan_call(REST, FLOW_OP, {"question": "q"}, flow="default", timeout=3)
    assert before + 3 <= plan.deadline.at <= time.monotonic() + 3
    assert plan.deadline.timeout == 3
    assert plan.deadline.idle is None  # the idle deadline is the socket's


def test_socket_plan_has_the_idle_deadline() -> None:
    plan = plan_call(SOCKET, FLOW_OP, {}, flow="default")
    assert plan.route == "socket"
    assert plan.deadline.idle == 5
    assert plan.deadline.timeout == SOCKET.timeout


def test_deadline_messages_tell_idle_from_total() -> None:
    deadline = Deadline(at=time.monotonic() + 100, timeout=100, idle=5)
    assert deadline.missed(deadline.at - 50) == "no frame for 5 s"
    assert deadline.missed(deadline.at) == "no answer within 100 s"


def test_streaming_over_rest_is_refused_as_not_implemented_and_in_the_tree() -> None:
    with pytest.raises(StreamingNotSupportedError, match="needs the WebSocket transport") as err:
        plan_call(REST, FLOW_OP, {}, flow="default", streaming=True)
    assert isinstance(err.value, NotImplementedError)
    assert isinstance(err.value, TrustGraphError)


def test_surfaces_the_socket_does_not_carry_go_over_rest() -> None:
    assert choose_route(SOCKET, AUTH_OP, streaming=False) == "rest"
    assert choose_route(SOCKET, IAM_OP, streaming=False) == "socket"
    assert choose_route(REST, IAM_OP, streaming=False) == "rest"
    with pytest.raises(StreamingNotSupportedError):
        choose_route(SOCKET, AUTH_OP, streaming=True)


def test_body_gets_streaming_workspace_and_extra_fields() -> None:
    plan = plan_call(
        REST, FLOW_OP, {"question": "q"}, flow="f", extra_body={"new-field": 1, "question": "x"}
    )
    assert plan.body == {"question": "x", "workspace": "research", "new-field": 1}
    streamed = plan_call(SOCKET, FLOW_OP, {"question": "q"}, flow="f", streaming=True)
    assert streamed.body == {"question": "q", "streaming": True}


def test_workspace_only_where_the_spec_says_the_operation_is_addressed_to_one() -> None:
    assert "workspace" not in plan_call(REST, IAM_OP, {"user": "u"}).body
    assert plan_call(REST, FLOW_OP, {"workspace": "mine"}, flow="f").body["workspace"] == "mine"


def test_always_streaming_operations_carry_no_streaming_flag() -> None:
    assert "streaming" not in plan_call(SOCKET, ALWAYS, {}, streaming=True).body


def test_flow_services_need_a_flow_and_others_do_not() -> None:
    with pytest.raises(RequestValidationError, match="needs a flow id"):
        plan_call(REST, FLOW_OP, {}, flow="")
    assert plan_call(REST, IAM_OP, {}).flow is None


def test_unsupported_operations_are_refused_before_anything_else() -> None:
    op = Operation(service="x", name="y", surface="iam", rest_path="x", unsupported="no route")
    with pytest.raises(UnsupportedOperationError, match="no route"):
        plan_call(REST, op, {}, timeout=0)


def test_bad_path_values_are_request_validation_errors() -> None:
    with pytest.raises(RequestValidationError, match="plain name"):
        FLOW_OP.for_target("a/b")
    with pytest.raises(RequestValidationError, match="non-empty"):
        Operation(service="s", name="n", surface="http", rest_path="p/{id}").fill(id="")
    assert not isinstance(NotFoundError("x"), RequestValidationError)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/", "ws://127.0.0.1:9/"])
def test_timeout_zero_through_the_public_client_is_refused_not_replaced(url: str) -> None:
    from tgclient import Api

    with Api(url) as api, pytest.raises(RequestValidationError, match="got 0"):
        api.flow().list(timeout=0)  # nothing listens on port 9: sending would be a ConnectError
