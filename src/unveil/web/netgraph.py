"""A network's graph as this user may see it: the graph the ``publish`` stage laid out (``list_graphs`` of
``publish.network_pages``, ``unveil.publish.network_graph``), as Cytoscape elements with positions.

Nothing is computed here but what a user may see of an identifier node (``show``: pseudonyms for
analysts), in its id and label: never the value itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from unveil.publish.network_graph import DEFAULT_LIMIT, MAX_LIMIT

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "shown_graph"]

HIDDEN = ("type", "value", "x", "y")
"""Fields of a published node that are not Cytoscape data (the position is its own element)."""


def shown_graph(graphs: list[dict[str, Any]], limit: int, show: Callable[[str, str], str]) -> dict[str, Any]:
    """The published graph at the first cap of at least ``limit`` nodes (else the last: every node, or
    ``MAX_LIMIT``), with each identifier as ``show`` gives it; and what was left out (``next_limit``: the
    next "show more")."""
    level = next((graph for graph in graphs if graph["limit"] >= limit), graphs[-1])
    renamed: dict[str, str] = {}
    nodes = []
    for node in level["nodes"]:
        data = {key: value for key, value in node.items() if value is not None and key not in HIDDEN}
        if node["type"] is not None:
            data["label"] = shown = show(node["type"], node["value"])
            data["id"] = renamed[node["id"]] = f"i:{node['type']}:{shown}"
        nodes.append({"data": data, "position": {"x": node["x"], "y": node["y"]}})
    edges = []
    for edge in level["edges"]:
        source, target = renamed.get(edge["source"], edge["source"]), renamed.get(edge["target"], edge["target"])
        edge_id = f"{source}>{target}:{edge['kind']}"
        edges.append(
            {"data": {"id": edge_id, "source": source, "target": target, "kind": edge["kind"], "pairs": edge["pairs"]}}
        )
    return {
        "nodes": nodes,
        "edges": edges,
        "total_nodes": level["total_nodes"],
        "hidden_nodes": level["hidden_nodes"],
        "limit": level["limit"],
        "next_limit": level["next_limit"],
    }
