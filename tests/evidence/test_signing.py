"""The custody head is signed with the installation's key, kept outside the workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from unveil.evidence.custody import CustodyLog, line_hash
from unveil.evidence.signing import key_path, local_fingerprint, sign_head
from unveil.evidence.verify import verify_workspace
from unveil.workspace import Workspace


def test_the_key_lives_outside_the_workspace_and_signs_the_head(ingested: Workspace) -> None:
    assert not key_path().is_relative_to(ingested.root) and key_path().stat().st_mode & 0o077 == 0
    head = CustodyLog(ingested).head() or {}
    assert head["algorithm"] == "ed25519" and head["key"] == local_fingerprint()
    assert verify_workspace(ingested).problems == []


def test_a_log_rewritten_wholesale_without_the_key_fails(ingested: Workspace) -> None:
    lines = ingested.custody_log.read_bytes().splitlines()
    kept = lines[:-1]  # drop the last event, and rewrite the head to match, without the key
    ingested.custody_log.write_bytes(b"".join(line + b"\n" for line in kept))
    head = CustodyLog(ingested).head() or {}
    head.update({"seq": len(kept), "sha256": line_hash(kept[-1])})
    (ingested.root / "custody.head").write_text(json.dumps(head))
    problems = verify_workspace(ingested).problems
    assert "custody.head: the signature does not verify (changed after it was signed)" in problems
    assert any("not recorded by any custody event" in problem for problem in problems)  # the dropped ingest's part


def test_a_head_signed_by_another_key_is_not_trusted(
    ingested: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = CustodyLog(ingested).head() or {}
    monkeypatch.setenv("UNVEIL_HOME", str(tmp_path / "mallory"))
    forged = sign_head(head["seq"], head["sha256"])
    monkeypatch.undo()
    (ingested.root / "custody.head").write_text(json.dumps(forged))
    problems = verify_workspace(ingested).problems
    assert len(problems) == 1 and "not a trusted key" in problems[0]
    assert verify_workspace(ingested, [forged["key"]]).problems == []


def test_an_external_key_is_used_and_never_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNVEIL_SIGNING_KEY", str(tmp_path / "token" / "key.pem"))
    result = run_cli(["init", str(tmp_path / "ws")])
    assert result.returncode != 0 and "never created" in result.stdout + result.stderr
    monkeypatch.setenv("UNVEIL_SIGNING_KEY", "")
    monkeypatch.setenv("UNVEIL_HOME", str(tmp_path / "home"))
    result = run_cli(["init", str(tmp_path / "ws")])
    assert result.returncode == 0 and "Signing key created" in result.stdout
    assert (tmp_path / "home" / "signing-key.pem").exists()
