"""Ingestion: source files in, rows and evidence out, nothing lost."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from unveil.errors import InputError
from unveil.ingest.jsonl import read_jsonl_posts
from unveil.ingest.schema import POSTS
from unveil.ingest.store import STAGE, append_rows, ensure_ingest_tables, record_ingest_state
from unveil.pipeline import workspace_lock
from unveil.progress import Progress, SilentProgress
from unveil.workspace import Workspace


@dataclass
class IngestSummary:
    """Counts of one ingestion: read = stored + duplicates + quarantined."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    quarantined: int = 0


def ingest(workspace: Workspace, sources: Sequence[Path], progress: Progress | None = None) -> IngestSummary:
    """Ingest JSON-lines post files into the workspace."""
    files = _expand(sources)
    report = progress or SilentProgress()
    summary = IngestSummary()
    with workspace_lock(workspace):
        ensure_ingest_tables(workspace)
        seen = set(workspace.table(f"{STAGE}.posts").read(columns=["post_id"]).column(0).to_pylist())
        for path in files:
            report.start(f"ingest {path.name}", None)
            _ingest_file(workspace, path, seen, summary, report)
            report.finish()
        record_ingest_state(workspace)
    return summary


def _ingest_file(workspace: Workspace, path: Path, seen: set[str], summary: IngestSummary, progress: Progress) -> None:
    rows = []
    for item in read_jsonl_posts(path, workspace.settings.default_region):
        summary.read += 1
        progress.advance(1)
        if isinstance(item, tuple):
            _quarantine(workspace, path, *item)
            summary.quarantined += 1
        elif item["post_id"] in seen:
            summary.duplicates += 1
        else:
            seen.add(item["post_id"])
            rows.append(item)
    if rows:
        append_rows(workspace, "posts", pa.Table.from_pylist(rows, schema=POSTS))
    summary.stored += len(rows)


def _quarantine(workspace: Workspace, path: Path, record_no: int, reason: str) -> None:
    workspace.quarantine_dir.mkdir(exist_ok=True)
    entry = {"file": str(path), "record": record_no, "reason": reason}
    with (workspace.quarantine_dir / "quarantine.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")


def _expand(sources: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            files.extend(sorted(p for p in source.rglob("*.jsonl") if p.is_file()))
        elif source.is_file():
            files.append(source)
        else:
            raise InputError(source, "no such file or folder")
    return files
