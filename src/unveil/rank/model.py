"""The workspace's ranking model: a logistic model whose prior is the lexicon, moved by the labels.

A post's score is a log-odds::

    score = logit(lexicon risk) + sum_f delta_f * x_f

The first term is the lexicon's judgement (prior coefficient 1 on ``lexicon:logit``, 0 on every
other feature); ``delta`` is what the labels taught, fitted by weighted logistic regression with
an L2 penalty ``REGULARISATION / 2 * |delta|^2`` that pulls it back to the prior. A few labels
move the ranking a little, many move it more; without labels ``delta`` is exactly 0 and the
ranking is the lexicon's. (An intercept, almost unpenalised, absorbs how many labels are positive;
it shifts every score alike and is left out of the ranking.)

Training is small and runs on the driver (the labelled posts only); fitting is L-BFGS from zero
on examples in a fixed order, so the same labels always give the same model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy import optimize, sparse

LEXICON_FEATURE = "lexicon:logit"
REGULARISATION = 4.0
INTERCEPT_REGULARISATION = 0.01

MODEL = pa.schema(
    [
        ("feature", pa.string()),
        ("prior", pa.float64()),
        ("weight", pa.float64()),
        ("examples", pa.int64()),
    ]
)

CONTRIBUTIONS = pa.schema(
    [
        ("post_id", pa.string()),
        ("feature", pa.string()),
        ("value", pa.float64()),
        ("weight", pa.float64()),
        ("contribution", pa.float64()),
    ]
)


@dataclass(frozen=True)
class Model:
    """What the labels taught: a weight (change from the prior) per feature, and the intercept."""

    weights: dict[str, float]
    intercept: float = 0.0
    examples: int = 0
    support: dict[str, int] | None = None

    def table(self) -> pa.Table:
        """The model as ``rank.model`` rows: every feature with a weight, then ``(intercept)``."""
        names = sorted(self.weights)
        support = self.support or {}
        rows = {
            "feature": [*names, "(intercept)"],
            "prior": [1.0 if name == LEXICON_FEATURE else 0.0 for name in names] + [0.0],
            "weight": [self.weights[name] for name in names] + [self.intercept],
            "examples": [support.get(name, 0) for name in names] + [self.examples],
        }
        return pa.table(rows, schema=MODEL)


def train(rows: pa.Table, regularisation: float = REGULARISATION) -> Model:
    """Fit the model to the labelled posts' features.

    ``rows``: ``post_id, y, weight, feature, value`` — one row per labelled post and feature (the
    ``rank`` stage's training query). No rows, no change: the model is the lexicon.
    """
    if rows.num_rows == 0:
        return Model({})
    rows = rows.sort_by([("post_id", "ascending"), ("feature", "ascending")])  # the same sums on every engine
    post_ids = rows.column("post_id").to_pylist()
    features = rows.column("feature").to_pylist()
    posts = sorted(set(post_ids))
    names = sorted(set(features))
    post_index = {post: i for i, post in enumerate(posts)}
    name_index = {name: j for j, name in enumerate(names)}
    row_of = np.fromiter((post_index[p] for p in post_ids), dtype=np.int64, count=len(post_ids))
    col_of = np.fromiter((name_index[f] for f in features), dtype=np.int64, count=len(features))
    values = rows.column("value").to_numpy(zero_copy_only=False).astype(np.float64)
    matrix = sparse.csr_matrix((values, (row_of, col_of)), shape=(len(posts), len(names)))
    y = np.zeros(len(posts))
    sample = np.zeros(len(posts))
    y[row_of] = rows.column("y").to_numpy(zero_copy_only=False)
    sample[row_of] = rows.column("weight").to_numpy(zero_copy_only=False)
    lexicon = name_index.get(LEXICON_FEATURE)
    offset = matrix[:, lexicon].toarray().ravel() if lexicon is not None else np.zeros(len(posts))
    penalty = np.full(len(names) + 1, regularisation)
    penalty[-1] = INTERCEPT_REGULARISATION

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = offset + matrix @ theta[:-1] + theta[-1]
        log_loss = np.logaddexp(0.0, z) - y * z
        residual = sample * (_sigmoid(z) - y)
        gradient = np.append(matrix.T @ residual, residual.sum()) + penalty * theta
        return float(sample @ log_loss + 0.5 * penalty @ (theta * theta)), gradient

    fitted = optimize.minimize(
        loss, np.zeros(len(names) + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500, "gtol": 1e-9}
    )
    theta = np.round(fitted.x, 9)
    support = np.asarray((matrix != 0).sum(axis=0)).ravel()
    weights = {name: float(theta[j]) for j, name in enumerate(names) if theta[j] != 0.0}
    return Model(
        weights=weights,
        intercept=float(theta[-1]),
        examples=len(posts),
        support={name: int(support[j]) for j, name in enumerate(names)},
    )


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)))


def contribution_batch(batch: pa.RecordBatch, weights: dict[str, float]) -> pa.RecordBatch:
    """Per-record scoring: each ``(post_id, feature, value)`` row with its learned weight and
    contribution ``value * weight``; rows of features the labels did not move are left out."""
    keys = sorted(weights)
    if not keys or batch.num_rows == 0:
        return pa.RecordBatch.from_pylist([], schema=CONTRIBUTIONS)
    index = pc.index_in(batch.column("feature"), value_set=pa.array(keys, pa.string()))
    known = pc.is_valid(index)
    kept = batch.filter(known)
    positions = pc.drop_null(index).to_numpy(zero_copy_only=False).astype(np.int64)
    weight = np.array([weights[key] for key in keys], dtype=np.float64)[positions]
    value = kept.column("value").to_numpy(zero_copy_only=False).astype(np.float64)
    columns = [kept.column("post_id"), kept.column("feature"), pa.array(value), pa.array(weight)]
    return pa.RecordBatch.from_arrays([*columns, pa.array(value * weight)], schema=CONTRIBUTIONS)
