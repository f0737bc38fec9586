"""The link stage alone gives the same tables on DuckDB and on a local Spark session, style links
and calibration included (a world where the author model trains, which the pipeline's small world
may not give)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.engine.test_spark_parity import _rows
from tests.link.conftest import seed_workspace
from tests.link.test_authors import _vendor_posts
from unveil.engine import create_engine
from unveil.link.stage import LINK
from unveil.pipeline import run_pipeline
from unveil.workspace import Workspace

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.timeout(1800)]


def test_link_tables_are_identical_on_duckdb_and_spark(tmp_path: Path) -> None:
    duck = seed_workspace(tmp_path / "duck", _vendor_posts(40, seed=3))
    shutil.copytree(tmp_path / "duck", tmp_path / "spark")
    with create_engine("duckdb", duck.settings) as engine:
        run_pipeline(duck, engine, [LINK])
    spark = Workspace.open(tmp_path / "spark")
    options = {"spark.master": "local[2]", "spark.sql.shuffle.partitions": "2"}
    with create_engine("spark", spark.settings, options) as engine:
        run_pipeline(spark, engine, [LINK])

    assert duck.table("link.style_links").num_rows() > 0
    assert duck.table("link.link_phrases").num_rows() > 0  # the page's phrase spans, compared too
    assert all(row["calibrated"] for row in duck.table("link.calibration").read().to_pylist())
    for name in LINK.outputs:
        left, right = duck.table(f"link.{name}").read(), spark.table(f"link.{name}").read()
        assert sorted(left.column_names) == sorted(right.column_names), name
        assert left.num_rows == right.num_rows, name
        assert _rows(left) == _rows(right), name
