"""Arrow schemas of the page tables the ``publish`` stage writes (``SCHEMAS``: checked when it commits).

Both engines write these columns, in this order, with these types: a page table that changes shape
changes here in the same commit (the web reads them by name, ``unveil.web.serving``).
"""

from __future__ import annotations

import pyarrow as pa

from unveil.extract import schema as extract_schema
from unveil.indicators import schema as indicators_schema
from unveil.ingest import schema as ingest_schema
from unveil.link import schema as link_schema

TIMESTAMP = pa.timestamp("us", tz="UTC")


def _rows_of(table: pa.Schema, key: str = "post_id") -> pa.DataType:
    """A post's (or a network's) rows of a table, as a list of structs without the ``key`` column."""
    return pa.list_(pa.struct([field for field in table if field.name != key]))


LINK = pa.struct(
    [
        ("kind", pa.string()),
        ("key", pa.string()),
        ("pairs", pa.int64()),
        ("weight", pa.float64()),
        ("reason", pa.string()),
    ]
)
"""What links a network's posts (``network_pages.list_links``): an edge kind and key, its pairs, its strongest
weight and that edge's reason (the publish stage's SQL builds its structs from these names)."""


POSTS = pa.schema(
    [
        ("pos", pa.int32()),
        *ingest_schema.POSTS,
        ("ingested_at", TIMESTAMP),
        ("best_city", pa.string()),
        ("language", pa.string()),
        ("risk", pa.float64()),
        ("network_id", pa.string()),
    ]
)

POST_PAGES = pa.schema(
    [
        ("post_id", pa.string()),
        ("source_id", pa.string()),
        ("source_file", pa.string()),
        ("record_no", pa.int64()),
        ("evidence_sha256", pa.string()),
        ("kind", pa.string()),
        ("platform", pa.string()),
        ("url", pa.string()),
        ("author", pa.string()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("posted_at", TIMESTAMP),
        ("captured_at", TIMESTAMP),
        ("region", pa.string()),
        ("city", pa.string()),
        ("best_city", pa.string()),
        ("language", pa.string()),
        ("risk", pa.float64()),
        ("network_id", pa.string()),
        ("ingested_at", TIMESTAMP),
        ("images", pa.list_(pa.string())),
        (
            "list_identifiers",
            pa.list_(
                pa.struct(
                    [
                        ("type", pa.string()),
                        ("value", pa.string()),
                        ("raw", pa.string()),
                        ("start", pa.int32()),
                        ("end", pa.int32()),
                        ("rule", pa.string()),
                    ]
                )
            ),
        ),
        (
            "list_indicators",
            _rows_of(indicators_schema.INDICATORS),
        ),
        (
            "list_scores",
            _rows_of(indicators_schema.SCORES),
        ),
        (
            "list_places",
            _rows_of(extract_schema.PLACES),
        ),
        (
            "list_prices",
            _rows_of(extract_schema.PRICES),
        ),
        ("list_ages", pa.list_(pa.struct([("age", pa.int32()), ("start", pa.int32()), ("end", pa.int32())]))),
        ("list_networks", pa.list_(pa.struct([("network_id", pa.string()), ("reason", pa.string())]))),
        (
            "list_images",
            pa.list_(
                pa.struct(
                    [
                        ("image_sha256", pa.string()),
                        ("width", pa.int32()),
                        ("height", pa.int32()),
                        ("format", pa.string()),
                    ]
                )
            ),
        ),
    ]
)

GRAPH_NODE = pa.struct(
    [
        ("id", pa.string()),
        ("kind", pa.string()),
        ("label", pa.string()),
        ("template", pa.string()),
        ("href", pa.string()),
        ("type", pa.string()),
        ("value", pa.string()),
        ("posts", pa.int64()),
        ("size", pa.float64()),
        ("x", pa.float64()),
        ("y", pa.float64()),
    ]
)
GRAPH = pa.struct(
    [
        ("limit", pa.int32()),
        ("total_nodes", pa.int64()),
        ("hidden_nodes", pa.int64()),
        ("next_limit", pa.int32()),
        ("nodes", pa.list_(GRAPH_NODE)),
        (
            "edges",
            pa.list_(
                pa.struct(
                    [("source", pa.string()), ("target", pa.string()), ("kind", pa.string()), ("pairs", pa.int64())]
                )
            ),
        ),
    ]
)
"""A network's graph at one cap (``unveil.publish.network_graph``): laid-out nodes, edges, what was left out."""

NETWORK_PAGES = pa.schema(
    [
        *link_schema.NETWORKS,
        (
            "list_members",
            pa.list_(
                pa.struct(
                    [
                        ("post_id", pa.string()),
                        ("reason", pa.string()),
                        ("found", pa.bool_()),
                        ("title", pa.string()),
                        ("snippet", pa.string()),
                        ("posted_at", TIMESTAMP),
                        ("city", pa.string()),
                        ("risk", pa.float64()),
                        ("template_id", pa.string()),
                    ]
                )
            ),
        ),
        (
            "list_identifiers",
            pa.list_(pa.struct([("type", pa.string()), ("value", pa.string()), ("posts", pa.int64())])),
        ),
        (
            "list_places",
            pa.list_(
                pa.struct(
                    [("post_id", pa.string()), ("name", pa.string()), ("lat", pa.float64()), ("lon", pa.float64())]
                )
            ),
        ),
        ("list_links", pa.list_(LINK)),
        ("list_movements", _rows_of(link_schema.MOVEMENTS, "network_id")),
        ("list_graphs", pa.list_(GRAPH)),
    ]
)

SEARCH_TERMS = pa.schema(
    [
        ("term", pa.string()),
        ("pos", pa.int32()),
        ("hidden", pa.bool_()),
    ]
)

TERM_HEADS = pa.schema(
    [
        ("term", pa.string()),
        ("pos", pa.int32()),
    ]
)

IDENTIFIER_POSTS = pa.schema(
    [
        ("value_lower", pa.string()),
        ("type", pa.string()),
        ("value", pa.string()),
        ("pos", pa.int32()),
        ("post_id", pa.string()),
        ("title", pa.string()),
        ("snippet", pa.string()),
        ("posted_at", TIMESTAMP),
        ("city", pa.string()),
        ("language", pa.string()),
        ("risk", pa.float64()),
        ("network_id", pa.string()),
        ("platform", pa.string()),
        ("kind", pa.string()),
    ]
)

SEARCH_ROWS = pa.schema(
    [
        ("key_kind", pa.string()),
        ("key", pa.string()),
        ("pos", pa.int32()),
        ("type", pa.string()),
        ("value", pa.string()),
        ("post_id", pa.string()),
        ("title", pa.string()),
        ("snippet", pa.string()),
        ("posted_at", TIMESTAMP),
        ("city", pa.string()),
        ("language", pa.string()),
        ("risk", pa.float64()),
        ("network_id", pa.string()),
        ("platform", pa.string()),
        ("kind", pa.string()),
        ("others", pa.string()),  # identifier rows: every identifier of the post
    ]
)

POST_FACETS = pa.schema(
    [
        ("pos", pa.int32()),
        ("city", pa.string()),
        ("language", pa.string()),
        ("site", pa.string()),
        ("month", pa.string()),
        ("template", pa.string()),
        ("indicator_set", pa.string()),
        ("domain_set", pa.string()),
        ("network_set", pa.string()),
        ("risk", pa.float32()),
        ("posted", pa.float64()),
        ("ingested", pa.float64()),
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "posts": POSTS,
    "post_pages": POST_PAGES,
    "network_pages": NETWORK_PAGES,
    "search_terms": SEARCH_TERMS,
    "term_heads": TERM_HEADS,
    "identifier_posts": IDENTIFIER_POSTS,
    "search_rows": SEARCH_ROWS,
    "post_facets": POST_FACETS,
}
