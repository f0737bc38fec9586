"""DuckDBEngine: per-record functions keep order on the pool; SQL reads and writes tables."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from unveil.config import Settings
from unveil.engine import create_engine
from unveil.tables import TableRef, write_part

SCHEMA = pa.schema([("n", pa.int64()), ("double", pa.int64())])


def double(batch: pa.RecordBatch, factor: int) -> pa.RecordBatch:
    values = batch.column("n")
    return pa.RecordBatch.from_arrays([values, pc.multiply(values, factor)], schema=SCHEMA)


def _numbers(tmp_path: Path, count: int) -> TableRef:
    table = TableRef("t.numbers", tmp_path / "numbers")
    write_part(table.path, pa.table({"n": pa.array(range(count), pa.int64())}))
    return table


def test_map_batches_on_the_pool_keeps_input_order(tmp_path: Path) -> None:
    settings = Settings(workers=2, batch_size=100)
    with create_engine("duckdb", settings) as engine:
        rows = engine.map_batches(_numbers(tmp_path, 5_000), partial(double, factor=2), SCHEMA, tmp_path / "out")
    out = TableRef("t.out", tmp_path / "out").read()
    assert rows == 5_000
    assert out.column("n").to_pylist() == list(range(5_000))
    assert out.column("double").to_pylist() == [2 * n for n in range(5_000)]


def test_sql_to_table_and_query(tmp_path: Path) -> None:
    numbers = _numbers(tmp_path, 10)
    with create_engine("duckdb", Settings(workers=1)) as engine:
        written = engine.sql_to_table(
            "SELECT n FROM numbers WHERE n % 2 = 0 ORDER BY n", {"numbers": numbers}, tmp_path / "even"
        )
        total = engine.query("SELECT sum(n) AS s FROM even", {"even": TableRef("t.even", tmp_path / "even")})
    assert written == 5
    assert total.column("s").to_pylist() == [20]


def test_query_batches_streams_an_ordered_result_and_spills_where_told(tmp_path: Path) -> None:
    numbers = _numbers(tmp_path, 1000)
    settings = Settings(workers=1, engine_memory_limit="256MB", engine_temp_dir=str(tmp_path / "spill"))
    with create_engine("duckdb", settings) as engine:
        batches = list(engine.query_batches("SELECT n FROM numbers ORDER BY n DESC", {"numbers": numbers}, 300))
        limit = engine.query("SELECT current_setting('memory_limit') AS m, current_setting('temp_directory') AS t", {})
    assert [b.num_rows for b in batches] == [300, 300, 300, 100]
    assert pa.Table.from_batches(batches).column("n").to_pylist() == list(range(999, -1, -1))
    assert limit.column("m").to_pylist()[0].startswith("244") and limit.column("t").to_pylist() == [
        str(tmp_path / "spill")
    ]
