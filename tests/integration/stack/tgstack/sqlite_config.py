"""SQLite stand-in for ``trustgraph.tables.config`` (the config service's Cassandra store).

Same class name, constructor arguments and 11 async methods as the 2.11.1 original. The
database file is ``$TGSTACK_CONFIG_DB`` (default ``:memory:``).
"""

import os
import sqlite3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS config (
    workspace TEXT NOT NULL, class TEXT NOT NULL, key TEXT NOT NULL, value TEXT,
    PRIMARY KEY (workspace, class, key)
);
CREATE TABLE IF NOT EXISTS version (id TEXT PRIMARY KEY, version INTEGER NOT NULL);
INSERT OR IGNORE INTO version (id, version) VALUES ('version', 0);
"""


class ConfigTableStore:
    """Config rows keyed by (workspace, class, key), plus one version counter."""

    def __init__(self, *args, **kwargs):
        self.db = sqlite3.connect(os.environ.get("TGSTACK_CONFIG_DB", ":memory:"))
        self.db.executescript(_SCHEMA)
        self.db.commit()

    def _rows(self, sql, params=()):
        return self.db.execute(sql, params).fetchall()

    def _write(self, sql, params=()):
        self.db.execute(sql, params)
        self.db.commit()

    async def inc_version(self):
        self._write("UPDATE version SET version = version + 1 WHERE id = 'version'")

    async def get_version(self):
        rows = self._rows("SELECT version FROM version WHERE id = 'version'")
        return rows[0][0] if rows else None

    async def put_config(self, workspace, cls, key, value):
        self._write(
            "INSERT OR REPLACE INTO config (workspace, class, key, value) VALUES (?, ?, ?, ?)",
            (workspace, cls, key, value),
        )

    async def get_value(self, workspace, cls, key):
        rows = self._rows(
            "SELECT value FROM config WHERE workspace = ? AND class = ? AND key = ?",
            (workspace, cls, key),
        )
        return rows[0][0] if rows else None

    async def get_values(self, workspace, cls):
        rows = self._rows(
            "SELECT key, value FROM config WHERE workspace = ? AND class = ? ORDER BY key",
            (workspace, cls),
        )
        return [[k, v] for k, v in rows]

    async def get_values_all_ws(self, cls):
        return self._rows(
            "SELECT workspace, key, value FROM config WHERE class = ? ORDER BY workspace, key",
            (cls,),
        )

    async def get_keys_all_ws(self, cls):
        return self._rows(
            "SELECT workspace, key FROM config WHERE class = ? ORDER BY workspace, key", (cls,)
        )

    async def get_all(self):
        return self._rows("SELECT workspace, class, key, value FROM config")

    async def get_all_for_workspace(self, workspace):
        return self._rows(
            "SELECT class, key, value FROM config WHERE workspace = ? ORDER BY class, key",
            (workspace,),
        )

    async def get_keys(self, workspace, cls):
        rows = self._rows(
            "SELECT key FROM config WHERE workspace = ? AND class = ? ORDER BY key",
            (workspace, cls),
        )
        return [r[0] for r in rows]

    async def delete_key(self, workspace, cls, key):
        self._write(
            "DELETE FROM config WHERE workspace = ? AND class = ? AND key = ?",
            (workspace, cls, key),
        )
