"""SparkEngine: the same stages on Apache Spark (``pip install 'unveil[spark]'`` and Java 17).

Per-record functions run through ``DataFrame.mapInArrow``; the project's SQL, written in DuckDB's
dialect, is transpiled with sqlglot and run by ``spark.sql``. Tables are Parquet folders on a local
path or any Hadoop-compatible URI. In local mode Spark binds to 127.0.0.1, its Python workers use
this interpreter, and nothing is downloaded at run time (no ``spark.jars.packages``).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa
import pyarrow.parquet as pq
import sqlglot
from pyspark.sql import DataFrame, Row, SparkSession
from pyspark.sql.pandas.types import from_arrow_schema
from pyspark.sql.types import StructType
from sqlglot import exp

from unveil.config import Settings
from unveil.engine.base import BatchFunction, Engine, conform
from unveil.progress import Progress
from unveil.tables import TableRef, write_part

LOCAL_DEFAULTS: dict[str, str] = {
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.sql.parquet.compression.codec": "zstd",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.execution.arrow.useLargeVarTypes": "false",
    "spark.sql.ansi.enabled": "false",
    "spark.driver.memory": "4g",
    "spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs": "false",  # no _SUCCESS files in tables
}


def transpile(sql: str) -> str:
    """The project's DuckDB-dialect SQL as Spark SQL."""
    statements = sqlglot.parse(sql, read="duckdb")
    return ";\n".join(_same_meaning(s).sql(dialect="spark") for s in statements if s is not None)


def _same_meaning(tree: exp.Expr) -> exp.Expr:
    """Rewrite what sqlglot carries over in words but not in meaning.

    DuckDB's ``epoch(timestamp)`` is fractional seconds; sqlglot writes Spark's ``UNIX_TIMESTAMP``,
    which drops the fraction. ``(UNIX_MICROS(t) / 1e6)`` keeps it, so both engines give the same value.
    """

    def rewrite(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.TimeToUnix):
            micros = exp.Anonymous(this="UNIX_MICROS", expressions=[node.this])
            return exp.Paren(this=exp.Div(this=micros, expression=exp.Literal.number("1e6")))
        return node

    return tree.transform(rewrite)


def _apply_to_batches(
    fn: BatchFunction, schema: pa.Schema
) -> Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    def apply(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            yield conform(fn(batch), schema)

    return apply


class SparkEngine(Engine):
    """Apache Spark through PySpark; ``options`` are Spark settings (``spark.master`` among them)."""

    name: ClassVar[str] = "spark"

    def __init__(self, settings: Settings, options: Mapping[str, str] | None = None) -> None:
        super().__init__(settings)
        self.options = dict(options or {})
        self._spark: SparkSession | None = None
        self._scratch: str | None = None
        self._warehouse: str | None = None  # Spark's catalogue folder, else an empty spark-warehouse/ in the cwd

    @property
    def spark(self) -> SparkSession:
        """The session, started on first use."""
        if self._spark is None:
            self._spark = self._start()
        return self._spark

    def start(self) -> None:
        self.spark  # noqa: B018 - starting the session is the point

    def _start(self) -> SparkSession:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        self._warehouse = tempfile.mkdtemp(prefix="unveil-spark-warehouse-")
        settings = {
            **LOCAL_DEFAULTS,
            "spark.jars": _splink_similarity_jar(),
            "spark.master": f"local[{self.settings.worker_count}]",
            "spark.sql.shuffle.partitions": str(max(2, 2 * self.settings.worker_count)),
            "spark.sql.execution.arrow.maxRecordsPerBatch": str(self.settings.batch_size),
            "spark.sql.warehouse.dir": self._warehouse,
            **self.options,
        }
        builder = SparkSession.builder.appName("unveil")
        for key, value in settings.items():
            builder = builder.config(key, value)
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
        return session

    def _read(self, table: TableRef, columns: list[str] | None = None) -> DataFrame:
        """A table folder as a frame, its schema taken from the part footers.

        Spark infers a Parquet schema with a job of its own (and lists more than 32 paths with
        another); given the schema and the folder, a read starts no job until the data is needed.
        """
        reader = self.spark.read
        schema = _spark_schema(table)
        frame = (reader.schema(schema) if schema is not None else reader.option("mergeSchema", "true")).parquet(
            table.uri
        )
        return frame.select(*columns) if columns else frame

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
        frame = self._read(source, columns).mapInArrow(_apply_to_batches(fn, schema), from_arrow_schema(schema))
        rows = self._write(frame, output, schema)
        self._progress(progress).advance(source.num_rows())
        return rows

    def sql_to_table(self, sql: str, inputs: Mapping[str, TableRef], output: Path) -> int:
        self._bind(inputs)
        frame = self.spark.sql(transpile(sql))
        return self._write(frame, output, None)

    def query(self, sql: str, inputs: Mapping[str, TableRef]) -> pa.Table:
        self._bind(inputs)
        return self.spark.sql(transpile(sql)).toArrow()

    def query_batches(
        self, sql: str, inputs: Mapping[str, TableRef], batch_size: int = 65_536
    ) -> Iterator[pa.RecordBatch]:
        """Stream the result: the driver fetches one partition at a time (``toLocalIterator``, in the
        result's order) and turns ``batch_size`` rows at a time into Arrow, in the schema ``query``
        would return, so it never holds the whole result (``toArrow`` collects every partition)."""
        self._bind(inputs)
        frame = self.spark.sql(transpile(sql))
        schema = frame.limit(0).toArrow().schema
        rows = frame.toLocalIterator()
        while chunk := list(islice(rows, batch_size)):
            yield _record_batch(chunk, schema)

    def splink_api(self) -> Any:
        from splink import SparkAPI

        if self.spark.sparkContext.getCheckpointDir() is None:
            # Splink checkpoints intermediate tables; on a cluster pass --conf spark.checkpoint.dir=hdfs://...
            self._scratch = tempfile.mkdtemp(prefix="unveil-spark-checkpoints-")
            self.spark.sparkContext.setCheckpointDir(self._scratch)
        # Splink breaks the lineage of its intermediate tables by writing them as Parquet and reading them
        # back (two or three jobs each); in local mode keeping them in memory does the same for free.
        local = str(self.spark.conf.get("spark.master", "")).startswith("local")
        method = "persist" if local else None  # None: Splink's default (Parquet under the checkpoint folder)
        return SparkAPI(spark_session=self.spark, break_lineage_method=method)  # type: ignore[no-untyped-call]

    def _bind(self, inputs: Mapping[str, TableRef]) -> None:
        for view, table in inputs.items():
            self._read(table).createOrReplaceTempView(view)

    def _write(self, frame: DataFrame, output: Path, schema: pa.Schema | None) -> int:
        """Write a frame as a table folder; an empty result still gets one part with its schema."""
        table = TableRef(output.name, output)
        frame.write.mode("overwrite").parquet(table.uri)
        if not table.exists():
            empty_schema = schema if schema is not None else _arrow_schema(frame)
            write_part(output, empty_schema.empty_table(), name="part-empty.parquet")
        return table.num_rows()

    def close(self) -> None:
        if self._spark is not None:
            self._spark.stop()
            self._spark = None
        for folder in (self._scratch, self._warehouse):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
        self._scratch = self._warehouse = None


def _record_batch(rows: list[Row], schema: pa.Schema) -> pa.RecordBatch:
    """Spark rows as an Arrow batch of ``schema`` (what ``toArrow`` gives for the same rows)."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    return pa.RecordBatch.from_arrays(
        [
            pa.array(_arrow_values(values, field.type), field.type)
            for values, field in zip(columns, schema, strict=True)
        ],
        schema=schema,
    )


def _arrow_values(values: Iterable[Any], kind: pa.DataType) -> list[Any]:
    """A column's Python values as Arrow reads them: a Spark timestamp arrives as a naive local time
    (PySpark's conversion), so it is made aware before Arrow stores it in its zone; a struct arrives as
    a Row."""
    if pa.types.is_timestamp(kind) and kind.tz is not None:
        return [v.astimezone(UTC) if isinstance(v, datetime) and v.tzinfo is None else v for v in values]
    if pa.types.is_struct(kind):
        return [v.asDict(recursive=True) if isinstance(v, Row) else v for v in values]
    return list(values)


def _splink_similarity_jar() -> str:
    """Splink's string-similarity functions (Jaro-Winkler...) ship as a jar inside the splink package."""
    from splink.backends.spark import similarity_jar_location

    return str(similarity_jar_location())


def _spark_schema(table: TableRef) -> StructType | None:
    """The Spark schema of a table's parts (unified as mergeSchema would), or None if Spark must infer it."""
    try:
        return from_arrow_schema(pa.unify_schemas([_part_schema(table, part) for part in table.parts()]))
    except (TypeError, ValueError, pa.ArrowException):  # a type Arrow-to-Spark cannot map: let Spark read it
        return None


def _part_schema(table: TableRef, part: Path) -> pa.Schema:
    store = table.store
    with store.filesystem.open_input_file(store.fs_path(part)) as handle:
        return pq.ParquetFile(handle).schema_arrow


def _arrow_schema(frame: DataFrame) -> pa.Schema:
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(frame.schema)
