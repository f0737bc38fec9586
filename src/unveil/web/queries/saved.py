"""Saved searches, kept per user in unveil.db, with what is new since the last visit.

"New" means ingested after the last visit: each post knows when its part file was written
(``web.posts.ingested_at``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from unveil.errors import NotFound, UnveilError, UsageError
from unveil.web.privacy import PrivacyView
from unveil.web.queries.search import SearchFilters, analyst_query, conditions, normalise_identifier
from unveil.web.readmodel import ReadModel

FIELDS = (
    "q", "identifier", "date_from", "date_to", "city", "language", "indicator", "risk_min", "network", "site", "month",
    "template", "sort",
)  # fmt: skip


@dataclass(frozen=True)
class SavedSearch:
    """A search a user keeps."""

    id: int
    owner: str
    name: str
    query: str
    created_at: str
    last_visit_at: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def clean_query(query: str) -> str:
    """Keep only known search parameters (the saved query is replayed as a URL)."""
    from urllib.parse import urlencode

    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=False) if k in FIELDS]
    if not kept:
        raise UsageError("a saved search needs at least one criterion")
    return urlencode(kept)


def save(db: sqlite3.Connection, owner: str, name: str, query: str) -> SavedSearch:
    """Keep a search; its first visit is now."""
    name = name.strip()[:100]
    if not name:
        raise UsageError("give the saved search a name")
    now = _now()
    with db:
        cursor = db.execute(
            "INSERT INTO saved_searches (owner, name, query, created_at, last_visit_at) VALUES (?, ?, ?, ?, ?)",
            (owner, name, clean_query(query), now, now),
        )
    return get(db, owner, int(cursor.lastrowid or 0))


def get(db: sqlite3.Connection, owner: str, search_id: int) -> SavedSearch:
    """One of the user's saved searches."""
    row = db.execute("SELECT * FROM saved_searches WHERE id = ? AND owner = ?", (search_id, owner)).fetchone()
    if row is None:
        raise NotFound("saved search", str(search_id))
    return SavedSearch(**dict(row))


def list_saved(db: sqlite3.Connection, owner: str) -> list[SavedSearch]:
    """The user's saved searches, by name."""
    rows = db.execute("SELECT * FROM saved_searches WHERE owner = ? ORDER BY name, id", (owner,)).fetchall()
    return [SavedSearch(**dict(row)) for row in rows]


def delete(db: sqlite3.Connection, owner: str, search_id: int) -> None:
    """Forget a saved search."""
    with db:
        if db.execute("DELETE FROM saved_searches WHERE id = ? AND owner = ?", (search_id, owner)).rowcount == 0:
            raise NotFound("saved search", str(search_id))


def visit(db: sqlite3.Connection, saved: SavedSearch) -> None:
    """Mark the search as seen now."""
    with db:
        db.execute("UPDATE saved_searches SET last_visit_at = ? WHERE id = ?", (_now(), saved.id))


def count_new(
    tables: ReadModel, filters: SearchFilters, since: str, region: str, privacy: PrivacyView | None = None
) -> int:
    """Posts matching the search that were ingested after ``since`` (an analyst's: on what they may see)."""
    if not tables.has("ingest.posts"):
        return 0
    hide = privacy is not None and privacy.masked
    if privacy is not None and hide:
        filters, pairs = analyst_query(tables, filters, region, privacy)
    else:
        pairs = normalise_identifier(filters.identifier, region)
    where, params, _ = conditions(tables, filters, pairs, hide)
    where.append("p.ingested_at > ?::TIMESTAMPTZ")
    params.append(since)
    value = tables.value(f"SELECT count(*) FROM web.posts p WHERE {' AND '.join(where)}", params)
    return int(value or 0)


def with_new_counts(
    tables: ReadModel, searches: list[SavedSearch], to_filters: Any, region: str, privacy: PrivacyView | None = None
) -> list[dict[str, Any]]:
    """Each saved search with how many matching posts arrived since the last visit.

    A search that can no longer run (a bad date, a refused identifier) is listed with its
    ``error`` and no count: one bad search never breaks the list.
    """
    listed = []
    for saved in searches:
        try:
            new: int | None = count_new(tables, to_filters(saved.query), saved.last_visit_at, region, privacy)
            error = ""
        except UnveilError as problem:
            new, error = None, str(problem)
        listed.append({**saved.__dict__, "new": new, "error": error})
    return listed
