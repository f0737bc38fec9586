"""Appending ingested rows to the ``ingest`` tables and recording their content hashes."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from unveil.ingest.schema import INGEST_TABLES
from unveil.tables import write_part
from unveil.workspace import Workspace

STAGE = "ingest"


def ensure_ingest_tables(workspace: Workspace) -> None:
    """Give every ingest table an empty first part, so its schema is known before any data."""
    for name, schema in INGEST_TABLES.items():
        table = workspace.table(f"{STAGE}.{name}")
        if not table.exists():
            write_part(table.path, schema.empty_table(), name="part-000000-empty.parquet")
    record_ingest_state(workspace)


def append_rows(workspace: Workspace, table_name: str, rows: pa.Table) -> None:
    """Append rows to an ingest table as a new part (atomic), then refresh the recorded hashes."""
    table = workspace.table(f"{STAGE}.{table_name}")
    write_part(table.path, rows.cast(INGEST_TABLES[table_name]))


def record_ingest_state(workspace: Workspace) -> None:
    """Record row counts and content hashes of the ingest tables for the pipeline."""
    outputs: dict[str, Any] = {}
    for name in INGEST_TABLES:
        table = workspace.table(f"{STAGE}.{name}")
        outputs[name] = {"rows": table.num_rows(), "hash": table.content_hash()}
    workspace.write_state(STAGE, {"outputs": outputs})
