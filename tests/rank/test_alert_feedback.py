"""A false-positive alert with a reason stays suppressed until new transfers change it."""

from __future__ import annotations

import json

import pyarrow as pa

from unveil.rank.alerts import alert_feedback


def event(n: int, label: str, reason: str, transfers: list[str], party: str = "P1") -> dict[str, object]:
    detail = json.dumps({"typology": "structuring", "party_id": party, "transfer_ids": transfers})
    return {
        "id": n,
        "at": f"2026-01-0{n}",
        "actor": "ann",
        "item_kind": "alert",
        "item_ref": "A1",
        "label": label,
        "reason": reason,
        "case_id": None,
        "detail": detail,
    }


def alerts(transfers: list[str]) -> pa.Table:
    return pa.Table.from_pylist(
        [{"alert_id": "A1", "typology": "structuring", "party_id": "P1", "transfer_ids": transfers}]
    )


def test_suppressed_until_a_new_transfer_and_only_with_a_reason() -> None:
    labelled = [event(1, "false_positive", "the family's rent", ["T1", "T2"])]
    assert alert_feedback(labelled, alerts(["T1", "T2"])).column("suppressed").to_pylist() == [True]
    back = alert_feedback(labelled, alerts(["T1", "T2", "T3"])).to_pylist()[0]
    assert back["suppressed"] is False and back["new_transfers"] == 1
    no_reason = [event(1, "false_positive", " ", ["T1", "T2"])]
    assert alert_feedback(no_reason, alerts(["T1", "T2"])).column("suppressed").to_pylist() == [False]
    relabelled = [*labelled, event(2, "true_positive", "it was not rent", ["T1", "T2"])]
    assert alert_feedback(relabelled, alerts(["T1", "T2"])).num_rows == 0
    cleared = [*labelled, event(2, "cleared", "", ["T1", "T2"])]
    assert alert_feedback(cleared, alerts(["T1", "T2"])).num_rows == 0
