"""Fixtures of the evidence tests: a workspace with a few ingested files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unveil.ingest import ingest
from unveil.workspace import Workspace


@pytest.fixture
def ingested(tmp_path: Path) -> Workspace:
    """A workspace after two ingestions (so the custody log has several lines and blobs)."""
    workspace = Workspace.init(tmp_path / "ws")
    for number in range(3):
        source = tmp_path / f"posts-{number}.jsonl"
        source.write_text(json.dumps({"id": f"P{number}", "text": f"post {number}"}) + "\n", "utf-8")
        ingest(workspace, [source], actor="tester")
    return workspace
