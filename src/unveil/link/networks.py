"""Networks: connected components of the weighted post graph, large ones split by Leiden.

Edges come from shared identifiers (chained per identifier in ``post_id`` order, so an identifier
of n posts gives n - 1 edges), from re-used photos (an image group is an identifier of type
``image``) and from verified near-duplicate pairs of non-generic templates. Hub identifiers (see
``unveil.link.hubs``) give no edges. Every edge keeps its kind, key and a sentence saying why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from unveil.link import authors, hubs
from unveil.link.graph import communities
from unveil.link.graph import components as _components
from unveil.link.hubs import IdentifierRows

LARGE_COMPONENT = 1000
WEIGHTS = {"phone": 1.0, "email": 1.0, "iban": 1.0, "wallet": 1.0, "handle": 0.9, "image": 0.8}
REASON_ITEMS = 4
STYLE_WEIGHT = 0.8

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
    """Posts as vertices (sorted ids) and typed edges between them.

    Each edge names a *key* (an identifier ``type:value`` or a template id); what an edge says
    about its key (kind, sentence) is stored once per key, not once per edge.
    """

    names: pa.Array
    src: I64
    dst: I64
    weight: npt.NDArray[np.float64]
    key: I64
    key_names: pa.Array
    key_kind: pa.Array
    key_reason: pa.Array
    templates: int = 0
    edge_reason: pa.Array | None = None


@dataclass(frozen=True)
class LinkResult:
    """What ``build_networks`` returns: the three tables it computes."""

    network_posts: pa.Table
    edges: pa.Table
    hubs: pa.Table


def build_networks(
    shared: pa.Table,
    template_pairs: pa.Table,
    members: pa.Table,
    hub_max_posts: int,
    *,
    hub_guard: bool = True,
    style_links: pa.Table | None = None,
) -> LinkResult:
    """Networks from shared identifiers (post_id, type, value, city, post_identifiers; sorted by type,
    value, post_id), verified template pairs (post_a, post_b, similarity, template_id), template
    members (post_id, template_id) and style links (post_a, post_b, probability, reason)."""
    style = style_links if style_links is not None else authors.STYLE_LINKS.empty_table()
    names = pc.unique(
        pa.chunked_array(
            [
                *_strings(shared["post_id"]),
                *_strings(template_pairs["post_a"]),
                *_strings(template_pairs["post_b"]),
                *_strings(style["post_a"]),
                *_strings(style["post_b"]),
            ],
            pa.string(),
        )
    ).sort()
    guard = _guard(names, shared, template_pairs, members, hub_max_posts, hub_guard, style)
    tpl_a, tpl_b = _index(template_pairs["post_a"], names), _index(template_pairs["post_b"], names)
    graph = _graph(names, guard.rows, guard.key_dictionary, ~guard.hub, template_pairs, tpl_a, tpl_b, style)
    network_of = _networks(graph)
    hub_table = _hub_table(shared, guard.rows, guard.key_names, guard.hub, guard.text_group, guard.unrelated)
    return LinkResult(_network_posts(graph, network_of), _edges(graph, network_of), hub_table)


@dataclass(frozen=True)
class Guard:
    """The identifier rows of a post graph and what the hub guard decided about each identifier."""

    rows: IdentifierRows
    key_names: list[str]
    key_dictionary: pa.Array
    hub: npt.NDArray[np.bool_]
    text_group: I64
    unrelated: I64


def _guard(
    names: pa.Array,
    shared: pa.Table,
    template_pairs: pa.Table,
    members: pa.Table,
    hub_max_posts: int,
    hub_guard: bool,
    style: pa.Table,
) -> Guard:
    """Encode the identifier rows and run the hub guard (text links: templates and style links)."""
    post = _index(shared["post_id"], names)
    key_strings = pc.binary_join_element_wise(shared["type"], shared["value"], ":")
    encoded = pc.dictionary_encode(key_strings).combine_chunks()
    rows = IdentifierRows(post, encoded.indices.to_numpy().astype(np.int64), len(encoded.dictionary))
    key_names = encoded.dictionary.to_pylist()
    text_group = _text_groups(names, members)
    text_a = np.concatenate([_index(template_pairs["post_a"], names), _index(style["post_a"], names)])
    text_b = np.concatenate([_index(template_pairs["post_b"], names), _index(style["post_b"], names)])
    hub = np.zeros(rows.keys, dtype=np.bool_)
    needed = hubs.min_groups(key_names)
    suspicious = hubs.suspicious_keys(rows, text_group, hub_max_posts, needed)
    unrelated = np.zeros(rows.keys, dtype=np.int64)
    if hub_guard and suspicious.any():
        safe = _chain_edges(rows, ~suspicious)
        safe_component = _components(len(names), np.concatenate([text_a, safe[0]]), np.concatenate([text_b, safe[1]]))
        unrelated = hubs.unrelated_groups(rows, suspicious, safe_component, _post_identifiers(shared, post, len(names)))
        hub = hubs.hub_keys(rows, suspicious, unrelated, hub_max_posts, needed)
    return Guard(rows, key_names, encoded.dictionary, hub, text_group, unrelated)


def vendors(shared: pa.Table, template_pairs: pa.Table, members: pa.Table, hub_max_posts: int) -> pa.Table:
    """Weak author labels: posts joined by identifiers that are neither hubs nor photos (a stock photo
    proves nothing about who wrote a text), as ``unveil.link.authors.vendor_table``."""
    names = pc.unique(
        pa.chunked_array(
            [*_strings(shared["post_id"]), *_strings(template_pairs["post_a"]), *_strings(template_pairs["post_b"])],
            pa.string(),
        )
    ).sort()
    guard = _guard(names, shared, template_pairs, members, hub_max_posts, True, authors.STYLE_LINKS.empty_table())
    kinds = pc.replace_substring_regex(guard.key_dictionary.cast(pa.string()), ":.*", "")
    usable = ~guard.hub & ~np.asarray(pc.equal(kinds, "image").to_numpy(zero_copy_only=False), dtype=np.bool_)
    src, dst, _ = _chain_edges(guard.rows, usable)
    return authors.vendor_table(names, src, dst)


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


def _graph(
    names: pa.Array,
    rows: IdentifierRows,
    key_names: pa.Array,
    usable: npt.NDArray[np.bool_],
    template_pairs: pa.Table,
    tpl_a: I64,
    tpl_b: I64,
    style: pa.Table,
) -> PostGraph:
    """Identifier edges (chained per usable key), template edges, then style edges, with per-key kinds
    and sentences (a style edge keeps its own sentence: the features that drove it)."""
    src, dst, key = _chain_edges(rows, usable)
    kind = pc.replace_substring_regex(key_names.cast(pa.string()), ":.*", "")
    value = _value_of(key_names.cast(pa.string()))
    is_image = pc.equal(kind, "image")
    id_reason = pc.if_else(
        is_image,
        pc.binary_join_element_wise("both use photo group ", pc.utf8_slice_codeunits(value, 0, 16), ""),
        pc.binary_join_element_wise("both list ", kind, " ", value, ""),
    )
    weights = np.array([WEIGHTS.get(k, 0.8) for k in kind.to_pylist()], dtype=np.float64)
    templates = pc.dictionary_encode(template_pairs["template_id"].cast(pa.string())).combine_chunks()
    template_key = templates.indices.to_numpy(zero_copy_only=False).astype(np.int64) + len(key_names)
    template_names = templates.dictionary
    style_key = len(key_names) + len(template_names)
    style_a, style_b = _index(style["post_a"], names), _index(style["post_b"], names)
    identifier_and_template = src.size + tpl_a.size
    own_reason = pa.concat_arrays(
        [pa.nulls(identifier_and_template, pa.string()), style["reason"].combine_chunks().cast(pa.string())]
    )
    return PostGraph(
        names=names,
        src=np.concatenate([src, tpl_a, style_a]),
        dst=np.concatenate([dst, tpl_b, style_b]),
        weight=np.concatenate(
            [
                weights[key],
                np.asarray(template_pairs["similarity"], dtype=np.float64),
                STYLE_WEIGHT * np.asarray(style["probability"], dtype=np.float64),
            ]
        ),
        key=np.concatenate([key, template_key, np.full(style_a.size, style_key, dtype=np.int64)]),
        key_names=pa.concat_arrays([key_names.cast(pa.string()), template_names, pa.array(["style"], pa.string())]),
        key_kind=pa.concat_arrays(
            [
                pc.if_else(is_image, "image", "identifier"),
                pa.array(["template"] * len(template_names), pa.string()),
                pa.array(["style"], pa.string()),
            ]
        ),
        key_reason=pa.concat_arrays([id_reason, template_names, pa.array(["same writing style"], pa.string())]),
        templates=len(template_names),
        edge_reason=own_reason,
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


def _edges(graph: PostGraph, network_of: I64) -> pa.Table:
    a, b = network_of[graph.src], network_of[graph.dst]
    inside = np.flatnonzero((a == b) & (a > 0))
    order = inside[np.lexsort((inside, a[inside]))]
    key = pa.array(graph.key[order])
    kind = graph.key_kind.take(key)
    return pa.table(
        {
            "network_id": _network_ids(a[order]),
            "src_post_id": graph.names.take(pa.array(graph.src[order])),
            "dst_post_id": graph.names.take(pa.array(graph.dst[order])),
            "kind": kind,
            "key": graph.key_names.take(key),
            "weight": graph.weight[order],
            "reason": pc.coalesce(
                graph.edge_reason.take(pa.array(order))
                if graph.edge_reason is not None
                else pa.nulls(order.size, pa.string()),
                pc.if_else(
                    pc.equal(kind, "template"),
                    pc.binary_join_element_wise(
                        "near-duplicate text (similarity ",
                        _two_decimals(graph.weight[order]),
                        "), template ",
                        graph.key_names.take(key),
                        "",
                    ),
                    graph.key_reason.take(key),
                ),
            ),
        },
        schema=EDGES,
    )


def _value_of(key_names: pa.Array) -> pa.Array:
    """The value part of ``type:value`` key names."""
    return pc.replace_substring_regex(key_names, "^[^:]*:", "", max_replacements=1)


def _network_ids(numbers: I64) -> pa.Array:
    """``N00001``-style ids of network numbers (vectorised)."""
    digits = pc.utf8_lpad(pa.array(numbers, pa.int64()).cast(pa.string()), 5, "0")
    return pc.binary_join_element_wise("N", digits, "")


def _two_decimals(values: npt.NDArray[np.float64]) -> pa.Array:
    """Numbers formatted with two decimals (as ``f"{x:.2f}"``), through a table of the distinct values."""
    cents = np.rint(values * 100).astype(np.int64)
    distinct, inverse = np.unique(cents, return_inverse=True)
    text = pa.array([f"{c / 100:.2f}" for c in distinct.tolist()], pa.string())
    return text.take(pa.array(inverse.reshape(-1)))


def _network_posts(graph: PostGraph, network_of: I64) -> pa.Table:
    """Why each post belongs: the identifiers, templates and photos it shares inside its network.

    Per post, its distinct keys inside its network are ranked by how many posts of the network
    share them (then by kind and key); the first ``REASON_ITEMS`` are named.
    """
    a, b = network_of[graph.src], network_of[graph.dst]
    inside = np.flatnonzero((a == b) & (a > 0))
    if inside.size == 0:
        return NETWORK_POSTS.empty_table()
    keys = len(graph.key_names)
    vertex = np.concatenate([graph.src[inside], graph.dst[inside]])
    pair = np.unique(vertex * keys + np.concatenate([graph.key[inside], graph.key[inside]]))
    vertex, key = pair // keys, pair % keys
    network = network_of[vertex]
    _, per_key, sharing = np.unique(network * keys + key, return_inverse=True, return_counts=True)
    count = sharing[per_key.reshape(-1)]
    rank = _key_rank(graph)
    order = np.lexsort((rank[key], -count, vertex))
    vertex, key, count = vertex[order], key[order], count[order]
    starts = np.flatnonzero(np.r_[True, vertex[1:] != vertex[:-1]])
    items = np.diff(np.r_[starts, vertex.size])
    position = np.arange(vertex.size) - np.repeat(starts, items)
    kept = position < REASON_ITEMS
    phrases = _phrases(graph, key[kept], count[kept])
    offsets = np.r_[0, np.cumsum(np.minimum(items, REASON_ITEMS))].astype(np.int32)
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), phrases), "; ")
    more = items - REASON_ITEMS
    suffix = pa.array([f"; and {m} more links" if m > 0 else "" for m in more.tolist()], pa.string())
    posts = vertex[starts]
    members = np.lexsort((posts, network_of[posts]))
    return pa.table(
        {
            "network_id": _network_ids(network_of[posts][members]),
            "post_id": graph.names.take(pa.array(posts[members])),
            "reason": pc.binary_join_element_wise(
                "shares ", joined, suffix, _style_notes(graph, inside, posts), ""
            ).take(pa.array(members)),
        },
        schema=NETWORK_POSTS,
    )


def _style_notes(graph: PostGraph, inside: I64, posts: I64) -> pa.Array:
    """For each post with a style link inside its network: "; " and the sentence of its most probable
    one (the probability and the features that drove it), so the network page says why."""
    notes = pa.array([""] * posts.size, pa.string())
    if graph.edge_reason is None:
        return notes
    style = inside[pc.equal(graph.key_kind.take(pa.array(graph.key[inside])), "style").to_numpy(zero_copy_only=False)]
    if style.size == 0:
        return notes
    vertex = np.concatenate([graph.src[style], graph.dst[style]])
    edge = np.concatenate([style, style])
    order = np.lexsort((edge, -graph.weight[edge], vertex))
    vertex, edge = vertex[order], edge[order]
    first = np.r_[True, vertex[1:] != vertex[:-1]]
    best = np.full(len(graph.names), -1, dtype=np.int64)
    best[vertex[first]] = edge[first]
    chosen = best[posts]
    has = chosen >= 0
    sentences = graph.edge_reason.take(pa.array(np.where(has, chosen, 0)))
    return pc.if_else(pa.array(has), pc.binary_join_element_wise("; ", sentences, ""), notes)


def _key_rank(graph: PostGraph) -> I64:
    """Position of every key when keys are sorted by (kind, key)."""
    order = pc.sort_indices(
        pa.table({"kind": graph.key_kind, "key": graph.key_names}), [("kind", "ascending"), ("key", "ascending")]
    )
    rank = np.empty(len(graph.key_names), dtype=np.int64)
    rank[order.to_numpy()] = np.arange(len(graph.key_names))
    return rank


def _phrases(graph: PostGraph, key: I64, count: I64) -> pa.Array:
    """One phrase per (post, key): what is shared and with how many other posts."""
    taken = pa.array(key)
    kind, name = graph.key_kind.take(taken), graph.key_names.take(taken)
    what = pc.case_when(
        pc.make_struct(pc.equal(kind, "template"), pc.equal(kind, "image"), pc.equal(kind, "style")),
        pc.binary_join_element_wise("near-duplicate text of template ", name, ""),
        pc.binary_join_element_wise("re-used photo ", pc.utf8_slice_codeunits(_value_of(name), 0, 16), ""),
        pa.scalar("the writing style of the author", pa.string()),
        pc.replace_substring(name, ":", " ", max_replacements=1),
    )
    others = pa.array(count - 1, pa.int64()).cast(pa.string())
    return pc.binary_join_element_wise(what, " (with ", others, " other posts)", "")


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
