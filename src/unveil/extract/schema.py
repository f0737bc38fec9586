"""Arrow schemas of the tables written by the ``extract`` and ``score`` stages (the contracts).

``extract.mentions`` is the per-record output: one row per thing found in a post (``kind`` is
identifier, place, price, age, indicator or post), with the columns of every kind; SQL then splits it into
the typed tables that other areas read. Columns may be added, never renamed or dropped.
"""

from __future__ import annotations

import pyarrow as pa

IDENTIFIERS = pa.schema(
    [
        ("post_id", pa.string()),
        ("type", pa.string()),
        ("value", pa.string()),
        ("raw", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("rule", pa.string()),
        ("service", pa.string()),
        # phones: the evidence that chose the country (docs/extraction.md) and whether another plan reads it too
        ("region_source", pa.string()),
        ("ambiguous", pa.bool_()),
    ]
)

PLACES = pa.schema(
    [
        ("post_id", pa.string()),
        ("place_id", pa.string()),
        ("name", pa.string()),
        ("kind", pa.string()),
        ("country", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("start", pa.int32()),
        ("end", pa.int32()),
    ]
)

PRICES = pa.schema(
    [
        ("post_id", pa.string()),
        ("amount", pa.float64()),
        ("currency", pa.string()),
        ("unit", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
    ]
)

AGES = pa.schema([("post_id", pa.string()), ("age", pa.int32()), ("start", pa.int32()), ("end", pa.int32())])

POSTS = pa.schema([("post_id", pa.string()), ("language", pa.string()), ("city", pa.string())])

MENTIONS = pa.schema(
    [
        ("post_id", pa.string()),
        ("kind", pa.string()),
        ("seq", pa.int32()),
        ("type", pa.string()),
        ("value", pa.string()),
        ("raw", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("rule", pa.string()),
        ("service", pa.string()),
        ("place_id", pa.string()),
        ("name", pa.string()),
        ("place_kind", pa.string()),
        ("country", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("amount", pa.float64()),
        ("currency", pa.string()),
        ("unit", pa.string()),
        ("age", pa.int32()),
        ("language", pa.string()),
        ("city", pa.string()),
        ("indicator_id", pa.string()),
        ("domain", pa.string()),
        ("category", pa.string()),
        ("matched", pa.string()),
        ("weight", pa.float64()),
        ("source", pa.string()),
        ("region_source", pa.string()),
        ("ambiguous", pa.bool_()),
    ]
)
