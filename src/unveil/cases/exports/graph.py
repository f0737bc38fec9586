"""The material as entities and links, the common shape of the GEXF and i2 exports.

Entities: posts, identifiers (phone, email, handle, url, iban, wallet), parties of transfers.
Links: a post mentions an identifier; posts linked by a template or an image (``link.edges``); a
party uses an identifier; a party sends a transfer to another party.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from unveil.cases.data import Row
from unveil.cases.material import PARTY_IDENTIFIER_COLUMNS, Material, canonical_identifier

IDENTIFIER_TYPES = {
    "phone": "Phone",
    "email": "Email",
    "handle": "Handle",
    "url": "URL",
    "iban": "IBAN",
    "wallet": "Wallet",
}


@dataclass(frozen=True)
class Entity:
    """A node: id, type, label and attributes."""

    id: str
    type: str
    label: str
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Link:
    """An edge between two entities."""

    id: str
    source: str
    target: str
    type: str
    label: str
    directed: bool = False
    date: str = ""
    weight: float = 1.0


@dataclass
class EntityGraph:
    """Entities by id, and links."""

    entities: dict[str, Entity] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    seen: set[tuple[str, str, str]] = field(default_factory=set)

    def add(self, entity: Entity) -> None:
        """Add an entity once (the first one seen wins)."""
        self.entities.setdefault(entity.id, entity)

    def link(self, source: str, target: str, kind: str, label: str, **extra: object) -> None:
        """Add a link with a stable id."""
        link_id = f"L{len(self.links) + 1}"
        self.links.append(Link(link_id, source, target, kind, label, **extra))  # type: ignore[arg-type]

    def link_once(self, source: str, target: str, kind: str, label: str) -> None:
        """Add an undirected link unless the same one exists."""
        if (source, target, kind) not in self.seen:
            self.seen.add((source, target, kind))
            self.link(source, target, kind, label)


def identifier_id(id_type: str, value: str) -> str:
    """Entity id of an identifier."""
    return f"{id_type}:{value}"


def party_key(transfer: Row, side: str, region: str) -> str:
    """A party as written on a transfer: the same name, phone, e-mail, account and wallet give the same key.

    A party with none of them is unknown: its key is its own transfer's, so that unrelated anonymous
    transfers are never joined through one made-up party.
    """
    parts = [str(transfer.get(f"{side}_name") or "").strip().lower()]
    for id_type, column in PARTY_IDENTIFIER_COLUMNS.items():
        raw = transfer.get(f"{side}_{column}")
        parts.append(canonical_identifier(id_type, str(raw), region) if raw else "")
    if not any(parts):
        parts = ["unknown", side, str(transfer.get("transfer_id"))]
    return "party:" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def build_graph(material: Material, region: str) -> EntityGraph:
    """The entity graph of some material."""
    graph = EntityGraph()
    network_of = {r["post_id"]: r["network_id"] for r in material.network_posts}
    for post in material.posts:
        label = (post.get("title") or post.get("text") or "")[:60]
        attributes = {
            "city": str(post.get("city") or ""),
            "posted_at": str(post.get("posted_at") or ""),
            "platform": str(post.get("platform") or ""),
            "network": network_of.get(post["post_id"], ""),
            "evidence_sha256": str(post.get("evidence_sha256") or ""),
        }
        graph.add(Entity(post["post_id"], "Post", label, attributes))
    for row in material.identifiers:
        node = identifier_id(row["type"], row["value"])
        graph.add(Entity(node, IDENTIFIER_TYPES.get(str(row["type"])) or str(row["type"]), str(row["value"])))
        graph.link_once(row["post_id"], node, "mentions", f"found by {row.get('rule') or 'extraction'}")
    for edge in material.edges:
        if edge.get("kind") != "identifier":
            graph.link(
                edge["src_post_id"],
                edge["dst_post_id"],
                str(edge.get("kind")),
                str(edge.get("reason") or ""),
                weight=float(edge.get("weight") or 1.0),
            )
    for transfer in material.transfers:
        _add_transfer(graph, transfer, region)
    return graph


def _add_transfer(graph: EntityGraph, transfer: Row, region: str) -> None:
    ends = []
    for side in ("sender", "receiver"):
        key = party_key(transfer, side, region)
        graph.add(
            Entity(
                key,
                "Person",
                str(transfer.get(f"{side}_name") or "unknown"),
                {"country": str(transfer.get(f"{side}_country") or "")},
            )
        )
        for id_type, column in PARTY_IDENTIFIER_COLUMNS.items():
            raw = transfer.get(f"{side}_{column}")
            if raw:
                node = identifier_id(id_type, canonical_identifier(id_type, str(raw), region))
                graph.add(Entity(node, IDENTIFIER_TYPES[id_type], node.partition(":")[2]))
                graph.link_once(key, node, "uses", f"{side} {column} on transfers")
        ends.append(key)
    amount = f"{float(transfer.get('amount') or 0):.2f} {transfer.get('currency') or ''}".strip()
    graph.link(
        ends[0],
        ends[1],
        "transfer",
        f"{transfer['transfer_id']}: {amount}",
        directed=True,
        date=str(transfer.get("executed_at") or ""),
        weight=float(transfer.get("amount") or 0),
    )
