"""Stage ``extract``: identifiers, places, prices, ages and language of every post.

Per-record work writes ``extract.mentions`` (one row per thing found, every kind in one table,
see ``schema.MENTIONS``); SQL then splits it into the typed tables other areas read.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pyarrow as pa

from unveil.extract.extractor import extract_post
from unveil.extract.schema import AGES, IDENTIFIERS, MENTIONS, PLACES, POSTS, PRICES
from unveil.pipeline import Stage, StageContext


def mention_rows(post_id: str, text: str, region: str) -> list[dict[str, Any]]:
    """The mentions of one post, as rows of ``extract.mentions``."""
    found = extract_post(text, region)
    rows: list[dict[str, Any]] = [{"kind": "post", "language": found.language, "city": found.city}]
    for item in found.identifiers:
        rows.append(
            {"kind": "identifier", "type": item.type, "value": item.value, "raw": text[item.start : item.end],
             "start": item.start, "end": item.end, "rule": item.rule, "service": item.service}
        )  # fmt: skip
    for mention in found.places:
        place = mention.place
        rows.append(
            {"kind": "place", "place_id": place.place_id, "name": place.name, "place_kind": place.kind,
             "country": place.country, "lat": place.lat, "lon": place.lon, "start": mention.start, "end": mention.end}
        )  # fmt: skip
    for price in found.prices:
        rows.append({"kind": "price", "amount": price.amount, "currency": price.currency, "unit": price.unit,
                     "start": price.start, "end": price.end})  # fmt: skip
    for age in found.ages:
        rows.append({"kind": "age", "age": age.age, "start": age.start, "end": age.end})
    for seq, row in enumerate(rows):
        row["post_id"], row["seq"] = post_id, seq
    return rows


def extract_batch(batch: pa.RecordBatch, default_region: str) -> pa.RecordBatch:
    """Per-record function: posts in, one ``extract.mentions`` row per thing found out."""
    rows: list[dict[str, Any]] = []
    columns = (batch.column(name).to_pylist() for name in ("post_id", "text", "region"))
    for post_id, text, region in zip(*columns, strict=True):
        rows.extend(mention_rows(post_id, text or "", region or default_region))
    return pa.RecordBatch.from_pylist(rows, schema=MENTIONS)


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
    region = context.workspace.settings.default_region
    context.progress.start("extract identifiers, places, prices, ages, language", posts.num_rows())
    context.engine.map_batches(
        posts,
        partial(extract_batch, default_region=region),
        MENTIONS,
        context.output("mentions"),
        columns=["post_id", "text", "region"],
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
    description="identifiers, places, prices, ages and language of every post",
    version="2",
)
