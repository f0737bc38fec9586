"""A time limit per file: a file that takes too long is quarantined with its name and reason, the rest goes on."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ingest.conftest import assert_accounted, quarantine_entries
from unveil.ingest import ingest
from unveil.ingest import run as ingest_run
from unveil.ingest.limits import Limits
from unveil.ingest.records import Item, Row, Source
from unveil.pipeline import workspace_lock
from unveil.workspace import Workspace


def _stuck(source: Source) -> Iterator[Item]:
    """A reader that yields one record, then spins inside the next one (as a quadratic parser would)."""
    yield Row("posts", 1, "id:stuck-1", {"text": "first", "platform": "x", "source_id": "stuck-1"})
    while True:
        sum(range(1000))


def _slow(source: Source) -> Iterator[Item]:
    """A reader that never stalls but keeps yielding, slowly, far past any limit."""
    for number in range(1, 1_000_000):
        time.sleep(0.05)
        yield Row("posts", number, f"id:slow-{number}", {"text": f"slow {number}", "source_id": f"slow-{number}"})


@pytest.fixture
def hostile_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    real = ingest_run._reader

    def reader(fmt: str | None):  # type: ignore[no-untyped-def]
        chosen = real(fmt)

        def read(source: Source) -> Iterator[Item]:
            if "stuck" in source.name:
                return _stuck(source)
            if "slow" in source.name:
                return _slow(source)
            assert chosen is not None
            return chosen(source)

        return read

    monkeypatch.setattr(ingest_run, "_reader", reader)


def test_a_file_past_its_time_limit_is_quarantined_and_the_rest_goes_on(
    workspace: Workspace, tmp_path: Path, hostile_readers: None
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a-stuck.jsonl", "b-slow.jsonl", "c-fine.jsonl"):
        (folder / name).write_text(json.dumps({"id": name, "text": f"text of {name}"}) + "\n")
    started = time.monotonic()
    summary = ingest(workspace, [folder], limits=Limits(max_file_seconds=0.5))
    assert time.monotonic() - started < 20  # two 0.5 s limits, not forever
    assert_accounted(summary, workspace)
    reasons = {str(e["file"]): str(e["reason"]) for e in quarantine_entries(workspace)}
    assert set(reasons) == {"a-stuck.jsonl", "b-slow.jsonl"}
    assert all("time limit of 0.5 s per file reached" in reason for reason in reasons.values())
    assert "after record 1:" in reasons["a-stuck.jsonl"]
    texts = workspace.table("ingest.posts").read(["text"]).column("text").to_pylist()
    assert "text of c-fine.jsonl" in texts and "first" in texts  # what was read before the limit is kept
    with workspace_lock(workspace):  # the lock was given back
        pass


def test_the_limit_is_a_workspace_setting(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    assert workspace.settings.max_file_seconds == 600
