"""The ingest tables on disk: created empty at ``unveil init`` (or at the first ingestion), appended to part by part.

The pipeline learns of changes through the row counts and content hashes recorded here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from unveil.ingest.schema import INGEST_TABLES
from unveil.tables import TableRef, write_part
from unveil.workspace import Workspace

STAGE = "ingest"


def ensure_ingest_tables(workspace: Workspace) -> None:
    """Give every ingest table an empty first part, and bring older parts to the current schema."""
    for name, schema in INGEST_TABLES.items():
        table = workspace.table(f"{STAGE}.{name}")
        if not table.exists():
            write_part(table.path, schema.empty_table(), name="part-000000-empty.parquet")
            continue
        for part in table.parts():
            if not table.part_schema(part).equals(schema):
                _upgrade_part(table, part, schema)
    record_ingest_state(workspace)


def _upgrade_part(table: TableRef, part: Path, schema: pa.Schema) -> None:
    """Rewrite a part written before columns were added: same rows, new columns empty."""
    old = table.read_part(part)
    columns = [
        old.column(field.name).cast(field.type)
        if field.name in old.column_names
        else pa.nulls(old.num_rows, field.type)
        for field in schema
    ]
    write_part(part.parent, pa.Table.from_arrays(columns, schema=schema), name=part.name)


def append_rows(workspace: Workspace, table_name: str, rows: pa.Table) -> None:
    """Append rows to an ingest table as a new part (atomic)."""
    table = workspace.table(f"{STAGE}.{table_name}")
    schema = INGEST_TABLES[table_name]
    columns = [
        rows.column(f.name).cast(f.type) if f.name in rows.column_names else pa.nulls(rows.num_rows, f.type)
        for f in schema
    ]
    write_part(table.path, pa.Table.from_arrays(columns, schema=schema))


def record_ingest_state(workspace: Workspace) -> None:
    """Record row counts and content hashes of the ingest tables for the pipeline (a missing table is made empty)."""
    outputs: dict[str, Any] = {}
    for name, schema in INGEST_TABLES.items():
        table = workspace.table(f"{STAGE}.{name}")
        if not table.exists():
            write_part(table.path, schema.empty_table(), name="part-000000-empty.parquet")
        outputs[name] = {"rows": table.num_rows(), "hash": table.content_hash()}
    workspace.write_state(STAGE, {"outputs": outputs})
