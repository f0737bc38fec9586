"""Networks: connected components of the weighted post graph, large ones split by Leiden.

Edges come from shared identifiers (chained per identifier in ``post_id`` order, so an identifier
of n posts gives n - 1 edges), from re-used photos (an image group is an identifier of type
``image``) and from verified near-duplicate pairs of non-generic templates. Hub identifiers (see
``unveil.link.hubs``) give no edges. Every edge keeps its kind, key and a sentence saying why.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from unveil.link import hubs
from unveil.link.graph import communities
from unveil.link.hubs import IdentifierRows

LARGE_COMPONENT = 1000
WEIGHTS = {"phone": 1.0, "email": 1.0, "iban": 1.0, "wallet": 1.0, "handle": 0.9, "image": 0.8}
REASON_ITEMS = 4

NETWORK_POSTS = pa.schema([("network_id", pa.string()), ("post_id", pa.string()), ("reason", pa.string())])
EDGES = pa.schema(
    [
        ("network_id", pa.string()),
        ("src_post_id", pa.string()),
        ("dst_post_id", pa.string()),
        ("kind", pa.string()),
        ("key", pa.string()),
        ("weight", pa.float64()),
        ("reason", pa.string()),
    ]
)
HUBS = pa.schema(
    [
        ("type", pa.string()),
        ("value", pa.string()),
        ("posts", pa.int64()),
        ("text_groups", pa.int64()),
        ("unrelated_groups", pa.int64()),
        ("cities", pa.int64()),
        ("reason", pa.string()),
    ]
)

I64 = npt.NDArray[np.int64]


@dataclass
class PostGraph:
    """Posts as vertices (sorted ids) and typed edges between them."""

    names: list[str]
    src: I64
    dst: I64
    weight: npt.NDArray[np.float64]
    kind: list[str] = field(default_factory=list)
    key: list[str] = field(default_factory=list)
    reason: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LinkResult:
    """What ``build_networks`` returns: the three tables it computes."""

    network_posts: pa.Table
    edges: pa.Table
    hubs: pa.Table


def build_networks(
    shared: pa.Table, template_pairs: pa.Table, members: pa.Table, hub_max_posts: int, *, hub_guard: bool = True
) -> LinkResult:
    """Networks from shared identifiers (post_id, type, value, city, post_identifiers; sorted by type,
    value, post_id), verified template pairs (post_a, post_b, similarity, template_id) and template
    members (post_id, template_id)."""
    names = pc.unique(
        pa.chunked_array(
            [*_strings(shared["post_id"]), *_strings(template_pairs["post_a"]), *_strings(template_pairs["post_b"])],
            pa.string(),
        )
    ).sort()
    post = _index(shared["post_id"], names)
    key_strings = pc.binary_join_element_wise(shared["type"], shared["value"], ":")
    encoded = pc.dictionary_encode(key_strings).combine_chunks()
    rows = IdentifierRows(post, encoded.indices.to_numpy().astype(np.int64), len(encoded.dictionary))
    key_names = encoded.dictionary.to_pylist()
    text_group = _text_groups(names, members)
    tpl_a, tpl_b = _index(template_pairs["post_a"], names), _index(template_pairs["post_b"], names)
    hub = np.zeros(rows.keys, dtype=np.bool_)
    needed = hubs.min_groups(key_names)
    suspicious = hubs.suspicious_keys(rows, text_group, hub_max_posts, needed)
    unrelated = np.zeros(rows.keys, dtype=np.int64)
    if hub_guard and suspicious.any():
        safe = _chain_edges(rows, ~suspicious)
        safe_component = _components(len(names), np.concatenate([tpl_a, safe[0]]), np.concatenate([tpl_b, safe[1]]))
        unrelated = hubs.unrelated_groups(rows, suspicious, safe_component, _post_identifiers(shared, post, len(names)))
        hub = hubs.hub_keys(rows, suspicious, unrelated, hub_max_posts, needed)
    graph = _graph(names.to_pylist(), rows, key_names, ~hub, template_pairs, tpl_a, tpl_b)
    network_of = _networks(graph)
    hub_table = _hub_table(shared, rows, key_names, hub, text_group, unrelated)
    return LinkResult(_network_posts(graph, network_of), _edges(graph, network_of), hub_table)


def _post_identifiers(shared: pa.Table, post: I64, vertices: int) -> I64:
    """How many identifiers (shared or not) each post lists, from the ``post_identifiers`` column."""
    counts = np.zeros(vertices, dtype=np.int64)
    if "post_identifiers" in shared.column_names:
        counts[post] = shared["post_identifiers"].to_numpy(zero_copy_only=False)
    else:
        np.add.at(counts, post, 1)
    return counts


def _strings(column: pa.ChunkedArray) -> list[pa.Array]:
    return [chunk.cast(pa.string()) for chunk in column.chunks]


def _index(column: pa.ChunkedArray, names: pa.Array) -> I64:
    found = pc.fill_null(pc.index_in(column, value_set=names), -1)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)


def _text_groups(names: pa.Array, members: pa.Table) -> I64:
    """Text group of every post: its template's number, or a number of its own."""
    group = np.arange(len(names), dtype=np.int64) + 1
    if group.size == 0:
        return group
    if members.num_rows:
        where = _index(members["post_id"], names)
        template = pc.dictionary_encode(members["template_id"]).combine_chunks().indices.to_numpy()
        found = where >= 0
        group[where[found]] = -(template[found].astype(np.int64) + 1)
    return np.asarray(group - group.min(), dtype=np.int64)


def _chain_edges(rows: IdentifierRows, usable: npt.NDArray[np.bool_]) -> tuple[I64, I64, I64]:
    """Consecutive posts of each usable identifier (rows sorted by key then post)."""
    same = (rows.key[1:] == rows.key[:-1]) & usable[rows.key[1:]]
    return rows.post[:-1][same], rows.post[1:][same], rows.key[1:][same]


def _components(vertices: int, src: I64, dst: I64) -> I64:
    import igraph

    graph = igraph.Graph(n=vertices, edges=np.column_stack((src, dst)).tolist())
    return np.asarray(graph.connected_components().membership, dtype=np.int64)


def _graph(
    names: list[str],
    rows: IdentifierRows,
    key_names: list[str],
    usable: npt.NDArray[np.bool_],
    template_pairs: pa.Table,
    tpl_a: I64,
    tpl_b: I64,
) -> PostGraph:
    src, dst, key = _chain_edges(rows, usable)
    kinds, keys, reasons, weights = [], [], [], []
    for k in key.tolist():
        kind, _, value = key_names[k].partition(":")
        kinds.append("image" if kind == "image" else "identifier")
        keys.append(key_names[k])
        weights.append(WEIGHTS.get(kind, 0.8))
        reasons.append(f"both use photo group {value[:16]}" if kind == "image" else f"both list {kind} {value}")
    similarity = template_pairs["similarity"].to_pylist()
    for template_id, sim in zip(template_pairs["template_id"].to_pylist(), similarity, strict=True):
        kinds.append("template")
        keys.append(str(template_id))
        weights.append(float(sim))
        reasons.append(f"near-duplicate text (similarity {sim:.2f}), template {template_id}")
    return PostGraph(
        names, np.concatenate([src, tpl_a]), np.concatenate([dst, tpl_b]), np.asarray(weights), kinds, keys, reasons
    )


def _networks(graph: PostGraph) -> I64:
    """Network number of every post (-1: linked to nothing), largest network first."""
    label = _split_large(graph, _components(len(graph.names), graph.src, graph.dst))
    linked = np.bincount(np.concatenate([graph.src, graph.dst]), minlength=len(graph.names)) > 0
    size = np.bincount(label[linked], minlength=int(label.max()) + 1 if label.size else 0)
    first = np.full(size.size, len(graph.names), dtype=np.int64)
    np.minimum.at(first, label, np.arange(label.size))
    order = np.lexsort((first, -size))
    rank = np.full(size.size, -1, dtype=np.int64)
    kept = order[size[order] > 0]
    rank[kept] = np.arange(1, kept.size + 1)
    network = rank[label] if label.size else label
    network[~linked] = -1
    return np.asarray(network, dtype=np.int64)


def _split_large(graph: PostGraph, label: I64) -> I64:
    """Replace every component larger than ``LARGE_COMPONENT`` by its Leiden communities."""
    label = label.copy()
    next_label = int(label.max()) + 1 if label.size else 0
    for component in np.flatnonzero(np.bincount(label) > LARGE_COMPONENT):
        vertices = np.flatnonzero(label == component)
        local = np.full(label.size, -1, dtype=np.int64)
        local[vertices] = np.arange(vertices.size)
        inside = (local[graph.src] >= 0) & (local[graph.dst] >= 0)
        edges = np.column_stack((local[graph.src[inside]], local[graph.dst[inside]]))
        membership = communities(vertices.size, edges, graph.weight[inside])
        label[vertices] = membership + next_label
        next_label += int(membership.max()) + 1
    return label


def _network_id(number: int) -> str:
    return f"N{number:05d}"


def _edges(graph: PostGraph, network_of: I64) -> pa.Table:
    a, b = network_of[graph.src], network_of[graph.dst]
    inside = np.flatnonzero((a == b) & (a > 0))
    order = inside[np.lexsort((inside, a[inside]))]
    return pa.table(
        {
            "network_id": [_network_id(int(n)) for n in a[order]],
            "src_post_id": [graph.names[i] for i in graph.src[order]],
            "dst_post_id": [graph.names[i] for i in graph.dst[order]],
            "kind": [graph.kind[i] for i in order],
            "key": [graph.key[i] for i in order],
            "weight": graph.weight[order],
            "reason": [graph.reason[i] for i in order],
        },
        schema=EDGES,
    )


def _network_posts(graph: PostGraph, network_of: I64) -> pa.Table:
    """Why each post belongs: the identifiers, templates and photos it shares inside its network."""
    shared: dict[int, Counter[tuple[str, str]]] = {}
    posts_per_key: Counter[tuple[int, str]] = Counter()
    a, b = network_of[graph.src], network_of[graph.dst]
    for edge in np.flatnonzero((a == b) & (a > 0)).tolist():
        item = (graph.kind[edge], graph.key[edge])
        for vertex in (int(graph.src[edge]), int(graph.dst[edge])):
            seen = shared.setdefault(vertex, Counter())
            if item not in seen:
                posts_per_key[(int(network_of[vertex]), item[1])] += 1
            seen[item] += 1
    members = sorted((int(network_of[v]), graph.names[v], v) for v in shared)
    reasons = [_post_reason(shared[v], posts_per_key, n) for n, _, v in members]
    return pa.table(
        {
            "network_id": [_network_id(n) for n, _, _ in members],
            "post_id": [p for _, p, _ in members],
            "reason": reasons,
        },
        schema=NETWORK_POSTS,
    )


def _post_reason(items: Counter[tuple[str, str]], posts_per_key: Counter[tuple[int, str]], network: int) -> str:
    ranked = sorted(items, key=lambda item: (-posts_per_key[(network, item[1])], item))
    parts = []
    for kind, key in ranked[:REASON_ITEMS]:
        count = posts_per_key[(network, key)]
        if kind == "template":
            parts.append(f"near-duplicate text of template {key} (with {count - 1} other posts)")
        elif kind == "image":
            parts.append(f"re-used photo {key.partition(':')[2][:16]} (with {count - 1} other posts)")
        else:
            kind_name, _, value = key.partition(":")
            parts.append(f"{kind_name} {value} (with {count - 1} other posts)")
    more = len(ranked) - REASON_ITEMS
    return "shares " + "; ".join(parts) + (f"; and {more} more links" if more > 0 else "")


def _hub_table(
    shared: pa.Table,
    rows: IdentifierRows,
    key_names: list[str],
    hub: npt.NDArray[np.bool_],
    text_group: I64,
    unrelated: I64,
) -> pa.Table:
    posts = np.bincount(rows.key, minlength=rows.keys)
    groups = hubs.distinct_per_key(rows.key, text_group[rows.post], rows.keys)
    city = pc.dictionary_encode(pc.fill_null(shared["city"], "")).combine_chunks().indices.to_numpy().astype(np.int64)
    cities = hubs.distinct_per_key(rows.key, city, rows.keys)
    chosen = np.flatnonzero(hub)
    records = []
    for k in sorted(chosen.tolist(), key=lambda k: (-int(posts[k]), key_names[k])):
        kind, _, value = key_names[k].partition(":")
        reason = (
            f"{kind} {value} appears in {posts[k]} posts spanning {groups[k]} text groups and {cities[k]} cities; "
            f"it would join {unrelated[k]} groups that are linked on their own, so it is shown as a hub "
            "and does not link posts"
        )
        records.append(
            {
                "type": kind,
                "value": value,
                "posts": int(posts[k]),
                "text_groups": int(groups[k]),
                "unrelated_groups": int(unrelated[k]),
                "cities": int(cities[k]),
                "reason": reason,
            }
        )
    return pa.Table.from_pylist(records, schema=HUBS)
