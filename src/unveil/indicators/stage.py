"""Stage ``score``: the indicators of every post and a score per domain that they explain.

The indicators are found by the ``extract`` stage in the same pass as everything else (the
language is detected once, the ages found once): they are the ``indicator`` rows of
``extract.mentions``. This stage splits them into ``score.indicators`` and scores them.
"""

from __future__ import annotations

from unveil.indicators.schema import INDICATORS, SCORES
from unveil.pipeline import Stage, StageContext

INDICATORS_SQL = (
    "SELECT " + ", ".join(f'"{name}"' for name in INDICATORS.names) + " FROM mentions "
    "WHERE kind = 'indicator' ORDER BY post_id, seq"
)

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


def run_score(context: StageContext) -> None:
    """Take the indicators found by ``extract``, then score each post and domain."""
    context.progress.start("score indicators", 2)
    context.engine.sql_to_table(
        INDICATORS_SQL, {"mentions": context.input("extract.mentions")}, context.output("indicators")
    )
    context.progress.advance(1)
    context.engine.sql_to_table(SCORES_SQL, {"indicators": context.staged("indicators")}, context.output("scores"))
    context.progress.advance(1)
    context.progress.finish()


SCORE = Stage(
    name="score",
    inputs=("extract.mentions",),
    outputs=("indicators", "scores"),
    run=run_score,
    description="trafficking, labour, smuggling and control indicators with a score per domain",
    version="2",
    schemas={"indicators": INDICATORS, "scores": SCORES},
)
