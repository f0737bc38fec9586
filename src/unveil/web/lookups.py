"""Page rows by key in SQLite: what the hottest pages read, fetched and decoded in a fraction of a millisecond.

DuckDB answers an indexed point lookup in 1-3 ms of CPU (planning the query, fetching each column from
compressed segments, converting nested lists to Python): on two cores shared by the server's workers,
that CPU is what 20 users queue for. So the snapshot build also writes, next to the DuckDB file, a
SQLite file ``snapshot-<hash>.lookups.sqlite`` (read-only afterwards, opened ``immutable``) holding:

- ``post_pages``: per post, the row a post page reads from ``web.post_details`` (its columns and
  its lists as ``list:<field>``), as compressed tagged JSON (``encode``/``decode`` keep datetimes and
  decimals);
- ``network_pages``: per network, its ``web.network_pages`` row without ``list_identifier_posts``, and
  that list apart (only the graph reads it);
- ``search_rows``: what a search result shows (``serving.RESULT_NAMES``) with the post's rank, keyed
  by ``key_kind``/``key``: ``identifier`` (lower-case value: every post), ``term`` (a word of
  ``web.terms``: its ``FIRST_PAGE`` newest posts) and ``city`` (lower-case city: its ``FIRST_PAGE``
  newest posts). The first page of a one-word or one-city search is one range read, and an
  identifier search one lookup per value.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from unveil.web.serving import DETAIL_LISTS, POST_PAGE_COLUMNS, RESULT_COLUMNS, RESULT_NAMES

FIRST_PAGE = 51
"""Rows of each word and city kept in ``search_rows``: a result page (50) and one more, for "next page"."""
BATCH = 5_000
SEARCH_COLUMNS = ("pos", "type", "value", *RESULT_NAMES)
"""Columns of ``search_rows`` after ``key_kind`` and ``key``."""
TAGS: dict[str, Callable[[str], Any]] = {
    "$datetime": datetime.fromisoformat,
    "$date": date.fromisoformat,
    "$time": time.fromisoformat,
    "$decimal": Decimal,
}
"""JSON objects of one of these keys stand for a value JSON has no type for."""


def lookups_path(snapshot: Path) -> Path:
    """The lookup file beside a snapshot file."""
    return snapshot.with_name(f"{snapshot.stem}.lookups.sqlite")


def _tag(value: Any) -> dict[str, str]:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    raise TypeError(f"cannot store a {type(value).__name__} in a page row")


def _untag(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        key, value = next(iter(obj.items()))
        convert = TAGS.get(key)
        if convert is not None and isinstance(value, str):
            return convert(value)
    return obj


def encode(value: Any) -> bytes:
    """Compressed JSON of a page row, datetimes, dates and decimals tagged so that ``decode`` gives them back.

    Compressed: a post page's JSON shrinks about four times (disk and page cache), and inflating it
    costs microseconds.
    """
    return zlib.compress(json.dumps(value, default=_tag, ensure_ascii=False, separators=(",", ":")).encode(), 1)


def decode(data: bytes) -> Any:
    """The value ``encode`` wrote."""
    return json.loads(zlib.decompress(data), object_hook=_untag)


def _batches(connection: duckdb.DuckDBPyConnection, sql: str) -> Iterable[tuple[list[str], list[tuple[Any, ...]]]]:
    result = connection.execute(sql)
    names = [column[0] for column in result.description or []]
    while batch := result.fetchmany(BATCH):
        yield names, batch


def _post_pages(connection: duckdb.DuckDBPyConnection, db: sqlite3.Connection, tables: set[str]) -> None:
    fields = [name for name, (table, _, _) in DETAIL_LISTS.items() if table in tables]
    columns = ", ".join(f'"{c}"' for c in POST_PAGE_COLUMNS) + "".join(f', list_{n} AS "list:{n}"' for n in fields)
    db.execute("CREATE TABLE post_pages (post_id TEXT NOT NULL, page BLOB NOT NULL)")
    for names, batch in _batches(connection, f"SELECT {columns} FROM web.post_details"):
        pages = [(row[0], encode(dict(zip(names, row, strict=True)))) for row in batch]
        db.executemany("INSERT INTO post_pages VALUES (?, ?)", pages)
    db.execute("CREATE UNIQUE INDEX post_pages_post_id ON post_pages (post_id)")


def _network_pages(connection: duckdb.DuckDBPyConnection, db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE network_pages (network_id TEXT NOT NULL, page BLOB NOT NULL, identifier_posts BLOB)")
    sql = "SELECT * EXCLUDE (list_identifier_posts), list_identifier_posts FROM web.network_pages"
    for names, batch in _batches(connection, sql):
        rows = []
        for row in batch:
            page = dict(zip(names[:-1], row[:-1], strict=True))
            rows.append((page["network_id"], encode(page), encode(row[-1])))
        db.executemany("INSERT INTO network_pages VALUES (?, ?, ?)", rows)
    db.execute("CREATE UNIQUE INDEX network_pages_network_id ON network_pages (network_id)")


def _search_rows(connection: duckdb.DuckDBPyConnection, db: sqlite3.Connection, tables: set[str]) -> None:
    db.execute(f"CREATE TABLE search_rows (key_kind TEXT NOT NULL, key TEXT, {', '.join(SEARCH_COLUMNS)})")
    first = f"QUALIFY row_number() OVER (PARTITION BY key ORDER BY p.pos) <= {FIRST_PAGE}"
    queries = [
        f"SELECT 'term' AS key_kind, t.term AS key, p.pos, NULL AS type, NULL AS value, {RESULT_COLUMNS} "
        f"FROM web.term_heads t JOIN web.posts p ON p.pos = t.pos {first}",
        f"SELECT 'city' AS key_kind, lower(p.best_city) AS key, p.pos, NULL AS type, NULL AS value, {RESULT_COLUMNS} "
        f"FROM web.posts p WHERE p.best_city IS NOT NULL {first}",
    ]
    if "extract.identifiers" in tables:
        names = ", ".join(f'"{name}"' for name in SEARCH_COLUMNS)
        queries.append(f"SELECT 'identifier' AS key_kind, value_lower AS key, {names} FROM web.identifier_posts")
    posted = 2 + SEARCH_COLUMNS.index("posted_at")
    marks = ", ".join("?" for _ in range(2 + len(SEARCH_COLUMNS)))
    for sql in queries:
        for _, batch in _batches(connection, f"SELECT * FROM ({sql}) ORDER BY key, pos"):
            rows = [
                (*row[:posted], row[posted].isoformat() if row[posted] is not None else None, *row[posted + 1 :])
                for row in batch
            ]
            db.executemany(f"INSERT INTO search_rows VALUES ({marks})", rows)
    db.execute("CREATE INDEX search_rows_key ON search_rows (key_kind, key, pos)")


def build_lookups(connection: duckdb.DuckDBPyConnection, path: Path, tables: set[str]) -> None:
    """Write the lookup file at ``path`` from a snapshot whose serving tables are built."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        with db:
            _post_pages(connection, db, tables)
            if "link.network_posts" in tables and "link.networks" in tables:
                _network_pages(connection, db)
            _search_rows(connection, db, tables)
    finally:
        db.close()


def open_lookups(path: Path) -> sqlite3.Connection:
    """A read-only connection to a lookup file (``immutable``: it never changes once written)."""
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    return connection


def search_row(names: Iterable[str], row: tuple[Any, ...]) -> dict[str, Any]:
    """A ``search_rows`` row as a search result's dictionary (``posted_at`` a datetime again)."""
    found = dict(zip(names, row, strict=True))
    if found.get("posted_at") is not None:
        found["posted_at"] = datetime.fromisoformat(found["posted_at"])
    return found
