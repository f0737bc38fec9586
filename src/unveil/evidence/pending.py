"""Parts a source command wrote but has not committed yet, and their roll-back after a crash.

A command that appends parts to a source stage's tables (``unveil ingest``) names each part in
``tables/<stage>/_pending.json`` (signed with the installation's key) before writing it and
forgets them once its custody event is written. After a crash, ``roll_back_pending`` keeps the
parts a custody event names (and records them in the stage's state) and deletes the others, for
every stage that left such a file. A journal whose signature does not check out is set aside
unread: recovery deletes or records nothing on the word of a journal written by hand.
"""

from __future__ import annotations

import time
from pathlib import Path

from unveil.evidence.parts import describe_parts, hashes_of
from unveil.evidence.signing import check_journal, sign_journal
from unveil.storage import move, read_text, remove_file, write_text
from unveil.tables import hash_of_parts
from unveil.workspace import Workspace

PENDING_FILE = "_pending.json"


class PendingParts:
    """The parts a run has written into a source stage but not yet committed."""

    def __init__(self, workspace: Workspace, stage: str, run: str) -> None:
        self.path = workspace.stage_dir(stage) / PENDING_FILE
        self.run = run
        self.parts: dict[str, list[str]] = {}

    def add(self, table: str, part: str) -> None:
        """Name a part before it is written."""
        self.parts.setdefault(table, []).append(part)
        write_text(self.path, sign_journal({"run": self.run, "parts": self.parts}))

    def done(self) -> None:
        """The run committed: forget the pending parts."""
        remove_file(self.path)


def roll_back_pending(workspace: Workspace, stage: str, named: dict[str, set[str]]) -> list[str]:
    """Parts an interrupted run left in ``stage``: keep those a custody event names, delete the others.

    Args:
        workspace: the workspace (its write lock held).
        stage: the source stage (``ingest``).
        named: parts per table of the stage that custody events name (``unveil.evidence.parts.expected_parts``).
    """
    path = workspace.stage_dir(stage) / PENDING_FILE
    text = read_text(path)
    if text is None:
        return []
    payload, problems = check_journal(text, f"tables/{stage}/{PENDING_FILE}")
    if payload is None:  # not written by this tool's key: nothing deleted or recorded on its word
        aside = set_journal_aside(path)
        after = f"ignored, set aside as {aside} (`unveil verify` names parts not committed)"
        return [f"{problem}; {after}" for problem in problems]
    parts = payload.get("parts")
    pending: dict[str, object] = parts if isinstance(parts, dict) else {}
    kept: dict[str, list[str]] = {}
    deleted = 0
    for table, names in pending.items():
        folder = workspace.table(f"{stage}.{table}").path
        if not isinstance(names, list) or "/" in table or table.startswith(".") or not folder.is_dir():
            continue
        for part in map(str, names):
            if part in named.get(table, set()):
                kept.setdefault(table, []).append(part)
            elif "/" not in part and (folder / part).exists():
                remove_file(folder / part)
                deleted += 1
    if kept:
        record_parts(workspace, stage, kept)
    remove_file(path)
    notes = [f"{stage}: {deleted} part(s) of an interrupted run rolled back"] if deleted else []
    if kept:
        notes.append(f"{stage}: {sum(map(len, kept.values()))} committed part(s) recorded in the {stage} state")
    return notes


def set_journal_aside(path: Path) -> str:
    """Move a journal that is not to be trusted out of the way (kept for inspection); return its new name."""
    aside = path.with_name(f".rejected-{int(time.time())}-{path.name}")
    move(path, aside)
    return aside.name


def record_parts(workspace: Workspace, stage: str, written: dict[str, list[str]]) -> None:
    """Add parts to a stage's state: their hashes, and their tables' row counts and content hashes."""
    state = workspace.read_state(stage) or {}
    parts = dict(state.get("parts") or {})
    outputs = dict(state.get("outputs") or {})
    for table, names in written.items():
        ref = workspace.table(f"{stage}.{table}")
        table_parts = {**(parts.get(table) or {}), **describe_parts(ref, names)}
        parts[table] = table_parts
        outputs[table] = {"rows": ref.num_rows(), "hash": hash_of_parts(hashes_of(table_parts))}
    workspace.write_state(stage, {**state, "outputs": outputs, "parts": parts})
