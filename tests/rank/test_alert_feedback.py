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


class MemoryTables:
    """The read model's ``has`` and ``rows`` over an in-memory DuckDB holding the named tables."""

    def __init__(self, tables: dict[str, pa.Table]) -> None:
        import duckdb

        self.names = set(tables)
        self.connection = duckdb.connect()
        for name, table in tables.items():
            schema, _ = name.split(".")
            self.connection.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            self.connection.register("incoming", table)
            self.connection.execute(f"CREATE TABLE {name} AS SELECT * FROM incoming")
            self.connection.unregister("incoming")

    def has(self, name: str) -> bool:
        return name in self.names

    def rows(self, sql: str, params: object = ()) -> list[dict[str, object]]:
        cursor = self.connection.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_the_money_alert_list_leaves_out_suppressed_alerts() -> None:
    from unveil.money import queries

    base = {
        "title": "Structuring",
        "score": 0.9,
        "party_name": "X",
        "reasons": ["r"],
        "source": "mto",
        "amount_eur": 10.0,
        "first_at": "2026-01-01",
        "last_at": "2026-01-02",
        "post_ids": ["p"],
        "network_ids": ["N1"],
        "typology": "structuring",
        "transfer_ids": ["T1"],
    }
    money = pa.Table.from_pylist(
        [{**base, "alert_id": "A1", "party_id": "P1"}, {**base, "alert_id": "A2", "party_id": "P2"}]
    )
    feedback = alert_feedback([event(1, "false_positive", "the family's rent", ["T1"])], money)
    tables = MemoryTables({"money.alerts": money, "rank.alert_feedback": feedback})
    shown = queries.alerts(tables)
    assert shown is not None and [row["alert_id"] for row in shown[0]] == ["A2"]
    assert queries.typology_counts(tables)[0]["alerts"] == 1
    unlabelled = MemoryTables({"money.alerts": money})
    assert [row["alert_id"] for row in (queries.alerts(unlabelled) or ([], False))[0]] == ["A1", "A2"]
