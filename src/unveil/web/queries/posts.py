"""One post: its text and every flag on it (identifiers, indicators, places, prices, ages), images, networks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from unveil.errors import NotFound
from unveil.web.highlight import Span
from unveil.web.lookups import decode
from unveil.web.readmodel import ReadModel
from unveil.web.serving import DETAIL_LISTS, POST_PAGE_COLUMNS

POST_COLUMNS = ", ".join(f"p.{column}" for column in POST_PAGE_COLUMNS)


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
    """Everything shown on a post's page (one lookup in ``web.post_details``); ``NotFound`` when absent."""
    tables.require("ingest.posts")
    built = [name for name, (table, _, _) in DETAIL_LISTS.items() if tables.has(table)]
    if tables.has_lookups():  # the same row, as stored in the lookup file (lookups.py): much cheaper
        _, pages = tables.lookup("SELECT page FROM post_pages WHERE post_id = ?", [post_id])
        found = [decode(pages[0][0], tables.lookup_times("post_pages"))] if pages else []
    else:
        lists = "".join(f', p.list_{name} AS "list:{name}"' for name in built)
        found = tables.rows(f"SELECT {POST_COLUMNS}{lists} FROM web.post_details p WHERE p.post_id = ?", [post_id])
    if not found:
        raise NotFound("post", post_id)
    row = found[0]
    detail = PostDetail({k: v for k, v in row.items() if not k.startswith("list:")})
    for name, (table, _, _) in DETAIL_LISTS.items():
        if name in built:
            setattr(detail, name, row[f"list:{name}"])
        elif name != "images":
            detail.missing.append(table)
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
