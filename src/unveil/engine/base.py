"""The engine interface: how stages run per-record work and relational work.

Stage code talks to an ``Engine`` only; it never imports duckdb or pyspark. Two kinds of work:

- per-record work: a pure, picklable function over an Arrow record batch
  (``fn(batch) -> batch``), applied to every batch of a table by ``map_batches``;
- relational work: SQL written once in DuckDB's dialect, run by ``sql_to_table`` (result written
  as a table), ``query`` (small result returned to Python) or ``query_batches`` (a large result read
  by Python in ordered Arrow batches, never whole). Other engines transpile it.

Input tables are named in the SQL by the keys of ``inputs``; the engine binds each name to the
table's Parquet parts.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa

from unveil.config import Settings
from unveil.progress import Progress, SilentProgress
from unveil.tables import TableRef, write_batches

BatchFunction = Callable[[pa.RecordBatch], pa.RecordBatch]


def conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """A per-record function's result cast to the schema it declared (column order and types)."""
    if batch.schema.equals(schema):
        return batch
    columns = [batch.column(field.name).cast(field.type) for field in schema]
    return pa.RecordBatch.from_arrays(columns, schema=schema)


class Engine(ABC):
    """Runs per-record functions and SQL over workspace tables."""

    name: ClassVar[str]

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @abstractmethod
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
        """Apply ``fn`` to every batch of ``source`` and write the results as a table.

        Output order follows input order, so a re-run writes identical tables. Returns rows written.
        """

    @abstractmethod
    def sql_to_table(self, sql: str, inputs: Mapping[str, TableRef], output: Path) -> int:
        """Run ``sql`` over the named input tables and write the result as a table."""

    @abstractmethod
    def query(self, sql: str, inputs: Mapping[str, TableRef]) -> pa.Table:
        """Run ``sql`` and return its (small) result to Python."""

    def query_batches(
        self, sql: str, inputs: Mapping[str, TableRef], batch_size: int = 65_536
    ) -> Iterator[pa.RecordBatch]:
        """Run ``sql`` and hand its rows to Python in order, ``batch_size`` at a time (a large result
        that Python reads once). This default collects the result first; an engine that can stream
        (DuckDB) overrides it. Consume the batches before running other SQL on the engine."""
        yield from self.query(sql, inputs).to_batches(max_chunksize=batch_size)

    @abstractmethod
    def splink_api(self) -> Any:
        """A Splink database API backed by this engine (for party resolution)."""

    def write_table(self, data: pa.Table | Iterable[pa.RecordBatch], schema: pa.Schema, output: Path) -> int:
        """Write Python-produced rows as a table (at least one, possibly empty, part)."""
        batches = data.cast(schema).to_batches() if isinstance(data, pa.Table) else data
        return write_batches(output, schema, batches)

    def start(self) -> None:  # noqa: B027 - engines that start nothing keep this no-op
        """Start sessions or worker processes now rather than on first use."""

    def close(self) -> None:
        """Release processes, sessions and connections."""
        return None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _progress(progress: Progress | None) -> Progress:
        return progress if progress is not None else SilentProgress()
