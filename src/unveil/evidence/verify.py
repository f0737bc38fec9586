"""Verification of a workspace's evidence: every blob's hash and the custody log's whole chain.

Problems name the exact blob, line or table part: a blob whose bytes no longer match its name, a
blob that was captured but is gone, a blob that no capture event names, a file that is not a
blob, a custody line that was changed, removed or inserted, a removed or changed last line
(checked against ``custody.head``), and a table part changed, removed or added since the custody
event that committed it (``unveil.evidence.parts``).

The head's RFC 3161 token (``custody.head.tsr``, when an authority was configured) is read, and
with ``tsa_ca`` checked: it must exist, cover the current head and chain to that authority. A
token of an older head (a later append made without the authority) is said as such, not as a
change: with ``tsa_ca`` it fails the check, without it is a note.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unveil.evidence.custody import GENESIS, HEAD_TOKEN, CustodyLog, _last_line, line_hash
from unveil.evidence.parts import expected_parts, table_problems
from unveil.evidence.store import EvidenceStore, file_sha256
from unveil.workspace import Workspace


@dataclass
class Verification:
    """The outcome of a verification: counts checked and the problems found."""

    blobs: int = 0
    lines: int = 0
    parts: int = 0
    problems: list[str] = field(default_factory=list)
    timestamp: str = ""
    timestamp_checked: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was found wrong."""
        return not self.problems


def verify_workspace(
    workspace: Workspace, trusted_keys: list[str] | None = None, tsa_ca: Path | None = None
) -> Verification:
    """Recompute every evidence hash, the whole custody chain, the head's signature and every table part.

    Args:
        workspace: the workspace verified.
        trusted_keys: key fingerprints accepted for the head's signature besides this installation's.
        tsa_ca: a time-stamping authority's CA certificate(s): the head's RFC 3161 token must
            exist, cover the current head and chain to them.
    """
    from unveil.evidence.signing import check_head
    from unveil.evidence.signing import trusted_keys as trusted

    result = Verification()
    log = CustodyLog(workspace)
    captured = _check_chain(log, result)
    head = log.head()
    if head is not None:
        result.problems.extend(check_head(head, trusted(trusted_keys)))
    _check_timestamp(log, result, tsa_ca)
    _check_blobs(EvidenceStore(workspace), captured, result)
    result.parts, problems = table_problems(workspace, expected_parts(log.lines()))
    result.problems.extend(problems)
    return result


def _check_blobs(store: EvidenceStore, captured: dict[str, int], result: Verification) -> None:
    present: set[str] = set()
    for path in store.blobs():
        relative = path.relative_to(store.root.parent)
        if store.path(path.name) != path:
            result.problems.append(f"{relative}: not an evidence blob (unexpected file in the store)")
            continue
        result.blobs += 1
        present.add(path.name)
        actual = file_sha256(path)
        if actual != path.name:
            result.problems.append(f"{relative}: content changed (its bytes now hash to {actual})")
        elif path.name not in captured:
            result.problems.append(f"{relative}: no capture event names it (stored outside the custody log)")
        elif path.stat().st_mode & 0o222:
            mode = oct(path.stat().st_mode & 0o777)[2:]
            result.problems.append(f"{relative}: made writable (mode {mode}, stored read-only 444)")
    for sha256, seq in sorted(captured.items(), key=lambda item: item[1]):
        if sha256 not in present:
            relative = store.path(sha256).relative_to(store.root.parent)
            result.problems.append(f"{relative}: removed (captured in custody event seq {seq})")


def _check_chain(log: CustodyLog, result: Verification) -> dict[str, int]:
    """Check each line against the one before it; return the blobs that capture events name."""
    captured: dict[str, int] = {}
    expected_prev, expected_seq, last_seq = GENESIS, 1, 0
    torn = log.path.exists() and log.path.stat().st_size > 0 and _last_byte(log.path) != b"\n"
    for number, raw in enumerate(log.lines(), start=1):
        result.lines = number
        event = _parse(raw)
        if torn and event is None and raw == _last_line_of(log):
            result.problems.append(f"custody.log line {number}: torn (the line ends without its newline)")
            expected_prev, expected_seq = line_hash(raw), expected_seq + 1
            continue
        if event is None:
            result.problems.append(f"custody.log line {number}: not a valid event (edited or inserted)")
            expected_prev, expected_seq = line_hash(raw), expected_seq + 1
            continue
        seq: int = event["seq"] if isinstance(event.get("seq"), int) else -1
        problem = _link_problem(number, seq, expected_seq, event.get("prev") == expected_prev)
        if problem:
            result.problems.append(problem)
        if event.get("action") == "capture":
            captured.update({str(obj): seq for obj in event.get("objects", []) if isinstance(obj, str)})
        expected_prev, expected_seq, last_seq = line_hash(raw), max(seq, expected_seq - 1) + 1, seq
    _check_head(log, result, expected_prev, last_seq)
    return captured


def _last_byte(path: Path) -> bytes:
    with path.open("rb") as handle:
        handle.seek(-1, 2)
        return handle.read(1)


def _last_line_of(log: CustodyLog) -> bytes:
    with log.path.open("rb") as handle:
        return _last_line(handle) or b""


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        event = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return event if isinstance(event, dict) else None


def _link_problem(number: int, seq: int, expected_seq: int, prev_ok: bool) -> str | None:
    where = f"custody.log line {number} (seq {seq})"
    if seq > expected_seq:
        return f"{where}: {seq - expected_seq} line(s) removed before it (expected seq {expected_seq})"
    if seq < expected_seq:
        return f"{where}: inserted, or a line was inserted before it (expected seq {expected_seq})"
    if not prev_ok:
        return f"custody.log line {number - 1}: changed (line {number} holds a different hash of it)"
    return None


def _check_head(log: CustodyLog, result: Verification, last_hash: str, last_seq: int) -> None:
    head = log.head()
    if head is None:
        if result.lines:
            result.problems.append("custody.head: missing, so the last line cannot be checked")
        return
    if head.get("seq") == last_seq and head.get("sha256") == last_hash:
        return
    recorded = int(head.get("seq", 0))
    if recorded > last_seq:
        result.problems.append(
            f"custody.log: last {recorded - last_seq} line(s) removed (custody.head records seq {recorded})"
        )
    elif recorded < last_seq:
        result.problems.append(f"custody.log: line(s) after seq {recorded} appended outside the tool (custody.head)")
    else:
        result.problems.append(
            f"custody.log line {result.lines} (seq {last_seq}): changed (custody.head holds a different hash)"
        )


def _check_timestamp(log: CustodyLog, result: Verification, tsa_ca: Path | None) -> None:
    """Read (and with ``tsa_ca`` check) the head's RFC 3161 token; without ``tsa_ca`` only notes."""
    from unveil.evidence.timestamp import TSA_ENV, check_token, token_imprint, token_time

    found = result.problems if tsa_ca is not None else result.notes
    token_path = log.head_path.with_name(HEAD_TOKEN)
    if not token_path.exists():
        if tsa_ca is not None:
            found.append(f"{HEAD_TOKEN}: missing (custody.head is not time-stamped: {TSA_ENV} was not set)")
        return
    if not log.head_path.exists():
        return  # the chain check names the missing head
    head, token = log.head_path.read_bytes(), token_path.read_bytes()
    imprint = token_imprint(token)
    if imprint is not None and imprint != hashlib.sha256(head).hexdigest():
        stamped = token_time(token_path) or "unknown time"
        found.append(
            f"{HEAD_TOKEN}: the time-stamp covers an older head (stamped {stamped}), not the current custody.head: "
            f"an append was made without {TSA_ENV}, or was interrupted before its stamp was written"
        )
        return
    when, problems = check_token(head, token, tsa_ca, HEAD_TOKEN)
    found.extend(problems)
    result.timestamp = when or ""
    result.timestamp_checked = tsa_ca is not None and bool(when) and not problems
