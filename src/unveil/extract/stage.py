"""Stage ``extract``: identifiers found in each post (per-record work on the engine)."""

from __future__ import annotations

import re
from functools import partial

import phonenumbers
import pyarrow as pa

from unveil.pipeline import Stage, StageContext

IDENTIFIERS = pa.schema(
    [
        ("post_id", pa.string()),
        ("type", pa.string()),
        ("value", pa.string()),
        ("raw", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("rule", pa.string()),
    ]
)

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def find_identifiers(text: str, region: str) -> list[tuple[str, str, int, int, str]]:
    """(type, value, start, end, rule) for every phone and email in a text."""
    found = []
    for match in phonenumbers.PhoneNumberMatcher(text, region):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        found.append(("phone", e164, match.start, match.end, "phonenumbers"))
    for email in EMAIL.finditer(text):
        found.append(("email", email.group().lower(), email.start(), email.end(), "email-pattern"))
    return found


def extract_batch(batch: pa.RecordBatch, default_region: str) -> pa.RecordBatch:
    """Per-record function: posts in, one row per identifier out."""
    columns: dict[str, list[object]] = {name: [] for name in IDENTIFIERS.names}
    texts = batch.column("text").to_pylist()
    regions = batch.column("region").to_pylist()
    for post_id, text, region in zip(batch.column("post_id").to_pylist(), texts, regions, strict=True):
        for kind, value, start, end, rule in find_identifiers(text or "", region or default_region):
            for name, item in zip(
                IDENTIFIERS.names, (post_id, kind, value, text[start:end], start, end, rule), strict=True
            ):
                columns[name].append(item)
    return pa.RecordBatch.from_pydict(columns, schema=IDENTIFIERS)


def run_extract(context: StageContext) -> None:
    posts = context.input("ingest.posts")
    region = context.workspace.settings.default_region
    context.progress.start("extract identifiers", posts.num_rows())
    context.engine.map_batches(
        posts,
        partial(extract_batch, default_region=region),
        IDENTIFIERS,
        context.output("identifiers"),
        columns=["post_id", "text", "region"],
        progress=context.progress,
    )
    context.progress.finish()


EXTRACT = Stage(
    name="extract",
    inputs=("ingest.posts",),
    outputs=("identifiers",),
    run=run_extract,
    description="identifiers (phones, emails) in every post",
)
