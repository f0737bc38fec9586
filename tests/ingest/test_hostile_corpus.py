"""The generated hostile corpus: each case gives its expected accounting within its time bound."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.ingest.hostile_corpus import CASES, Case, write_corpus
from unveil.evidence.verify import verify_workspace
from unveil.ingest import ingest
from unveil.workspace import Workspace


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_hostile_case_is_accounted_for_in_time(case: Case, tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    folder = tmp_path / case.name
    folder.mkdir()
    case.write(folder)
    started = time.perf_counter()
    summary = ingest(workspace, [folder])
    elapsed = time.perf_counter() - started
    counts = (summary.read, summary.stored, summary.duplicates, summary.quarantined, len(summary.skipped))
    assert counts == (case.read, case.stored, case.duplicates, case.quarantined, case.skipped), summary
    assert summary.read == summary.stored + summary.duplicates + summary.quarantined
    assert elapsed < case.seconds
    assert verify_workspace(workspace).problems == []


def test_a_later_version_is_linked_to_the_first(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    case = next(case for case in CASES if case.name == "same-id-other-text")
    case.write(tmp_path)
    ingest(workspace, [tmp_path])
    posts = {row["text"]: row for row in workspace.table("ingest.posts").read().to_pylist()}
    first, edited = posts["rooms available"], posts["rooms available +32 470 11 22 33"]
    assert first["version_of"] is None and edited["version_of"] == first["post_id"]


@pytest.mark.slow
def test_the_whole_corpus_through_the_command_line(tmp_path: Path) -> None:
    cases = write_corpus(tmp_path / "corpus")
    assert run_cli(["init", str(tmp_path / "ws")]).returncode == 0
    result = run_cli(["ingest", str(tmp_path / "ws"), str(tmp_path / "corpus")])
    assert result.returncode == 0, result.stderr
    read = sum(case.read for case, _ in cases)
    assert f"read {read:,}" in result.stdout
    assert "dangling symbolic link" in result.stdout
    verify = run_cli(["verify", str(tmp_path / "ws")])
    assert verify.returncode == 0 and "intact" in verify.stdout
