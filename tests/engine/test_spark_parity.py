"""The same workspace on DuckDB and on a real local Spark session gives the same tables."""

from __future__ import annotations

import math
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from unveil.engine import create_engine
from unveil.errors import EngineUnavailable
from unveil.pipeline import run_pipeline
from unveil.stages import all_stages
from unveil.workspace import Workspace

pytestmark = [pytest.mark.spark, pytest.mark.timeout(1800)]


def _normalised(value: Any) -> Any:
    """Lists compare as sorted multisets (Spark's collect_list has no order); floats to 9 digits."""
    if isinstance(value, list):
        return sorted((_normalised(v) for v in value), key=repr)
    if isinstance(value, dict):
        return {k: _normalised(v) for k, v in sorted(value.items())}
    if isinstance(value, float):
        return None if math.isnan(value) else float(f"{value:.9g}")
    return value


def _rows(table: pa.Table) -> list[tuple[Any, ...]]:
    rows = [tuple(_normalised(row[name]) for name in sorted(table.column_names)) for row in table.to_pylist()]
    return sorted(rows, key=repr)


def _pipeline_tables() -> Iterator[str]:
    for stage in all_stages():
        for table in stage.outputs:
            yield f"{stage.name}.{table}"


@pytest.fixture(scope="module")
def both_engines(small_workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Workspace]:
    """The session's small workspace (DuckDB) and a copy re-run from its ingested tables on Spark.

    The copy keeps its tables outside the workspace, at a ``file://`` URI (``tables_uri``), which
    Spark reads and writes directly.
    """
    scratch = tmp_path_factory.mktemp("spark")
    root, tables = scratch / "ws", scratch / "table-store" / "tables"
    shutil.copytree(small_workspace.root, root, ignore=shutil.ignore_patterns("tables"))
    shutil.copytree(small_workspace.tables_dir / "ingest", tables / "ingest")
    with (root / "unveil.toml").open("a", encoding="utf-8") as handle:
        handle.write(f'\ntables_uri = "{tables.as_uri()}"\n')
    spark_workspace = Workspace.open(root)
    assert spark_workspace.tables_dir == tables.resolve()
    with create_engine("spark", spark_workspace.settings, {"spark.master": "local[2]"}) as engine:
        results = run_pipeline(spark_workspace, engine, all_stages())
    assert all(result.ran for result in results)
    return small_workspace, spark_workspace


def test_every_table_is_identical_on_duckdb_and_spark(both_engines: tuple[Workspace, Workspace]) -> None:
    duck, spark = both_engines
    for name in _pipeline_tables():
        duck_table, spark_table = duck.table(name).read(), spark.table(name).read()
        assert sorted(duck_table.column_names) == sorted(spark_table.column_names), name
        assert duck_table.num_rows == spark_table.num_rows, name
        assert _rows(duck_table) == _rows(spark_table), name


def test_spark_state_records_its_engine(both_engines: tuple[Workspace, Workspace]) -> None:
    _, spark = both_engines
    for stage in all_stages():
        assert (spark.read_state(stage.name) or {}).get("engine") == "spark"


def test_local_spark_binds_to_loopback_and_uses_this_python(small_workspace: Workspace) -> None:
    with create_engine("spark", small_workspace.settings) as engine:
        session = engine.spark  # type: ignore[attr-defined]
        assert session.conf.get("spark.driver.host") == "127.0.0.1"
        assert session.conf.get("spark.jars.packages", None) in (None, "")
        assert all(Path(jar).is_file() for jar in session.conf.get("spark.jars").split(","))
        assert session.sparkContext.pythonExec == sys.executable


def test_missing_pyspark_says_what_to_install(small_workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    for module in [name for name in sys.modules if name == "pyspark" or name.startswith("pyspark.")]:
        monkeypatch.setitem(sys.modules, module, None)
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.delitem(sys.modules, "unveil.engine.spark", raising=False)
    with pytest.raises(EngineUnavailable, match=r"unveil\[spark\]"):
        create_engine("spark", small_workspace.settings)


def test_cli_runs_on_spark_with_master_and_conf(small_workspace: Workspace, tmp_path: Path) -> None:
    from tests.conftest import run_cli

    root = tmp_path / "ws"
    shutil.copytree(small_workspace.root, root)
    shutil.rmtree(root / "tables" / "score")
    args = ["run", str(root), "--engine", "spark", "--master", "local[1]", "--conf", "spark.sql.shuffle.partitions=2"]
    result = run_cli([*args, "--stage", "score"])
    assert result.returncode == 0, result.stderr
    assert (Workspace.open(root).read_state("score") or {}).get("engine") == "spark"
