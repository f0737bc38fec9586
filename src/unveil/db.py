"""The workspace's SQLite database: users, audit log, cases, notes, labels, saved searches.

Each area that keeps state here declares its tables as a ``Schema`` in ``SCHEMAS`` below; ``connect``
creates what is missing, so an older workspace gains new tables when it is opened.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from unveil.workspace import Workspace


@dataclass(frozen=True)
class Schema:
    """Tables of one area, as idempotent DDL."""

    name: str
    ddl: str


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

SCHEMAS: list[Schema] = [CORE]


def connect(workspace: Workspace) -> sqlite3.Connection:
    """Open the workspace database (creating missing tables) with sensible pragmas."""
    connection = sqlite3.connect(workspace.database, timeout=30, check_same_thread=False)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA foreign_keys=ON")
    for schema in SCHEMAS:
        connection.executescript(schema.ddl)
    return connection
