"""One identifier: every post that carries it, the cities, networks, transfers and parties it leads to."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from unveil.errors import NotFound
from unveil.web.readmodel import ReadModel

POST_LIMIT = 500
TRANSFER_LIMIT = 500
TRANSFER_COLUMNS = {"phone": "phone", "email": "email", "iban": "account", "wallet": "wallet"}
"""Identifier type -> the ``money.transfers`` party column that holds the same canonical value."""


@dataclass
class IdentifierDetail:
    """What the identifier page shows."""

    type: str
    value: str
    posts: list[dict[str, Any]] = field(default_factory=list)
    post_count: int = 0
    cities: list[dict[str, Any]] = field(default_factory=list)
    networks: list[dict[str, Any]] = field(default_factory=list)
    transfers: list[dict[str, Any]] | None = None
    parties: list[dict[str, Any]] | None = None


def identifier_detail(tables: ReadModel, kind: str, value: str) -> IdentifierDetail:
    """Every trace of one identifier; ``NotFound`` when no post and no transfer carries it."""
    tables.require("extract.identifiers")
    detail = IdentifierDetail(kind, value)
    ids = [
        r["post_id"]
        for r in tables.rows(
            "SELECT DISTINCT post_id FROM extract.identifiers WHERE value = ? AND type = ? ORDER BY post_id",
            [value, kind],
        )
    ]
    detail.post_count = len(ids)
    posts: list[dict[str, Any]] = []
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        marks = ", ".join("?" for _ in chunk)
        posts += tables.rows(
            "SELECT post_id, title, left(text, 160) AS snippet, posted_at, best_city AS city, risk, network_id "
            f"FROM web.posts WHERE post_id IN ({marks})",
            chunk,
        )
    posts.sort(key=lambda r: (r["posted_at"] is None, str(r["posted_at"])), reverse=False)
    detail.posts = posts[:POST_LIMIT]
    detail.cities = [{"city": c, "posts": n} for c, n in Counter(p["city"] for p in posts if p["city"]).most_common()]
    networks = Counter(p["network_id"] for p in posts if p["network_id"])
    detail.networks = [{"network_id": n, "posts": count} for n, count in networks.most_common()]
    detail.transfers = _transfers(tables, kind, value)
    detail.parties = _parties(tables, kind, value)
    if not ids and not detail.transfers:
        raise NotFound("identifier", f"{kind}:{value}")
    return detail


def _transfers(tables: ReadModel, kind: str, value: str) -> list[dict[str, Any]] | None:
    if not tables.has("money.transfers"):
        return None
    column = TRANSFER_COLUMNS.get(kind)
    present = tables.columns("money.transfers")
    if column is None or f"sender_{column}" not in present or f"receiver_{column}" not in present:
        return []
    amount = "amount_eur" if "amount_eur" in present else "amount"
    return tables.rows(
        f"SELECT transfer_id, executed_at, channel, amount, currency, {amount} AS amount_eur, sender_name, "
        f"sender_city, sender_country, receiver_name, receiver_city, receiver_country, "
        f"sender_{column} = ? AS as_sender FROM money.transfers WHERE sender_{column} = ? OR receiver_{column} = ? "
        "ORDER BY executed_at DESC LIMIT ?",
        [value, value, value, TRANSFER_LIMIT],
    )


def _parties(tables: ReadModel, kind: str, value: str) -> list[dict[str, Any]] | None:
    if not tables.has("money.party_matches"):
        return None
    return tables.rows(
        "SELECT DISTINCT party_id, reason FROM money.party_matches WHERE identifier_type = ? AND identifier_value = ? "
        "ORDER BY party_id LIMIT 100",
        [kind, value],
    )
