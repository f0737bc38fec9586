"""Schemas of the tables that ingestion writes (stage ``ingest``)."""

from __future__ import annotations

import pyarrow as pa

TIMESTAMP = pa.timestamp("us", tz="UTC")

POSTS = pa.schema(
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
        ("images", pa.list_(pa.string())),
    ]
)

INGEST_TABLES: dict[str, pa.Schema] = {"posts": POSTS}
