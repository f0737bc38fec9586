"""A network's dossier read back from the ``link`` tables: summary, links, movement, members."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from unveil.errors import NotFound
from unveil.tables import TableRef
from unveil.workspace import Workspace


@dataclass(frozen=True)
class NetworkReport:
    """Everything ``unveil network`` prints about one network."""

    network: dict[str, Any]
    links: list[dict[str, Any]]
    templates: list[dict[str, Any]]
    hubs: list[dict[str, Any]]
    movements: list[dict[str, Any]]
    posts: list[dict[str, Any]]


def _rows(table: TableRef, condition: ds.Expression | None = None) -> pa.Table:
    if not table.exists():
        return pa.table({})
    return table.dataset().to_table(filter=condition)


def network_report(workspace: Workspace, network_id: str) -> NetworkReport:
    """Collect one network's rows from the link tables (NotFound if it does not exist)."""
    in_network = ds.field("network_id") == network_id
    found = _rows(workspace.table("link.networks"), in_network).to_pylist()
    if not found:
        raise NotFound("network", network_id)
    edges = _rows(workspace.table("link.edges"), in_network)
    members = _rows(workspace.table("link.network_posts"), in_network)
    post_ids = members.column("post_id")
    facts = _rows(workspace.table("link.post_facts"), ds.field("post_id").isin(post_ids))
    template_ids = pc.unique(edges.filter(pc.equal(edges["kind"], "template"))["key"])
    templates = _rows(workspace.table("link.templates"), ds.field("template_id").isin(template_ids)).to_pylist()
    shared = _rows(workspace.table("link.shared_identifiers"), ds.field("post_id").isin(post_ids))
    hubs = [
        hub
        for hub in _rows(workspace.table("link.hubs")).to_pylist()
        if pc.any(pc.and_(pc.equal(shared["type"], hub["type"]), pc.equal(shared["value"], hub["value"]))).as_py()
    ]
    movements = _rows(workspace.table("link.movements"), in_network).to_pylist()
    when = {r["post_id"]: r for r in facts.to_pylist()}
    posts = [{**row, **when.get(row["post_id"], {})} for row in members.to_pylist()]
    return NetworkReport(found[0], _link_counts(edges), templates, hubs, movements, posts)


def _link_counts(edges: pa.Table) -> list[dict[str, Any]]:
    """Each identifier, template or photo that links this network's posts, with its edge count."""
    if edges.num_rows == 0:
        return []
    grouped = edges.group_by(["kind", "key"]).aggregate([("src_post_id", "count")])
    rows = grouped.rename_columns(["kind", "key", "edges"]).to_pylist()
    return sorted(rows, key=lambda r: (-r["edges"], r["kind"], r["key"]))


def itinerary(movements: list[dict[str, Any]], phone: str | None) -> str:
    """One line of stays for the network (phone None) or one phone: city (days, posts) -> ..."""
    stays = sorted((m for m in movements if m["phone"] == phone), key=lambda m: m["step"])
    parts = []
    for stay in stays:
        notes = [f"{stay['stay_days']} d", f"{stay['posts']} posts"]
        if stay["new_in_town"]:
            notes.append('"new in town"')
        if stay["revisit"]:
            notes.append("return")
        parts.append(f"{stay['city']} ({', '.join(notes)})")
    return " -> ".join(parts)
