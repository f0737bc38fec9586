"""The cases' tables in the workspace database: cases, items, notes, members, label events, status history.

Every module of the cases area connects with ``db.connect(workspace, CASES)``.
"""

from __future__ import annotations

import sqlite3

from unveil.db import Schema

CASES = Schema(
    "cases",
    """
    CREATE TABLE IF NOT EXISTS cases (
        case_id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'review', 'closed', 'archived')),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS case_items (
        case_id TEXT NOT NULL REFERENCES cases (case_id),
        kind TEXT NOT NULL CHECK (kind IN ('post', 'network', 'identifier', 'party', 'alert', 'transfer')),
        ref TEXT NOT NULL,
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL,
        PRIMARY KEY (case_id, kind, ref)
    );
    CREATE TABLE IF NOT EXISTS case_notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id TEXT NOT NULL REFERENCES cases (case_id),
        at TEXT NOT NULL,
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        item_kind TEXT,
        item_ref TEXT
    );
    CREATE TABLE IF NOT EXISTS label_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        item_kind TEXT NOT NULL,
        item_ref TEXT NOT NULL,
        label TEXT NOT NULL
            CHECK (label IN ('true_positive', 'false_positive', 'not_relevant', 'unsure', 'cleared')),
        reason TEXT NOT NULL DEFAULT '',
        case_id TEXT REFERENCES cases (case_id),
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX IF NOT EXISTS label_events_item ON label_events (item_kind, item_ref, id);
    CREATE TABLE IF NOT EXISTS case_members (
        case_id TEXT NOT NULL REFERENCES cases (case_id),
        user_name TEXT NOT NULL,
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL,
        PRIMARY KEY (case_id, user_name)
    );
    CREATE INDEX IF NOT EXISTS case_members_user ON case_members (user_name);
    CREATE TABLE IF NOT EXISTS case_status_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id TEXT NOT NULL REFERENCES cases (case_id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        old_status TEXT,
        new_status TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT ''
    );
    """,
    migrate=lambda connection: _labels_as_events(connection),
)

# The current label of an item in a case: the latest of its label events, unless that one cleared it.
CASE_LABELS_VIEW = """
CREATE VIEW case_labels AS
SELECT case_id, item_kind, item_ref, label, reason, at, actor AS author FROM (
    SELECT *, row_number() OVER (PARTITION BY case_id, item_kind, item_ref ORDER BY id DESC) AS latest
    FROM label_events WHERE case_id IS NOT NULL
) WHERE latest = 1 AND label != 'cleared'
"""


def _labels_as_events(connection: sqlite3.Connection) -> None:
    """Turn an older workspace's ``case_labels`` table (one label per item) into label events.

    Each old row becomes the first event of its item (oldest first), then the table is replaced by
    the ``case_labels`` view over the events. Runs once: afterwards ``case_labels`` is a view.
    """

    def kind() -> str | None:
        row = connection.execute("SELECT type FROM sqlite_master WHERE name = 'case_labels'").fetchone()
        return None if row is None else str(row[0])

    if kind() == "view":
        return
    connection.execute("BEGIN IMMEDIATE")  # another process may be migrating the same file
    try:
        found = kind()
        if found == "table":
            connection.execute(
                "INSERT INTO label_events (at, actor, item_kind, item_ref, label, reason, case_id) "
                "SELECT at, author, item_kind, item_ref, label, reason, case_id FROM case_labels "
                "ORDER BY at, case_id, item_kind, item_ref"
            )
            connection.execute("DROP TABLE case_labels")
        if found != "view":
            connection.execute(CASE_LABELS_VIEW)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
