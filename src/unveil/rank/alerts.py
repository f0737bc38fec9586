"""Alert feedback: a money alert labelled a false positive (with a reason) is suppressed on its party
until new transfers change it.

An alert's id is its typology and party (``money.alerts.alert_id``), so the same alert on the same
party keeps its id from run to run. When it is labelled, the label event keeps a snapshot of its
transfers (``label_events.detail``). The alert stays suppressed while every transfer it now stands
on was in that snapshot; a new transfer lifts the suppression (the alert comes back, saying how
many transfers are new). Suppressing is audited like every label (``audit_log``) and reversible:
a later label, or clearing the label (``unveil label clear``), brings the alert back at the next
``unveil run``.
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from unveil.cases.labels import latest_labels

ALERT_FEEDBACK = pa.schema(
    [
        ("alert_id", pa.string()),
        ("typology", pa.string()),
        ("party_id", pa.string()),
        ("label_event", pa.int64()),
        ("labelled_by", pa.string()),
        ("labelled_at", pa.string()),
        ("reason", pa.string()),
        ("suppressed", pa.bool_()),
        ("new_transfers", pa.int64()),
    ]
)


def alert_feedback(events: list[dict[str, Any]], alerts: pa.Table) -> pa.Table:
    """One row per current alert whose latest label is a false positive: suppressed or not, and why."""
    labelled = {
        ref: event
        for (kind, ref), event in latest_labels(events).items()
        if kind == "alert" and event["label"] == "false_positive"
    }
    rows: list[dict[str, Any]] = []
    for alert in sorted(alerts.to_pylist(), key=lambda a: str(a["alert_id"])):
        event = labelled.get(str(alert["alert_id"]))
        if event is None:
            continue
        snapshot = json.loads(event["detail"]) if event.get("detail") else None
        now = set(alert.get("transfer_ids") or [])
        new = len(now - set(snapshot["transfer_ids"])) if snapshot else len(now)
        same_party = snapshot is not None and snapshot.get("party_id") == alert.get("party_id")
        rows.append(
            {
                "alert_id": alert["alert_id"],
                "typology": alert["typology"],
                "party_id": alert["party_id"],
                "label_event": int(event["id"]),
                "labelled_by": event["actor"],
                "labelled_at": event["at"],
                "reason": event["reason"],
                "suppressed": same_party and new == 0 and bool(str(event["reason"]).strip()),
                "new_transfers": new,
            }
        )
    return pa.Table.from_pylist(rows, schema=ALERT_FEEDBACK)
