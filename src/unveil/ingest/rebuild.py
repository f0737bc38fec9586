"""Ingest parts changed or removed outside the tool, rebuilt from the evidence store (``unveil run``).

The ingest tables are the pipeline's source: no stage computes them, their source is the evidence.
When ``run`` finds an ingest part that no longer matches its custody event (every part hashed),
it rebuilds it before any stage runs: the part is set aside (recorded in an ``ingest.repair``
event), and every source that the ingestion which wrote it had read is read again from its
evidence blob, the way it was read then (reader, column mapping, file name, path: the ledger
records them). Rows still present in intact parts are duplicates; the rows of the lost part come
back, and an ``ingest`` event (``"rebuilt": true``) commits the new parts with their hashes.

The ledger lines of each ingestion read again must hash to the ``ledger_sha256`` its custody
event recorded: a ledger edited to read a blob another way (another reader or column mapping)
is refused. When the rebuild cannot be done (a part that no ledger entry names, ledger lines
written before they were recorded this way or changed since, a blob missing from the store)
nothing is changed and ``run`` stops, naming each part and why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from unveil.errors import IntegrityError
from unveil.evidence.custody import CustodyLog, default_actor
from unveil.evidence.parts import stage_problems
from unveil.evidence.store import EvidenceStore
from unveil.ingest.ledger import LEDGER_FILE, SourceLedger, ledger_sha256
from unveil.ingest.limits import Limits
from unveil.ingest.mapping import ColumnMapping
from unveil.ingest.run import IngestSummary, _Run
from unveil.ingest.sinks import PART_ROWS
from unveil.ingest.store import STAGE
from unveil.pipeline import workspace_lock
from unveil.progress import Progress, SilentProgress
from unveil.storage import read_text
from unveil.workspace import Workspace

NEEDED = ("sha256", "format", "path", "root", "file")


def _part_of(problem: str) -> tuple[str, str, str]:
    """``ingest.posts part-x.parquet: content changed`` -> (table, part, reason)."""
    where, _, reason = problem.partition(": ")
    table, _, part = where.partition(" ")
    return table, part, reason


def _parts_named_by_ledger(workspace: Workspace) -> set[str]:
    import json

    named: set[str] = set()
    for line in (read_text(workspace.stage_dir(STAGE) / LEDGER_FILE) or "").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("parts"), list):
            named.update(map(str, entry["parts"]))
    return named


def why_not_rebuildable(workspace: Workspace, problems: list[str]) -> list[str]:
    """Why the ingest parts named in ``problems`` cannot be rebuilt from the evidence ([] when they can)."""
    lost = {_part_of(problem)[1] for problem in problems}
    named = _parts_named_by_ledger(workspace)
    reasons = [
        f"{table} {part}: no ingestion in the ledger wrote it, so no source to read it again from"
        for table, part, reason in map(_part_of, problems)
        if not reason.startswith("added") and part not in named
    ]
    store = EvidenceStore(workspace)
    ledger = SourceLedger(workspace, lost)
    reasons += _unauthenticated_runs(workspace, ledger)
    for entry in ledger.lost:
        name = entry.get("file", entry.get("key"))
        if any(key not in entry for key in NEEDED):
            reasons.append(
                f"source {name}: ingested before the ledger recorded how (re-ingest it with `unveil ingest`)"
            )
        elif str(entry["sha256"]) not in store:
            reasons.append(f"source {name}: its evidence blob {entry['sha256']} is missing (run `unveil verify`)")
    return reasons


def _unauthenticated_runs(workspace: Workspace, ledger: SourceLedger) -> list[str]:
    """Ingestions to read again whose ledger lines differ from the hash their custody event recorded."""
    import json

    runs = sorted({str(entry.get("run")) for entry in ledger.lost})
    recorded: dict[str, tuple[int, str | None]] = {}
    for line in CustodyLog(workspace).lines():
        if b'"ingest"' not in line:
            continue
        try:
            event = json.loads(line)
        except ValueError:
            continue
        detail = event.get("detail") if isinstance(event, dict) else None
        if event.get("action") == "ingest" and isinstance(detail, dict) and str(detail.get("run")) in runs:
            recorded[str(detail["run"])] = (int(event.get("seq", 0)), detail.get("ledger_sha256"))
    reasons = []
    for run in runs:
        seq, expected = recorded.get(run, (0, None))
        text = "".join(line + "\n" for line in ledger.lines.get(run, []))
        if not seq:
            reasons.append(f"ingestion {run}: no custody event commits it, so its ledger lines cannot be trusted")
        elif expected is None:
            reasons.append(
                f"ingestion {run} (custody seq {seq}): made before its ledger lines were hashed into custody"
            )
        elif ledger_sha256(text) != expected:
            reasons.append(f"ingestion {run}: its ledger lines were changed since custody seq {seq} recorded them")
    return reasons


def rebuild_ingest(
    workspace: Workspace, *, actor: str | None = None, progress: Progress | None = None
) -> IngestSummary | None:
    """Rebuild ingest parts changed or removed outside the tool from the evidence (None when all match).

    Raises:
        IntegrityError: a part cannot be rebuilt (each part and reason named); nothing was changed.
    """
    with workspace_lock(workspace):
        problems = stage_problems(workspace, STAGE, full=True)
        if not problems:
            return None
        reasons = why_not_rebuildable(workspace, problems)
        if reasons:
            advice = "nothing changed: restore the workspace from a copy, or re-ingest the original files"
            raise IntegrityError(str(workspace.root), [*problems, *reasons, advice])
        limits = Limits(
            max_record_bytes=workspace.settings.max_record_bytes, max_file_seconds=workspace.settings.max_file_seconds
        )
        run = _Run(workspace, progress or SilentProgress(), limits, None, actor or default_actor(), PART_ROWS)
        run.start()  # sets the parts aside (an ``ingest.repair`` event) and loads the ledger without their runs
        run.extra_detail = {
            "rebuilt": True,
            "reason": "ingest parts changed outside the tool, read again from evidence",
        }
        for entry in run.ledger.lost:
            run.mapping = _mapping(entry.get("mapping"))
            run.sources.append(str(entry["sha256"]))
            run.summary.files += 1
            fmt = entry.get("format")
            run.read_source(Path(entry["path"]), Path(entry["root"]), str(entry["file"]), str(entry["sha256"]), fmt)
        run.finish()
        run.summary.notes.insert(
            0, f"ingest: {len(problems)} part(s) no longer matched the custody log: {'; '.join(problems)}"
        )
        return run.summary


def _mapping(value: Any) -> ColumnMapping | None:
    if not isinstance(value, dict):
        return None
    return ColumnMapping(**value)
