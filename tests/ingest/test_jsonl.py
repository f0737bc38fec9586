"""Posts as JSON lines."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from tests.ingest.conftest import assert_accounted, quarantine_entries, rows
from unveil.ingest import ingest
from unveil.workspace import Workspace


def write_lines(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"".join((line.encode() if isinstance(line, str) else line) + b"\n" for line in lines))
    return path


def test_every_line_is_stored_or_quarantined_with_a_reason(workspace: Workspace, tmp_path: Path) -> None:
    source = write_lines(
        tmp_path / "posts.jsonl",
        [
            json.dumps(
                {"id": "A1", "text": "Call 0470 12 34 56", "platform": "ads", "posted_at": "2024-01-02T03:04:05Z"}
            ),
            "{broken",
            json.dumps(["not", "an", "object"]),
            json.dumps({"id": "A2", "title": "no text"}),
            json.dumps({"id": "A3", "body": "text under another common name", "platform": "ads"}),
        ],
    )
    summary = ingest(workspace, [source])
    assert (summary.read, summary.stored, summary.quarantined) == (5, 2, 3)
    assert_accounted(summary, workspace)
    reasons = {entry["record"]: entry["reason"] for entry in quarantine_entries(workspace)}
    assert "not valid JSON" in str(reasons[2]) and "JSON object" in str(reasons[3]) and "no text" in str(reasons[4])
    stored = {row["source_id"]: row for row in rows(workspace, "posts")}
    assert stored["A1"]["posted_at"].isoformat() == "2024-01-02T03:04:05+00:00"
    assert stored["A3"]["text"] == "text under another common name"
    assert stored["A1"]["evidence_sha256"] == stored["A3"]["evidence_sha256"]
    assert stored["A1"]["record_no"] == 1 and stored["A3"]["record_no"] == 5


def test_repeated_ids_in_a_file_are_duplicates(workspace: Workspace, tmp_path: Path) -> None:
    line = json.dumps({"id": "A1", "text": "same", "platform": "ads"})
    summary = ingest(workspace, [write_lines(tmp_path / "p.jsonl", [line, line, line])])
    assert (summary.read, summary.stored, summary.duplicates) == (3, 1, 2)


def test_gzip_compressed_lines_are_read(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl.gz"
    path.write_bytes(gzip.compress(b"".join(json.dumps({"text": f"post {n}"}).encode() + b"\n" for n in range(50))))
    summary = ingest(workspace, [path])
    assert summary.stored == 50
    assert_accounted(summary)


def test_post_ids_are_stable_and_keep_the_source_id(workspace: Workspace, tmp_path: Path) -> None:
    source = write_lines(tmp_path / "p.jsonl", [json.dumps({"id": "S1", "text": "x", "platform": "p"})])
    ingest(workspace, [source])
    other = Workspace.init(tmp_path / "other")
    ingest(other, [source])
    assert rows(workspace, "posts")[0]["post_id"] == rows(other, "posts")[0]["post_id"]
    assert rows(workspace, "posts")[0]["source_id"] == "S1"


def test_a_cp1252_file_is_decoded(workspace: Workspace, tmp_path: Path) -> None:
    text = "Nouvelle à Liège, très discrète, réservé"
    line = json.dumps({"text": text}, ensure_ascii=False).encode("cp1252")
    summary = ingest(workspace, [write_lines(tmp_path / "legacy.jsonl", [line])])
    assert summary.stored == 1
    assert rows(workspace, "posts")[0]["text"] == text
