"""One post: its text and every flag on it (identifiers, indicators, places, prices, ages), images, networks."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from unveil.errors import NotFound
from unveil.publish.stage import DETAIL_LISTS
from unveil.web.highlight import Span
from unveil.web.lookups import decode
from unveil.web.readmodel import ReadModel


@dataclass
class PostDetail:
    """A post and what the pipeline found in it."""

    post: dict[str, Any]
    identifiers: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] | None = None
    scores: list[dict[str, Any]] | None = None
    places: list[dict[str, Any]] | None = None
    prices: list[dict[str, Any]] | None = None
    ages: list[dict[str, Any]] | None = None
    networks: list[dict[str, Any]] | None = None
    images: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def post_detail(tables: ReadModel, post_id: str) -> PostDetail:
    """Everything shown on a post's page: its row of ``publish.post_pages`` (one lookup in the lookup file).

    ``NotFound`` when absent; ``NotComputed`` before the ``publish`` stage has run.
    """
    tables.require("publish.post_pages")
    _, pages = tables.lookup("SELECT page FROM post_pages WHERE post_id = ?", [post_id])
    if not pages:
        raise NotFound("post", post_id)
    row = decode(pages[0][0], tables.lookup_times("post_pages"))
    detail = PostDetail({k: v for k, v in row.items() if not k.startswith("list:")})
    for name in DETAIL_LISTS:
        setattr(detail, name, row[f"list:{name}"])
    return detail


def spans_of(detail: PostDetail, show_identifier: Any) -> list[Span]:
    """The highlightable spans of a post; ``show_identifier(type, value)`` gives what the user may see."""
    spans = [
        Span(
            i["start"],
            i["end"],
            "identifier",
            f"{i['type']} {show_identifier(i['type'], i['value'])}",
            f"found by rule {i['rule']}",
            f"identifier-{n}",
        )
        for n, i in enumerate(detail.identifiers)
        if i["start"] is not None and i["end"] is not None
    ]
    for n, row in enumerate(detail.indicators or []):
        why = f"{row['domain']} / {row['category']}, weight {row['weight']}, source: {row['source']}"
        spans.append(Span(row["start"], row["end"], "indicator", row["indicator_id"], why, f"indicator-{n}"))
    for n, row in enumerate(detail.places or []):
        spans.append(
            Span(row["start"], row["end"], "place", row["name"], f"{row['kind']} in {row['country']}", f"place-{n}")
        )
    for n, row in enumerate(detail.prices or []):
        spans.append(
            Span(
                row["start"],
                row["end"],
                "price",
                "price",
                f"{row['amount']} {row['currency']} {row['unit'] or ''}".strip(),
                f"price-{n}",
            )
        )
    for n, row in enumerate(detail.ages or []):
        spans.append(Span(row["start"], row["end"], "age", "age", f"{row['age']} years", f"age-{n}"))
    return [s for s in spans if s.start is not None and s.end is not None]


def identifiers_of_posts(tables: ReadModel, post_ids: list[str]) -> list[dict[str, Any]]:
    """Identifiers of several posts, with their spans in the post's text (for masking snippets and reasons)."""
    if not post_ids or not tables.has("extract.identifiers"):
        return []
    marks = ", ".join("?" for _ in post_ids)
    return tables.rows(
        f'SELECT post_id, type, value, raw, start, "end" FROM extract.identifiers WHERE post_id IN ({marks})', post_ids
    )


def texts_and_identifiers(tables: ReadModel, post_ids: list[str]) -> dict[str, tuple[str, list[dict[str, Any]]]]:
    """Each post's whole text and identifiers (``type``, ``value``, ``raw``, ``start``, ``end``, ``rule``, in text
    order), by post id, from its row of ``post_pages`` in the lookup file: one query reading only those two
    fields (SQLite's ``json_extract``). DuckDB's ``post_id IN (...)`` over ``web.posts`` and
    ``extract.identifiers`` cost several milliseconds of CPU for a result page at a million posts."""
    if not post_ids:
        return {}
    marks = ", ".join("?" for _ in post_ids)
    _, rows = tables.lookup(
        "SELECT post_id, json_extract(page, '$.text'), json_extract(page, '$.\"list:identifiers\"') "
        f"FROM post_pages WHERE post_id IN ({marks})",
        post_ids,
    )
    return {str(post_id): (str(text or ""), json.loads(found or "[]")) for post_id, text, found in rows}
