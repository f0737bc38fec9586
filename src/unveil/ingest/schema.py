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

IMAGES = pa.schema(
    [
        ("image_sha256", pa.string()),
        ("post_id", pa.string()),
        ("source_file", pa.string()),
        ("evidence_sha256", pa.string()),
        ("width", pa.int32()),
        ("height", pa.int32()),
        ("format", pa.string()),
    ]
)

_PARTY_FIELDS = ("name", "phone", "email", "address", "city", "country", "account", "wallet")

TRANSFERS = pa.schema(
    [
        ("transfer_id", pa.string()),
        ("source_file", pa.string()),
        ("record_no", pa.int64()),
        ("evidence_sha256", pa.string()),
        ("channel", pa.string()),
        ("tx_type", pa.string()),
        ("executed_at", TIMESTAMP),
        ("amount", pa.float64()),
        ("currency", pa.string()),
        *[(f"{side}_{field}", pa.string()) for side in ("sender", "receiver") for field in _PARTY_FIELDS],
        ("agent_city", pa.string()),
        ("reference", pa.string()),
        ("merchant", pa.string()),
    ]
)

INGEST_TABLES: dict[str, pa.Schema] = {"posts": POSTS, "images": IMAGES, "transfers": TRANSFERS}
