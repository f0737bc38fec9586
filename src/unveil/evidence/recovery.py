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
    notes += _recover_tables(workspace, log)
    return notes


def _recover_tables(workspace: Workspace, log: CustodyLog) -> list[str]:
    """A stage commit whose custody event is missing, and ingest parts never committed."""
    from unveil.evidence.parts import COMMIT_INTENT, expected_parts
    from unveil.evidence.pending import PENDING_FILE, roll_back_pending
    from unveil.storage import read_text

    notes: list[str] = []
    intent_path = workspace.tables_dir / COMMIT_INTENT
    tables = workspace.tables_dir
    pending = sorted(p.parent.name for p in tables.glob(f"*/{PENDING_FILE}")) if tables.is_dir() else []
    text = read_text(intent_path)
    if text is None and not pending:
        return notes
    expected = expected_parts(log.lines())
    if text is not None:
        notes += _replay_commit_intent(workspace, log, text, expected)
    for stage in pending:
        named = {
            name.partition(".")[2]: set(record.parts)
            for name, record in expected.items()
            if name.startswith(f"{stage}.")
        }
        notes += roll_back_pending(workspace, stage, named)
    return notes


def _replay_commit_intent(workspace: Workspace, log: CustodyLog, text: str, expected: dict[str, Any]) -> list[str]:
    """Write the custody event of a stage commit interrupted after its swap, if the intent is genuine.

    The intent must be signed by a trusted key, follow the custody log's current last line (an
    old intent is not replayed) and name exactly the parts the stage's state records; otherwise it
    is set aside unread and ``verify`` names the parts no custody event committed.
    """
    from unveil.evidence.parts import COMMIT_INTENT, hashes_of
    from unveil.evidence.pending import set_journal_aside
    from unveil.evidence.signing import check_journal
    from unveil.storage import remove_file

    path = workspace.tables_dir / COMMIT_INTENT
    payload, problems = check_journal(text, f"tables/{COMMIT_INTENT}")
    head_seq = (log.head() or {}).get("seq", 0)
    if payload is not None and payload.get("custody_seq") != head_seq:
        problems = [f"tables/{COMMIT_INTENT}: written after custody seq {payload.get('custody_seq')}, not {head_seq}"]
    detail = payload.get("detail") if payload is not None else None
    if problems or not isinstance(detail, dict):
        aside = set_journal_aside(path)
        reasons = problems or [f"tables/{COMMIT_INTENT}: no commit in it"]
        after = f"ignored, set aside as {aside} (`unveil verify` names parts not committed)"
        return [f"{reason}; {after}" for reason in reasons]
    stage = str(detail.get("stage"))
    try:
        recorded = {t: hashes_of(p) for t, p in ((workspace.read_state(stage) or {}).get("parts") or {}).items()}
    except (TypeError, AttributeError, KeyError):
        recorded = {}
    wanted = detail.get("part_sha256")
    logged = {t: expected[f"{stage}.{t}"].parts for t in wanted or {} if f"{stage}.{t}" in expected}
    notes: list[str] = []
    if wanted and recorded == wanted and logged != wanted:
        objects = sorted({sha for parts in wanted.values() for sha in parts.values()})
        log.append(default_actor(), "stage.commit", objects, {**detail, "recovered": True})
        notes.append(f"tables: the commit of stage {stage} recorded in the custody log (interrupted after its swap)")
    remove_file(path)
    return notes
