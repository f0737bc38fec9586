"""Alerts: each detector's rows turned into scored, explained alerts linked to posts and networks."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa

from unveil.money.schema import ALERTS
from unveil.money.typologies.base import TransferTypology, listed

NETWORK_BOOST = 0.1


def alert_id(typology: str, party_id: str) -> str:
    """Stable id of the alert a typology raises on a party."""
    return "A" + hashlib.sha256(f"{typology}:{party_id}".encode()).hexdigest()[:12]


class AlertContext:
    """What alerts are linked to: each party's posts and identifiers online, each post's networks, names."""

    def __init__(
        self,
        online: Iterable[Mapping[str, Any]],
        networks: Iterable[Mapping[str, Any]],
        names: Mapping[str, str | None],
    ) -> None:
        self.posts_of: dict[str, set[str]] = defaultdict(set)
        self.identifiers_of: dict[str, set[str]] = defaultdict(set)
        for row in online:
            self.posts_of[row["party_id"]].add(row["post_id"])
            self.identifiers_of[row["party_id"]].add(f"{row['identifier_type']} {row['identifier_value']}")
        self.networks_of: dict[str, set[str]] = defaultdict(set)
        for row in networks:
            self.networks_of[row["post_id"]].add(row["network_id"])
        self.names = names


def build_alert(typology: TransferTypology, row: Mapping[str, Any], context: AlertContext) -> dict[str, Any]:
    """One alert: the detector's reasons, plus the party's ads and networks when it has any."""
    party = row["party_id"]
    reasons = typology.reasons(row)
    posts = set(row.get("post_ids") or []) | context.posts_of.get(party, set())
    networks = sorted({network for post in posts for network in context.networks_of.get(post, ())})
    if typology.name != "online_identifiers" and context.posts_of.get(party):
        reasons.append(
            f"the party is also found online: {listed(sorted(context.identifiers_of[party]), 3)} in "
            f"{len(context.posts_of[party])} posts"
        )
    score = float(row["score"])
    if networks:
        reasons.append(f"its posts belong to network(s) {listed(networks)}")
        score = min(1.0, score + NETWORK_BOOST)
    return {
        "alert_id": alert_id(typology.name, party),
        "typology": typology.name,
        "title": typology.title,
        "score": round(score, 3),
        "party_id": party,
        "party_name": context.names.get(party),
        "reasons": reasons,
        "source": typology.source,
        "transfer_ids": list(row["transfer_ids"] or []),
        "post_ids": sorted(posts),
        "network_ids": networks,
        "amount_eur": row.get("amount_eur"),
        "first_at": row.get("first_at"),
        "last_at": row.get("last_at"),
    }


def alerts_table(found: Sequence[tuple[TransferTypology, pa.Table]], context: AlertContext) -> pa.Table:
    """All alerts, highest score first (ties by alert id, so re-runs give identical tables)."""
    alerts = [build_alert(typology, row, context) for typology, rows in found for row in rows.to_pylist()]
    alerts.sort(key=lambda alert: (-alert["score"], alert["alert_id"]))
    return pa.Table.from_pylist(alerts, schema=ALERTS)
