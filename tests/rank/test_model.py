"""The model's prior is the lexicon: no labels change nothing, a few a little, many more."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from unveil.rank.model import LEXICON_FEATURE, contribution_batch, train


def examples(n: int) -> pa.Table:
    """``n`` labelled posts: those in a large network are true positives, the others not."""
    rows: dict[str, list[object]] = {"post_id": [], "y": [], "weight": [], "feature": [], "value": []}
    for i in range(n):
        positive = i % 2 == 0
        features = {LEXICON_FEATURE: -2.0 if positive else 1.0, "network:posts": 4.0 if positive else 0.5}
        for name, value in features.items():
            for column, item in zip(rows, (f"p{i:03d}", float(positive), 1.0, name, value), strict=True):
                rows[column].append(item)
    return pa.table(rows)


def test_few_labels_move_the_weights_a_little_and_many_more() -> None:
    assert train(examples(0)).weights == {}
    moved = [abs(train(examples(n)).weights["network:posts"]) for n in (2, 10, 100)]
    assert 0 < moved[0] < moved[1] < moved[2]
    assert train(examples(10)).weights == train(examples(10)).weights  # deterministic


def test_scoring_is_value_times_weight_for_the_features_the_labels_moved() -> None:
    batch = pa.RecordBatch.from_pydict(
        {
            "post_id": ["a", "a", "b"],
            "feature": ["network:posts", "indicator:x", LEXICON_FEATURE],
            "value": [2.0, 1.0, -3.0],
        }
    )
    out = contribution_batch(batch, {"network:posts": 0.5, LEXICON_FEATURE: -0.1})
    assert out.column("post_id").to_pylist() == ["a", "b"]
    assert np.allclose(out.column("contribution").to_numpy(), [1.0, 0.3])
