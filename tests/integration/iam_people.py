"""The cast of the IAM tests, created through tgclient's own ``api.iam()`` / ``api.auth()``.

On a stack running the stock iam-svc (``Stack(iam=True)``), bootstrapped by the launcher:

- ``admin``: the bootstrapped admin (role ``admin``, every workspace), by API key;
- ``ann``: role ``writer`` in a second workspace only, with an API key and a JWT from login;
- ``rex``: role ``reader`` in workspace ``default``, with an API key;
- a revoked key (created for rex and revoked before any use, so no gateway cache knows it),
  an expired JWT (signed with the service's real key, ``exp`` in the past) and a JWT with a
  forged signature.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from tgclient import Api


@dataclass
class People:
    url: str
    admin_key: str
    workspace: str  # ann's home workspace (not "default")
    ann_name: str
    ann_password: str
    ann_id: str
    ann_key: str
    ann_jwt: str
    rex_id: str
    rex_key: str
    revoked_key: str
    expired_jwt: str
    forged_jwt: str
    wrong_key: str = field(default_factory=lambda: "tg_" + secrets.token_urlsafe(24))

    def secrets(self) -> list[str]:
        """Every credential the tests use: none may ever show up in logs or texts."""
        return [
            self.admin_key, self.ann_password, self.ann_key, self.ann_jwt, self.rex_key,
            self.revoked_key, self.expired_jwt, self.forged_jwt, self.wrong_key,
        ]  # fmt: skip


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign_jwt(key_file: Path, claims: dict[str, object]) -> str:
    """An EdDSA JWT signed with the IAM service's own current key (the stack's test window)."""
    escrow = json.loads(key_file.read_text())
    key = serialization.load_pem_private_key(escrow["private_pem"].encode(), password=None)
    header = {"alg": "EdDSA", "typ": "JWT", "kid": escrow["kid"]}
    signing_input = ".".join(
        _b64url(json.dumps(part, separators=(",", ":"), sort_keys=True).encode())
        for part in (header, claims)
    )
    signature = key.sign(signing_input.encode("ascii"))  # type: ignore[union-attr,call-arg]
    return f"{signing_input}.{_b64url(signature)}"


def _forge(jwt: str) -> str:
    """The same header and claims with a signature that is not the service's."""
    head, body, _ = jwt.split(".")
    return f"{head}.{body}.{_b64url(secrets.token_bytes(64))}"


def cast(url: str, admin_key: str, key_file: Path) -> People:
    """Create the workspace, users and keys through tgclient, as an admin would."""
    tag = uuid.uuid4().hex[:6]
    workspace, ann_name, password = f"team-{tag}", f"ann-{tag}", f"Pw-{secrets.token_hex(8)}"
    with Api(url, token=admin_key, timeout=30) as admin:
        iam = admin.iam()
        assert iam.create_workspace({"id": workspace, "name": "Ann's team"}) is not None
        ann = iam.create_user(
            workspace, {"username": ann_name, "password": password, "roles": ["writer"]}
        )
        rex = iam.create_user(
            "default",
            {"username": f"rex-{tag}", "password": secrets.token_hex(8), "roles": ["reader"]},
        )
        assert ann is not None and rex is not None
        ann_key = iam.create_api_key({"user_id": ann.id, "name": "ann's key"})
        rex_key = iam.create_api_key({"user_id": rex.id, "name": "rex's key"})
        revoked = iam.create_api_key({"user_id": rex.id, "name": "to revoke"})
        assert ann_key and rex_key and revoked
        [record] = [k for k in iam.list_api_keys(rex.id) if k.name == "to revoke"]
        iam.revoke_api_key(record.id)
        assert all(k.name != "to revoke" for k in iam.list_api_keys(rex.id))
    with Api(url, timeout=30) as anonymous:
        ann_jwt = anonymous.auth().login(ann_name, password)
    assert ann_jwt, "login with the right password must return a JWT"
    now = int(time.time())
    expired = sign_jwt(
        key_file,
        {"iss": "trustgraph-iam", "sub": rex.id, "default_workspace": "default",
         "iat": now - 7200, "exp": now - 3600},
    )  # fmt: skip
    return People(
        url=url, admin_key=admin_key, workspace=workspace, ann_name=ann_name,
        ann_password=password, ann_id=ann.id, ann_key=ann_key, ann_jwt=ann_jwt,
        rex_id=rex.id, rex_key=rex_key, revoked_key=revoked, expired_jwt=expired,
        forged_jwt=_forge(ann_jwt),
    )  # fmt: skip
