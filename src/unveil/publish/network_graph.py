"""Each network's graph as a person can read it, laid out once by the ``publish`` stage (``list_graphs``).

Nodes: each shared identifier (``kind`` = its type), each template of the network's posts (one node
for all its posts, ``kind`` = ``template``), and each post in no template (``kind`` = ``post``).
Edges join an identifier to the templates and posts that carry it (``identifier``), and the
collapsed nodes of posts linked by near-duplicate text (``template``), writing style (``style``) or
a shared photo (``image``), with how many post pairs each stands for.

The biggest nodes are kept up to a cap, and the layout is computed here, before display (a force
layout with a fixed number of iterations, from a fixed start: the same network is always drawn the
same way), so the browser draws positions only. A network's row of ``publish.network_pages`` holds
its graph at each cap of ``limits`` (``DEFAULT_LIMIT``, doubled up to ``MAX_LIMIT``, while nodes are
left out): the page's "show more" asks for the next one. The layouts of a batch of networks are
computed together (``layouts``): one NumPy step moves every graph of the same size.

Nodes hold the real identifier values (``type``, ``value``, and the ``id`` ``i:<type>:<value>``):
what a user may see of them is decided when the graph is shown (``unveil.web.netgraph``). Nodes
are ranked identifiers first, then templates, then posts, biggest first; identifiers of the same
size by type and first post, never by value, so a pseudonymised graph is drawn as the real one.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from unveil.publish.schema import NETWORK_PAGES

DEFAULT_LIMIT = 40
MAX_LIMIT = 400
ITERATIONS = 120
EDGE_KINDS = ("identifier", "template", "style", "image")
EDGES_KEPT = 5000
"""Template, style and photo pairs of a network read for its graph: the strongest."""
SIZE = 600.0
"""Width and height of the layout."""


def limits(total: int) -> list[int]:
    """The caps a network of ``total`` nodes is laid out at: ``DEFAULT_LIMIT``, doubled, up to the one that
    shows every node (or ``MAX_LIMIT``)."""
    found = [DEFAULT_LIMIT]
    while found[-1] < min(total, MAX_LIMIT):
        found.append(min(found[-1] * 2, MAX_LIMIT))
    return found


@dataclass
class Collapsed:
    """A network's nodes, ranked (biggest first), and its links between nodes, before any cap."""

    ranked: list[str]
    info: dict[str, dict[str, Any]]
    sizes: Counter[str]
    links: dict[tuple[str, str, str], int] = field(default_factory=dict)


def collapse(
    members: list[dict[str, Any]], identifiers: list[dict[str, Any]], edges: list[tuple[str, str, str]]
) -> Collapsed:
    """Nodes and links of a network.

    ``members``: its posts (``post_id``, ``template_id``, ``city``, ``posted_at``); ``identifiers``: shared
    identifiers (``type``, ``value``) with their ``post_ids``; ``edges``: post pairs of ``link.edges``
    (source post, destination post, kind) other than identifiers.
    """
    group_of: dict[str, str] = {}
    sizes: Counter[str] = Counter()
    info: dict[str, dict[str, Any]] = {}
    first: dict[str, str] = {}
    for post in members:
        template = post.get("template_id")
        node = f"t:{template}" if template else f"p:{post['post_id']}"
        group_of[post["post_id"]] = node
        sizes[node] += 1
        if node not in info:
            info[node] = (
                {"kind": "template", "label": f"template {template}", "template": template}
                if template
                else {"kind": "post", "label": _post_label(post), "href": f"/posts/{quote(post['post_id'], safe='')}"}
            )
    links: Counter[tuple[str, str, str]] = Counter()
    for item in identifiers:
        carriers = Counter(group_of[p] for p in item.get("post_ids") or [] if p in group_of)
        if not carriers:
            continue
        node = f"i:{item['type']}:{item['value']}"
        info[node] = {"kind": item["type"], "label": item["value"], "type": item["type"], "value": item["value"]}
        sizes[node] = sum(carriers.values())
        first[node] = min(p for p in item["post_ids"] if p in group_of)
        for target, n in carriers.items():
            links[(node, target, "identifier")] += n
    for src, dst, edge_kind in edges:
        a, b = group_of.get(src), group_of.get(dst)
        if a is None or b is None or a == b:
            continue
        kind = edge_kind if edge_kind in EDGE_KINDS else "template"
        links[(min(a, b), max(a, b), kind)] += 1
    degree: Counter[str] = Counter()
    for a, b, _ in links:
        degree[a] += 1
        degree[b] += 1

    def rank(node: str) -> tuple[Any, ...]:
        data = info[node]
        if "value" in data:  # identifiers: tied ones by type and first post, never by value
            return (0, -sizes[node], -degree[node], f"{data['type']}\x00{first[node]}")
        return (1 + (data["kind"] == "post"), -sizes[node], -degree[node], node)

    return Collapsed(sorted(info, key=rank), info, sizes, dict(links))


def _post_label(post: dict[str, Any]) -> str:
    when = post.get("posted_at")
    day = str(when)[:10] if when is not None else ""
    return " ".join(part for part in (post.get("city") or "", day) if part) or "post"


@dataclass
class Level:
    """A graph cut at ``limit`` nodes, waiting for its layout."""

    limit: int
    kept: list[str]
    links: list[tuple[str, str, str, int]]
    total: int
    positions: dict[str, dict[str, float]] = field(default_factory=dict)


def levels(graph: Collapsed) -> list[Level]:
    """The graph at each of its ``limits``."""
    found = []
    for limit in limits(len(graph.ranked)):
        kept = graph.ranked[:limit]
        kept_set = set(kept)
        kept_links = [(a, b, k, n) for (a, b, k), n in sorted(graph.links.items()) if a in kept_set and b in kept_set]
        found.append(Level(limit, kept, kept_links, len(graph.ranked)))
    return found


def level_row(graph: Collapsed, level: Level) -> dict[str, Any]:
    """One graph of ``list_graphs``: laid-out nodes and edges, and what was left out."""
    biggest = max((graph.sizes[n] for n in level.kept), default=1)
    nodes = []
    for node in level.kept:
        data = graph.info[node]
        label = f"{data['label']} ({graph.sizes[node]} posts)" if data["kind"] == "template" else data["label"]
        nodes.append(
            {
                "id": node,
                "kind": data["kind"],
                "label": label,
                "template": data.get("template"),
                "href": data.get("href"),
                "type": data.get("type"),
                "value": data.get("value"),
                "posts": graph.sizes[node],
                "size": round(12 + 18 * math.sqrt(graph.sizes[node] / biggest), 1),
                **level.positions[node],
            }
        )
    hidden = level.total - len(level.kept)
    return {
        "limit": level.limit,
        "total_nodes": level.total,
        "hidden_nodes": hidden,
        "next_limit": min(level.limit * 2, MAX_LIMIT) if hidden else None,
        "nodes": nodes,
        "edges": [{"source": a, "target": b, "kind": kind, "pairs": n} for a, b, kind, n in level.links],
    }


def layouts(graphs: list[tuple[list[str], list[tuple[str, str]]]]) -> list[dict[str, dict[str, float]]]:
    """Fruchterman-Reingold positions of each graph (nodes, edges), ``ITERATIONS`` steps from its nodes on a
    circle (deterministic). The graphs of the same number of nodes are moved together, step by step (NumPy
    arrays of every graph's pairs): a graph is laid out the same alone or in a batch."""
    out: list[dict[str, dict[str, float]]] = [{} for _ in graphs]
    by_size: dict[int, list[int]] = {}
    for number, (nodes, _) in enumerate(graphs):
        if len(nodes) == 1:
            out[number] = {nodes[0]: {"x": SIZE / 2, "y": SIZE / 2}}
        elif nodes:
            by_size.setdefault(len(nodes), []).append(number)
    for n, numbers in sorted(by_size.items()):
        step = max(1, 2**20 // n**2)  # at most a million pairs at once
        for start in range(0, len(numbers), step):
            chunk = numbers[start : start + step]
            pos = _steps([graphs[number] for number in chunk], n)
            for b, number in enumerate(chunk):
                out[number] = {
                    node: {"x": round(float(pos[b, i, 0]), 1), "y": round(float(pos[b, i, 1]), 1)}
                    for i, node in enumerate(graphs[number][0])
                }
    return out


def _steps(graphs: list[tuple[list[str], list[tuple[str, str]]]], n: int) -> np.ndarray:
    """Positions of graphs of ``n`` nodes each, as an array (graph, node, x/y)."""
    links = np.zeros((len(graphs), n, n))  # pairs that pull each other, by number of links
    for b, (nodes, edges) in enumerate(graphs):
        index = {node: i for i, node in enumerate(nodes)}
        for a, c in edges:
            links[b, index[a], index[c]] += 1
            links[b, index[c], index[a]] += 1
    angle = np.arange(n) * (2 * math.pi / n)
    radius = np.sqrt(np.arange(1, n + 1) / n) * SIZE / 2  # hubs (ranked first) near the middle
    x = np.repeat((np.cos(angle) * radius)[None, :], len(graphs), axis=0)
    y = np.repeat((np.sin(angle) * radius)[None, :], len(graphs), axis=0)
    k = SIZE / math.sqrt(n) * 0.8
    pull = links / k
    temperature = SIZE / 10
    for _ in range(ITERATIONS):
        dx, dy = x[:, :, None] - x[:, None, :], y[:, :, None] - y[:, None, :]
        dist = np.maximum(np.sqrt(dx * dx + dy * dy), 0.01)
        force = k * k / (dist * dist) - pull * dist  # repulsion between every pair, attraction along links
        move_x = (force * dx).sum(axis=2) - x * 0.02  # a light pull to the middle keeps unlinked nodes in view
        move_y = (force * dy).sum(axis=2) - y * 0.02
        norm = np.maximum(np.sqrt(move_x * move_x + move_y * move_y), 0.01)
        step = np.minimum(norm, temperature) / norm
        x, y = x + move_x * step, y + move_y * step
        temperature *= 0.96
    x = x - x.min(axis=1, keepdims=True)
    y = y - y.min(axis=1, keepdims=True)
    span = np.maximum(np.maximum(x.max(axis=1), y.max(axis=1)), 1.0)
    scaled: np.ndarray = np.stack([x, y], axis=2) * (SIZE / span)[:, None, None]
    return scaled


def _nested(column: pa.Array, fields: tuple[str, ...]) -> list[list[tuple[Any, ...]]]:
    """A list-of-structs column as, per row, its items as tuples of ``fields``."""
    offsets = column.offsets.to_pylist()
    flat = pc.list_flatten(column)
    items = list(zip(*(flat.field(name).to_pylist() for name in fields), strict=True))
    return [items[offsets[n] - offsets[0] : offsets[n + 1] - offsets[0]] for n in range(len(column))]


MEMBER_FIELDS = ("post_id", "template_id", "city", "posted_at", "found")


def graphs_of(batch: pa.RecordBatch) -> list[list[dict[str, Any]]]:
    """``list_graphs`` of each network row (from ``list_members``, ``list_identifiers``, ``graph_identifier_posts``
    and ``graph_edges``), laid out together."""
    members_of = _nested(batch.column("list_members"), MEMBER_FIELDS)
    identifiers_of = _nested(batch.column("list_identifiers"), ("type", "value"))
    edges_of = _nested(batch.column("graph_edges"), ("src_post_id", "dst_post_id", "kind"))
    posts_of = batch.column("graph_identifier_posts").to_pylist()
    collapsed = []
    for members, identifiers, posts, edges in zip(members_of, identifiers_of, posts_of, edges_of, strict=True):
        shared = [{"type": t, "value": v, "post_ids": ids} for (t, v), ids in zip(identifiers, posts, strict=True)]
        found = [dict(zip(MEMBER_FIELDS, member, strict=True)) for member in members if member[-1]]
        collapsed.append(collapse(found, shared, edges))
    cut = [levels(graph) for graph in collapsed]
    flat = [level for network in cut for level in network]
    positions = layouts([(level.kept, [(a, b) for a, b, _, _ in level.links]) for level in flat])
    for level, found_positions in zip(flat, positions, strict=True):
        level.positions = found_positions
    return [[level_row(graph, level) for level in network] for graph, network in zip(collapsed, cut, strict=True)]


def with_graphs(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Network rows as ``publish.network_pages`` rows: their graphs added, the graph's inputs left out."""
    graphs = pa.array(graphs_of(batch), NETWORK_PAGES.field("list_graphs").type)
    columns = [graphs if name == "list_graphs" else batch.column(name) for name in NETWORK_PAGES.names]
    return pa.RecordBatch.from_arrays(columns, schema=NETWORK_PAGES)
