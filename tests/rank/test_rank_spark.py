"""The rank stage gives the same tables on Spark as on DuckDB, with labels (other stages' tables shared)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from unveil.cases.labels import label_item
from unveil.engine import create_engine
from unveil.pipeline import run_pipeline
from unveil.rank.stage import RANK
from unveil.stages import all_stages
from unveil.workspace import Workspace

pytestmark = [pytest.mark.spark, pytest.mark.slow, pytest.mark.timeout(1200)]


def _rows(table: pa.Table) -> list[tuple[Any, ...]]:
    def norm(value: Any) -> Any:
        return float(f"{value:.9g}") if isinstance(value, float) and not math.isnan(value) else value

    return sorted((tuple(norm(row[c]) for c in sorted(table.column_names)) for row in table.to_pylist()), key=repr)


def test_rank_is_the_same_on_duckdb_and_spark(small_workspace: Workspace, tmp_path: Path) -> None:
    copies = {}
    for engine_name in ("duckdb", "spark"):
        root = tmp_path / engine_name
        shutil.copytree(small_workspace.root, root)
        workspace = Workspace.open(root)
        members = sorted(set(workspace.table("link.network_posts").read(["post_id"]).column(0).to_pylist()))
        for post in members[:4]:
            label_item(workspace, "post", post, "true_positive", "ann", "checked", check=False)
        scores = workspace.table("rank.scores").read(["post_id", "rank"]).sort_by("rank").column(0).to_pylist()
        label_item(workspace, "post", scores[-1], "false_positive", "ann", "a job offer", check=False)
        options = {"spark.master": "local[2]"} if engine_name == "spark" else None
        with create_engine(engine_name, workspace.settings, options) as engine:
            ran = run_pipeline(workspace, engine, all_stages(), only=["rank"])
        assert [r.name for r in ran if r.ran] == ["rank"]
        copies[engine_name] = workspace
    for table in RANK.outputs:
        duck, spark = (copies[e].table(f"rank.{table}").read() for e in ("duckdb", "spark"))
        assert sorted(duck.column_names) == sorted(spark.column_names), table
        assert _rows(duck) == _rows(spark), table
