"""The evidence store and the custody log."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from unveil.evidence.custody import GENESIS, CustodyLog, line_hash
from unveil.evidence.store import EvidenceStore
from unveil.workspace import Workspace


def test_a_file_is_stored_once_under_its_hash_and_read_only(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    store = EvidenceStore(workspace)
    source = tmp_path / "capture.html"
    source.write_bytes(b"<html>evidence</html>")
    sha256, new = store.put_file(source)
    assert new and sha256 == hashlib.sha256(b"<html>evidence</html>").hexdigest()
    assert store.put_file(source) == (sha256, False)
    assert store.get(sha256) == b"<html>evidence</html>" and store.path(sha256).stat().st_mode & 0o222 == 0
    assert [path.name for path in store.blobs()] == [sha256]


def test_every_custody_event_chains_to_the_line_before(ingested: Workspace) -> None:
    log = CustodyLog(ingested)
    lines = list(log.lines())
    events = log.entries()
    assert [event["seq"] for event in events] == list(range(1, len(events) + 1))
    assert events[0]["prev"] == GENESIS
    assert all(event["prev"] == line_hash(line) for event, line in zip(events[1:], lines, strict=False))
    assert events[0]["action"] == "ingest.tables"  # the empty tables made by init, with their hashes
    assert {event["action"] for event in events[1:]} == {"capture", "ingest"}
    assert all(event["actor"] == "tester" for event in events[1:])
    assert all(event["tool"].startswith("unveil ") for event in events)
    assert all(event["at"].endswith("+00:00") for event in events)
    head = log.head() or {}
    assert (head["seq"], head["sha256"]) == (len(events), line_hash(lines[-1]))


def test_capture_and_ingest_events_name_the_blobs(ingested: Workspace) -> None:
    events = CustodyLog(ingested).entries()
    captured = [obj for event in events if event["action"] == "capture" for obj in event["objects"]]
    stored = sorted(path.name for path in EvidenceStore(ingested).blobs())
    assert sorted(captured) == stored
    ingests = [event for event in events if event["action"] == "ingest"]
    assert len(ingests) == 3 and all(event["detail"]["stored"] == 1 for event in ingests)
    assert json.dumps(ingests[0]["detail"]["parts"]).count("part-") == 1
