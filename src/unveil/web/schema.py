"""The web app's own tables in the workspace database: saved searches and their counts of new posts
(``saved_search_counts``: counted once per state of the tables, see ``queries/saved.py``), created when the app starts.

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
    CREATE TABLE IF NOT EXISTS saved_search_counts (
        search_id INTEGER PRIMARY KEY REFERENCES saved_searches (id) ON DELETE CASCADE,
        data_state TEXT NOT NULL,
        since TEXT NOT NULL,
        new_posts INTEGER,
        error TEXT NOT NULL DEFAULT '',
        counted_at TEXT NOT NULL
    );
    """,
)
