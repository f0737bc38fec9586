"""Custody that survives crashes and full disks: intents recovered, torn lines cut, heads in step."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from unveil.evidence.custody import HEAD_TEMPORARY, CustodyLog, line_hash
from unveil.evidence.recovery import recover
from unveil.evidence.store import EvidenceStore
from unveil.evidence.verify import verify_workspace
from unveil.ingest import ingest
from unveil.workspace import Workspace


def problems(workspace: Workspace) -> list[str]:
    return verify_workspace(workspace).problems


def test_a_blob_stored_before_a_crash_gets_its_capture_event(ingested: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "late.jsonl"
    source.write_text('{"id": "L1", "text": "late"}\n', "utf-8")
    sha256, new = EvidenceStore(ingested).put_file(source, str(source))  # the crash: no capture event
    assert new and any("no capture event" in problem for problem in problems(ingested))
    notes = recover(ingested)
    assert any("capture event" in note for note in notes)
    event = CustodyLog(ingested).entries()[-1]
    assert event["action"] == "capture" and event["objects"] == [sha256] and event["detail"]["recovered"] is True
    assert problems(ingested) == []


def test_a_blob_outside_custody_is_named_and_reingesting_captures_it(ingested: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "planted.jsonl"
    source.write_text('{"id": "X1", "text": "planted"}\n', "utf-8")
    store = EvidenceStore(ingested)
    sha256, _ = store.put_file(source)
    store.clear_intents()  # written without the tool's journal
    assert problems(ingested) == [
        f"evidence/{sha256[:2]}/{sha256[2:4]}/{sha256}: no capture event names it (stored outside the custody log)"
    ]
    ingest(ingested, [source], actor="tester")
    assert problems(ingested) == []


def test_leftover_temporary_copies_are_removed(ingested: Workspace) -> None:
    leftover = ingested.evidence_dir / ".incoming-deadbeef.tmp"
    leftover.write_bytes(b"half a copy")
    assert recover(ingested) == ["evidence: 1 temporary file(s) of interrupted copies removed"]
    assert not leftover.exists() and problems(ingested) == []


def test_known_bytes_under_a_new_name_are_an_alias_and_links_are_resolved(ingested: Workspace, tmp_path: Path) -> None:
    first = tmp_path / "posts-0.jsonl"
    copy = tmp_path / "sub" / "renamed.jsonl"
    copy.parent.mkdir()
    copy.write_bytes(first.read_bytes())
    link = tmp_path / "link.jsonl"
    link.symlink_to(copy)
    ingest(ingested, [copy], actor="tester")
    alias = [e for e in CustodyLog(ingested).entries() if e["action"] == "alias"]
    assert len(alias) == 1 and alias[0]["detail"]["aliases"][0][1] == str(copy.resolve())
    ingest(ingested, [copy], actor="tester")  # the same name again: nothing new recorded
    assert len([e for e in CustodyLog(ingested).entries() if e["action"] == "alias"]) == 1
    fresh = tmp_path / "fresh.jsonl"
    fresh.write_text('{"id": "F1", "text": "fresh"}\n', "utf-8")
    linked = tmp_path / "fresh-link.jsonl"
    linked.symlink_to(fresh)
    ingest(ingested, [linked], actor="tester")
    capture = [e for e in CustodyLog(ingested).entries() if e["action"] == "capture"][-1]
    sha = capture["objects"][0]
    assert capture["detail"]["sources"][sha] == str(fresh.resolve())
    assert capture["detail"]["links"][sha] == str(linked)


def test_a_torn_last_line_is_cut_recorded_and_numbering_goes_on(ingested: Workspace) -> None:
    log = CustodyLog(ingested)
    last_seq = log.entries()[-1]["seq"]
    with ingested.custody_log.open("ab") as handle:
        handle.write(b'{"action": "capture", "seq": 1')  # an append cut by a crash
    assert any("torn" in problem for problem in problems(ingested))
    event = log.append("tester", "note", [])
    events = log.entries()
    assert [e["action"] for e in events[-2:]] == ["custody.repair", "note"]
    assert events[-2]["seq"] == last_seq + 1 and event["seq"] == last_seq + 2
    assert events[-2]["detail"]["removed_bytes"] == 30
    assert problems(ingested) == []


def test_a_torn_line_the_head_does_not_explain_is_refused(ingested: Workspace) -> None:
    log = CustodyLog(ingested)
    data = ingested.custody_log.read_bytes()
    ingested.custody_log.write_bytes(data[:-10])  # a committed line cut: tampering or disk damage
    with pytest.raises(Exception, match="torn"):
        log.append("tester", "note", [])
    assert any("torn" in problem for problem in problems(ingested))


def test_a_crash_between_the_line_and_the_head_is_completed(ingested: Workspace) -> None:
    log = CustodyLog(ingested)
    head_before = ingested.root.joinpath("custody.head").read_bytes()
    event = log.append("tester", "note", [])
    ingested.root.joinpath(HEAD_TEMPORARY).write_bytes(ingested.root.joinpath("custody.head").read_bytes())
    ingested.root.joinpath("custody.head").write_bytes(head_before)  # as if the rename never happened
    assert problems(ingested)
    assert recover(ingested) == [
        f"custody.head: brought up to seq {event['seq']} (a commit interrupted after its line)"
    ]
    assert problems(ingested) == []


@pytest.mark.parametrize("failing", ["head", "line"])
def test_a_full_disk_during_an_append_leaves_log_and_head_in_step(
    ingested: Workspace, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    log = CustodyLog(ingested)
    before = ingested.custody_log.read_bytes()
    real_fsync = os.fsync
    calls = {"n": 0}

    def full_disk(descriptor: int) -> None:
        calls["n"] += 1
        if calls["n"] == (1 if failing == "head" else 2):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        log.append("tester", "verification", [])
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert ingested.custody_log.read_bytes() == before
    assert log.head()["sha256"] == line_hash(before.splitlines()[-1])  # type: ignore[index]
    assert problems(ingested) == []


def test_unreadable_and_special_files_are_listed_as_skipped(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.jsonl").write_text('{"id": "1", "text": "fine"}\n', "utf-8")
    (folder / "gone.jsonl").symlink_to(folder / "missing.jsonl")
    os.mkfifo(folder / "pipe.jsonl")
    bad = folder / "bad.json"
    bad.write_text(json.dumps({"chats": {"list": 5}}), "utf-8")
    fb = folder / "your_posts.json"
    fb.write_text(json.dumps([{"timestamp": 1, "data": 5}]), "utf-8")
    summary = ingest(workspace, [folder], actor="tester")
    assert sorted(item.rpartition(": ")[2] for item in summary.skipped) == [
        "dangling symbolic link",
        "not a regular file (FIFO, socket or device)",
    ]
    assert summary.stored == 1 and summary.quarantined == 2
    assert summary.read == summary.stored + summary.duplicates + summary.quarantined
    assert problems(workspace) == []
