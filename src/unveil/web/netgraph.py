"""A network's graph as a person can read it: identifiers and templates as hubs, posts collapsed per template.

Nodes: each shared identifier (``kind`` = its type), each template of the network's posts (one node
for all its posts, ``kind`` = ``template``), and each post in no template (``kind`` = ``post``).
Edges join an identifier to the templates and posts that carry it (``identifier``), and the
collapsed nodes of posts linked by near-duplicate text (``template``), writing style (``style``) or
a shared photo (``image``), with how many post pairs each stands for.

The biggest nodes are kept up to a cap (``limit``: the page's "show more" asks for more), and the
layout is computed here, before display (a force layout with a fixed number of iterations, from a
fixed start: the same network is always drawn the same way), so the browser draws positions only.

What a node shows of an identifier is what the user may see (``show``: pseudonyms for analysts):
node ids included, never the value itself.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import numpy as np

DEFAULT_LIMIT = 40
MAX_LIMIT = 400
ITERATIONS = 120
EDGE_KINDS = ("identifier", "template", "style", "image")
CACHED_GRAPHS = 512
"""Graphs kept per snapshot and process (``GraphCache``): a network's graph is laid out once, not per view."""


class GraphCache:
    """The last ``size`` graphs computed, by (network, limit, pseudonymised or not); safe across threads.

    Kept per snapshot (``ReadModel.cached``), so new tables start a new cache. Every analyst sees the
    same pseudonyms (one workspace key), so one masked graph serves them all.
    """

    def __init__(self, size: int = CACHED_GRAPHS) -> None:
        self.size = size
        self.items: OrderedDict[tuple[str, int, bool], dict[str, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[str, int, bool], compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The graph under ``key``, computed (outside the lock) when absent."""
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
                return found
        graph = compute()
        with self.lock:
            self.items[key] = graph
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return graph


def collapsed_graph(
    members: list[dict[str, Any]],
    identifiers: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    show: Callable[[str, str], str],
    limit: int = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """Cytoscape elements with positions, and what was left out.

    ``members``: the network's posts (``post_id``, ``template_id``, ``city``, ``posted_at``);
    ``identifiers``: shared identifiers with their ``post_ids``; ``edges``: post pairs of ``link.edges``
    (``src_post_id``, ``dst_post_id``, ``kind``) other than identifiers.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    group_of: dict[str, str] = {}
    sizes: Counter[str] = Counter()
    info: dict[str, dict[str, Any]] = {}
    for post in members:
        template = post.get("template_id")
        node = f"t:{template}" if template else f"p:{post['post_id']}"
        group_of[post["post_id"]] = node
        sizes[node] += 1
        if node not in info:
            info[node] = (
                {"kind": "template", "label": f"template {template}", "template": template}
                if template
                else {
                    "kind": "post",
                    "label": _post_label(post),
                    "href": f"/posts/{quote(post['post_id'], safe='')}",
                }
            )
    links: Counter[tuple[str, str, str]] = Counter()
    for item in identifiers:
        shown = show(item["type"], item["value"])  # the node's id holds what the user may see, never more
        node = f"i:{item['type']}:{shown}"
        carriers = Counter(group_of[p] for p in item.get("post_ids") or [] if p in group_of)
        if not carriers:
            continue
        info[node] = {"kind": item["type"], "label": shown, "identifier": True}
        sizes[node] = sum(carriers.values())
        for target, n in carriers.items():
            links[(node, target, "identifier")] += n
    for edge in edges:
        a, b = group_of.get(edge["src_post_id"]), group_of.get(edge["dst_post_id"])
        if a is None or b is None or a == b:
            continue
        kind = edge["kind"] if edge["kind"] in EDGE_KINDS else "template"
        links[(min(a, b), max(a, b), kind)] += 1
    degree: Counter[str] = Counter()
    for a, b, _ in links:
        degree[a] += 1
        degree[b] += 1
    ranked = sorted(
        info, key=lambda n: (not info[n].get("identifier"), info[n]["kind"] == "post", -sizes[n], -degree[n], n)
    )
    kept = ranked[:limit]
    kept_set = set(kept)
    kept_links = [(a, b, k, n) for (a, b, k), n in sorted(links.items()) if a in kept_set and b in kept_set]
    positions = layout(kept, [(a, b) for a, b, _, _ in kept_links])
    nodes = []
    for node in kept:
        data = dict(info[node], id=node, posts=sizes[node])
        data.pop("identifier", None)
        if data["kind"] == "template":
            data["label"] = f"{data['label']} ({sizes[node]} posts)"
        data["size"] = round(12 + 18 * math.sqrt(sizes[node] / max(sizes[n] for n in kept)), 1)
        nodes.append({"data": data, "position": positions[node]})
    out_edges = [
        {"data": {"id": f"{a}>{b}:{kind}", "source": a, "target": b, "kind": kind, "pairs": n}}
        for a, b, kind, n in kept_links
    ]
    return {
        "nodes": nodes,
        "edges": out_edges,
        "total_nodes": len(info),
        "hidden_nodes": len(info) - len(kept),
        "limit": limit,
        "next_limit": min(limit * 2, MAX_LIMIT) if len(info) > len(kept) else None,
    }


def _post_label(post: dict[str, Any]) -> str:
    when = post.get("posted_at")
    day = str(when)[:10] if when is not None else ""
    return " ".join(part for part in (post.get("city") or "", day) if part) or "post"


def layout(nodes: list[str], edges: list[tuple[str, str]], size: float = 600.0) -> dict[str, dict[str, float]]:
    """Fruchterman-Reingold positions, ``ITERATIONS`` steps from nodes on a circle (deterministic)."""
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: {"x": size / 2, "y": size / 2}}
    index = {node: i for i, node in enumerate(nodes)}
    angle = np.arange(n) * (2 * math.pi / n)
    radius = np.sqrt(np.arange(1, n + 1) / n) * size / 2  # hubs (ranked first) near the middle
    pos = np.stack([np.cos(angle) * radius, np.sin(angle) * radius], axis=1)
    k = size / math.sqrt(n) * 0.8
    pairs = np.array([(index[a], index[b]) for a, b in edges], dtype=np.int64).reshape(-1, 2)
    temperature = size / 10
    for _ in range(ITERATIONS):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.sqrt((delta**2).sum(axis=2)), 0.01)
        push = (k * k / dist**2)[:, :, None] * delta
        move = push.sum(axis=1)
        if len(pairs):
            d = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            length = np.maximum(np.sqrt((d**2).sum(axis=1)), 0.01)
            pull = (length / k)[:, None] * d
            np.add.at(move, pairs[:, 0], -pull)
            np.add.at(move, pairs[:, 1], pull)
        move -= pos * 0.02  # a light pull to the middle keeps unlinked nodes in view
        norm = np.maximum(np.sqrt((move**2).sum(axis=1)), 0.01)
        pos += move / norm[:, None] * np.minimum(norm, temperature)[:, None]
        temperature *= 0.96
    pos -= pos.min(axis=0)
    span = max(float(pos.max()), 1.0)
    pos = pos * (size / span)
    return {node: {"x": round(float(pos[i, 0]), 1), "y": round(float(pos[i, 1]), 1)} for node, i in index.items()}
