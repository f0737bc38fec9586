"""FollowTheMoney entities and image folders."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.ingest.conftest import assert_accounted, quarantine_entries, rows
from unveil.ingest import ingest
from unveil.workspace import Workspace


def test_ftm_documents_payments_and_other_entities(workspace: Workspace, samples: Path) -> None:
    summary = ingest(workspace, [samples / "entities.ftm.jsonl"])
    assert_accounted(summary, workspace)
    assert (summary.read, summary.stored, summary.quarantined) == (6, 4, 2)
    post = rows(workspace, "posts")[0]
    assert (post["source_id"], post["kind"], post["url"]) == ("page-1", "page", "https://example.org/drivers")
    transfer = rows(workspace, "transfers")[0]
    assert (transfer["sender_name"], transfer["receiver_name"]) == ("Ion Popescu", "Blue Star Transport BV")
    assert transfer["sender_phone"] == "+40722123456" and transfer["amount"] == 900.0
    assert {row["entity_id"] for row in rows(workspace, "entities")} == {"person-1", "company-1"}
    reasons = " ".join(str(entry["reason"]) for entry in quarantine_entries(workspace))
    assert "lacks a readable amount or date" in reasons and "not a FollowTheMoney entity" in reasons


def test_an_image_folder_gives_loose_images_and_rejects_broken_ones(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "seized-phone"
    folder.mkdir()
    Image.new("RGB", (8, 6), (1, 2, 3)).save(folder / "a.jpg")
    Image.new("RGB", (8, 6), (1, 2, 3)).save(folder / "copy-of-a.jpg")
    Image.new("L", (3, 3)).save(folder / "b.png")
    (folder / "broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    summary = ingest(workspace, [folder])
    assert_accounted(summary, workspace)
    assert (summary.read, summary.stored, summary.duplicates, summary.quarantined) == (4, 2, 1, 1)
    images = rows(workspace, "images")
    assert {(row["width"], row["height"]) for row in images} == {(8, 6), (3, 3)}
    assert all(row["post_id"] is None and row["evidence_sha256"] == row["image_sha256"] for row in images)
