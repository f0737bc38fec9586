"""The publish stage alone gives the same page tables on DuckDB and on a local Spark session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.engine.test_spark_parity import _rows
from unveil.engine import create_engine
from unveil.pipeline import run_pipeline
from unveil.publish.stage import PUBLISH
from unveil.workspace import Workspace

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.timeout(1800)]


def test_page_tables_are_identical_on_duckdb_and_spark(small_workspace: Workspace, tmp_path: Path) -> None:
    shutil.copytree(small_workspace.root, tmp_path / "spark", ignore=shutil.ignore_patterns(".web"))
    spark = Workspace.open(tmp_path / "spark")
    options = {"spark.master": "local[2]", "spark.sql.shuffle.partitions": "2"}
    with create_engine("spark", spark.settings, options) as engine:
        (result,) = run_pipeline(spark, engine, [PUBLISH], force=True)
    assert result.ran and result.rows["posts"] > 0
    for name in PUBLISH.outputs:
        left, right = small_workspace.table(f"publish.{name}").read(), spark.table(f"publish.{name}").read()
        assert left.column_names == right.column_names, name
        assert left.num_rows == right.num_rows, name
        assert _rows(left) == _rows(right), name
