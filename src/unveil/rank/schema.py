"""Arrow schemas of the tables the ``rank`` stage writes (``SCHEMAS``: checked when the stage commits).

``model``, ``contributions`` and ``alert_feedback`` are written from Python with their writers'
schemas (``unveil.rank.model``, ``unveil.rank.alerts``); the others are declared here.
"""

from __future__ import annotations

import pyarrow as pa

from unveil.rank.alerts import ALERT_FEEDBACK
from unveil.rank.model import CONTRIBUTIONS, MODEL

LABELS = pa.schema([("kind", pa.string()), ("ref", pa.string()), ("label", pa.string()), ("y", pa.float64())])

EXAMPLES = pa.schema(
    [
        ("post_id", pa.string()),
        ("y", pa.float64()),
        ("weight", pa.float64()),
        ("source", pa.string()),
    ]
)

GROUPS = pa.schema(
    [
        ("post_id", pa.string()),
        ("kind", pa.string()),
        ("grp", pa.string()),
    ]
)

FEATURES = pa.schema(
    [
        ("post_id", pa.string()),
        ("feature", pa.string()),
        ("value", pa.float64()),
    ]
)

SCORES = pa.schema(
    [
        ("post_id", pa.string()),
        ("lexicon_risk", pa.float64()),
        ("lexicon_part", pa.float64()),
        ("learned_part", pa.float64()),
        ("score", pa.float64()),
        ("rank", pa.int64()),
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "labels": LABELS,
    "examples": EXAMPLES,
    "groups": GROUPS,
    "features": FEATURES,
    "model": MODEL,
    "contributions": CONTRIBUTIONS,
    "scores": SCORES,
    "alert_feedback": ALERT_FEEDBACK,
}
