"""The ingest tables on disk: created empty at ``unveil init`` (or at the first ingestion), appended to part by part.

The pipeline learns of changes through the row counts and content hashes recorded here. Each
part's SHA-256, size and time are kept in the ingest state (``parts``) and in the custody log
(``ingest`` and ``ingest.tables`` events). Parts written by an ingestion that has not committed
yet are named in ``_pending.json`` (``unveil.evidence.pending``); a crash leaves them to
``roll_back_pending``, which deletes those no custody event names and records the others.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyarrow as pa

from unveil.ingest.schema import INGEST_TABLES
from unveil.storage import move
from unveil.tables import TableRef, hash_of_parts, write_part
from unveil.workspace import Workspace

STAGE = "ingest"


def ensure_ingest_tables(workspace: Workspace, actor: str | None = None) -> None:
    """Give every ingest table an empty first part, and bring older parts to the current schema."""
    written: dict[str, list[str]] = {}
    for name, schema in INGEST_TABLES.items():
        table = workspace.table(f"{STAGE}.{name}")
        if not table.exists():
            part = write_part(table.path, schema.empty_table(), name="part-000000-empty.parquet")
            written.setdefault(name, []).append(part.name)
            continue
        for part in table.parts():
            if not table.part_schema(part).equals(schema):
                _upgrade_part(table, part, schema)
                written.setdefault(name, []).append(part.name)
    hashes = record_ingest_state(workspace, written)
    if written:
        from unveil.evidence.custody import CustodyLog, default_actor

        objects = sorted({sha for parts in hashes.values() for sha in parts.values()})
        detail = {"part_sha256": hashes, "reason": "tables created or brought to the current schema"}
        CustodyLog(workspace).append(actor or default_actor(), "ingest.tables", objects, detail)


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


def record_ingest_state(
    workspace: Workspace,
    written: dict[str, list[str]] | None = None,
    removed: dict[str, list[str]] | None = None,
) -> dict[str, dict[str, str]]:
    """Record row counts, content hashes and part hashes of the ingest tables; return the written parts' hashes.

    Only the parts ``written`` are hashed (and those of a state that never recorded parts): a part
    changed outside the tool keeps its recorded hash, so that ``status`` and ``verify`` see it.
    With ``written`` None every part is hashed and recorded as it is (for callers that append
    rows themselves, such as test builders). A missing table is made empty.
    """
    from unveil.evidence.parts import describe_parts, hashes_of

    state = workspace.read_state(STAGE) or {}
    recorded = state.get("parts") if isinstance(state.get("parts"), dict) else None
    outputs: dict[str, Any] = {}
    parts: dict[str, Any] = {}
    new_hashes: dict[str, dict[str, str]] = {}
    for name, schema in INGEST_TABLES.items():
        table = workspace.table(f"{STAGE}.{name}")
        if not table.exists():
            part = write_part(table.path, schema.empty_table(), name="part-000000-empty.parquet")
            if written is not None:
                written = {**written, name: [*written.get(name, []), part.name]}
        if written is None or recorded is None or name not in recorded:
            table_parts = describe_parts(table)
        else:
            table_parts = dict(recorded[name])
            fresh = describe_parts(table, (written or {}).get(name, []))
            table_parts.update(fresh)
        for gone in (removed or {}).get(name, []):
            table_parts.pop(gone, None)
        names = (written or {}).get(name, [])
        if names:
            new_hashes[name] = {part: table_parts[part]["sha256"] for part in names if part in table_parts}
        parts[name] = table_parts
        outputs[name] = {"rows": table.num_rows(), "hash": hash_of_parts(hashes_of(table_parts))}
    workspace.write_state(STAGE, {"outputs": outputs, "parts": parts})
    return new_hashes


def set_aside(workspace: Workspace, problems: list[str], actor: str) -> set[str]:
    """Ingest parts changed or removed outside the tool: changed ones moved aside, all recorded.

    Returns the names of the parts concerned, so that the sources that wrote them are read again.
    """
    from unveil.evidence.custody import CustodyLog

    removed: dict[str, list[str]] = {}
    reasons: dict[str, str] = {}
    for problem in problems:
        where, _, reason = problem.partition(": ")
        table_name, _, part = where.partition(" ")
        table = table_name.removeprefix(f"{STAGE}.")
        if table not in INGEST_TABLES:
            continue
        folder = workspace.table(table_name).path
        if reason.startswith(("content changed", "added")) and (folder / part).exists():
            aside = folder / f".tampered-{os.getpid()}-{part}"
            move(folder / part, aside)
            reasons[f"{table}/{part}"] = f"{reason}: set aside as {aside.name}"
        else:
            reasons[f"{table}/{part}"] = reason
        removed.setdefault(table, []).append(part)
    if not removed:
        return set()
    record_ingest_state(workspace, {}, removed=removed)
    detail = {"removed_parts": removed, "reasons": reasons, "reason": "changed outside the tool; sources read again"}
    CustodyLog(workspace).append(actor, "ingest.repair", [], detail)
    return {part for parts in removed.values() for part in parts}
