"""Fixtures of the ingestion tests: fresh workspaces, the committed samples, an accounting check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unveil.ingest import IngestSummary
from unveil.workspace import Workspace

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """A fresh, empty workspace."""
    return Workspace.init(tmp_path / "ws")


@pytest.fixture
def samples() -> Path:
    """Folder of small files in the real formats (written for these tests, no real data)."""
    return SAMPLES


def quarantine_entries(workspace: Workspace) -> list[dict[str, object]]:
    """Every quarantine entry of the workspace."""
    entries = []
    for path in sorted(workspace.quarantine_dir.glob("*.jsonl")):
        entries.extend(json.loads(line) for line in path.read_text("utf-8").splitlines())
    return entries


def rows(workspace: Workspace, table: str) -> list[dict[str, object]]:
    """All rows of an ingest table."""
    return workspace.table(f"ingest.{table}").read().to_pylist()


def assert_accounted(summary: IngestSummary, workspace: Workspace | None = None) -> None:
    """Every record read is stored, a duplicate or quarantined (and the files agree)."""
    assert summary.read == summary.stored + summary.duplicates + summary.quarantined
    if workspace is not None:
        assert len(quarantine_entries(workspace)) >= summary.quarantined
