"""The read side of the web app: one in-memory DuckDB snapshot of the workspace's tables.

Pages must answer in well under 300 ms over a million posts while 20 people use them, so the app
does not scan Parquet per request. At start-up (and whenever a table's part files change) it loads
the tables the pages query into an in-memory DuckDB database, sorted and indexed for the lookups
pages make (posts by id, identifiers by value, network members by network), and swaps the new
snapshot in when it is complete; other tables are views over their Parquet parts. Tables are named
as in the contracts (``ingest.posts``: schema ``ingest``, table ``posts``). A table that no stage has
written yet is simply absent: ``has(name)`` says so, and pages show "not computed yet".
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from unveil.errors import UnveilError
from unveil.workspace import Workspace

T = TypeVar("T")

INDEXED_TABLES: dict[str, tuple[str, ...]] = {
    "ingest.images": ("post_id", "image_sha256"),
    "extract.identifiers": ("value", "post_id"),
    "extract.posts": ("post_id",),
    "extract.places": ("post_id",),
    "score.scores": ("post_id",),
    "score.indicators": ("post_id",),
    "link.networks": ("network_id",),
    "link.network_posts": ("network_id", "post_id"),
    "link.edges": ("network_id",),
}
"""Tables copied into memory, with the columns indexed for point lookups; others are Parquet views.
Posts are copied into ``web.posts`` (see ``_build_posts``) and ``ingest.posts`` is a view of it."""


class NotComputed(UnveilError):
    """A table the page needs has not been written by its stage yet."""

    http_status = 409

    def __init__(self, table: str) -> None:
        super().__init__(f"{table} is not computed yet: run `unveil run` on the workspace")
        self.table = table


@dataclass
class Snapshot:
    """One consistent in-memory copy of the tables."""

    connection: duckdb.DuckDBPyConnection
    fingerprint: tuple[tuple[str, int, int], ...]
    tables: frozenset[str]
    loaded_at: float = field(default_factory=time.time)
    cache: dict[str, Any] = field(default_factory=dict)


def table_parts(workspace: Workspace) -> dict[str, list[Path]]:
    """Committed tables and their part files, by ``stage.table`` name."""
    found: dict[str, list[Path]] = {}
    for part in sorted(workspace.tables_dir.glob("*/*/*.parquet")):
        stage, table = part.parent.parent.name, part.parent.name
        if not stage.startswith("."):
            found.setdefault(f"{stage}.{table}", []).append(part)
    return found


def fingerprint(parts: dict[str, list[Path]]) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of every part: changes whenever a stage commits."""
    items = []
    for paths in parts.values():
        for path in paths:
            stat = path.stat()
            items.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(items)


def _quote(name: str) -> str:
    stage, _, table = name.partition(".")
    return f'"{stage}"."{table}"'


def _load_table(connection: duckdb.DuckDBPyConnection, name: str, parts: Sequence[Path]) -> None:
    stage = name.partition(".")[0]
    connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{stage}"')
    files = [str(path) for path in parts]
    if name not in INDEXED_TABLES:
        listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
        connection.execute(f"CREATE VIEW {_quote(name)} AS SELECT * FROM read_parquet([{listed}])")
        return
    connection.execute(f"CREATE TABLE {_quote(name)} AS SELECT * FROM read_parquet(?)", [files])
    _index(connection, name, INDEXED_TABLES[name])


def _index(connection: duckdb.DuckDBPyConnection, name: str, columns: Sequence[str]) -> None:
    stage, _, table = name.partition(".")
    present = _columns(connection, name)
    for column in columns:
        if column in present:
            connection.execute(f'CREATE INDEX "{stage}_{table}_{column}" ON {_quote(name)} ("{column}")')


def _build_posts(connection: duckdb.DuckDBPyConnection, files: list[str], tables: set[str]) -> None:
    """``web.posts``: posts newest first with what search filters on, and ``ingest.posts`` as a view of it.

    Added columns: ``ingested_at`` (when the part file was written), ``best_city`` and ``language``
    (``extract.posts``, else the declared city), ``risk`` (highest over domains, ``score.scores``),
    ``network_id`` (``link.network_posts``).
    """
    connection.execute("CREATE SCHEMA IF NOT EXISTS web")
    connection.execute("CREATE SCHEMA IF NOT EXISTS ingest")
    connection.execute("CREATE TEMP TABLE part_times (filename VARCHAR, ingested_at TIMESTAMPTZ)")
    connection.executemany(
        "INSERT INTO part_times VALUES (?, to_timestamp(?))", [(f, os.path.getmtime(f)) for f in files]
    )
    joins, city, language, risk, network = [], "p.city", "NULL::VARCHAR", "NULL::DOUBLE", "NULL::VARCHAR"
    if "extract.posts" in tables:
        joins.append("LEFT JOIN extract.posts e ON e.post_id = p.post_id")
        city, language = "coalesce(e.city, p.city)", "e.language"
    if "score.scores" in tables and "risk" in _columns(connection, "score.scores"):
        joins.append(
            "LEFT JOIN (SELECT post_id, max(risk) AS risk FROM score.scores GROUP BY post_id) s "
            "ON s.post_id = p.post_id"
        )
        risk = "s.risk"
    if "link.network_posts" in tables:
        joins.append(
            "LEFT JOIN (SELECT post_id, min(network_id) AS network_id FROM link.network_posts "
            "GROUP BY post_id) n ON n.post_id = p.post_id"
        )
        network = "n.network_id"
    connection.execute(
        f"CREATE TABLE web.posts AS SELECT p.* EXCLUDE (filename), t.ingested_at, {city} AS best_city, "
        f"{language} AS language, {risk} AS risk, {network} AS network_id "
        "FROM read_parquet(?, filename = true) p JOIN part_times t ON t.filename = p.filename "
        f"{' '.join(joins)} ORDER BY p.posted_at DESC NULLS LAST, p.post_id",
        [files],
    )
    connection.execute("DROP TABLE part_times")
    connection.execute('CREATE INDEX "web_posts_post_id" ON web.posts (post_id)')
    connection.execute(
        "CREATE VIEW ingest.posts AS SELECT * EXCLUDE (best_city, language, risk, network_id) FROM web.posts"
    )


def _columns(connection: duckdb.DuckDBPyConnection, name: str) -> set[str]:
    stage, _, table = name.partition(".")
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?", [stage, table]
    ).fetchall()
    return {row[0] for row in rows}


def build_snapshot(workspace: Workspace) -> Snapshot:
    """Load every committed table into a fresh in-memory database."""
    parts = table_parts(workspace)
    connection = duckdb.connect(":memory:")
    for name, paths in parts.items():
        if name != "ingest.posts":
            _load_table(connection, name, paths)
    if "ingest.posts" in parts:
        _build_posts(connection, [str(path) for path in parts["ingest.posts"]], set(parts))
    return Snapshot(connection, fingerprint(parts), frozenset(parts))


class ReadModel:
    """The current snapshot, refreshed in a background thread when the tables change."""

    def __init__(self, workspace: Workspace, check_interval: float = 5.0) -> None:
        self.workspace = workspace
        self.check_interval = check_interval
        self._snapshot = build_snapshot(workspace)
        self._checked_at = time.monotonic()
        self._lock = threading.Lock()
        self._building = False

    def has(self, name: str) -> bool:
        """True when the table exists in the current snapshot."""
        return name in self._current().tables

    def require(self, name: str) -> None:
        """Raise ``NotComputed`` when the table is missing."""
        if not self.has(name):
            raise NotComputed(name)

    def columns(self, name: str) -> set[str]:
        """Column names of a table (empty when it is missing)."""
        if not self.has(name):
            return set()
        with self.cursor() as cursor:
            return _columns(cursor, name)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the current snapshot, for one request's queries."""
        cursor = self._current().connection.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows of a query as dictionaries."""
        with self.cursor() as cursor:
            result = cursor.execute(sql, list(params))
            names = [column[0] for column in result.description or []]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]

    def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None."""
        with self.cursor() as cursor:
            row = cursor.execute(sql, list(params)).fetchone()
            return row[0] if row else None

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """A value computed once per snapshot (choices of filters, totals)."""
        snapshot = self._current()
        if key not in snapshot.cache:
            snapshot.cache[key] = compute()
        value: T = snapshot.cache[key]
        return value

    def refresh(self) -> None:
        """Rebuild the snapshot now (blocking) when the tables changed."""
        if fingerprint(table_parts(self.workspace)) != self._snapshot.fingerprint:
            self._snapshot = build_snapshot(self.workspace)

    def _current(self) -> Snapshot:
        now = time.monotonic()
        if now - self._checked_at > self.check_interval:
            self._checked_at = now
            self._start_background_refresh()
        return self._snapshot

    def _start_background_refresh(self) -> None:
        with self._lock:
            if self._building:
                return
            self._building = True
        threading.Thread(target=self._background_refresh, name="unveil-read-model", daemon=True).start()

    def _background_refresh(self) -> None:
        try:
            self.refresh()
        finally:
            with self._lock:
                self._building = False
