"""Who must be kept out is kept out: tgclient against the stock iam-svc 2.11.1.

Every refusal (no token, a wrong key, a forged or expired JWT, a revoked key, a user reaching
another workspace, a non-admin calling an admin operation) must end in a typed ``AuthError``
or ``AccessDeniedError`` within the call's deadline, over REST and the socket, sync and
async, with nothing served; the bulk sockets (``?token=``) likewise. Logins work and the
token they return is then used; a client switches identity with ``set_token``. No credential
ever appears in a log record (DEBUG, every logger), a repr or an exception text.
"""

from __future__ import annotations

import logging
import time
import traceback
import uuid
from collections.abc import Callable
from typing import Any

import pytest

import tgclient
from tgclient import AccessDeniedError, Api, AsyncApi, AuthError
from tgclient_runtime import bulk
from tgclient_runtime.options import ClientOptions

from .iam_people import People, cast

TRANSPORTS = ["rest", "websocket"]
TIMEOUT = 15.0
SENTINEL_TYPE = "tgclient-auth-test"


@pytest.fixture(scope="session")
def people(iam_stack: Any) -> People:
    people = cast(iam_stack.url, iam_stack.admin_key, iam_stack.iam_key_file)
    with Api(people.url, token=people.admin_key, timeout=TIMEOUT) as admin:
        # Something a refused read would serve if it were let through.
        admin.config().put([{"type": SENTINEL_TYPE, "key": "k", "value": '"served"'}])
    return people


def _config_read(client: Any) -> Any:
    return client.config().get_values(SENTINEL_TYPE)


def _config_write(client: Any) -> Any:
    return client.config().put([{"type": SENTINEL_TYPE, "key": "intruder", "value": '"x"'}])


def _admin_op(client: Any) -> Any:
    return client.iam().list_users()


# name -> (token of People, workspace, call, expected error)
CASES: dict[str, tuple[Callable[[People], str | None], str | None, Callable[[Any], Any], type]] = {
    "no token": (lambda p: None, None, _config_read, AuthError),
    "wrong API key": (lambda p: p.wrong_key, None, _config_read, AuthError),
    "forged JWT": (lambda p: p.forged_jwt, None, _config_read, AuthError),
    "malformed token": (lambda p: "not-a-credential", None, _config_read, AuthError),
    "revoked API key": (lambda p: p.revoked_key, None, _config_read, AuthError),
    "expired JWT": (lambda p: p.expired_jwt, None, _config_read, AuthError),
    "another workspace (key)": (lambda p: p.ann_key, "default", _config_read, AccessDeniedError),
    "another workspace (JWT)": (lambda p: p.ann_jwt, "default", _config_read, AccessDeniedError),
    "another workspace write": (lambda p: p.ann_key, "default", _config_write, AccessDeniedError),
    "reader writing": (lambda p: p.rex_key, None, _config_write, AccessDeniedError),
    "non-admin admin op": (lambda p: p.rex_key, None, _admin_op, AccessDeniedError),
    "writer admin op": (lambda p: p.ann_jwt, None, _admin_op, AccessDeniedError),
}


def _check_refusal(people: People, exc: BaseException, elapsed: float) -> None:
    assert elapsed < TIMEOUT, f"refused after {elapsed:.1f} s, past the {TIMEOUT} s deadline"
    assert isinstance(exc, tgclient.TrustGraphError)
    text = f"{exc} {exc!r} {exc.body!r}"
    assert "served" not in text, f"a refused call carried data: {text}"
    with Api(people.url, token=people.admin_key, timeout=TIMEOUT) as admin:
        stored = admin.config().get_values(SENTINEL_TYPE)
    assert [v.key for v in stored] == ["k"], f"a refused write was stored: {stored}"


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("case", list(CASES))
def test_kept_out(people: People, case: str, transport: str) -> None:
    token, workspace, call, expected = CASES[case]
    with Api(
        people.url, token=token(people), workspace=workspace, timeout=TIMEOUT, transport=transport
    ) as client:
        began = time.monotonic()
        with pytest.raises(expected) as info:
            call(client)
        elapsed = time.monotonic() - began
    _check_refusal(people, info.value, elapsed)


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("case", list(CASES))
async def test_kept_out_async(people: People, case: str, transport: str) -> None:
    token, workspace, call, expected = CASES[case]
    async with AsyncApi(
        people.url, token=token(people), workspace=workspace, timeout=TIMEOUT, transport=transport
    ) as client:
        began = time.monotonic()
        with pytest.raises(expected) as info:
            await call(client)
        elapsed = time.monotonic() - began
    _check_refusal(people, info.value, elapsed)


# -- bulk sockets: the credential travels as ?token= ----------------------------------------

SOCKET_CASES = {
    "no token": lambda p: None,
    "wrong API key": lambda p: p.wrong_key,
    "forged JWT": lambda p: p.forged_jwt,
    "revoked API key": lambda p: p.revoked_key,
    "expired JWT": lambda p: p.expired_jwt,
}

TRIPLE = {
    "s": {"t": "i", "i": "http://example.org/s"},
    "p": {"t": "i", "i": "http://example.org/p"},
    "o": {"t": "l", "v": "never stored"},
}


def _frames() -> list[tuple[dict[str, Any], int]]:
    return [({"metadata": bulk.new_metadata(), "triples": [TRIPLE]}, 1)]


@pytest.mark.parametrize("case", list(SOCKET_CASES))
def test_bulk_sockets_refuse(people: People, case: str) -> None:
    options = ClientOptions.build(url=people.url, token=SOCKET_CASES[case](people), timeout=TIMEOUT)
    began = time.monotonic()
    with pytest.raises(AuthError, match="bulk import triples"):
        bulk.import_frames(options, "default", "triples", _frames())
    with pytest.raises(AuthError, match="bulk export triples"):
        bulk.open_export(options, "default", "triples", parse=dict)
    assert time.monotonic() - began < 2 * TIMEOUT


@pytest.mark.parametrize("case", list(SOCKET_CASES))
async def test_bulk_sockets_refuse_async(people: People, case: str) -> None:
    options = ClientOptions.build(url=people.url, token=SOCKET_CASES[case](people), timeout=TIMEOUT)
    began = time.monotonic()
    with pytest.raises(AuthError, match="bulk import triples"):
        await bulk.async_import_frames(options, "default", "triples", _frames())
    with pytest.raises(AuthError, match="bulk export triples"):
        await bulk.open_async_export(options, "default", "triples", parse=dict)
    assert time.monotonic() - began < 2 * TIMEOUT


def test_reader_cannot_bulk_import(people: People) -> None:
    """Through the public API: a reader may read the flow, but its import socket is refused."""
    subject = f"http://example.org/{uuid.uuid4().hex}"
    triple = {**TRIPLE, "s": {"t": "i", "i": subject}}
    with Api(people.url, token=people.rex_key, timeout=TIMEOUT) as reader:
        flow = reader.flow().id("default")
        with pytest.raises(AccessDeniedError, match="bulk import triples"):
            flow.import_triples([triple])
    with Api(people.url, token=people.admin_key, timeout=TIMEOUT) as admin:
        assert admin.flow().id("default").triples_query(s=triple["s"], limit=5) == []


async def test_reader_cannot_bulk_import_async(people: People) -> None:
    async with AsyncApi(people.url, token=people.rex_key, timeout=TIMEOUT) as reader:
        with pytest.raises(AccessDeniedError, match="bulk import triples"):
            await reader.flow().id("default").import_triples([TRIPLE])


# -- what a valid credential does --------------------------------------------------------------


def test_bootstrap_is_spent(people: People) -> None:
    with Api(people.url, timeout=TIMEOUT) as anonymous:
        assert anonymous.auth().bootstrap_status() is False
        again = anonymous.auth().bootstrap()
    assert again.bootstrap_admin_api_key is None


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_login_then_use_the_token(people: People, transport: str) -> None:
    with Api(people.url, timeout=TIMEOUT, transport=transport) as api:
        assert api.auth().login(people.ann_name, "wrong password") is None
        jwt = api.auth().login(people.ann_name, people.ann_password)
        assert jwt and jwt.count(".") == 2
        api.set_token(jwt)
        me = api.iam().whoami()
        assert me is not None and me.id == people.ann_id
        # Ann is a writer in her workspace, which her JWT names: a write there goes through.
        name = f"c-{uuid.uuid4().hex[:6]}"
        api.collection().update_collection(name, name=name)
        assert name in [c.collection for c in api.collection().list_collections()]


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_login_then_use_the_token_async(people: People, transport: str) -> None:
    async with AsyncApi(people.url, timeout=TIMEOUT, transport=transport) as api:
        assert await api.auth().login(people.ann_name, "wrong password") is None
        jwt = await api.auth().login(people.ann_name, people.ann_password)
        assert jwt
        await api.set_token(jwt)
        me = await api.iam().whoami()
        assert me is not None and me.id == people.ann_id


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_set_token_switches_identity(people: People, transport: str) -> None:
    """Rotation: the same client (an open socket re-authenticates) takes a new credential."""
    with Api(people.url, token=people.ann_key, timeout=TIMEOUT, transport=transport) as api:
        assert api.iam().whoami().id == people.ann_id  # type: ignore[union-attr]
        api.set_token(people.rex_key)
        assert api.iam().whoami().id == people.rex_id  # type: ignore[union-attr]
        api.set_token(people.ann_jwt)
        assert api.iam().whoami().id == people.ann_id  # type: ignore[union-attr]
        if transport == "websocket":
            # The socket re-authenticates at once; a refused token keeps the old identity.
            with pytest.raises(AuthError):
                api.set_token(people.wrong_key)
            assert api.iam().whoami().id == people.ann_id  # type: ignore[union-attr]
        else:
            api.set_token(people.wrong_key)
            with pytest.raises(AuthError):
                api.iam().whoami()


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_set_token_switches_identity_async(people: People, transport: str) -> None:
    async with AsyncApi(
        people.url, token=people.ann_key, timeout=TIMEOUT, transport=transport
    ) as api:
        assert (await api.iam().whoami()).id == people.ann_id  # type: ignore[union-attr]
        await api.set_token(people.rex_key)
        assert (await api.iam().whoami()).id == people.rex_id  # type: ignore[union-attr]


# -- no credential leaks -------------------------------------------------------------------------


def _texts_of(exc: BaseException) -> list[str]:
    """Everything an exception shows: str, repr, args, body, chained causes, the traceback."""
    out = ["".join(traceback.format_exception(exc))]
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        out += [str(current), repr(current), repr(current.args)]
        out.append(repr(getattr(current, "body", None)))
        current = current.__cause__ or current.__context__
    return out


async def test_no_credential_in_logs_reprs_or_errors(
    people: People, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "websockets", "tgclient", "tgclient_runtime"):
        caplog.set_level(logging.DEBUG, logger=name)
    texts: list[str] = []
    tokens = [people.admin_key, people.ann_key, people.ann_jwt, people.wrong_key,
              people.revoked_key, people.expired_jwt, people.forged_jwt]  # fmt: skip
    with Api(people.url, timeout=TIMEOUT) as anonymous:
        anonymous.auth().login(people.ann_name, people.ann_password)
    for token in tokens:
        for transport in TRANSPORTS:
            with Api(people.url, token=token, timeout=TIMEOUT, transport=transport) as api:
                texts += [repr(api), str(api), repr(api._session.options)]
                try:
                    texts.append(repr(api.iam().whoami()))
                    api.flow().id("default").text_completion("s", "hello")
                except tgclient.TrustGraphError as exc:
                    texts += _texts_of(exc)
            async with AsyncApi(
                people.url, token=token, timeout=TIMEOUT, transport=transport
            ) as aapi:
                texts.append(repr(aapi))
                try:
                    await aapi.iam().whoami()
                except tgclient.TrustGraphError as exc:
                    texts += _texts_of(exc)
        options = ClientOptions.build(url=people.url, token=token, timeout=TIMEOUT)
        for attempt in (
            lambda o=options: bulk.import_frames(o, "default", "triples", _frames()),
            lambda o=options: bulk.open_export(o, "default", "triples", parse=dict).close(),
        ):
            try:
                attempt()
            except tgclient.TrustGraphError as exc:
                texts += _texts_of(exc)
    texts += [r.getMessage() for r in caplog.records] + [caplog.text]
    assert len(caplog.records) > 10, "DEBUG capture recorded nothing: the test would prove nothing"
    haystack = "\n".join(texts)
    for secret in people.secrets():
        assert secret not in haystack, f"a credential leaked (…{secret[-6:]})"
