"""The workspace's SQLite database: the core tables (users, their sessions, audit log) and ``connect``.

Each area that keeps state here declares its tables as a ``Schema`` in its own package (cases:
``unveil.cases.schema``; saved searches: ``unveil.web.schema``) and passes it to
``connect``, which creates what is missing, so an older workspace gains new tables when it is opened.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class HasDatabase(Protocol):
    """What ``connect`` needs of a workspace (the database knows nothing else of it)."""

    @property
    def database(self) -> Path: ...


@dataclass(frozen=True)
class Schema:
    """Tables of one area, as idempotent DDL."""

    name: str
    ddl: str
    migrate: Callable[[sqlite3.Connection], None] | None = None


CORE = Schema(
    "core",
    """
    CREATE TABLE IF NOT EXISTS users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('admin', 'investigator', 'analyst', 'magistrate')),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE IF NOT EXISTS web_sessions (
        token_hash TEXT PRIMARY KEY,
        user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        object_kind TEXT NOT NULL,
        object_id TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX IF NOT EXISTS audit_log_actor ON audit_log (actor, at);
    CREATE INDEX IF NOT EXISTS audit_log_object ON audit_log (object_kind, object_id);
    """,
)


def connect(workspace: HasDatabase, *schemas: Schema) -> sqlite3.Connection:
    """Open the workspace database with sensible pragmas, creating the core tables and those of ``schemas``.

    An area that keeps state here declares its ``Schema`` in its own package and passes it when it
    connects (``db.connect(workspace, CASES)``); what is missing is created, and a schema's
    ``migrate`` brings an older workspace's tables up to date.
    """
    connection = sqlite3.connect(workspace.database, timeout=30, check_same_thread=False)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA foreign_keys=ON")
    for schema in (CORE, *schemas):
        connection.executescript(schema.ddl)
        if schema.migrate is not None:
            schema.migrate(connection)
    return connection
