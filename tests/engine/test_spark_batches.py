"""Spark's ``query_batches`` streams: the driver never collects the whole result, and the batches
hold what ``query`` (and DuckDB) return, in order."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from unveil.config import Settings
from unveil.engine import create_engine
from unveil.tables import TableRef, write_part

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.timeout(600)]

SQL = "SELECT n, label, seen, parts, share FROM rows ORDER BY n DESC"


@pytest.fixture
def away_from_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A local time zone other than UTC: PySpark hands timestamps to Python as naive local times."""
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _rows(tmp_path: Path, count: int) -> TableRef:
    start = datetime(2024, 3, 31, 0, 30, tzinfo=UTC)
    table = TableRef("t.rows", tmp_path / "rows")
    write_part(
        table.path,
        pa.table(
            {
                "n": pa.array(range(count), pa.int64()),
                "label": pa.array([None if i % 7 == 0 else f"post {i}" for i in range(count)], pa.string()),
                "seen": pa.array([start + timedelta(hours=i) for i in range(count)], pa.timestamp("us", tz="UTC")),
                "parts": pa.array([[i, i + 1] for i in range(count)], pa.list_(pa.int64())),
                "share": pa.array([i / 3 for i in range(count)], pa.float64()),
            }
        ),
    )
    return table


def test_spark_query_batches_stream_what_query_returns_and_nothing_for_no_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, away_from_utc: None
) -> None:
    table = _rows(tmp_path, 1000)
    collected: list[int] = []
    settings = Settings(workers=1)
    with create_engine("spark", settings, {"spark.master": "local[1]"}) as engine:
        frames = type(engine.spark.range(1))  # type: ignore[attr-defined]  # the session's DataFrame class
        to_arrow = frames.toArrow

        def counted(frame: Any) -> Any:
            result = to_arrow(frame)
            collected.append(result.num_rows)
            return result

        monkeypatch.setattr(frames, "toArrow", counted)
        batches = list(engine.query_batches(SQL, {"rows": table}, 300))
        streamed = collected.copy()
        whole = engine.query(SQL, {"rows": table})
        empty = list(engine.query_batches(f"{SQL} LIMIT 0", {"rows": table}))
    with create_engine("duckdb", settings) as duck:
        duck_whole = pa.Table.from_batches(list(duck.query_batches(SQL, {"rows": table}, 300)))
    assert streamed == [0]  # only the (empty) schema was collected, never the rows
    assert [b.num_rows for b in batches] == [300, 300, 300, 100]
    result = pa.Table.from_batches(batches)
    assert result.schema == whole.schema
    assert result.equals(whole)
    assert result.column("n").to_pylist() == list(range(999, -1, -1))
    assert result.to_pylist() == duck_whole.to_pylist()
    assert empty == []


def test_epoch_keeps_fractions_of_a_second_on_both_engines(tmp_path: Path) -> None:
    """DuckDB's ``epoch`` is fractional; sqlglot alone would write Spark's whole-second ``UNIX_TIMESTAMP``."""
    table = TableRef("t.times", tmp_path / "times")
    seen = [datetime(2026, 12, 7, 14, 23, 24, 700_000, tzinfo=UTC), datetime(2024, 1, 1, 0, 0, 0, 250, tzinfo=UTC)]
    write_part(table.path, pa.table({"seen": pa.array(seen, pa.timestamp("us", tz="UTC"))}))
    sql = "SELECT CAST(epoch(seen) AS DOUBLE) AS at, 2 / epoch(seen) AS inverse FROM times ORDER BY seen"
    settings = Settings(workers=1)
    with create_engine("spark", settings, {"spark.master": "local[1]"}) as engine:
        spark = engine.query(sql, {"times": table}).to_pylist()
    with create_engine("duckdb", settings) as duck:
        duckdb = duck.query(sql, {"times": table}).to_pylist()
    assert [row["at"] for row in duckdb] == [1704067200.00025, 1796653404.7]
    assert spark == duckdb
