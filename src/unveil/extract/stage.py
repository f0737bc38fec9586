"""Stage ``extract``: identifiers, places, prices, ages, language and indicators of every post.

Per-record work writes ``extract.mentions`` (one row per thing found, every kind in one table,
see ``schema.MENTIONS``); SQL then splits it into the typed tables other areas read. The
indicators are found in the same pass (they need the language and the ages found here); the
``score`` stage takes them from ``extract.mentions`` and scores them.
"""

from __future__ import annotations

from functools import partial

import pyarrow as pa

from unveil.collector import collector_off
from unveil.extract.columns import MentionColumns
from unveil.extract.extractor import extract_post
from unveil.extract.schema import AGES, IDENTIFIERS, MENTIONS, PLACES, POSTS, PRICES
from unveil.identifiers.regions import DEFAULT_REGIONS
from unveil.pipeline import Stage, StageContext


def extract_batch(
    batch: pa.RecordBatch, default_region: str, workspace: tuple[str, ...] | None = None
) -> pa.RecordBatch:
    """Per-record function: posts in, one ``extract.mentions`` row per thing found out (indicators included).

    The cyclic garbage collector is paused for the batch: the extractors make many small objects
    that hold no reference cycles (reference counting frees them), and the collector's passes over
    the growing column lists cost time for nothing. It stays off while the columns become Arrow arrays
    (a collection switched on before that would scan every row tuple of the batch, then again as they
    age), and is switched back on afterwards, also on error.
    """
    columns = MentionColumns()
    names = ("post_id", "text", "region")
    regions = workspace or tuple(dict.fromkeys((default_region, *DEFAULT_REGIONS)))
    sites = batch.column("url").to_pylist() if "url" in batch.schema.names else [None] * batch.num_rows
    with collector_off():
        for (post_id, text, region), site in zip(
            zip(*(batch.column(name).to_pylist() for name in names), strict=True), sites, strict=True
        ):
            text = text or ""
            columns.add_post(post_id, text, extract_post(text, region, site=site, workspace=regions))
        return columns.batch()


def _split_sql(kind: str, schema: pa.Schema, renames: dict[str, str] | None = None) -> str:
    names = renames or {}
    columns = ", ".join(f'{names.get(c, c)} AS "{c}"' if c in names else f'"{c}"' for c in schema.names)
    return f"SELECT {columns} FROM mentions WHERE kind = '{kind}' ORDER BY post_id, seq"


SPLITS = {
    "identifiers": _split_sql("identifier", IDENTIFIERS),
    "places": _split_sql("place", PLACES, {"kind": "place_kind"}),
    "prices": _split_sql("price", PRICES),
    "ages": _split_sql("age", AGES),
    "posts": _split_sql("post", POSTS),
}


def run_extract(context: StageContext) -> None:
    """Extract every post, then split the mentions into the typed tables."""
    posts = context.input("ingest.posts")
    settings = context.workspace.settings
    context.progress.start("extract identifiers, places, prices, ages, language, indicators", posts.num_rows())
    context.engine.map_batches(
        posts,
        partial(extract_batch, default_region=settings.default_region, workspace=settings.workspace_regions),
        MENTIONS,
        context.output("mentions"),
        columns=["post_id", "text", "region", "url"],
        progress=context.progress,
    )
    mentions = {"mentions": context.staged("mentions")}
    for table, sql in SPLITS.items():
        context.engine.sql_to_table(sql, mentions, context.output(table))
    context.progress.finish()


EXTRACT = Stage(
    name="extract",
    inputs=("ingest.posts",),
    outputs=("mentions", "identifiers", "places", "prices", "ages", "posts"),
    run=run_extract,
    description="identifiers, places, prices, ages, language and indicators of every post",
    version="4",
    schemas={
        "mentions": MENTIONS,
        "identifiers": IDENTIFIERS,
        "places": PLACES,
        "prices": PRICES,
        "ages": AGES,
        "posts": POSTS,
    },
)
