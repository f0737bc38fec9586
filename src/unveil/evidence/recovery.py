"""Recovery on opening a workspace for writing: what a crash left half done is finished or undone.

Run under the workspace's write lock by every command that writes (``ingest``, ``run``,
``verify``...), before anything else:

- the custody log: a head left behind by an interrupted commit is completed, a torn last line
  that was never committed is cut off and recorded (``CustodyLog.settle``);
- the evidence store: temporary copies of interrupted writes are removed;
- the intent journal: a blob named there that is in the store but has no capture event gets
  one now (``"recovered": true``); one that never reached the store is forgotten (rolled back).
"""

from __future__ import annotations

from typing import Any

from unveil.evidence.custody import CustodyLog, default_actor
from unveil.evidence.store import EvidenceStore
from unveil.workspace import Workspace


def captured_blobs(log: CustodyLog) -> set[str]:
    """Every blob that a capture event names."""
    import json

    found: set[str] = set()
    for line in log.lines():
        if b'"capture"' not in line:
            continue
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and event.get("action") == "capture":
            found.update(str(obj) for obj in event.get("objects") or [] if isinstance(obj, str))
    return found


def recover(workspace: Workspace, actor: str | None = None) -> list[str]:
    """Finish or undo what an interrupted command left; return what was done, one line each."""
    log = CustodyLog(workspace)
    settled = log.settle()
    notes = [note.lstrip("!") for note in settled]
    if any(note.startswith("!") for note in settled):
        return notes  # a torn line that is not ours: leave everything for `verify` to report
    store = EvidenceStore(workspace)
    removed = store.clean_temporaries()
    if removed:
        notes.append(f"evidence: {removed} temporary file(s) of interrupted copies removed")
    intents = store.intents()
    if intents:
        captured = captured_blobs(log)
        adopted = {sha: origin for sha, origin in intents.items() if sha in store and sha not in captured}
        if adopted:
            detail: dict[str, Any] = {"sources": adopted, "recovered": True}
            log.append(actor or default_actor(), "capture", sorted(adopted), detail)
            notes.append(f"evidence: {len(adopted)} blob(s) stored before a crash given their capture event")
        dropped = sum(1 for sha in intents if sha not in store)
        if dropped:
            notes.append(f"evidence: {dropped} interrupted write(s) rolled back")
        store.clear_intents()
    return notes
