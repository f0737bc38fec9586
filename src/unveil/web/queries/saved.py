"""Saved searches, kept per user in unveil.db, with what is new since the last visit.

"New" means ingested after the last visit: each post knows when its part file was written
(``web.posts.ingested_at``). Counts are made by the pipeline, not by the pages: after every run that
changed the tables, ``count_all`` (called by ``unveil run`` and ``unveil demo`` through
``unveil.web.commands.count_saved_searches``) counts every user's saved searches on the new tables
and keeps the counts in ``saved_search_counts``; the saved searches page and the dashboard only read
them (``with_new_counts``). A visit sets a search's count to 0 until the next run counts it again.
Each search is described in words (``in_words``), not as its query string.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qsl

from unveil.errors import NotFound, UnveilError, UsageError
from unveil.web.facets import count_ingested_after
from unveil.web.privacy import PrivacyView
from unveil.web.queries.search import SearchFilters, analyst_query, normalise_identifier
from unveil.web.readmodel import ReadModel, fingerprint, table_parts

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
    """Mark the search as seen now: nothing is new since (its stored count is forgotten)."""
    with db:
        db.execute("UPDATE saved_searches SET last_visit_at = ? WHERE id = ?", (_now(), saved.id))
        db.execute("DELETE FROM saved_search_counts WHERE search_id = ?", (saved.id,))


def count_new(
    tables: ReadModel, filters: SearchFilters, since: str, region: str, privacy: PrivacyView | None = None
) -> int:
    """Posts matching the search that were ingested after ``since`` (an analyst's: on what they may see)."""
    if not tables.has("publish.posts"):
        return 0
    hide = privacy is not None and privacy.masked
    if privacy is not None and hide:
        filters, pairs = analyst_query(tables, filters, region, privacy)
    else:
        pairs = normalise_identifier(filters.identifier, region)
    return count_ingested_after(tables, filters, pairs, hide, datetime.fromisoformat(since).timestamp())


def data_state(tables: ReadModel) -> str:
    """The state of the tables the counts were made on (a digest of every part file's name, size and time)."""

    def digest() -> str:
        parts = fingerprint(table_parts(tables.workspace))
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]

    return tables.cached("saved_searches:data_state", digest)


def count_all(
    tables: ReadModel,
    db: sqlite3.Connection,
    to_filters: Callable[[str], SearchFilters],
    region: str,
    privacy_of: Callable[[str], PrivacyView | None],
) -> int:
    """Count every saved search's new posts on the current tables and keep the counts; how many searches.

    ``privacy_of(owner)``: how the search's owner sees identifiers (an analyst's search counts only
    what they may see), None for an owner who no longer exists (their searches are not counted).
    A search that can no longer run keeps its ``error`` and no count.
    """
    searches = [SavedSearch(**dict(row)) for row in db.execute("SELECT * FROM saved_searches ORDER BY id").fetchall()]
    if not searches:
        return 0
    state = data_state(tables)
    counted = []
    for saved in searches:
        privacy = privacy_of(saved.owner)
        if privacy is None:
            continue
        try:
            new, error = count_new(tables, to_filters(saved.query), saved.last_visit_at, region, privacy), ""
        except UnveilError as problem:
            new, error = None, str(problem)
        counted.append((saved.id, state, saved.last_visit_at, new, error, _now()))
    with db:
        db.executemany("INSERT OR REPLACE INTO saved_search_counts VALUES (?, ?, ?, ?, ?, ?)", counted)
    return len(counted)


def with_new_counts(
    searches: list[SavedSearch], to_filters: Callable[[str], SearchFilters], db: sqlite3.Connection
) -> list[dict[str, Any]]:
    """Each saved search with how many matching posts arrived since the last visit (as the last pipeline
    run counted them: ``count_all``), and its criteria in words.

    Only kept counts are read: a search visited (or saved) since the last count has 0 new posts, as
    nothing is ingested without a run that counts. A search that can no longer run (a bad date, a
    refused identifier) is listed with its ``error`` and no count: one bad search never breaks the list.
    """
    stored: dict[int, sqlite3.Row] = {}
    if searches:
        marks = ", ".join("?" for _ in searches)
        rows = db.execute(
            f"SELECT * FROM saved_search_counts WHERE search_id IN ({marks})", [s.id for s in searches]
        ).fetchall()
        stored = {int(row["search_id"]): row for row in rows}
    listed = []
    for saved in searches:
        words = ""
        try:
            words = in_words(to_filters(saved.query))
        except UnveilError as problem:
            listed.append({**saved.__dict__, "new": None, "error": str(problem), "words": words})
            continue
        row = stored.get(saved.id)
        kept = row is not None and row["since"] == saved.last_visit_at
        new, error = (row["new_posts"], row["error"]) if row is not None and kept else (0, "")
        listed.append({**saved.__dict__, "new": new, "error": error, "words": words})
    return listed


SORT_WORDS = {"newest": "newest first", "risk": "riskiest first"}


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def in_words(filters: SearchFilters) -> str:
    """A search's criteria as a sentence ("Posts with the words “lina” in Ghent, in language fr, ...")."""
    parts = []
    if filters.q:
        parts.append(f"with the words “{filters.q}”")
    if filters.identifier:
        parts.append(f"holding the identifier {filters.identifier}")
    if filters.city:
        parts.append(f"in {filters.city}")
    if filters.language:
        parts.append(f"in language {filters.language}")
    if filters.indicator:
        parts.append(f"flagged {filters.indicator}")
    if filters.risk_min is not None:
        parts.append(f"with a risk of at least {filters.risk_min:.2f}")
    if filters.network:
        parts.append(f"in network {filters.network}")
    if filters.site:
        parts.append(f"on {filters.site}")
    if filters.template:
        parts.append(f"of template {filters.template}")
    if filters.month:
        parts.append(f"posted in {date.fromisoformat(filters.month + '-01'):%B %Y}")
    if filters.date_from and filters.date_to:
        parts.append(f"posted from {_day(filters.date_from)} to {_day(filters.date_to)}")
    elif filters.date_from:
        parts.append(f"posted from {_day(filters.date_from)}")
    elif filters.date_to:
        parts.append(f"posted until {_day(filters.date_to)}")
    sentence = "Posts " + ", ".join(parts) if parts else "Every post"
    return f"{sentence}; {SORT_WORDS.get(filters.sort, filters.sort)}."
