"""A source folder's manifest says what in it is not evidence; without one, every file is."""

from __future__ import annotations

import json
from pathlib import Path

from unveil.ingest import ingest
from unveil.manifest import SELF, read_manifest
from unveil.workspace import Workspace

POST = '{"id": "p1", "text": "call 0470 12 34 56"}\n'


def _folder(root: Path, manifest: object | None) -> Path:
    (root / "posts").mkdir(parents=True)
    (root / "posts" / "a.jsonl").write_text(POST, "utf-8")
    (root / "answers").mkdir()
    (root / "answers" / "b.jsonl").write_text(POST.replace("p1", "p2"), "utf-8")
    if manifest is not None:
        (root / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    return root


def test_files_the_manifest_names_are_skipped_with_its_reason(tmp_path: Path) -> None:
    manifest = {"manifest": 1, "producer": "a lab", "not_evidence": {"answers/": "the expected answers"}}
    source = _folder(tmp_path / "source", manifest)
    summary = ingest(Workspace.init(tmp_path / "ws"), [source])
    assert sorted(summary.skipped) == [
        f"{source / 'answers' / 'b.jsonl'}: the expected answers",
        f"{source / 'manifest.json'}: {SELF}",
    ]
    assert summary.stored == 1


def test_without_a_manifest_every_file_is_evidence_and_nothing_is_synthetic(tmp_path: Path) -> None:
    source = _folder(tmp_path / "source", None)
    assert read_manifest(source).synthetic is False
    summary = ingest(Workspace.init(tmp_path / "ws"), [source])
    assert summary.skipped == [] and summary.stored == 2


def test_a_json_file_that_is_not_a_manifest_is_evidence(tmp_path: Path) -> None:
    source = _folder(tmp_path / "source", [{"id": "p3", "text": "an array of posts"}])
    assert read_manifest(source).found is False
    summary = ingest(Workspace.init(tmp_path / "ws"), [source])
    assert summary.skipped == [] and summary.stored == 3


def test_the_synthetic_world_says_it_is_synthetic(small_world: Path) -> None:
    manifest = read_manifest(small_world)
    assert manifest.synthetic and manifest.why_not_evidence(Path("truth/posts.csv")) is not None
    assert manifest.why_not_evidence(Path("posts/posts-00000.jsonl")) is None
