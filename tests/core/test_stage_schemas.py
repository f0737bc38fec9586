"""Stages declare the Arrow schema of their outputs; a table written otherwise is refused at commit."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from unveil.engine import create_engine
from unveil.errors import StageError
from unveil.pipeline import Stage, StageContext, check_schema, run_pipeline
from unveil.stages import all_stages
from unveil.tables import write_part
from unveil.workspace import Workspace

DECLARED = pa.schema([("post_id", pa.string()), ("score", pa.float64())])


def test_a_table_with_the_declared_columns_passes_whatever_their_nullability() -> None:
    written = pa.schema([pa.field("post_id", pa.string(), nullable=False), ("score", pa.float64())])
    assert not written.equals(DECLARED)  # they differ in nullability alone
    check_schema("s", "t", written, DECLARED)  # raises StageError on a difference it does not leave aside


def test_nested_fields_not_null_pass_a_declared_nullable_list() -> None:
    """Spark writes list elements and struct fields as not null where DuckDB does not."""
    element = pa.field("element", pa.struct([pa.field("n", pa.int64(), nullable=False)]), nullable=False)
    declared = pa.schema([("rows", pa.list_(pa.struct([("n", pa.int64())])))])
    check_schema("s", "t", pa.schema([("rows", pa.list_(element))]), declared)
    with pytest.raises(StageError, match="unlike its declared schema"):
        check_schema("s", "t", pa.schema([("rows", pa.list_(pa.struct([("n", pa.int32())])))]), declared)


@pytest.mark.parametrize(
    "written",
    [
        pa.schema([("post_id", pa.string()), ("score", pa.float32())]),
        pa.schema([("score", pa.float64()), ("post_id", pa.string())]),
        pa.schema([("post_id", pa.string())]),
    ],
)
def test_another_type_order_or_column_set_is_refused(written: pa.Schema) -> None:
    with pytest.raises(StageError, match="unlike its declared schema"):
        check_schema("s", "t", written, DECLARED)


def test_the_pipeline_refuses_to_commit_a_table_unlike_its_schema(tmp_path: Path) -> None:
    def run(context: StageContext) -> None:
        write_part(context.output("t"), pa.table({"post_id": ["p1"], "score": [1]}))  # an int, not a double

    workspace = Workspace.init(tmp_path / "ws")
    stage = Stage("shaped", (), ("t",), run, schemas={"t": DECLARED})
    with create_engine("duckdb", workspace.settings) as engine, pytest.raises(StageError, match="score: int64"):
        run_pipeline(workspace, engine, [stage])
    assert not (workspace.tables_dir / "shaped").exists()


def test_every_stage_declares_the_schema_of_every_output() -> None:
    for stage in all_stages():
        assert list(stage.schemas) == list(stage.outputs), stage.name
