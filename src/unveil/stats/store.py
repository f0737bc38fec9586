"""The workspace's statistics tables: ``statistics.observations`` and ``statistics.mappings``.

Each imported file gives one Parquet part in each table, named after the file's format and name,
so re-importing a file replaces what it gave before (imports are idempotent) and an updated file
replaces its older version. Rows an importer rejects go to ``quarantine/statistics-<key>.jsonl``
with their reason. The state (``tables/statistics/_state.json``) lists every imported source.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from unveil.errors import InputError
from unveil.stats.importers import ImportResult, detect_importer
from unveil.stats.schema import MAPPING_SCHEMA, conform, empty_frame, to_arrow
from unveil.tables import write_part
from unveil.workspace import Workspace

STAGE = "statistics"
OBSERVATIONS = f"{STAGE}.observations"
MAPPINGS = f"{STAGE}.mappings"


@dataclass(frozen=True)
class ImportSummary:
    """What importing one file did."""

    path: Path
    importer: str
    rows_read: int
    observations: int
    rejected: int
    labels_cleaned: int


def source_key(importer: str, path: Path) -> str:
    """Stable key of a source: its format and file name."""
    return hashlib.sha256(f"{importer}:{path.name}".encode()).hexdigest()[:16]


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class AlreadyImported(InputError):
    """The file's bytes were already imported under another name (not counted twice)."""


def import_file(workspace: Workspace, path: Path) -> ImportSummary:
    """Import one statistics file into the workspace, replacing its earlier import.

    The caller holds the workspace's write lock.

    Raises:
        AlreadyImported: when a file with the same SHA-256 was imported under another name.
    """
    importer = detect_importer(path)
    key = source_key(importer.name, path)
    sha256 = file_sha256(path)
    for other, info in imported_sources(workspace).items():
        if other != key and info.get("sha256") == sha256:
            raise AlreadyImported(
                path,
                f"same content (SHA-256 {sha256[:12]}...) as {info.get('file')}, already imported: not counted twice",
            )
    result = importer.read(path)
    name = f"src-{key}.parquet"
    write_part(workspace.table(OBSERVATIONS).path, to_arrow(result.frame()), name)
    mapping = pa.Table.from_pandas(result.mapping.to_frame(), schema=MAPPING_SCHEMA, preserve_index=False)
    write_part(workspace.table(MAPPINGS).path, mapping, name)
    _write_quarantine(workspace, key, result)
    summary = ImportSummary(
        path,
        importer.name,
        result.rows_read,
        len(result.observations),
        len(result.rejected),
        len(result.mapping.entries),
    )
    _record_source(workspace, key, summary, sha256)
    return summary


def _write_quarantine(workspace: Workspace, key: str, result: ImportResult) -> None:
    target = workspace.quarantine_dir / f"statistics-{key}.jsonl"
    if not result.rejected:
        target.unlink(missing_ok=True)
        return
    temporary = target.with_suffix(".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        for item in result.rejected:
            record = {"source": item.source, "source_row": item.source_row, "reason": item.reason}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    os.replace(temporary, target)


def _record_source(workspace: Workspace, key: str, summary: ImportSummary, sha256: str) -> None:
    state: dict[str, Any] = workspace.read_state(STAGE) or {}
    sources: dict[str, Any] = state.get("sources", {})
    sources[key] = {
        "file": str(summary.path),
        "sha256": sha256,
        "importer": summary.importer,
        "rows_read": summary.rows_read,
        "observations": summary.observations,
        "rejected": summary.rejected,
        "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    outputs = {
        "observations": {"rows": workspace.table(OBSERVATIONS).num_rows()},
        "mappings": {"rows": workspace.table(MAPPINGS).num_rows()},
    }
    workspace.write_state(STAGE, {"sources": sources, "outputs": outputs})


def read_observations(workspace: Workspace) -> pd.DataFrame:
    """The harmonised table of a workspace (empty when nothing was imported)."""
    table = workspace.table(OBSERVATIONS)
    if not table.exists():
        return empty_frame()
    return conform(table.read().to_pandas())


def read_mappings(workspace: Workspace) -> pd.DataFrame:
    """The mapping reports of every imported source."""
    table = workspace.table(MAPPINGS)
    if not table.exists():
        return pd.DataFrame(columns=MAPPING_SCHEMA.names)
    return table.read().to_pandas()


def imported_sources(workspace: Workspace) -> dict[str, Any]:
    """The sources recorded in the statistics state, by key."""
    sources: dict[str, Any] = (workspace.read_state(STAGE) or {}).get("sources", {})
    return sources
