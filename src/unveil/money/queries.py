"""What the money pages show: SQL over the web app's read model, pure of HTTP.

Each function takes the read model (``unveil.web.readmodel.ReadModel``: ``rows``, ``value``, ``has``)
and returns rows, or None when the money stage has not run yet.
"""

from __future__ import annotations

from typing import Any, Protocol


class Tables(Protocol):
    """The part of the read model these queries use."""

    def has(self, name: str) -> bool: ...

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...


PAGE_SIZE = 50


def alerts(tables: Tables, typology: str = "", page: int = 1) -> tuple[list[dict[str, Any]], bool] | None:
    """One page of alerts, highest score first, optionally of one typology; and whether more follow."""
    if not tables.has("money.alerts"):
        return None
    rows = tables.rows(
        "SELECT alert_id, typology, title, score, party_id, party_name, reasons, source, amount_eur, first_at, "
        "last_at, len(transfer_ids) AS transfers, len(post_ids) AS posts, network_ids "
        f"FROM money.alerts WHERE (? = '' OR typology = ?) AND {not_suppressed(tables)} "
        "ORDER BY score DESC, alert_id LIMIT ? OFFSET ?",
        [typology, typology, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE],
    )
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def not_suppressed(tables: Tables) -> str:
    """A condition leaving out alerts an investigator labelled false positive (``rank.alert_feedback``)."""
    if not tables.has("rank.alert_feedback"):
        return "TRUE"
    return "alert_id NOT IN (SELECT alert_id FROM rank.alert_feedback WHERE suppressed)"


def typology_counts(tables: Tables) -> list[dict[str, Any]]:
    """Alerts per typology, for the filter."""
    return tables.rows(
        f"SELECT typology, title, count(*) AS alerts FROM money.alerts WHERE {not_suppressed(tables)} "
        "GROUP BY 1, 2 ORDER BY 3 DESC, 1"
    )


def party(tables: Tables, party_id: str) -> dict[str, Any] | None:
    """A party with its alerts, links to other records, online matches and latest transfers; None if unknown."""
    found = tables.rows("SELECT * FROM money.parties WHERE party_id = ?", [party_id])
    if not found:
        return None
    return {
        "party": found[0],
        "alerts": tables.rows(
            "SELECT * FROM money.alerts WHERE party_id = ? ORDER BY score DESC, alert_id", [party_id]
        ),
        "links": tables.rows(
            "SELECT * FROM money.party_matches WHERE party_id = ? AND match_kind = 'party' "
            "ORDER BY match_weight DESC, record_id, other_record_id",
            [party_id],
        ),
        "online": tables.rows(
            "SELECT post_id, identifier_type, identifier_value, reason FROM money.party_matches "
            "WHERE party_id = ? AND match_kind = 'online' ORDER BY post_id, identifier_type LIMIT 500",
            [party_id],
        ),
        "transfers": tables.rows(
            "SELECT transfer_id, executed_at, channel, tx_type, amount, currency, amount_eur, sender_party_id, "
            "sender_name, receiver_party_id, receiver_name, receiver_country, merchant, agent_city, reference, "
            "source_file, record_no FROM money.transfers WHERE sender_party_id = ? OR receiver_party_id = ? "
            "ORDER BY executed_at DESC, transfer_id LIMIT 200",
            [party_id, party_id],
        ),
    }


def network_money(tables: Tables, network_id: str) -> dict[str, Any] | None:
    """A network's money: the alerts linked to it and the flows between their parties."""
    if not tables.has("money.alerts"):
        return None
    linked = tables.rows(
        "SELECT * FROM money.alerts WHERE list_contains(network_ids, ?) ORDER BY score DESC, alert_id", [network_id]
    )
    parties = sorted({alert["party_id"] for alert in linked})
    flows = tables.rows(
        "SELECT sender_party_id, min(sender_name) AS sender_name, receiver_party_id, min(receiver_name) AS "
        "receiver_name, count(*) AS transfers, round(sum(amount_eur), 2) AS amount_eur, min(executed_at) AS first_at, "
        "max(executed_at) AS last_at FROM money.transfers "
        "WHERE list_contains(?, sender_party_id) OR list_contains(?, receiver_party_id) "
        "GROUP BY sender_party_id, receiver_party_id ORDER BY amount_eur DESC NULLS LAST LIMIT 200",
        [parties, parties],
    )
    return {"network_id": network_id, "alerts": linked, "flows": flows}
