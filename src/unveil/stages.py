"""The pipeline's stages, in the order they run. Each area declares its stage in its own module."""

from __future__ import annotations

from unveil.pipeline import Stage

# Written by commands rather than by the pipeline: `unveil ingest`, `unveil stats import`, and the
# label events of unveil.db, exported by the `rank` stage's `prepare` before each run (`unveil.rank.export`).
SOURCE_STAGES = ("ingest", "statistics", "labels")


def all_stages() -> list[Stage]:
    """Every stage of the pipeline, in run order."""
    from unveil.extract.stage import EXTRACT
    from unveil.indicators.stage import SCORE
    from unveil.link.stage import LINK
    from unveil.money.stage import MONEY
    from unveil.publish.stage import PUBLISH
    from unveil.rank.stage import RANK

    return [EXTRACT, SCORE, LINK, MONEY, RANK, PUBLISH]
