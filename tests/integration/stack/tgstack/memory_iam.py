"""In-memory stand-in for ``trustgraph.tables.iam`` (the IAM service's Cassandra tables).

Same class name, constructor arguments, async methods and row shapes as 2.11.1's
``IamTableStore``: each read returns tuples in the column order of the real SELECT
statements, ``roles`` as a set (None when empty, as Cassandra returns an empty set), and
timestamps as naive UTC datetimes, as the Cassandra driver does.

Test window: when ``$TGSTACK_IAM_KEY_FILE`` names a file, every signing key put into the
table is also written there (``{"kid", "private_pem"}``, mode 0600), so a test can sign a
JWT with the service's real key, for example one that has already expired.
"""

import json
import os
from datetime import UTC


def _naive_utc(value):
    """A timestamp as the Cassandra driver returns it: naive, in UTC (None stays None)."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


class IamTableStore:
    """Workspaces, users (with the username lookup), API keys and signing keys."""

    def __init__(self, *args, **kwargs):
        self.workspaces = {}  # id -> [id, name, enabled, created]
        self.users = {}  # id -> [id, workspace, username, name, email, hash, roles, ...]
        self.usernames = {}  # username -> user id
        self.api_keys = {}  # key_hash -> [key_hash, id, user_id, name, prefix, expires, ...]
        self.signing_keys = {}  # kid -> [kid, private_pem, public_pem, created, retired]

    # -- workspaces ---------------------------------------------------------------------

    async def put_workspace(self, id, name, enabled, created):
        self.workspaces[id] = [id, name, enabled, _naive_utc(created)]

    async def get_workspace(self, id):
        row = self.workspaces.get(id)
        return tuple(row) if row else None

    async def list_workspaces(self):
        return [tuple(r) for r in self.workspaces.values()]

    async def update_workspace(self, id, name, enabled):
        row = self.workspaces.setdefault(id, [id, None, None, None])
        row[1], row[2] = name, enabled

    async def any_workspace_exists(self):
        return bool(self.workspaces)

    # -- users --------------------------------------------------------------------------

    async def put_user(
        self, id, workspace, username, name, email, password_hash,
        roles, enabled, must_change_password, created,
    ):  # fmt: skip
        self.users[id] = [
            id, workspace, username, name, email, password_hash,
            set(roles) if roles else None, enabled, must_change_password, _naive_utc(created),
        ]  # fmt: skip
        self.usernames[username] = id

    async def get_user(self, id):
        row = self.users.get(id)
        return _user_row(row) if row else None

    async def get_user_id_by_username(self, username):
        return self.usernames.get(username)

    async def list_users_by_workspace(self, workspace):
        return [_user_row(r) for r in self.users.values() if r[1] == workspace]

    async def list_users(self):
        return [_user_row(r) for r in self.users.values()]

    async def delete_user(self, id):
        self.users.pop(id, None)

    async def delete_username_lookup(self, username):
        self.usernames.pop(username, None)

    async def update_user_profile(self, id, name, email, roles, enabled, must_change_password):
        row = self._user(id)
        row[3], row[4], row[6] = name, email, set(roles) if roles else None
        row[7], row[8] = enabled, must_change_password

    async def update_user_password(self, id, password_hash, must_change_password):
        row = self._user(id)
        row[5], row[8] = password_hash, must_change_password

    async def update_user_enabled(self, id, enabled):
        self._user(id)[7] = enabled

    def _user(self, id):
        # A Cassandra UPDATE of a missing row creates it with only the key set.
        return self.users.setdefault(id, [id, *[None] * 9])

    # -- API keys -----------------------------------------------------------------------

    async def put_api_key(self, key_hash, id, user_id, name, prefix, expires, created, last_used):
        self.api_keys[key_hash] = [
            key_hash, id, user_id, name, prefix,
            _naive_utc(expires), _naive_utc(created), _naive_utc(last_used),
        ]  # fmt: skip

    async def get_api_key_by_hash(self, key_hash):
        row = self.api_keys.get(key_hash)
        return tuple(row) if row else None

    async def get_api_key_by_id(self, id):
        return next((tuple(r) for r in self.api_keys.values() if r[1] == id), None)

    async def list_api_keys_by_user(self, user_id):
        return [tuple(r) for r in self.api_keys.values() if r[2] == user_id]

    async def delete_api_key(self, key_hash):
        self.api_keys.pop(key_hash, None)

    # -- signing keys -------------------------------------------------------------------

    async def put_signing_key(self, kid, private_pem, public_pem, created, retired):
        self.signing_keys[kid] = [kid, private_pem, public_pem, _naive_utc(created), retired]
        _escrow(kid, private_pem)

    async def list_signing_keys(self):
        return [tuple(r) for r in self.signing_keys.values()]

    async def retire_signing_key(self, kid, retired):
        row = self.signing_keys.setdefault(kid, [kid, None, None, None, None])
        row[4] = _naive_utc(retired)

    async def any_signing_key_exists(self):
        return bool(self.signing_keys)


def _user_row(row):
    out = list(row)
    out[6] = set(out[6]) if out[6] else None
    return tuple(out)


def _escrow(kid, private_pem):
    path = os.environ.get("TGSTACK_IAM_KEY_FILE")
    if not path:
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump({"kid": kid, "private_pem": private_pem}, out)
