"""Near-duplicate texts: LSH banding as SQL, candidate verification, clusters of posts.

Posts whose signatures agree on every row of at least one band share a band key. Within each key
the posts are chained in ``post_id`` order (each to the previous one), which gives a linear number
of candidate pairs however large a bucket is; each distinct pair is verified once, in the same SQL,
by counting the signature values it agrees on (one equality per value column), and kept when they
agree on at least ``SIMILARITY_THRESHOLD`` of their values. Clusters are the connected components of the kept
pairs.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from unveil.link.graph import components_of_pairs
from unveil.link.minhash import SIGNATURE_SIZE, VALUE_COLUMNS

SIMILARITY_THRESHOLD = 0.5
MIN_SHINGLES = 3

AGREEING_VALUES = " + ".join(f"CASE WHEN a.{c} = b.{c} THEN 1 ELSE 0 END" for c in VALUE_COLUMNS)

CANDIDATES_SQL = f"""
WITH bands AS (
    SELECT post_id, unnest(bands) AS band_key FROM signatures WHERE shingles >= {MIN_SHINGLES}
),
chained AS (
    SELECT post_id, lag(post_id) OVER (PARTITION BY band_key ORDER BY post_id) AS previous_post_id
    FROM bands
),
pairs AS (
    SELECT DISTINCT previous_post_id AS post_a, post_id AS post_b FROM chained WHERE previous_post_id IS NOT NULL
)
SELECT p.post_a, p.post_b, CAST(({AGREEING_VALUES}) AS DOUBLE) / {SIGNATURE_SIZE} AS similarity
FROM pairs p
JOIN signatures a ON a.post_id = p.post_a
JOIN signatures b ON b.post_id = p.post_b
ORDER BY p.post_a, p.post_b
"""

NEAR_PAIRS_SQL = f"""
SELECT post_a, post_b, similarity FROM candidates WHERE similarity >= {SIMILARITY_THRESHOLD} ORDER BY post_a, post_b
"""

PAIRS = pa.schema([("post_a", pa.string()), ("post_b", pa.string()), ("similarity", pa.float64())])

TEMPLATE_MEMBERS = pa.schema([("template_id", pa.string()), ("post_id", pa.string()), ("posts", pa.int64())])


def template_clusters(pairs: pa.Table) -> pa.Table:
    """Template id of every post in a near-duplicate cluster (T000001 is the largest cluster)."""
    names, labels = components_of_pairs(pairs.column("post_a"), pairs.column("post_b"))
    ids, sizes = _ranked_labels(names, labels)
    return pa.table(
        {"template_id": [f"T{i:06d}" for i in ids], "post_id": names, "posts": sizes},
        schema=TEMPLATE_MEMBERS,
    ).sort_by([("template_id", "ascending"), ("post_id", "ascending")])


def _ranked_labels(
    names: pa.Array, labels: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Renumber component labels by decreasing size, ties by smallest member; return ids and sizes."""
    if labels.size == 0:
        return labels, labels
    sizes = np.bincount(labels)
    first = np.full(sizes.size, labels.size, dtype=np.int64)
    np.minimum.at(first, labels, np.arange(labels.size))  # names are sorted: first index = smallest post
    order = np.lexsort((first, -sizes))
    rank = np.empty_like(order)
    rank[order] = np.arange(1, order.size + 1)
    return rank[labels], sizes[labels]
