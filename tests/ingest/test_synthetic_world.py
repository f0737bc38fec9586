"""A whole synthetic world (``unveil synth``) ingested in one go: every format in its layout."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc

from tests.ingest.conftest import quarantine_entries
from unveil.evidence.verify import verify_workspace
from unveil.ingest import ingest
from unveil.manifest import SELF
from unveil.workspace import Workspace


def test_a_synthetic_world_is_ingested_whole_and_only_once(small_world: Path, tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    summary = ingest(workspace, [small_world])
    assert summary.read == summary.stored + summary.duplicates + summary.quarantined
    assert quarantine_entries(workspace) == [], "the synthetic world is well-formed: nothing to quarantine"
    assert all("/truth/" in item or item.endswith("manifest.json: " + SELF) for item in summary.skipped)
    assert sum("/truth/" in item for item in summary.skipped) == len(list((small_world / "truth").iterdir()))
    posts = workspace.table("ingest.posts").read(columns=["source_id", "source_file", "kind", "text"])
    jsonl_ids = [
        sid
        for sid, name in zip(
            posts.column("source_id").to_pylist(), posts.column("source_file").to_pylist(), strict=True
        )
        if name.startswith("posts/")
    ]
    assert len(jsonl_ids) == len(set(jsonl_ids)) and all(sid.startswith("P") for sid in jsonl_ids)
    files = set(pc.unique(posts.column("source_file")).to_pylist())
    assert {name.split("/")[0] for name in files} >= {"posts", "captures"}
    transfers = workspace.table("ingest.transfers").read(columns=["source_file", "channel", "amount", "executed_at"])
    assert transfers.num_rows > 0 and transfers.column("executed_at").null_count == 0
    assert {name.split("/")[-1] for name in transfers.column("source_file").to_pylist()} >= {
        "mto_transactions.csv",
        "bank_statement.csv",
    }
    assert workspace.table("ingest.images").num_rows() > 0
    # re-ingesting adds nothing (checked on the posts and captures: the transfers are checked per reader)
    again = ingest(workspace, [small_world / "posts", small_world / "captures"])
    assert again.read > 0 and again.stored == 0 and again.duplicates == again.read
    assert verify_workspace(workspace).ok
