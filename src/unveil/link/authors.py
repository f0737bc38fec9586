"""Who wrote it: rarity-weighted text similarity and a per-workspace author model, learned from
the workspace's own identifiers.

1. **Weights** (SQL): a shingle (word bigram or style mark, see ``unveil.link.style``) held by
   ``d`` of ``N`` posts weighs ``round(1000 * ln((N + 1) / d))``, an integer so that sums do not
   depend on the order an engine adds them in. A site's boilerplate, in thousands of posts, weighs
   little; a phrase that only one author writes weighs much.
2. **Candidate pairs** (SQL): the LSH candidates of ``unveil.link.neardup`` and the pairs of posts
   that share at least ``RARE_MIN_SHARED`` rare text shingles (held by at most ``RARE_MAX_POSTS``
   posts), which finds an author who rewrites an ad but keeps a few phrases.
3. **Pair features** (SQL): weighted Jaccard of the text shingles (shared weight / union weight),
   of the style marks, the count of shared rare phrases and of the *personal* ones among them (held
   by the posts of at most ``PERSONAL_MAX_VENDORS`` vendors: a sign-off, not a stock phrase of many
   advertisers), the MinHash estimate, and the distance between the posts' numeric habits.
4. **Weak labels**: posts joined by non-hub identifiers (photos left out) are one *vendor*
   (``vendors``); a pair of posts of one vendor is a same-author pair. A pair of posts of two
   vendors is a different-author pair only on strong evidence (``KNOWN_PAIRS_SQL``): the two
   vendors never posted in a common city (both with a known city), share no non-generic template,
   and have no look-alike phones (the same last 7 digits, or the same 6 digits after a 1-3 digit
   country code: one number read two ways). Every other pair of vendors is left unlabelled: one
   actor may run several phones at once, extraction may read one phone as two, and an author who
   changes phone stays where she works.
5. **Calibration** (``calibrate``): the text threshold is the lowest weighted similarity at which
   the labelled candidate pairs above it reach the workspace's ``link_precision_target``, going
   down no further than where the last ``WINDOW`` labelled pairs fall below it (a link at the
   margin must be right as often as the links above it: networks chain them).
6. **Author model** (``author_model``): a logistic regression on the pair features (probabilities
   calibrated by its likelihood fit; every coefficient with its feature's sign, ``SIGNS``),
   cross-validated by vendor: vendors are dealt into folds and
   a pair is scored by a model trained without any pair that touches either of its vendors. The
   probability threshold is set on those out-of-fold scores as in 5. Links above it are ``style``
   links, each with the features that drove it.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from unveil.link.graph import components
from unveil.link.minhash import SIGNATURE_SIZE, VALUE_COLUMNS
from unveil.link.style import HABITS, STYLE_KIND

RARE_MAX_POSTS = 20
RARE_MIN_SHARED = 2
PERSONAL_MAX_VENDORS = 2  # a rare phrase whose posts belong to at most this many vendors is personal
MIN_LABELLED = 20
FOLDS = 4
MIN_SUPPORT = 5
WINDOW = 20
MAX_TRAINING_PAIRS = 200_000  # pairs one fold model is fitted on (a seeded sample of its labelled pairs)
MAX_LABELLED_PAIRS = 1_000_000  # labelled pairs kept for calibration and training (a seeded sample beyond)
SCORE_BATCH_PAIRS = 65_536  # pairs scored at a time
SEED = 20240

SHINGLE_WEIGHTS_SQL = """
WITH exploded AS (SELECT post_id, unnest(shingles) AS shingle FROM post_style),
total AS (SELECT count(*) AS posts FROM post_style)
SELECT e.shingle, count(*) AS posts,
       CAST(round(1000 * ln((CAST(t.posts AS DOUBLE) + 1) / count(*))) AS BIGINT) AS weight
FROM exploded e CROSS JOIN total t
GROUP BY e.shingle, t.posts
ORDER BY e.shingle
"""

# A post's number (``post_index``, 1.. in post_id order) and, per shingle, ``post_key``: the number
# times 2**33 plus the shingle (kind bit and 32-bit hash), one BIGINT, so the pair features join
# integers instead of (post id, shingle) pairs of strings and numbers.
KEY_SHIFT = 1 << 33
NUMBERED = "SELECT post_id, CAST(row_number() OVER (ORDER BY post_id) AS BIGINT) AS post_index FROM post_style"

POST_SHINGLES_SQL = f"""
WITH exploded AS (SELECT post_id, unnest(shingles) AS shingle FROM post_style),
numbered AS ({NUMBERED})
SELECT e.post_id, e.shingle, w.posts, w.weight, n.post_index, n.post_index * {KEY_SHIFT} + e.shingle AS post_key
FROM exploded e
JOIN shingle_weights w ON w.shingle = e.shingle
JOIN numbered n ON n.post_id = e.post_id
WHERE w.posts >= 2
ORDER BY post_key
"""

POST_TOTALS_SQL = f"""
WITH numbered AS ({NUMBERED}),
unique_weight AS (
    SELECT CAST(round(1000 * ln(CAST(count(*) AS DOUBLE) + 1)) AS BIGINT) AS weight FROM post_style
),
shared AS (
    SELECT post_id,
           CAST(sum(CASE WHEN shingle < {STYLE_KIND} THEN weight ELSE 0 END) AS BIGINT) AS text_weight,
           CAST(sum(CASE WHEN shingle < {STYLE_KIND} THEN 1 ELSE 0 END) AS BIGINT) AS text_count,
           CAST(sum(CASE WHEN shingle >= {STYLE_KIND} THEN weight ELSE 0 END) AS BIGINT) AS style_weight,
           CAST(sum(CASE WHEN shingle >= {STYLE_KIND} THEN 1 ELSE 0 END) AS BIGINT) AS style_count
    FROM post_shingles GROUP BY post_id
)
SELECT s.post_id, n.post_index,
       coalesce(h.text_weight, 0) + (s.text_shingles - coalesce(h.text_count, 0)) * u.weight AS text_total,
       coalesce(h.style_weight, 0) + (s.style_marks - coalesce(h.style_count, 0)) * u.weight AS style_total,
       {", ".join(f"s.{name}" for name in HABITS)}
FROM post_style s CROSS JOIN unique_weight u
JOIN numbered n ON n.post_id = s.post_id
LEFT JOIN shared h ON h.post_id = s.post_id
ORDER BY s.post_id
"""

AGREEING = " + ".join(f"CASE WHEN ga.{c} = gb.{c} THEN 1 ELSE 0 END" for c in VALUE_COLUMNS)
HABIT_DISTANCES = ",\n       ".join(f"abs(ta.{name} - tb.{name}) AS d_{name}" for name in HABITS)

PAIRS_SQL = f"""
WITH rare AS (
    SELECT post_id, shingle FROM post_shingles WHERE posts <= {RARE_MAX_POSTS} AND shingle < {STYLE_KIND}
),
spread AS (
    SELECT r.shingle, count(DISTINCT v.vendor_id) AS vendors
    FROM rare r JOIN vendors v ON v.post_id = r.post_id
    GROUP BY r.shingle
),
rare_pairs AS (
    SELECT a.post_id AS post_a, b.post_id AS post_b
    FROM rare a JOIN rare b ON a.shingle = b.shingle AND a.post_id < b.post_id
    GROUP BY a.post_id, b.post_id
    HAVING count(*) >= {RARE_MIN_SHARED}
),
listed AS (
    SELECT post_a, post_b FROM candidates
    UNION
    SELECT post_a, post_b FROM rare_pairs
),
pairs AS (
    SELECT l.post_a, l.post_b, ta.post_index AS index_a, tb.post_index AS index_b
    FROM listed l
    JOIN post_totals ta ON ta.post_id = l.post_a
    JOIN post_totals tb ON tb.post_id = l.post_b
),
halves AS (
    SELECT p.index_a, p.index_b, a.shingle, a.posts, a.weight, p.index_b * {KEY_SHIFT} + a.shingle AS key_b,
           coalesce(sp.vendors, 0) AS vendors
    FROM pairs p JOIN post_shingles a ON a.post_index = p.index_a
    LEFT JOIN spread sp ON sp.shingle = a.shingle
),
shared AS (
    SELECT h.index_a, h.index_b,
           CAST(sum(CASE WHEN h.shingle < {STYLE_KIND} THEN h.weight ELSE 0 END) AS BIGINT) AS text_shared,
           CAST(sum(CASE WHEN h.shingle >= {STYLE_KIND} THEN h.weight ELSE 0 END) AS BIGINT) AS style_shared,
           CAST(sum(CASE WHEN h.shingle < {STYLE_KIND} AND h.posts <= {RARE_MAX_POSTS} THEN 1 ELSE 0 END)
                AS BIGINT) AS rare_shared,
           CAST(sum(CASE WHEN h.shingle < {STYLE_KIND} AND h.posts <= {RARE_MAX_POSTS}
                          AND h.vendors <= {PERSONAL_MAX_VENDORS} THEN 1 ELSE 0 END)
                AS BIGINT) AS personal_shared
    FROM halves h
    JOIN post_shingles b ON b.post_key = h.key_b
    GROUP BY h.index_a, h.index_b
)
SELECT p.post_a, p.post_b,
       CAST(({AGREEING}) AS DOUBLE) / {SIGNATURE_SIZE} AS minhash,
       CASE WHEN ta.text_total + tb.text_total - coalesce(s.text_shared, 0) > 0
            THEN CAST(coalesce(s.text_shared, 0) AS DOUBLE)
                 / CAST(ta.text_total + tb.text_total - coalesce(s.text_shared, 0) AS DOUBLE)
            ELSE 0.0 END AS text_similarity,
       CASE WHEN ta.style_total + tb.style_total - coalesce(s.style_shared, 0) > 0
            THEN CAST(coalesce(s.style_shared, 0) AS DOUBLE)
                 / CAST(ta.style_total + tb.style_total - coalesce(s.style_shared, 0) AS DOUBLE)
            ELSE 0.0 END AS style_similarity,
       coalesce(s.rare_shared, 0) AS rare_shared,
       coalesce(s.personal_shared, 0) AS personal_shared,
       {HABIT_DISTANCES}
FROM pairs p
LEFT JOIN shared s ON s.index_a = p.index_a AND s.index_b = p.index_b
JOIN post_totals ta ON ta.post_index = p.index_a
JOIN post_totals tb ON tb.post_index = p.index_b
JOIN signatures ga ON ga.post_id = p.post_a
JOIN signatures gb ON gb.post_id = p.post_b
ORDER BY p.post_a, p.post_b
"""

FEATURES = (
    "minhash",
    "text_similarity",
    "style_similarity",
    "rare_shared",
    "personal_shared",
    *(f"d_{name}" for name in HABITS),
)
FEATURE_WORDS = {
    "minhash": "near-duplicate text",
    "text_similarity": "rare words in common",
    "style_similarity": "same writing habits",
    "rare_shared": "rare phrases shared",
    "personal_shared": "rare phrases no third vendor writes",
    "d_upper_share": "same use of capitals",
    "d_emoji_share": "same use of emoji",
    "d_punct_share": "same punctuation",
    "d_exclaim_rate": "same exclamation marks",
    "d_line_rate": "same layout",
    "d_word_length": "same word lengths",
    "d_length": "same length",
}


def _shared_by_pair(table: str, column: str) -> str:
    """The vendor pairs whose two vendors share a value of ``table`` (distinct vendor_id, ``column``
    rows): each pair meets the values of either vendor, and a value met twice is held by both. This
    grows with the pairs times the values per vendor; the self-join of ``table`` on the value that it
    replaces grew with the square of the vendors per value (every vendor of a city met every other,
    quadratic in the workspace at a million posts)."""
    return f"""SELECT vendor_a, vendor_b FROM (
        SELECT q.vendor_a, q.vendor_b, x.{column} AS shared_value FROM vendor_pairs q
        JOIN {table} x ON x.vendor_id = q.vendor_a
        UNION ALL
        SELECT q.vendor_a, q.vendor_b, x.{column} AS shared_value FROM vendor_pairs q
        JOIN {table} x ON x.vendor_id = q.vendor_b
    ) met GROUP BY vendor_a, vendor_b, shared_value HAVING count(*) >= 2"""


_LABELLED_BODY = f"""
WITH vendor_pairs AS (
    SELECT DISTINCT va.vendor_id AS vendor_a, vb.vendor_id AS vendor_b
    FROM pairs p
    JOIN vendors va ON va.post_id = p.post_a
    JOIN vendors vb ON vb.post_id = p.post_b
    WHERE va.vendor_id <> vb.vendor_id
),
phones AS (
    SELECT v.vendor_id, replace(i.value, '+', '') AS digits
    FROM vendors v JOIN identifiers i ON i.post_id = v.post_id
    WHERE i.type = 'phone' AND i.value IS NOT NULL
    GROUP BY v.vendor_id, replace(i.value, '+', '')
    HAVING count(DISTINCT v.post_id) >= 2
),
phone_keys AS (
    SELECT vendor_id, 'r' || right(digits, 7) AS key FROM phones WHERE length(digits) >= 8
    UNION SELECT vendor_id, 'n' || substr(digits, 2, 6) FROM phones WHERE length(digits) >= 8
    UNION SELECT vendor_id, 'n' || substr(digits, 3, 6) FROM phones WHERE length(digits) >= 8
    UNION SELECT vendor_id, 'n' || substr(digits, 4, 6) FROM phones WHERE length(digits) >= 9
),
places AS (
    SELECT DISTINCT v.vendor_id, f.city FROM vendors v JOIN post_facts f ON f.post_id = v.post_id
    WHERE f.city IS NOT NULL
),
own_templates AS (
    SELECT DISTINCT v.vendor_id, m.template_id
    FROM vendors v
    JOIN template_members m ON m.post_id = v.post_id
    JOIN templates t ON t.template_id = m.template_id
    WHERE NOT t.generic
),
placed AS (SELECT DISTINCT vendor_id FROM places),
ambiguous AS (
    {_shared_by_pair("phone_keys", "key")}
    UNION
    {_shared_by_pair("places", "city")}
    UNION
    {_shared_by_pair("own_templates", "template_id")}
    UNION
    SELECT q.vendor_a, q.vendor_b FROM vendor_pairs q
    LEFT JOIN placed la ON la.vendor_id = q.vendor_a
    LEFT JOIN placed lb ON lb.vendor_id = q.vendor_b
    WHERE la.vendor_id IS NULL OR lb.vendor_id IS NULL
),
different AS (
    SELECT q.vendor_a, q.vendor_b FROM vendor_pairs q
    LEFT JOIN ambiguous x ON x.vendor_a = q.vendor_a AND x.vendor_b = q.vendor_b
    WHERE x.vendor_a IS NULL
)
SELECT p.post_a, p.post_b, {", ".join(f"p.{name}" for name in FEATURES)},
       va.vendor_id AS vendor_a, vb.vendor_id AS vendor_b,
       CASE WHEN va.vendor_id IS NULL OR vb.vendor_id IS NULL THEN -1
            WHEN va.vendor_id = vb.vendor_id THEN 1
            WHEN d.vendor_a IS NOT NULL THEN 0
            ELSE -1 END AS label
FROM pairs p
LEFT JOIN vendors va ON va.post_id = p.post_a
LEFT JOIN vendors vb ON vb.post_id = p.post_b
LEFT JOIN different d ON d.vendor_a = va.vendor_id AND d.vendor_b = vb.vendor_id
"""

# Only the pairs with a label (same or different vendor), in pair order: what calibration and the
# author model learn from (the model scores every pair later, in batches: ``SCORED_PAIRS_SQL``).
_CTES, _FINAL = _LABELLED_BODY.rsplit(")\nSELECT p.post_a", 1)
KNOWN_PAIRS_SQL = (
    f"{_CTES}),\nlabelled AS (\nSELECT p.post_a{_FINAL})\n"
    "SELECT * FROM labelled WHERE label >= 0 ORDER BY post_a, post_b\n"
)

# How many vendors the candidate pairs touch (a post of a vendor in any pair, labelled or not).
PAIR_VENDORS_SQL = """
SELECT count(DISTINCT v.vendor_id) AS vendors
FROM (SELECT post_a AS post_id FROM pairs UNION SELECT post_b AS post_id FROM pairs) p
JOIN vendors v ON v.post_id = p.post_id
"""

# Every candidate pair with its features and its posts' vendors (for the folds), in pair order.
SCORED_PAIRS_SQL = f"""
SELECT p.post_a, p.post_b, {", ".join(f"p.{name}" for name in FEATURES)},
       va.vendor_id AS vendor_a, vb.vendor_id AS vendor_b
FROM pairs p
LEFT JOIN vendors va ON va.post_id = p.post_a
LEFT JOIN vendors vb ON vb.post_id = p.post_b
ORDER BY p.post_a, p.post_b
"""

VENDORS = pa.schema([("post_id", pa.string()), ("vendor_id", pa.string())])
CALIBRATION = pa.schema(
    [
        ("method", pa.string()),
        ("threshold", pa.float64()),
        ("precision_target", pa.float64()),
        ("precision", pa.float64()),
        ("same_pairs", pa.int64()),
        ("different_pairs", pa.int64()),
        ("same_above", pa.int64()),
        ("different_above", pa.int64()),
        ("vendors", pa.int64()),
        ("calibrated", pa.bool_()),
        ("note", pa.string()),
    ]
)
STYLE_LINKS = pa.schema(
    [
        ("post_a", pa.string()),
        ("post_b", pa.string()),
        ("probability", pa.float64()),
        ("text_similarity", pa.float64()),
        ("style_similarity", pa.float64()),
        ("rare_shared", pa.int64()),
        ("reason", pa.string()),
    ]
)

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


def vendor_table(post_ids: pa.Array, src: I64, dst: I64) -> pa.Table:
    """Vendors: components of the posts joined by usable identifiers (``V`` + smallest post id)."""
    labels = components(len(post_ids), src, dst)
    linked = np.bincount(np.concatenate([src, dst]), minlength=len(post_ids)) > 0
    first: dict[int, str] = {}
    names = post_ids.to_pylist()
    for i in np.flatnonzero(linked).tolist():
        first.setdefault(int(labels[i]), names[i])
    kept = np.flatnonzero(linked)
    return pa.table(
        {
            "post_id": post_ids.take(pa.array(kept)),
            "vendor_id": pa.array(["V:" + first[int(labels[i])] for i in kept.tolist()], pa.string()),
        },
        schema=VENDORS,
    )


@dataclass(frozen=True)
class Labels:
    """Weak labels of pairs: 1 same vendor, 0 two vendors, -1 unknown; and each post's vendor fold."""

    label: I64
    fold_a: I64
    fold_b: I64
    vendors: int


def weak_labels(pairs: pa.Table, folds: int = FOLDS) -> Labels:
    """Labels of ``KNOWN_PAIRS_SQL``; a vendor's fold is a stable hash of its id (computed once per
    vendor, not once per pair)."""
    fold_a, vendors_a = _folds(pairs["vendor_a"], folds)
    fold_b, vendors_b = _folds(pairs["vendor_b"], folds)
    return Labels(
        np.asarray(pairs["label"].to_numpy(zero_copy_only=False), dtype=np.int64),
        fold_a,
        fold_b,
        len(vendors_a | vendors_b),
    )


def no_labels() -> Labels:
    """The labels of no pairs."""
    empty = np.zeros(0, dtype=np.int64)
    return Labels(empty, empty, empty, 0)


def _folds(column: pa.ChunkedArray | pa.Array, folds: int) -> tuple[I64, set[str]]:
    """The fold of every row's vendor (-1 without one) and the set of vendors named."""
    encoded = pc.dictionary_encode(column.cast(pa.string()))
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    names = [str(v) for v in encoded.dictionary.to_pylist()]
    per_vendor = np.array([_fold(v, folds) for v in names] + [-1], dtype=np.int64)
    codes = pc.fill_null(encoded.indices, len(names)).to_numpy(zero_copy_only=False).astype(np.int64)
    used = set(np.unique(codes[codes < len(names)]).tolist())
    return per_vendor[codes], {names[i] for i in used}


def _fold(vendor: str | None, folds: int) -> int:
    return -1 if vendor is None else zlib.crc32(vendor.encode()) % folds


@dataclass
class Threshold:
    """A calibrated threshold and the labelled pairs it was set on (a row of ``link.calibration``)."""

    method: str
    threshold: float | None
    target: float
    precision: float | None = None
    same_pairs: int = 0
    different_pairs: int = 0
    same_above: int = 0
    different_above: int = 0
    vendors: int = 0
    note: str = ""

    def row(self) -> dict[str, Any]:
        """The row of ``link.calibration``."""
        return {
            "method": self.method,
            "threshold": self.threshold,
            "precision_target": self.target,
            "precision": None if self.precision is None else round(self.precision, 4),
            "same_pairs": self.same_pairs,
            "different_pairs": self.different_pairs,
            "same_above": self.same_above,
            "different_above": self.different_above,
            "vendors": self.vendors,
            "calibrated": self.threshold is not None,
            "note": self.note,
        }


def calibrate(method: str, scores: F64, label: I64, target: float, vendors: int) -> Threshold:
    """The lowest score whose labelled pairs at or above it reach ``target`` precision."""
    known = label >= 0
    values, truth = scores[known], label[known]
    same, different = int(truth.sum()), int((truth == 0).sum())
    result = Threshold(method, None, target, same_pairs=same, different_pairs=different, vendors=vendors)
    if same < MIN_LABELLED or different < MIN_LABELLED:
        result.note = (
            f"not calibrated: {same} same-vendor and {different} different-vendor pairs "
            f"(at least {MIN_LABELLED} of each needed)"
        )
        return result
    order = np.argsort(-values, kind="stable")
    ranked, hits = values[order], truth[order]
    true_above = np.cumsum(hits)
    precision = true_above / np.arange(1, hits.size + 1)
    window = np.r_[np.zeros(WINDOW), true_above]
    margin = np.where(
        np.arange(hits.size) >= WINDOW, (true_above - window[: hits.size]) / WINDOW, precision
    )  # precision of the last WINDOW labelled pairs down to here
    failing = np.flatnonzero(margin < target)
    cut = int(failing[0]) if failing.size else hits.size
    last_of_value = np.r_[ranked[1:] != ranked[:-1], True]  # a threshold takes every pair with that score
    good = np.flatnonzero(last_of_value & (precision >= target) & (true_above >= MIN_SUPPORT))
    good = good[good < cut]
    if good.size == 0:
        result.note = f"not calibrated: no threshold reaches precision {target} on the labelled pairs"
        return result
    at = int(good.max())
    result.threshold = round(float(ranked[at]), 4)
    result.precision = float(precision[at])
    result.same_above, result.different_above = int(true_above[at]), int(at + 1 - true_above[at])
    result.note = (
        f"lowest {method} score whose {at + 1} labelled pairs at or above it are {precision[at]:.1%} "
        f"same-vendor, and the last {WINDOW} of them at least {target:.0%} (the target); labels from "
        f"{vendors} vendors known by their identifiers"
    )
    return result


def feature_matrix(pairs: pa.Table) -> F64:
    """The model's inputs (``FEATURES``; the count of rare phrases as log1p)."""
    columns = [np.asarray(pairs[name].to_numpy(zero_copy_only=False), dtype=np.float64) for name in FEATURES]
    matrix = np.column_stack(columns) if columns else np.zeros((pairs.num_rows, 0))
    for name in ("rare_shared", "personal_shared"):
        matrix[:, FEATURES.index(name)] = np.log1p(matrix[:, FEATURES.index(name)])
    return matrix


@dataclass
class AuthorModel:
    """The fold models, the out-of-fold probabilities of the labelled pairs they were calibrated on,
    the threshold set on them and the full model's weights (for the reasons of a link)."""

    probability: F64
    threshold: Threshold
    coefficients: F64 = field(default_factory=lambda: np.zeros(0))
    means: F64 = field(default_factory=lambda: np.zeros(0))
    scales: F64 = field(default_factory=lambda: np.ones(0))
    folds: FoldModels | None = None

    def score(self, features: F64, fold_a: I64, fold_b: I64) -> F64:
        """Every pair's probability from the model trained without its vendors' folds (see ``author_model``)."""
        if self.folds is None:
            return np.zeros(features.shape[0], dtype=np.float64)
        return self.folds.score(features, fold_a, fold_b)


# The direction every feature may push the probability: more similarity is never evidence of two
# authors, a larger distance between habits never evidence of one.
SIGNS = np.array([1.0 if not name.startswith("d_") else -1.0 for name in FEATURES])


@dataclass(frozen=True)
class SignedModel:
    """A logistic regression whose coefficients all have their feature's sign (``SIGNS``): a feature
    that would get the wrong sign is left out and the model refitted, so the model cannot learn
    that, say, little shared text is evidence of one author from labels that never show such pairs."""

    model: Any
    used: npt.NDArray[np.bool_]

    def predict_proba(self, features: F64) -> F64:
        """Probabilities of (different, same) for every pair."""
        return np.asarray(self.model.predict_proba(features[:, self.used]), dtype=np.float64)

    def weights(self) -> tuple[F64, F64, F64]:
        """Coefficients, means and scales over all features (zeros and ones for the unused)."""
        coefficients, means, scales = np.zeros(self.used.size), np.zeros(self.used.size), np.ones(self.used.size)
        scaler, regression = self.model.steps[0][1], self.model.steps[1][1]
        coefficients[self.used] = regression.coef_[0]
        means[self.used], scales[self.used] = scaler.mean_, scaler.scale_
        return coefficients, means, scales


def _fit(features: F64, label: I64) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if features.shape[0] > MAX_TRAINING_PAIRS:
        keep = np.random.default_rng(SEED).choice(features.shape[0], MAX_TRAINING_PAIRS, replace=False)
        keep.sort()
        features, label = features[keep], label[keep]
    signs = SIGNS[: features.shape[1]] if features.shape[1] <= SIGNS.size else np.ones(features.shape[1])
    used = np.ones(features.shape[1], dtype=np.bool_)
    while True:
        model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))
        model.fit(features[:, used], label)
        coefficients = np.zeros(used.size)
        coefficients[used] = model.steps[1][1].coef_[0]
        wrong = used & (coefficients * signs < 0)
        if not wrong.any() or used.sum() <= 1:
            return SignedModel(model, used)
        used &= ~wrong


class FoldModels:
    """One model per set of held-out folds ``{i, j}`` (``i <= j``), each trained on the labelled pairs
    that touch neither fold, fitted the first time a pair needs it (so a fold set no pair falls in
    costs nothing) and kept for the batches that follow."""

    def __init__(self, features: F64, labels: Labels) -> None:
        self._features, self._labels = features, labels
        self._models: dict[tuple[int, int], Any] = {}

    def model(self, i: int, j: int) -> Any:
        """The model that saw no vendor of folds ``i`` and ``j`` (None if its pairs hold one label only)."""
        if (i, j) not in self._models:
            label, fold_a, fold_b = self._labels.label, self._labels.fold_a, self._labels.fold_b
            train = (label >= 0) & ~np.isin(fold_a, (i, j)) & ~np.isin(fold_b, (i, j))
            known = label[train]
            both = bool((known == 1).any() and (known == 0).any())
            self._models[(i, j)] = _fit(self._features[train], known) if both else None
        return self._models[(i, j)]

    def score(self, features: F64, fold_a: I64, fold_b: I64) -> F64:
        """Probabilities (4 decimals) of pairs, each from the model held out on its vendors' folds (a
        post without a vendor constrains nothing; pairs without any vendor use the model held out on fold 0)."""
        probability = np.zeros(features.shape[0], dtype=np.float64)
        first = np.where(fold_a >= 0, fold_a, np.where(fold_b >= 0, fold_b, 0))
        second = np.where(fold_b >= 0, fold_b, first)
        low, high = np.minimum(first, second), np.maximum(first, second)
        for i in range(FOLDS):
            for j in range(i, FOLDS):
                scored = (low == i) & (high == j)
                if not scored.any():
                    continue
                model = self.model(i, j)
                if model is not None:
                    probability[scored] = model.predict_proba(features[scored])[:, 1]
        return np.round(probability, 4)


def author_model(features: F64, labels: Labels, target: float) -> AuthorModel:
    """Train the author model on labelled pairs and calibrate its threshold on their out-of-fold scores.

    One model per set of held-out folds ``{i, j}`` (``FoldModels``): a pair is scored by the model
    trained on the labelled pairs that touch neither of its vendors' folds. ``features`` and
    ``labels`` are the labelled pairs (``KNOWN_PAIRS_SQL``, at most ``MAX_LABELLED_PAIRS`` of them;
    pairs labelled -1 are never trained on); ``AuthorModel.score`` then scores any pair, batch by batch.
    """
    label = labels.label
    known = label >= 0
    same, different = int((label == 1).sum()), int((label == 0).sum())
    if same < MIN_LABELLED or different < MIN_LABELLED or labels.vendors < 2 * FOLDS:
        threshold = Threshold("style", None, target, same_pairs=same, different_pairs=different, vendors=labels.vendors)
        threshold.note = (
            f"not trained: {same} same-vendor and {different} different-vendor pairs from {labels.vendors} vendors "
            f"(at least {MIN_LABELLED} of each and {2 * FOLDS} vendors needed)"
        )
        return AuthorModel(np.zeros(label.size, dtype=np.float64), threshold)
    folds = FoldModels(features, labels)
    probability = folds.score(features, labels.fold_a, labels.fold_b)
    threshold = calibrate("style", probability, label, target, labels.vendors)
    coefficients, means, scales = _fit(features[known], label[known]).weights()
    return AuthorModel(probability, threshold, coefficients, means, scales, folds)


@dataclass
class LabelledSample:
    """The labelled pairs kept for calibration and training: all of them up to ``MAX_LABELLED_PAIRS``,
    else a seeded uniform sample of that many, in pair order."""

    pairs: pa.Table
    total: int

    @property
    def sampled(self) -> bool:
        """Whether fewer pairs were kept than were labelled."""
        return bool(self.pairs.num_rows < self.total)

    def note(self) -> str:
        """What a calibration note adds when the labelled pairs were sampled."""
        if not self.sampled:
            return ""
        return (
            f" (on a seeded sample of {self.pairs.num_rows:,} of the {self.total:,} labelled pairs, "
            f"at most {MAX_LABELLED_PAIRS:,})"
        )


def labelled_sample(batches: Iterable[pa.RecordBatch], cap: int = MAX_LABELLED_PAIRS) -> LabelledSample:
    """At most ``cap`` rows of ``batches``: each row gets a key from a generator seeded with ``SEED``
    (drawn in row order, so the keys do not depend on how the rows are batched) and the ``cap`` rows
    with the smallest keys are kept, in their original order. Memory stays within about ``2 * cap``
    rows; with no more than ``cap`` rows, every row is kept."""
    rng = np.random.default_rng(SEED)
    kept: list[pa.Table] = []
    keys: list[F64] = []
    positions: list[I64] = []
    held = total = 0
    schema: pa.Schema | None = None
    for batch in batches:
        schema = batch.schema
        kept.append(pa.Table.from_batches([batch]))
        keys.append(rng.random(batch.num_rows))
        positions.append(np.arange(total, total + batch.num_rows, dtype=np.int64))
        total += batch.num_rows
        held += batch.num_rows
        if held > 2 * cap:
            kept, keys, positions = _smallest(kept, keys, positions, cap)
            held = cap
    if schema is None:
        return LabelledSample(pa.table({}), 0)
    if held > cap:
        kept, keys, positions = _smallest(kept, keys, positions, cap)
    table = pa.concat_tables(kept) if kept else schema.empty_table()
    return LabelledSample(table.combine_chunks(), total)


def _smallest(
    kept: list[pa.Table], keys: list[F64], positions: list[I64], cap: int
) -> tuple[list[pa.Table], list[F64], list[I64]]:
    """The ``cap`` rows with the smallest keys (ties by position), in position order."""
    key, position = np.concatenate(keys), np.concatenate(positions)
    chosen = np.lexsort((position, key))[:cap]
    chosen.sort()  # rows are held in position order, so sorting indices keeps that order
    table = pa.concat_tables(kept).take(pa.array(chosen))
    return [table], [key[chosen]], [position[chosen]]


def style_link_rows(pairs: pa.Table, model: AuthorModel, generic_members: pa.Table) -> pa.Table:
    """The pairs of one batch (``SCORED_PAIRS_SQL``) at or above the model's threshold and not within
    one generic template, each with the features that drove it."""
    if model.threshold.threshold is None or pairs.num_rows == 0:
        return STYLE_LINKS.empty_table()
    fold_a, _ = _folds(pairs["vendor_a"], FOLDS)
    fold_b, _ = _folds(pairs["vendor_b"], FOLDS)
    features = feature_matrix(pairs)
    probability = model.score(features, fold_a, fold_b)
    above = np.flatnonzero(probability >= model.threshold.threshold)
    candidates = pairs.take(pa.array(above))
    chosen = above[~in_same_template(candidates, generic_members)]
    return style_links(pairs, features, probability, model, chosen)


def style_links(pairs: pa.Table, features: F64, probability: F64, model: AuthorModel, chosen: I64) -> pa.Table:
    """Rows of ``link.style_links`` for the ``chosen`` pairs, each with the features that drove it."""
    contribution = (features[chosen] - model.means) / model.scales * model.coefficients
    top = np.argsort(-contribution, axis=1, kind="stable")[:, :3]
    rows = features[chosen]
    reasons = []
    for k, index in enumerate(chosen.tolist()):
        drivers = [_driver(FEATURES[f], rows[k, f]) for f in top[k].tolist() if contribution[k, f] > 0]
        reasons.append(
            f"same author by writing (probability {probability[index]:.2f}): " + "; ".join(drivers or ["all"])
        )
    take = pa.array(chosen, pa.int64())
    return pa.table(
        {
            "post_a": pairs["post_a"].take(take),
            "post_b": pairs["post_b"].take(take),
            "probability": probability[chosen],
            "text_similarity": pairs["text_similarity"].take(take),
            "style_similarity": pairs["style_similarity"].take(take),
            "rare_shared": pairs["rare_shared"].take(take).cast(pa.int64()),
            "reason": pa.array(reasons, pa.string()),
        },
        schema=STYLE_LINKS,
    )


def _driver(name: str, value: float) -> str:
    if name in ("rare_shared", "personal_shared"):
        return f"{FEATURE_WORDS[name]} {round(float(np.expm1(value)))}"
    if name.startswith("d_"):
        return f"{FEATURE_WORDS[name]} (difference {value:.2f})"
    return f"{FEATURE_WORDS[name]} {value:.2f}"


def in_same_template(pairs: pa.Table, generic_members: pa.Table) -> npt.NDArray[np.bool_]:
    """Pairs whose two posts belong to the same generic template (the guard: boilerplate links nothing)."""
    if generic_members.num_rows == 0 or pairs.num_rows == 0:
        return np.zeros(pairs.num_rows, dtype=np.bool_)
    names = generic_members["post_id"]
    codes = pc.dictionary_encode(generic_members["template_id"]).combine_chunks().indices.to_numpy()
    value_set = names.combine_chunks()
    a = pc.fill_null(pc.index_in(pairs["post_a"], value_set=value_set), -1).to_numpy().astype(np.int64)
    b = pc.fill_null(pc.index_in(pairs["post_b"], value_set=value_set), -1).to_numpy().astype(np.int64)
    found = (a >= 0) & (b >= 0)
    same = np.zeros(pairs.num_rows, dtype=np.bool_)
    same[found] = codes[a[found]] == codes[b[found]]
    return same
