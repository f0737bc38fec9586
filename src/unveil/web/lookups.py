"""Page rows by key in SQLite: what the hottest pages read, fetched and decoded in a fraction of a millisecond.

DuckDB answers an indexed point lookup in 1-3 ms of CPU (planning the query, fetching each column from
compressed segments, converting nested lists to Python): on two cores shared by the server's workers,
that CPU is what 20 users queue for. So the snapshot build also writes, next to the DuckDB file, a
SQLite file ``snapshot-<hash>.lookups.sqlite`` (read-only afterwards, opened ``immutable``), copied
from the ``publish`` stage's page tables, holding:

- ``post_pages``: per post, its row of ``publish.post_pages`` (its columns and its lists as
  ``list:<field>``) as JSON written by DuckDB (``to_json``, in C++ on every core: a third of the
  CPU the same rows took through Python objects), stored as text (compressing it took more than half
  of the file's build and saved a few hundred microseconds of reading); ``time_keys`` names the fields that
  ``decode`` turns back into datetimes and dates;
- ``network_pages``: per network, its ``publish.network_pages`` row without ``list_graphs``, and that
  list apart (``extra``: only the graph reads it);
- ``search_rows``: ``publish.search_rows`` (what a search result shows, keyed by ``key_kind``/``key``:
  ``identifier``, ``term`` and ``city``). The first page of a one-word or one-city search is one
  range read, an identifier search one lookup per value, and the identifier page's co-occurring
  identifiers are counted from its rows' ``others``;
- ``identifier_transfers`` (when ``money.transfers`` is committed): per transfer, side and party column
  (``TRANSFER_PARTIES``) holding a value, what the identifier page shows of the transfer, keyed by
  (``party``, ``value``); ``identifier_parties`` (when ``money.party_matches`` is): the parties matched
  to an identifier value (a few rows among tens of millions of post matches). Each was two or three
  DuckDB index lookups per identifier page, about 2 ms of CPU each.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from unveil.publish.stage import DETAIL_LISTS, POST_PAGE_COLUMNS, SEARCH_ROW_COLUMNS

BATCH = 5_000
TRANSFER_PARTIES = ("phone", "email", "account", "wallet")
"""Columns of each side of ``money.transfers`` that the identifier page looks an identifier up in."""
TRANSFER_SHOWN = (
    "transfer_id, executed_at, channel, amount, currency, {amount} AS amount_eur, sender_name, sender_city, "
    "sender_country, receiver_name, receiver_city, receiver_country"
)
"""What the identifier page shows of a transfer (``{amount}``: ``amount_eur``, or ``amount`` without it)."""
NESTED_TIME = re.compile(r'"?(\w+)"? (TIMESTAMP|DATE)\b')
"""A struct field of a time type in a DuckDB type name (``STRUCT(posted_at TIMESTAMP WITH TIME ZONE, ...)``)."""


@dataclass(frozen=True)
class TimeKeys:
    """Names of the fields of a page table that hold timestamps or dates (JSON writes them as text)."""

    datetimes: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()


def lookups_path(snapshot: Path) -> Path:
    """The lookup file beside a snapshot file."""
    return snapshot.with_name(f"{snapshot.stem}.lookups.sqlite")


def decode(data: str, times: TimeKeys) -> Any:
    """A page row written by DuckDB's ``to_json``, with its timestamps and dates as such again."""

    def restore(obj: dict[str, Any]) -> dict[str, Any]:
        for key in times.datetimes.intersection(obj):
            obj[key] = _time(obj[key], datetime.fromisoformat)
        for key in times.dates.intersection(obj):
            obj[key] = _time(obj[key], date.fromisoformat)
        return obj

    return json.loads(data, object_hook=restore)


def _time(value: Any, parse: Callable[[str], Any]) -> Any:
    """A time written as text, parsed; anything else (null, or a text field of the same name elsewhere) as is."""
    if not isinstance(value, str):
        return value
    try:
        return parse(value)
    except ValueError:
        return value


def _time_keys(described: list[tuple[Any, ...]]) -> list[tuple[str, str]]:
    """(field, ``datetime`` or ``date``) of every column or nested struct field of a time type in a query.

    ``described``: the query's ``DESCRIBE`` rows (name, type, ...).
    """
    found = set()
    for name, kind, *_ in described:
        if kind.startswith(("TIMESTAMP", "DATE")):
            found.add((name, kind))
        found.update(NESTED_TIME.findall(kind))
    return sorted((name, "datetime" if kind.startswith("TIMESTAMP") else "date") for name, kind in found)


def _pages(connection: duckdb.DuckDBPyConnection, db: sqlite3.Connection, table: str, key: str, sql: str) -> None:
    """Table ``table`` of the lookup file: per row of ``sql``, its ``key`` and its JSON (by DuckDB).

    Every column of ``sql`` but the last goes into ``page``; the last, also JSON, into ``extra``.
    """
    db.execute(f"CREATE TABLE {table} ({key} TEXT NOT NULL, page TEXT NOT NULL, extra TEXT)")
    described = connection.execute(f"DESCRIBE {sql}").fetchall()
    db.executemany("INSERT INTO time_keys VALUES (?, ?, ?)", [(table, *item) for item in _time_keys(described)])
    columns = [row[0] for row in described]
    fields = ", ".join(f"'{c}': \"{c}\"" for c in columns[:-1])
    result = connection.execute(f'SELECT "{key}", to_json({{{fields}}}), to_json("{columns[-1]}") FROM ({sql})')
    while batch := result.fetchmany(BATCH):
        db.executemany(f"INSERT INTO {table} VALUES (?, ?, ?)", batch)
    db.execute(f"CREATE UNIQUE INDEX {table}_{key} ON {table} ({key})")


def _post_pages(connection: duckdb.DuckDBPyConnection, db: sqlite3.Connection) -> None:
    columns = ", ".join(f'"{c}"' for c in POST_PAGE_COLUMNS) + "".join(
        f', list_{n} AS "list:{n}"' for n in DETAIL_LISTS
    )
    _pages(connection, db, "post_pages", "post_id", f"SELECT {columns}, NULL AS nothing FROM publish.post_pages")


def _network_pages(connection: duckdb.DuckDBPyConnection, db: sqlite3.Connection) -> None:
    sql = "SELECT * EXCLUDE (list_graphs), list_graphs FROM publish.network_pages"
    _pages(connection, db, "network_pages", "network_id", sql)


def _search_rows(connection: duckdb.DuckDBPyConnection, db: sqlite3.Connection) -> None:
    db.execute(f"CREATE TABLE search_rows (key_kind TEXT NOT NULL, key TEXT, {', '.join(SEARCH_ROW_COLUMNS)})")
    marks = ", ".join("?" for _ in range(2 + len(SEARCH_ROW_COLUMNS)))
    columns = ("key_kind", "key", *SEARCH_ROW_COLUMNS)
    names = ", ".join("posted_at::VARCHAR" if name == "posted_at" else f'"{name}"' for name in columns)
    # posted_at as text (ISO, UTC): SQLite has no time type, and search_row reads it back
    result = connection.execute(f"SELECT {names} FROM publish.search_rows")
    while batch := result.fetchmany(BATCH):
        db.executemany(f"INSERT INTO search_rows VALUES ({marks})", batch)
    db.execute("CREATE INDEX search_rows_key ON search_rows (key_kind, key, pos)")


def _identifier_transfers(connection: duckdb.DuckDBPyConnection, db: sqlite3.Connection) -> None:
    """``identifier_transfers``: a row per transfer, side and party column holding a value."""
    present = {row[0] for row in connection.execute("DESCRIBE money.transfers").fetchall()}
    shown = TRANSFER_SHOWN.format(amount="amount_eur" if "amount_eur" in present else "amount")
    selects = [
        f"SELECT '{column}' AS party, {side}_{column} AS value, {shown}, {side == 'sender'} AS as_sender "
        f"FROM money.transfers WHERE {side}_{column} IS NOT NULL"
        for column in TRANSFER_PARTIES
        if f"sender_{column}" in present and f"receiver_{column}" in present
        for side in ("sender", "receiver")
    ]
    db.execute("CREATE TABLE identifier_transfers (party TEXT NOT NULL, value TEXT NOT NULL, page TEXT NOT NULL)")
    if not selects:
        return
    sql = " UNION ALL ".join(selects)
    described = connection.execute(f"DESCRIBE {sql}").fetchall()
    db.executemany(
        "INSERT INTO time_keys VALUES (?, ?, ?)", [("identifier_transfers", *item) for item in _time_keys(described)]
    )
    fields = ", ".join(f"'{row[0]}': \"{row[0]}\"" for row in described[2:])
    result = connection.execute(f"SELECT party, value, to_json({{{fields}}}) FROM ({sql})")
    while batch := result.fetchmany(BATCH):
        db.executemany("INSERT INTO identifier_transfers VALUES (?, ?, ?)", batch)
    db.execute("CREATE INDEX identifier_transfers_value ON identifier_transfers (party, value)")


def _identifier_parties(connection: duckdb.DuckDBPyConnection, db: sqlite3.Connection) -> None:
    """``identifier_parties``: the parties matched to each identifier value, and why."""
    db.execute("CREATE TABLE identifier_parties (value TEXT NOT NULL, type TEXT, party_id TEXT, reason TEXT)")
    result = connection.execute(
        "SELECT DISTINCT identifier_value, identifier_type, party_id, reason FROM money.party_matches "
        "WHERE identifier_value IS NOT NULL"
    )
    while batch := result.fetchmany(BATCH):
        db.executemany("INSERT INTO identifier_parties VALUES (?, ?, ?, ?)", batch)
    db.execute("CREATE INDEX identifier_parties_value ON identifier_parties (value)")


def build_lookups(connection: duckdb.DuckDBPyConnection, path: Path, tables: frozenset[str]) -> None:
    """Write the lookup file at ``path`` from a snapshot holding the published page tables (and ``tables``)."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        connection.execute("SET TimeZone = 'UTC'")  # times are written as UTC text
        with db:
            db.execute("CREATE TABLE time_keys (page_table TEXT NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL)")
            _post_pages(connection, db)
            _network_pages(connection, db)
            _search_rows(connection, db)
            if "money.transfers" in tables:
                _identifier_transfers(connection, db)
            if "money.party_matches" in tables:
                _identifier_parties(connection, db)
    finally:
        db.close()


def open_lookups(path: Path) -> sqlite3.Connection:
    """A read-only connection to a lookup file (``immutable``: it never changes once written)."""
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)


def read_time_keys(rows: Iterable[tuple[str, str, str]]) -> dict[str, TimeKeys]:
    """The ``time_keys`` table of a lookup file, by page table."""
    found: dict[str, dict[str, set[str]]] = {}
    for table, key, kind in rows:
        found.setdefault(table, {"datetime": set(), "date": set()})[kind].add(key)
    return {table: TimeKeys(frozenset(k["datetime"]), frozenset(k["date"])) for table, k in found.items()}


def search_row(names: Iterable[str], row: tuple[Any, ...]) -> dict[str, Any]:
    """A ``search_rows`` row as a search result's dictionary (``posted_at`` a datetime again)."""
    found = dict(zip(names, row, strict=True))
    if found.get("posted_at") is not None:
        found["posted_at"] = datetime.fromisoformat(found["posted_at"])
    return found
