"""The indicators' domains and the tables of the ``score`` stage (the extract stage writes indicator mentions)."""

from __future__ import annotations

import pyarrow as pa

INDICATORS = pa.schema(
    [
        ("post_id", pa.string()),
        ("indicator_id", pa.string()),
        ("domain", pa.string()),
        ("category", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("matched", pa.string()),
        ("weight", pa.float64()),
        ("source", pa.string()),
    ]
)

SCORES = pa.schema([("post_id", pa.string()), ("domain", pa.string()), ("score", pa.float64()), ("risk", pa.float64())])

DOMAINS = ("sexual_exploitation", "minors", "labour_exploitation", "smuggling", "control")
