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
        # added by ingest: the record's own hash, its references and reader-specific fields
        ("record_sha256", pa.string()),
        ("image_refs", pa.list_(pa.string())),
        ("metadata", pa.string()),
        # added for versions: a later version's link to the first (same id, another title or text)
        ("version_of", pa.string()),
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
        # added by ingest: a row id (image and post), where the image was found
        ("image_id", pa.string()),
        ("record_no", pa.int64()),
        ("reference", pa.string()),
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
        # added by ingest: the record's own id and hash
        ("source_id", pa.string()),
        ("record_sha256", pa.string()),
    ]
)

ENTITIES = pa.schema(
    [
        ("entity_id", pa.string()),
        ("schema", pa.string()),
        ("caption", pa.string()),
        ("properties", pa.string()),
        ("source_file", pa.string()),
        ("record_no", pa.int64()),
        ("evidence_sha256", pa.string()),
        ("record_sha256", pa.string()),
    ]
)

INGEST_TABLES: dict[str, pa.Schema] = {"posts": POSTS, "images": IMAGES, "transfers": TRANSFERS, "entities": ENTITIES}
KEY_COLUMNS = {"posts": "post_id", "images": "image_id", "transfers": "transfer_id", "entities": "entity_id"}
