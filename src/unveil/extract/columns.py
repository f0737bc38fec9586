"""Rows of ``extract.mentions`` built as tuples per kind, turned into columns once per batch.

Each kind of mention (post, identifier, place, price, age, indicator) fills only its own columns;
``MentionColumns.batch`` makes one Arrow batch per kind, null-fills the other columns and joins them.
Row order does not matter: the split queries order by ``post_id, seq``.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from unveil.extract.extractor import PostExtraction
from unveil.extract.schema import MENTIONS

KIND_COLUMNS: dict[str, tuple[str, ...]] = {
    "post": ("language", "city"),
    "identifier": ("type", "value", "raw", "start", "end", "rule", "service", "region_source", "ambiguous"),
    "place": ("place_id", "name", "place_kind", "country", "lat", "lon", "start", "end"),
    "price": ("amount", "currency", "unit", "start", "end"),
    "age": ("age", "start", "end"),
    "indicator": ("indicator_id", "domain", "category", "start", "end", "matched", "weight", "source"),
}


class MentionColumns:
    """Rows per kind of mention, filled post by post and turned into columns once per batch.

    A row is one tuple ``(post_id, seq, *values)``: one append per mention (not one per column),
    and ``batch`` transposes each kind's rows with ``zip`` in C.
    """

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple[Any, ...]]] = {kind: [] for kind in KIND_COLUMNS}

    def add_post(self, post_id: str, text: str, found: PostExtraction) -> None:
        """Every mention of one post, ``seq`` numbering them in a fixed order (post row first)."""
        rows = self.rows
        rows["post"].append((post_id, 0, found.language, found.city))
        seq = 1
        append = rows["identifier"].append
        for item in found.identifiers:
            append((post_id, seq, item.type, item.value, text[item.start : item.end], item.start, item.end, item.rule,
                    item.service, item.region_source, item.ambiguous if item.region_source else None))  # fmt: skip
            seq += 1
        append = rows["place"].append
        for mention in found.places:
            place = mention.place
            append((post_id, seq, place.place_id, place.name, place.kind, place.country, place.lat, place.lon,
                    mention.start, mention.end))  # fmt: skip
            seq += 1
        append = rows["price"].append
        for price in found.prices:
            append((post_id, seq, price.amount, price.currency, price.unit, price.start, price.end))
            seq += 1
        append = rows["age"].append
        for age in found.ages:
            append((post_id, seq, age.age, age.start, age.end))
            seq += 1
        append = rows["indicator"].append
        for match in found.indicators:
            append((post_id, seq, match.indicator_id, match.domain, match.category, match.start, match.end,
                    match.matched, match.weight, match.source))  # fmt: skip
            seq += 1

    def batch(self) -> pa.RecordBatch:
        """All mentions as one batch of the ``extract.mentions`` schema."""
        tables = []
        for kind, rows in self.rows.items():
            size = len(rows)
            if not size:
                continue
            # Lists, not the tuples ``zip`` makes: ``pa.array`` converts a tuple of strings far slower.
            columns = dict(
                zip(("post_id", "seq", *KIND_COLUMNS[kind]), map(list, zip(*rows, strict=True)), strict=True)
            )
            arrays = []
            for field in MENTIONS:
                if field.name == "kind":
                    arrays.append(pa.array([kind] * size, field.type))
                elif field.name in columns:
                    arrays.append(pa.array(columns[field.name], field.type))
                else:
                    arrays.append(pa.nulls(size, field.type))
            tables.append(pa.Table.from_arrays(arrays, schema=MENTIONS))
        if not tables:
            return pa.RecordBatch.from_pylist([], schema=MENTIONS)
        combined = pa.concat_tables(tables).combine_chunks()
        return combined.to_batches()[0]
