"""DuckDBEngine: embedded, in-process SQL; per-record work on a local process pool.

DuckDB holds at most ``engine_memory_limit`` (a setting, default half the RAM) for SQL and spills
the rest of a large join or sort to ``engine_temp_dir`` (default: a fresh temporary folder, removed
when the engine closes), so the Python side of a stage keeps the other half.
"""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, ClassVar

import duckdb
import pyarrow as pa

from unveil.config import Settings
from unveil.engine.base import BatchFunction, Engine, conform
from unveil.progress import Progress
from unveil.storage import make_dirs, move, store_for
from unveil.tables import TableRef, write_batches


class DuckDBEngine(Engine):
    """The default engine: DuckDB for SQL, a process pool for per-record functions."""

    name: ClassVar[str] = "duckdb"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._temp_dir = settings.engine_temp_dir or tempfile.mkdtemp(prefix="unveil-duckdb-")
        self._own_temp_dir = not settings.engine_temp_dir
        self._connection = duckdb.connect(
            config={
                "threads": settings.worker_count,
                "memory_limit": settings.engine_memory_limit.replace(" ", ""),
                "temp_directory": self._temp_dir,
            }
        )
        self._connection.execute("SET enable_progress_bar = false")
        self._connection.execute("SET TimeZone = 'UTC'")  # dates cut at UTC midnight, as on Spark
        self._pool: ProcessPoolExecutor | None = None

    def map_batches(
        self,
        source: TableRef,
        fn: BatchFunction,
        schema: pa.Schema,
        output: Path,
        *,
        columns: list[str] | None = None,
        progress: Progress | None = None,
    ) -> int:
        report = self._progress(progress)
        batches = source.dataset().to_batches(columns=columns, batch_size=self.settings.batch_size)
        results = (self._checked(result, schema, report) for result in self._apply(fn, batches))
        return write_batches(output, schema, results)

    def _apply(self, fn: BatchFunction, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """Apply ``fn`` in input order, inline or on the pool with a bounded number in flight."""
        if self.settings.worker_count <= 1:
            for batch in batches:
                yield fn(batch)
            return
        pool = self._executor()
        in_flight: deque[Future[pa.RecordBatch]] = deque()
        for batch in batches:
            # A batch read from Parquet is a slice of its whole row group, and pickling a slice sends
            # every buffer it points into: copy the batch's own rows before shipping it to a worker.
            in_flight.append(pool.submit(fn, pa.concat_batches([batch])))
            if len(in_flight) >= 2 * self.settings.worker_count:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()

    @staticmethod
    def _checked(result: pa.RecordBatch, schema: pa.Schema, progress: Progress) -> pa.RecordBatch:
        progress.advance(result.num_rows)
        return conform(result, schema)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(self.settings.worker_count, mp_context=context)
        return self._pool

    def sql_to_table(self, sql: str, inputs: Mapping[str, TableRef], output: Path) -> int:
        self._bind(inputs)
        relation = self._connection.sql(sql)
        if not store_for(output).location.is_local:  # DuckDB writes local files only: stream through pyarrow.fs
            reader = relation.to_arrow_reader()
            return write_batches(output, reader.schema, reader)
        make_dirs(output)
        temporary = output / ".part-0.parquet.tmp"
        relation.write_parquet(str(temporary), compression="zstd")
        move(temporary, output / "part-0.parquet")
        return TableRef(output.name, output).num_rows()

    def query(self, sql: str, inputs: Mapping[str, TableRef]) -> pa.Table:
        self._bind(inputs)
        return self._connection.sql(sql).to_arrow_table()

    def query_batches(
        self, sql: str, inputs: Mapping[str, TableRef], batch_size: int = 65_536
    ) -> Iterator[pa.RecordBatch]:
        self._bind(inputs)
        reader = self._connection.sql(sql).to_arrow_reader(batch_size)
        try:
            yield from reader
        finally:
            reader.close()

    def _bind(self, inputs: Mapping[str, TableRef]) -> None:
        for view, table in inputs.items():
            store = table.store
            if not store.location.is_local:  # a remote store: DuckDB scans a pyarrow dataset over its file system
                self._connection.execute(f'DROP VIEW IF EXISTS "{view}"')
                self._connection.register(view, table.dataset(unify_schemas=True))
                continue
            parts = ", ".join(f"'{part}'" for part in table.parts())
            self._connection.execute(
                f'CREATE OR REPLACE VIEW "{view}" AS SELECT * FROM read_parquet([{parts}], union_by_name = true)'
            )

    def splink_api(self) -> Any:
        from splink import DuckDBAPI

        return DuckDBAPI(connection=self._connection)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        self._connection.close()
        if self._own_temp_dir:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
