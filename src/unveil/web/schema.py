"""The web app's own tables in the workspace database: saved searches (created when the app starts).

Sessions belong with the accounts, in the core tables (``unveil.db``): the user commands end them.
"""

from __future__ import annotations

from unveil.db import Schema

WEB = Schema(
    "web",
    """
    CREATE TABLE IF NOT EXISTS saved_searches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        owner TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
        name TEXT NOT NULL,
        query TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_visit_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS saved_searches_owner ON saved_searches (owner);
    """,
)
