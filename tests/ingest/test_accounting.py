"""For every reader: read = stored + duplicates + quarantined; re-ingesting adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ingest.conftest import SAMPLES, quarantine_entries
from unveil.evidence.store import EvidenceStore
from unveil.evidence.verify import verify_workspace
from unveil.ingest import ingest
from unveil.workspace import Workspace

SOURCES = {
    "jsonl": None,
    "csv": SAMPLES / "posts.csv",
    "mto": SAMPLES / "mto.csv",
    "bank": SAMPLES / "bank.csv",
    "html": SAMPLES / "page.html",
    "telegram": SAMPLES / "telegram",
    "facebook": SAMPLES / "facebook",
    "instagram": SAMPLES / "instagram_posts_1.json",
    "ftm": SAMPLES / "entities.ftm.jsonl",
    "images": SAMPLES / "photos",
}


def table_rows(workspace: Workspace) -> int:
    return sum(workspace.table(f"ingest.{name}").num_rows() for name in ("posts", "images", "transfers", "entities"))


def source_for(name: str, tmp_path: Path) -> Path:
    path = SOURCES[name]
    if path is not None:
        return path
    jsonl = tmp_path / "posts.jsonl"
    jsonl.write_text("".join(json.dumps({"id": n % 7, "text": f"t{n % 7}"}) + "\n" for n in range(20)) + "{bad\n")
    return jsonl


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_record_is_accounted_for_and_reingesting_adds_nothing(name: str, tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    source = source_for(name, tmp_path)
    first = ingest(workspace, [source])
    assert first.read > 0
    assert first.read == first.stored + first.duplicates + first.quarantined
    assert len(quarantine_entries(workspace)) == first.quarantined
    rows_after_first = table_rows(workspace)
    assert rows_after_first >= first.stored
    blobs = sorted(path.name for path in EvidenceStore(workspace).blobs())
    again = ingest(workspace, [source])
    assert (again.read, again.stored, again.quarantined, again.duplicates) == (first.read, 0, 0, first.read)
    assert table_rows(workspace) == rows_after_first
    assert len(quarantine_entries(workspace)) == first.quarantined
    assert sorted(path.name for path in EvidenceStore(workspace).blobs()) == blobs
    assert verify_workspace(workspace).ok


def test_the_same_records_in_two_files_are_stored_once(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    line = json.dumps({"id": "A", "text": "same post", "platform": "ads"}) + "\n"
    (tmp_path / "one.jsonl").write_text(line)
    (tmp_path / "two.jsonl").write_text(line + json.dumps({"id": "B", "text": "other", "platform": "ads"}) + "\n")
    summary = ingest(workspace, [tmp_path / "one.jsonl", tmp_path / "two.jsonl"], part_rows=1)
    assert (summary.read, summary.stored, summary.duplicates) == (3, 2, 1)
    assert workspace.table("ingest.posts").num_rows() == 2
