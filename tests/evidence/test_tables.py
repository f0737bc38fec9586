"""Authenticated tables: every committed part's hash is in the custody log, checked by verify, status and run."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from unveil.engine import Engine
from unveil.errors import IntegrityError
from unveil.evidence.custody import CustodyLog
from unveil.evidence.parts import COMMIT_INTENT, stage_problems, write_commit_intent
from unveil.evidence.recovery import recover
from unveil.evidence.verify import verify_workspace
from unveil.ingest import ingest
from unveil.pipeline import Stage, StageContext, run_pipeline, stage_status
from unveil.tables import write_part
from unveil.workspace import Workspace

FAKE_ENGINE = cast(Engine, SimpleNamespace(name="none"))  # the stages here do not use an engine


def problems(workspace: Workspace) -> list[str]:
    return verify_workspace(workspace).problems


def texts(workspace: Workspace) -> list[str]:
    return sorted(workspace.table("ingest.posts").read(["text"]).column("text").to_pylist())


def doctor(part: Path, old: str, new: str) -> None:
    table = pq.read_table(part)
    column = [value.replace(old, new) if value else value for value in table.column("text").to_pylist()]
    table = table.set_column(table.schema.get_field_index("text"), "text", pa.array(column, pa.string()))
    pq.write_table(table, part)


def posts_part(workspace: Workspace, needle: str) -> Path:
    for part in workspace.table("ingest.posts").parts():
        if needle in str(pq.read_table(part, columns=["text"]).column("text").to_pylist()):
            return part
    raise AssertionError(needle)


def test_ingest_events_carry_the_hash_of_every_part(ingested: Workspace) -> None:
    events = [e for e in CustodyLog(ingested).entries() if e["action"] == "ingest"]
    assert all(len(e["detail"]["part_sha256"]["posts"]) == 1 for e in events)
    assert verify_workspace(ingested).parts >= 7 and problems(ingested) == []


def test_a_doctored_post_is_named_refused_by_run_and_restored_by_reingesting(
    ingested: Workspace, tmp_path: Path
) -> None:
    original = texts(ingested)
    part = posts_part(ingested, "post 1")
    doctor(part, "post 1", "post 1 call +32 470 00 00 00")
    assert any(part.name in p and "content changed" in p for p in problems(ingested))
    assert stage_problems(ingested, "ingest") == [f"ingest.posts {part.name}: content changed"]
    with pytest.raises(IntegrityError, match="re-ingest"):
        run_pipeline(ingested, FAKE_ENGINE, [])
    summary = ingest(ingested, [tmp_path / "posts-1.jsonl"], actor="tester")
    assert summary.stored == 1 and texts(ingested) == original
    assert CustodyLog(ingested).entries()[-2]["action"] == "ingest.repair"
    assert problems(ingested) == [] and stage_problems(ingested, "ingest") == []


def test_a_deleted_ingest_part_is_detected_and_reingesting_restores_it(ingested: Workspace, tmp_path: Path) -> None:
    original = texts(ingested)
    part = posts_part(ingested, "post 2")
    part.unlink()
    assert any(part.name in p and "removed" in p for p in problems(ingested))
    assert stage_problems(ingested, "ingest") == [f"ingest.posts {part.name}: removed"]
    summary = ingest(ingested, [tmp_path / f"posts-{n}.jsonl" for n in range(3)], actor="tester")
    assert (summary.stored, summary.duplicates) == (1, 2) and texts(ingested) == original
    assert problems(ingested) == []


def _copy_stage(context: StageContext) -> None:
    rows = context.input("ingest.posts").read(["post_id", "text"])
    write_part(context.output("copy"), rows)


STAGE = Stage("mirror", ("ingest.posts",), ("copy",), _copy_stage)


def _run(workspace: Workspace) -> list[str]:
    return [r.name for r in run_pipeline(workspace, FAKE_ENGINE, [STAGE]) if r.ran]


def test_a_changed_or_removed_stage_part_makes_the_stage_stale_and_run_rebuilds_it(ingested: Workspace) -> None:
    assert _run(ingested) == ["mirror"] and _run(ingested) == []
    commit = CustodyLog(ingested).entries()[-1]
    assert commit["action"] == "stage.commit" and commit["detail"]["stage"] == "mirror"
    part = ingested.table("mirror.copy").parts()[0]
    before = ingested.table("mirror.copy").read().sort_by("post_id")
    doctor(part, "post", "p0st")
    assert any("mirror/copy" in p and "content changed" in p for p in problems(ingested))
    assert stage_status(ingested, STAGE).state == "stale"
    assert _run(ingested) == ["mirror"] and ingested.table("mirror.copy").read().sort_by("post_id").equals(before)
    assert problems(ingested) == []
    ingested.table("mirror.copy").parts()[0].unlink()
    assert stage_status(ingested, STAGE).state == "stale" and _run(ingested) == ["mirror"]
    assert problems(ingested) == []


def test_a_commit_interrupted_before_its_custody_event_is_completed(ingested: Workspace) -> None:
    _run(ingested)
    lines = ingested.custody_log.read_bytes().splitlines(keepends=True)
    intent = CustodyLog(ingested).entries()[-1]["detail"]
    ingested.custody_log.write_bytes(b"".join(lines[:-1]))  # as if killed after the swap
    head = ingested.root / "custody.head"
    log = CustodyLog(ingested)
    os.remove(head)
    log.head_path.write_text(json.dumps({"seq": len(lines) - 1, "sha256": _hash(lines[-2])}) + "\n")

    write_commit_intent(ingested, intent)
    notes = recover(ingested)
    assert any("stage mirror" in note for note in notes)
    assert CustodyLog(ingested).entries()[-1]["detail"]["recovered"] is True
    assert [p for p in problems(ingested) if "custody.head" not in p] == []


def _forge_mirror(workspace: Workspace) -> dict[str, object]:
    """Replace the mirror's table by a forged part and its state; return the custody detail a commit would log."""
    from unveil.evidence.parts import describe_parts, hashes_of

    _run(workspace)
    ref = workspace.table("mirror.copy")
    for part in ref.parts():
        part.unlink()
    write_part(ref.path, pa.table({"post_id": ["forged"], "text": ["forged text"]}))
    state = workspace.read_state("mirror") or {}
    state["parts"] = {"copy": describe_parts(ref)}
    workspace.write_state("mirror", state)
    return {"stage": "mirror", "part_sha256": {"copy": hashes_of(state["parts"]["copy"])}}


def test_a_forged_commit_intent_never_commits_forged_parts(ingested: Workspace) -> None:
    detail = _forge_mirror(ingested)
    (ingested.tables_dir / COMMIT_INTENT).write_text(json.dumps(detail))  # unsigned, as the format once was
    seq = len(CustodyLog(ingested).entries())
    notes = recover(ingested)
    assert any("not a signed journal" in note and "ignored" in note for note in notes)
    assert len(CustodyLog(ingested).entries()) == seq  # nothing committed on its word
    assert any("mirror/copy" in p and "not recorded by any custody event" in p for p in problems(ingested))
    assert not (ingested.tables_dir / COMMIT_INTENT).exists()


def test_a_commit_intent_signed_by_another_key_or_replayed_later_is_ignored(
    ingested: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    detail = _forge_mirror(ingested)
    seq = len(CustodyLog(ingested).entries())
    old_head = seq - 1
    write_commit_intent(ingested, detail)  # genuine key, but written before the last custody line...
    payload = json.loads((ingested.tables_dir / COMMIT_INTENT).read_text())
    from unveil.evidence.signing import sign_journal

    monkeypatch.setattr("unveil.evidence.signing.sign", _signer_of_another_key(tmp_path))
    (ingested.tables_dir / COMMIT_INTENT).write_text(sign_journal(payload["payload"]))
    monkeypatch.undo()
    notes = recover(ingested)
    assert any("not a trusted key" in note for note in notes) and len(CustodyLog(ingested).entries()) == seq
    stale = {**payload["payload"], "custody_seq": old_head}
    (ingested.tables_dir / COMMIT_INTENT).write_text(sign_journal(stale))
    notes = recover(ingested)
    assert any(f"written after custody seq {old_head}" in note for note in notes)
    assert len(CustodyLog(ingested).entries()) == seq


def _signer_of_another_key(folder: Path) -> object:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from unveil.evidence import signing

    key = Ed25519PrivateKey.generate()

    def sign(context: bytes, data: bytes) -> dict[str, str]:
        import base64

        public = signing._raw(key.public_key())
        return {
            "algorithm": "ed25519",
            "key": signing.fingerprint_of(public),
            "public_key": base64.b64encode(public).decode(),
            "signature": base64.b64encode(key.sign(context + data)).decode(),
        }

    return sign


def test_a_forged_pending_journal_deletes_and_records_nothing(ingested: Workspace) -> None:
    from unveil.evidence.pending import PENDING_FILE

    kept = ingested.table("ingest.posts").parts()
    path = ingested.stage_dir("ingest") / PENDING_FILE
    path.write_text(json.dumps({"run": "x", "parts": {"posts": [p.name for p in kept]}}))
    notes = recover(ingested)
    assert any("not a signed journal" in note for note in notes)
    assert ingested.table("ingest.posts").parts() == kept and problems(ingested) == []


def _hash(line: bytes) -> str:
    from unveil.evidence.custody import line_hash

    return line_hash(line)


def test_parts_of_an_interrupted_ingestion_are_rolled_back(ingested: Workspace, tmp_path: Path) -> None:
    from unveil.evidence.pending import PendingParts

    pending = PendingParts(ingested, "ingest", "crashed")
    pending.add("posts", "part-crashed.parquet")
    write_part(ingested.table("ingest.posts").path, pa.table({"post_id": ["x"]}), name="part-crashed.parquet")
    assert any("part-crashed" in p for p in problems(ingested))
    assert recover(ingested) == ["ingest: 1 part(s) of an interrupted run rolled back"]
    assert problems(ingested) == []


def test_status_names_a_changed_ingest_part(ingested: Workspace) -> None:
    from tests.conftest import run_cli

    part = posts_part(ingested, "post 0")
    part.unlink()
    result = run_cli(["status", str(ingested.root)])
    assert result.returncode == 0 and f"changed: ingest.posts {part.name}: removed" in result.stdout


def test_a_doctored_post_whose_size_and_time_were_kept_still_stops_run(ingested: Workspace) -> None:
    part = posts_part(ingested, "post 1")
    before = part.stat()
    doctor(part, "post 1", "post 7")  # same length
    os.utime(part, ns=(before.st_atime_ns, before.st_mtime_ns))
    with pytest.raises(IntegrityError, match=f"ingest.posts {part.name}: content changed"):
        run_pipeline(ingested, FAKE_ENGINE, [])


def test_run_rebuilds_doctored_and_removed_ingest_parts_from_the_evidence_alone(
    ingested: Workspace, tmp_path: Path
) -> None:
    from unveil.ingest.rebuild import rebuild_ingest

    original = texts(ingested)
    doctor(posts_part(ingested, "post 1"), "post 1", "post 1 call +32 470 00 00 00")
    posts_part(ingested, "post 2").unlink()
    for source in tmp_path.glob("posts-*.jsonl"):
        source.unlink()  # the original files are gone: only the evidence store is left
    summary = rebuild_ingest(ingested, actor="tester")
    assert summary is not None and (summary.stored, summary.read) == (2, 2)
    assert texts(ingested) == original and problems(ingested) == []
    event = CustodyLog(ingested).entries()[-1]
    assert event["action"] == "ingest" and event["detail"]["rebuilt"] is True
    assert rebuild_ingest(ingested) is None


def test_unveil_run_rebuilds_a_doctored_post_instead_of_saying_nothing_to_do(ingested: Workspace) -> None:
    from tests.conftest import run_cli

    original = texts(ingested)
    doctor(posts_part(ingested, "post 0"), "post 0", "post 0 doctored")
    result = run_cli(["run", str(ingested.root), "--stage", "extract"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "content changed" in result.stdout and "ingest rebuilt from the evidence" in result.stdout
    assert texts(ingested) == original and problems(ingested) == []


def test_a_part_that_cannot_be_rebuilt_stops_run_naming_it_and_changes_nothing(ingested: Workspace) -> None:
    from unveil.ingest.ledger import LEDGER_FILE
    from unveil.ingest.rebuild import rebuild_ingest

    ledger = ingested.stage_dir("ingest") / LEDGER_FILE
    old = [json.loads(line) for line in ledger.read_text().splitlines()]
    ledger.write_text("".join(json.dumps({k: v for k, v in e.items() if k != "sha256"}) + "\n" for e in old))
    part = posts_part(ingested, "post 1")
    doctor(part, "post 1", "post one")
    seq = len(CustodyLog(ingested).entries())
    with pytest.raises(IntegrityError, match="ingested before the ledger recorded how") as raised:
        rebuild_ingest(ingested)
    assert any(part.name in problem for problem in raised.value.problems)
    assert len(CustodyLog(ingested).entries()) == seq and part.exists()


def test_a_ledger_edited_to_read_a_blob_another_way_is_not_used_for_a_rebuild(ingested: Workspace) -> None:
    from unveil.ingest.ledger import LEDGER_FILE
    from unveil.ingest.rebuild import rebuild_ingest

    ledger = ingested.stage_dir("ingest") / LEDGER_FILE
    lines = ledger.read_text().splitlines()
    mapping = {"kind": "posts", "profile": "posts", "columns": {"text": "id"}, "defaults": {}}
    mapping_text = json.dumps({**mapping, "date_format": None, "decimal": None})
    edited = [line.replace('"mapping": null', f'"mapping": {mapping_text}') for line in lines]
    assert edited != lines
    ledger.write_text("".join(line + "\n" for line in edited))
    part = posts_part(ingested, "post 1")
    part.unlink()
    with pytest.raises(IntegrityError, match="ledger lines were changed since custody seq"):
        rebuild_ingest(ingested)
