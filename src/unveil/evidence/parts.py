"""Authenticated tables: the SHA-256 of every Parquet part, recorded at commit and checked later.

Every commit of tables appends a custody event naming its parts' hashes: ``stage.commit`` for a
pipeline stage (the stage's whole output, replacing what it had), ``ingest`` and
``ingest.tables`` for the ingest tables (parts added), ``ingest.repair`` (parts set aside).
``expected_parts`` replays those events; ``verify`` compares every part on disk with them.
A stage's ``_state.json`` keeps the same hashes with each part's size and modification time, so
that ``status`` and ``run`` notice a changed, removed or added part cheaply (a part whose size or
time differs is hashed; one whose size and time were both restored is caught by ``verify``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from unveil.tables import TableRef, part_sha256
from unveil.workspace import Workspace

PartRecord = dict[str, Any]  # {"sha256", "size", "mtime_ns"}
COMMIT_INTENT = ".commit-intent.json"  # tables/: the commit a stage is making, until its custody event is written
TABLE_EVENTS = ("stage.commit", "ingest", "ingest.tables", "ingest.repair")


def write_commit_intent(workspace: Workspace, detail: dict[str, Any]) -> None:
    """Name a stage commit before its swap: its custody detail, the custody seq it follows, signed."""
    from unveil.evidence.custody import CustodyLog
    from unveil.evidence.signing import sign_journal
    from unveil.storage import write_text

    head = CustodyLog(workspace).head() or {}
    payload = {"detail": detail, "custody_seq": head.get("seq", 0)}
    write_text(workspace.tables_dir / COMMIT_INTENT, sign_journal(payload))


def describe_parts(ref: TableRef, names: Iterable[str] | None = None) -> dict[str, PartRecord]:
    """Hash, size and time of the table's parts (or of the named ones)."""
    stats = ref.part_stats()
    wanted = stats if names is None else {name: stats[name] for name in names if name in stats}
    return {
        name: {"sha256": part_sha256(ref.path / name), "size": size, "mtime_ns": mtime}
        for name, (size, mtime) in wanted.items()
    }


def hashes_of(parts: dict[str, PartRecord]) -> dict[str, str]:
    """Part name -> SHA-256."""
    return {name: str(record["sha256"]) for name, record in parts.items()}


def changed_parts(ref: TableRef, recorded: dict[str, PartRecord], *, full: bool = False) -> list[str]:
    """Parts removed, added or changed since recorded (by size and time first, then by hash; ``full``: every hash)."""
    stats = ref.part_stats()
    problems = [f"{ref.name} {name}: removed" for name in sorted(set(recorded) - set(stats))]
    problems += [f"{ref.name} {name}: added (not recorded)" for name in sorted(set(stats) - set(recorded))]
    for name in sorted(set(stats) & set(recorded)):
        record = recorded[name]
        if not full and (record.get("size"), record.get("mtime_ns")) == stats[name]:
            continue
        if part_sha256(ref.path / name) != record.get("sha256"):
            problems.append(f"{ref.name} {name}: content changed")
    return problems


def stage_problems(workspace: Workspace, stage: str, *, full: bool = False) -> list[str]:
    """What changed in a stage's tables since its state recorded them ([] when nothing, or unrecorded).

    ``full`` hashes every part (a change that kept the part's size and restored its time is found too).
    """
    state = workspace.read_state(stage) or {}
    recorded = state.get("parts")
    if not isinstance(recorded, dict):
        return []
    problems: list[str] = []
    for table, parts in sorted(recorded.items()):
        problems += changed_parts(workspace.table(f"{stage}.{table}"), parts, full=full)
    return problems


@dataclass
class TableRecord:
    """What the custody log says a table holds: part -> SHA-256, and the events that made it."""

    parts: dict[str, str] = field(default_factory=dict)
    events: list[int] = field(default_factory=list)


def replay(expected: dict[str, TableRecord], event: dict[str, Any]) -> None:
    """Apply one custody event to the expected tables (``stage.table`` -> record)."""
    action, detail, seq = event.get("action"), event.get("detail"), event.get("seq")
    if action not in TABLE_EVENTS or not isinstance(detail, dict) or not isinstance(seq, int):
        return
    if action == "stage.commit":
        stage = str(detail.get("stage"))
        for name in [name for name in expected if name.startswith(f"{stage}.")]:
            del expected[name]
    tables = detail.get("part_sha256")
    if isinstance(tables, dict):
        stage = "ingest" if action != "stage.commit" else str(detail.get("stage"))
        for table, parts in tables.items():
            record = expected.setdefault(f"{stage}.{table}", TableRecord())
            if isinstance(parts, dict):
                record.parts.update({str(k): str(v) for k, v in parts.items()})
            record.events.append(seq)
    removed = detail.get("removed_parts")
    if isinstance(removed, dict):
        for table, names in removed.items():
            record = expected.setdefault(f"ingest.{table}", TableRecord())
            for name in names if isinstance(names, list) else []:
                record.parts.pop(str(name), None)
            record.events.append(seq)


def expected_parts(lines: Iterable[bytes]) -> dict[str, TableRecord]:
    """Replay every table event of a custody log."""
    expected: dict[str, TableRecord] = {}
    for line in lines:
        if b'"stage.commit"' not in line and b'"ingest' not in line:
            continue
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict):
            replay(expected, event)
    return expected


def table_problems(workspace: Workspace, expected: dict[str, TableRecord]) -> tuple[int, list[str]]:
    """Every part of every recorded table hashed and compared with the custody log's record."""
    checked, problems = 0, []
    for name, record in sorted(expected.items()):
        ref = workspace.table(name)
        where = f"tables/{name.replace('.', '/', 1)}"
        seqs = f"custody seq {record.events[-1]}" if record.events else "custody"
        present = {part.name: part for part in ref.parts()}
        for part in sorted(set(record.parts) - set(present)):
            problems.append(f"{where}/{part}: removed (recorded by {seqs})")
        for part in sorted(set(present) - set(record.parts)):
            problems.append(f"{where}/{part}: not recorded by any custody event (added or rewritten outside the tool)")
        for part in sorted(set(present) & set(record.parts)):
            checked += 1
            if part_sha256(present[part]) != record.parts[part]:
                problems.append(f"{where}/{part}: content changed (recorded by {seqs})")
    return checked, problems
