"""The read side of the web app: one DuckDB snapshot of the workspace's tables, shared by the workers.

Pages must answer in well under 300 ms over a million posts while 20 people use them, so the app
does not scan Parquet per request. The tables the pages query are loaded, with the page tables the
``publish`` stage wrote (``serving.py``), into a DuckDB file ``.web/snapshot-<hash>.duckdb`` of the
workspace: built once per state of the tables (the first process that needs it builds it under a file lock), then opened
read-only by every worker. Whenever a table's part files change, a background thread builds or
opens the next snapshot and swaps it in when complete; other tables are views over their Parquet
parts. Tables are named as in the contracts (``ingest.posts``: schema ``ingest``, table ``posts``).
A table that no stage has written yet is simply absent: ``has(name)`` says so, and pages show
"not computed yet".
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from unveil.errors import NotComputed
from unveil.web.lookups import TimeKeys, build_lookups, lookups_path, open_lookups, read_time_keys
from unveil.web.serving import LOADED, load_published, table_columns
from unveil.workspace import Workspace

T = TypeVar("T")

SNAPSHOT_DIR = ".web"
"""Folder of the workspace holding the snapshot files (derived data, rebuilt when missing)."""
SNAPSHOT_CODE = hashlib.sha256(
    b"".join(
        Path(__file__).with_name(name).read_bytes()
        for name in ("readmodel.py", "serving.py", "lookups.py", "facets.py")
    )
).hexdigest()
"""What builds a snapshot: a new version of this code builds new files."""

INDEXED_TABLES: dict[str, tuple[str, ...]] = {
    "ingest.images": ("post_id", "image_sha256"),
    "extract.identifiers": ("value", "post_id"),
    "score.scores": ("post_id",),
    "score.indicators": ("post_id",),
    "link.networks": ("network_id",),
    "link.network_posts": ("network_id", "post_id"),
    "link.edges": ("network_id",),
    "money.transfers": (),
}
"""Tables copied into memory, with the columns indexed for point lookups; others are Parquet views.
Published posts are copied into ``web.posts`` (see ``serving.py``) and ``ingest.posts`` is then a view of it."""


BUILD_MEMORY_VARIABLE = "UNVEIL_WEB_BUILD_MEMORY_LIMIT"
SERVE_MEMORY_VARIABLE = "UNVEIL_WEB_MEMORY_LIMIT"
SERVE_MEMORY_DEFAULT = "4GB"
"""DuckDB memory limits (DuckDB's own default is 80% of the machine, per process): building a
snapshot may use half of the machine's memory (``UNVEIL_WEB_BUILD_MEMORY_LIMIT``, e.g. ``8GB``) and
spills the rest to disk; each serving process at most ``UNVEIL_WEB_MEMORY_LIMIT`` (default 4GB)."""


def build_memory_limit() -> str:
    """The memory limit of a snapshot build: the environment's, else half of physical memory."""
    given = os.environ.get(BUILD_MEMORY_VARIABLE)
    if given:
        return given
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{max(total // 2 // 2**20, 512)}MB"


def serve_memory_limit() -> str:
    """The memory limit of each serving process's connection to the snapshot."""
    return os.environ.get(SERVE_MEMORY_VARIABLE) or SERVE_MEMORY_DEFAULT


@dataclass
class Snapshot:
    """One consistent in-memory copy of the tables."""

    connection: duckdb.DuckDBPyConnection
    fingerprint: tuple[tuple[str, int, int], ...]
    tables: frozenset[str]
    lookups: Path | None = None
    cache: dict[str, Any] = field(default_factory=dict)
    computing: dict[str, threading.RLock] = field(default_factory=dict)


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
    present = table_columns(connection, name)
    for column in columns:
        if column in present:
            connection.execute(f'CREATE INDEX "{stage}_{table}_{column}" ON {_quote(name)} ("{column}")')


def snapshot_path(workspace: Workspace, tables_fingerprint: tuple[tuple[str, int, int], ...]) -> Path:
    """Where the snapshot of one state of the tables is stored (one file per fingerprint)."""
    digest = hashlib.sha256(repr((SNAPSHOT_CODE, tables_fingerprint)).encode()).hexdigest()[:20]
    return workspace.root / SNAPSHOT_DIR / f"snapshot-{digest}.duckdb"


def _write_snapshot(path: Path, parts: dict[str, list[Path]]) -> None:
    """Load every committed table and the serving tables into a new database file at ``path``."""
    building = path.with_name(f"{path.stem}.building-{os.getpid()}")
    building.unlink(missing_ok=True)
    lookups = lookups_path(building)
    connection = duckdb.connect(str(building), config={"memory_limit": build_memory_limit()})
    try:
        published = "publish.posts" in parts
        for name, paths in parts.items():
            if name not in LOADED and not (published and name == "ingest.posts"):
                _load_table(connection, name, paths)
        if published:
            load_published(connection, {name: [str(path) for path in parts[name]] for name in LOADED})
            build_lookups(connection, lookups, frozenset(parts))
        connection.execute("CHECKPOINT")
    finally:
        connection.close()
    if lookups.exists():  # before the snapshot: a snapshot file is complete with its lookups
        os.replace(lookups, lookups_path(path))
    os.replace(building, path)
    Path(f"{building}.wal").unlink(missing_ok=True)


def build_snapshot(workspace: Workspace) -> Snapshot:
    """The snapshot of the current tables: built once per state of the tables, shared by every worker.

    The first process that needs a state builds its file under a lock; the others wait, then open
    it read-only. Files of older states are removed (processes still reading them keep them open).
    """
    parts = table_parts(workspace)
    tables_fingerprint = fingerprint(parts)
    path = snapshot_path(workspace, tables_fingerprint)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with (path.parent / "build.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not path.exists():
                _write_snapshot(path, parts)
                for old in path.parent.glob("snapshot-*"):
                    if not old.name.startswith(f"{path.stem}."):
                        old.unlink(missing_ok=True)
    # one thread per query: requests run side by side in their own threads, and a page's lookups
    # cost less without handing work to DuckDB's worker threads
    connection = duckdb.connect(str(path), read_only=True, config={"threads": 1, "memory_limit": serve_memory_limit()})
    lookups = lookups_path(path)
    return Snapshot(connection, tables_fingerprint, frozenset(parts), lookups if lookups.exists() else None)


class ReadModel:
    """The current snapshot, refreshed in a background thread when the tables change."""

    def __init__(self, workspace: Workspace, check_interval: float = 5.0) -> None:
        self.workspace = workspace
        self.check_interval = check_interval
        self._snapshot = build_snapshot(workspace)
        self._checked_at = time.monotonic()
        self._lock = threading.Lock()
        self._building = False
        self._local = threading.local()

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

        def read() -> set[str]:
            with self.cursor() as cursor:
                return table_columns(cursor, name)

        return self.cached(f"columns:{name}", read)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """This thread's cursor on the current snapshot (opened once per thread and snapshot, then reused)."""
        snapshot = self._current()
        local = self._local
        if getattr(local, "snapshot", None) is not snapshot:
            local.cursor = snapshot.connection.cursor()
            local.snapshot = snapshot
        cursor: duckdb.DuckDBPyConnection = local.cursor
        yield cursor

    def has_lookups(self) -> bool:
        """True when the current snapshot has its lookup file (``lookups.py``): always, once posts are ingested."""
        return self._current().lookups is not None

    def lookup(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Column names and rows of a query on the lookup file (this thread's connection, opened once per snapshot)."""
        snapshot = self._current()
        local = self._local
        if getattr(local, "lookup_snapshot", None) is not snapshot:
            if snapshot.lookups is None:
                raise NotComputed("publish.posts")
            local.lookups = open_lookups(snapshot.lookups)
            local.lookup_snapshot = snapshot
        result = local.lookups.execute(sql, list(params))
        return [column[0] for column in result.description or []], result.fetchall()

    def lookup_times(self, table: str) -> TimeKeys:
        """The fields of a page table of the lookup file that ``lookups.decode`` turns back into times."""
        keys = self.cached("lookup_times", lambda: read_time_keys(self.lookup("SELECT * FROM time_keys")[1]))
        return keys.get(table, TimeKeys())

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows of a query as dictionaries."""
        with self.cursor() as cursor:
            result = cursor.execute(sql, list(params))
            names = [column[0] for column in result.description or []]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]

    def tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a query as tuples."""
        with self.cursor() as cursor:
            return cursor.execute(sql, list(params)).fetchall()

    def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None."""
        with self.cursor() as cursor:
            row = cursor.execute(sql, list(params)).fetchone()
            return row[0] if row else None

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """A value computed once per snapshot (choices of filters, totals, the facet index).

        Computed by one thread: requests asking for it meanwhile wait for that value rather than each
        computing it again (twenty users' first searches would otherwise each load the facet index).
        """
        snapshot = self._current()
        if key not in snapshot.cache:
            with self._lock:
                lock = snapshot.computing.setdefault(key, threading.RLock())
            with lock:
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
