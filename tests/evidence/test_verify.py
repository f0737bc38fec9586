"""``unveil verify`` names the blob or the custody line that changed, and exits non-zero."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import typer

from unveil.errors import IntegrityError
from unveil.evidence.commands import register, verify
from unveil.evidence.custody import CustodyLog
from unveil.evidence.store import EvidenceStore
from unveil.evidence.verify import verify_workspace
from unveil.workspace import Workspace


def problems(workspace: Workspace) -> list[str]:
    return verify_workspace(workspace).problems


def rewrite_lines(workspace: Workspace, change: object) -> None:
    lines = workspace.custody_log.read_bytes().splitlines(keepends=True)
    workspace.custody_log.write_bytes(b"".join(change(lines)))  # type: ignore[operator]


def test_an_untouched_workspace_verifies_and_logs_the_verification(
    ingested: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    assert problems(ingested) == []
    verify(ingested.root, actor="auditor")
    assert "intact" in capsys.readouterr().out
    last = CustodyLog(ingested).entries()[-1]
    assert (last["action"], last["actor"]) == ("verification", "auditor")
    assert problems(ingested) == []


@pytest.mark.parametrize("offset", [0, 7, -1])
def test_one_flipped_byte_in_any_blob_is_named(ingested: Workspace, offset: int) -> None:
    blob = next(EvidenceStore(ingested).blobs())
    os.chmod(blob, 0o644)
    data = bytearray(blob.read_bytes())
    data[offset] ^= 0x01
    blob.write_bytes(bytes(data))
    found = problems(ingested)
    assert len(found) == 1 and blob.name in found[0] and "content changed" in found[0]


def test_a_removed_blob_is_named(ingested: Workspace) -> None:
    blob = next(EvidenceStore(ingested).blobs())
    blob.unlink()
    found = problems(ingested)
    assert len(found) == 1 and blob.name in found[0] and "removed" in found[0]


def test_an_edited_custody_line_is_named(ingested: Workspace) -> None:
    rewrite_lines(ingested, lambda lines: [*lines[:2], lines[2].replace(b'"tester"', b'"mallory"'), *lines[3:]])
    assert problems(ingested) == ["custody.log line 3: changed (line 4 holds a different hash of it)"]


def test_a_removed_custody_line_is_named(ingested: Workspace) -> None:
    rewrite_lines(ingested, lambda lines: [*lines[:2], *lines[3:]])
    found = problems(ingested)
    assert "line 3 (seq 4): 1 line(s) removed before it" in found[0]
    assert len(found) == 2  # and what the removed line recorded (here an ingest, its part) is named


def test_an_inserted_custody_line_is_named(ingested: Workspace) -> None:
    rewrite_lines(ingested, lambda lines: [*lines[:3], lines[1], *lines[3:]])
    found = problems(ingested)
    assert found and "line 4 (seq 2)" in found[0] and "inserted" in found[0]


def test_a_removed_or_edited_last_line_is_caught_by_the_head(ingested: Workspace) -> None:
    original = ingested.custody_log.read_bytes()
    rewrite_lines(ingested, lambda lines: lines[:-1])
    assert any("last 1 line(s) removed" in problem for problem in problems(ingested))
    ingested.custody_log.write_bytes(original.replace(b'"ingest"', b'"ingesT"'))
    assert any("changed (custody.head" in problem for problem in problems(ingested))


def test_verify_command_exits_non_zero_and_prints_the_problem(
    ingested: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    blob = next(EvidenceStore(ingested).blobs())
    os.chmod(blob, 0o644)
    blob.write_bytes(blob.read_bytes() + b" ")
    app = typer.Typer()
    register(app)
    app.command()(lambda: None)  # a second command, so that typer keeps "verify" as a sub-command
    with pytest.raises(IntegrityError) as error:
        typer.main.get_command(app).main(["verify", str(ingested.root)], standalone_mode=False)
    assert error.value.exit_code == 1  # what ``unveil`` exits with (cli.main maps UnveilError.exit_code)
    assert blob.name in capsys.readouterr().out and blob.name in str(error.value)
    assert CustodyLog(ingested).entries()[-1]["action"] != "verification"


def test_a_stray_file_in_the_store_is_reported(ingested: Workspace) -> None:
    stray = ingested.evidence_dir / "notes.txt"
    Path(stray).write_text("planted", "utf-8")
    assert any("not an evidence blob" in problem for problem in problems(ingested))


def test_a_blob_made_writable_is_named(ingested: Workspace) -> None:
    blob = next(EvidenceStore(ingested).blobs())
    os.chmod(blob, 0o644)
    found = problems(ingested)
    assert len(found) == 1 and blob.name in found[0] and "made writable (mode 644" in found[0]
