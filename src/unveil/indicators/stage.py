"""Stage ``score``: the indicators of every post and a score per domain that they explain."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from unveil.extract.language import detect_language
from unveil.extract.schema import INDICATORS
from unveil.indicators.scorer import find_indicators
from unveil.pipeline import Stage, StageContext

# Noisy-or over the distinct indicators of each post and domain; risk is the post's highest score.
SCORES_SQL = """
WITH per_indicator AS (
    SELECT post_id, domain, indicator_id, max(weight) AS weight
    FROM indicators GROUP BY post_id, domain, indicator_id
), per_domain AS (
    SELECT post_id, domain, 1 - exp(sum(ln(1 - least(weight, 0.999999)))) AS score
    FROM per_indicator GROUP BY post_id, domain
)
SELECT post_id, domain, round(score, 6) AS score, round(max(score) OVER (PARTITION BY post_id), 6) AS risk
FROM per_domain
ORDER BY post_id, domain
"""


def indicator_rows(post_id: str, text: str) -> list[dict[str, Any]]:
    """The indicator matches of one post as rows of ``score.indicators``."""
    return [
        {"post_id": post_id, "indicator_id": m.indicator_id, "domain": m.domain, "category": m.category,
         "start": m.start, "end": m.end, "matched": m.matched, "weight": m.weight, "source": m.source}
        for m in find_indicators(text, detect_language(text))
    ]  # fmt: skip


def score_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Per-record function: posts in, one row per indicator match out."""
    rows: list[dict[str, Any]] = []
    for post_id, text in zip(batch.column("post_id").to_pylist(), batch.column("text").to_pylist(), strict=True):
        rows.extend(indicator_rows(post_id, (text or "")[:100_000]))
    return pa.RecordBatch.from_pylist(rows, schema=INDICATORS)


def run_score(context: StageContext) -> None:
    """Find the indicators of every post, then score each post and domain."""
    posts = context.input("ingest.posts")
    context.progress.start("score indicators", posts.num_rows())
    context.engine.map_batches(
        posts, score_batch, INDICATORS, context.output("indicators"), columns=["post_id", "text"],
        progress=context.progress,
    )  # fmt: skip
    context.engine.sql_to_table(SCORES_SQL, {"indicators": context.staged("indicators")}, context.output("scores"))
    context.progress.finish()


SCORE = Stage(
    name="score",
    inputs=("ingest.posts",),
    outputs=("indicators", "scores"),
    run=run_score,
    description="trafficking, labour, smuggling and control indicators with a score per domain",
)
