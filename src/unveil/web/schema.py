"""The web app's tables in the workspace database: sessions and saved searches (created when the app starts)."""

from __future__ import annotations

from unveil.db import Schema

WEB = Schema(
    "web",
    """
    CREATE TABLE IF NOT EXISTS web_sessions (
        token_hash TEXT PRIMARY KEY,
        user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
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
