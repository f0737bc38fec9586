"""Labels with history: investigators' judgements on posts, networks, templates, identifiers, parties, alerts.

Labels are append-only events in ``label_events`` (``unveil.db``): who, when, which item, the
label and the reason, and the case it was given in (or none: a workspace-wide judgement). A
changed label is a new event, so the old one is kept; a removed label is a ``cleared`` event. The
**current** label of an item is its latest event (per case for ``case_labels``, across the
workspace for ranking), unless that event cleared it.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from unveil import db
from unveil.cases.items import LABELLED_KINDS, LABELS, check_labelled_item_exists
from unveil.cases.schema import CASES
from unveil.errors import NotFound, UsageError
from unveil.workspace import Workspace

# Event columns, in the order of the ``labels.events`` export.
EVENT_COLUMNS = ("id", "at", "actor", "item_kind", "item_ref", "label", "reason", "case_id", "detail")


def now() -> str:
    """The current UTC time as ISO 8601 (as the case store writes it)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_label(label: str, kind: str) -> None:
    """A usage error unless ``label`` and ``kind`` are ones items can be labelled with."""
    if label not in LABELS:
        raise UsageError(f"unknown label {label!r}: use one of {', '.join(LABELS)}")
    if kind not in LABELLED_KINDS:
        raise UsageError(f"unknown item kind {kind!r}: use one of {', '.join(LABELLED_KINDS)}")


def record_label_event(
    connection: sqlite3.Connection,
    *,
    at: str,
    actor: str,
    kind: str,
    ref: str,
    label: str,
    reason: str,
    case_id: str | None,
    detail: str = "",
) -> int:
    """Append one label event (inside the caller's transaction) and audit it; returns its id.

    ``detail`` is a JSON snapshot of what was judged (for an alert: its typology, party and
    transfers, so that new transfers lift a false-positive's suppression).
    """
    cursor = connection.execute(
        "INSERT INTO label_events (at, actor, item_kind, item_ref, label, reason, case_id, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (at, actor, kind, ref, label, reason, case_id, detail),
    )
    audited = {"kind": kind, "ref": ref, "label": label, "reason": reason, "event": cursor.lastrowid}
    object_kind, object_id = ("case", case_id) if case_id else (kind, ref)
    connection.execute(
        "INSERT INTO audit_log (at, actor, action, object_kind, object_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (
            at,
            actor,
            "case.set_label" if case_id else "label.set",
            object_kind,
            object_id,
            json.dumps(audited, ensure_ascii=False, sort_keys=True),
        ),
    )
    return int(cursor.lastrowid or 0)


def item_snapshot(workspace: Workspace, kind: str, ref: str) -> str:
    """What is judged, as JSON, for the items whose judgement depends on their content (alerts)."""
    if kind != "alert":
        return ""
    from unveil.cases.data import rows

    found = rows(workspace, "money.alerts", ["typology", "party_id", "transfer_ids"], ("alert_id", [ref]))
    if not found:
        return ""
    alert = found[0]
    snapshot = {
        "typology": alert.get("typology"),
        "party_id": alert.get("party_id"),
        "transfer_ids": sorted(alert.get("transfer_ids") or []),
    }
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True)


def label_item(
    workspace: Workspace, kind: str, ref: str, label: str, actor: str, reason: str = "", *, check: bool = True
) -> dict[str, Any]:
    """Label an item for the whole workspace (no case); the item is checked against its table."""
    check_label(label, kind)
    if check:
        check_labelled_item_exists(workspace, kind, ref)
    connection = db.connect(workspace, CASES)
    try:
        with connection:
            at = now()
            event = record_label_event(
                connection,
                at=at,
                actor=actor,
                kind=kind,
                ref=ref,
                label=label,
                reason=reason,
                case_id=None,
                detail=item_snapshot(workspace, kind, ref),
            )
    finally:
        connection.close()
    return {"id": event, "item_kind": kind, "item_ref": ref, "label": label, "reason": reason, "at": at}


def clear_label(workspace: Workspace, kind: str, ref: str, actor: str, reason: str = "") -> dict[str, Any]:
    """Remove an item's workspace-wide current label (an event ``cleared``; the history stays)."""
    if current_label(workspace, kind, ref) is None:
        raise NotFound(f"label of {kind}", ref)
    connection = db.connect(workspace, CASES)
    try:
        with connection:
            at = now()
            event = record_label_event(
                connection, at=at, actor=actor, kind=kind, ref=ref, label="cleared", reason=reason, case_id=None
            )
    finally:
        connection.close()
    return {"id": event, "item_kind": kind, "item_ref": ref, "label": "cleared", "reason": reason, "at": at}


def label_history(workspace: Workspace, kind: str, ref: str) -> list[dict[str, Any]]:
    """Every label event of an item, oldest first (in any case and workspace-wide)."""
    return _select(workspace, "WHERE item_kind = ? AND item_ref = ? ORDER BY id", (kind, ref))


def all_label_events(workspace: Workspace) -> list[dict[str, Any]]:
    """Every label event of the workspace, oldest first."""
    return _select(workspace, "ORDER BY id", ())


def current_label(workspace: Workspace, kind: str, ref: str) -> dict[str, Any] | None:
    """An item's current workspace-wide label (its latest event), or None."""
    return latest_labels(label_history(workspace, kind, ref)).get((kind, ref))


def latest_labels(events: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The latest event per item (events in id order), leaving out items whose latest event cleared them."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for event in sorted(events, key=lambda e: int(e["id"])):
        latest[(str(event["item_kind"]), str(event["item_ref"]))] = event
    return {key: event for key, event in latest.items() if event["label"] != "cleared"}


def _select(workspace: Workspace, where: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    connection = db.connect(workspace, CASES)
    try:
        rows = connection.execute(f"SELECT {', '.join(EVENT_COLUMNS)} FROM label_events {where}", params).fetchall()
    finally:
        connection.close()
    return [dict(row) for row in rows]
