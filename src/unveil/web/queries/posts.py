"""One post: its text and every flag on it (identifiers, indicators, places, prices, ages), images, networks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from unveil.errors import NotFound
from unveil.web.highlight import Span
from unveil.web.readmodel import ReadModel

POST_COLUMNS = (
    "post_id, source_id, source_file, record_no, evidence_sha256, kind, platform, url, author, title, text, "
    "posted_at, captured_at, region, city, best_city, language, risk, network_id, ingested_at, images"
)


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


def _optional(tables: ReadModel, name: str, sql: str, post_id: str, detail: PostDetail) -> list[dict[str, Any]] | None:
    if not tables.has(name):
        detail.missing.append(name)
        return None
    return tables.rows(sql, [post_id])


def post_detail(tables: ReadModel, post_id: str) -> PostDetail:
    """Everything shown on a post's page; ``NotFound`` when there is no such post."""
    tables.require("ingest.posts")
    found = tables.rows(f"SELECT {POST_COLUMNS} FROM web.posts WHERE post_id = ?", [post_id])
    if not found:
        raise NotFound("post", post_id)
    detail = PostDetail(found[0])
    detail.identifiers = (
        _optional(
            tables,
            "extract.identifiers",
            'SELECT type, value, raw, start, "end", rule FROM extract.identifiers WHERE post_id = ? ORDER BY start',
            post_id,
            detail,
        )
        or []
    )
    detail.indicators = _optional(
        tables,
        "score.indicators",
        'SELECT indicator_id, domain, category, start, "end", matched, weight, source FROM score.indicators '
        "WHERE post_id = ? ORDER BY start, indicator_id",
        post_id,
        detail,
    )
    detail.scores = _optional(
        tables,
        "score.scores",
        "SELECT domain, score, risk FROM score.scores WHERE post_id = ? ORDER BY score DESC",
        post_id,
        detail,
    )
    detail.places = _optional(
        tables,
        "extract.places",
        'SELECT place_id, name, kind, country, lat, lon, start, "end" FROM extract.places '
        "WHERE post_id = ? ORDER BY start",
        post_id,
        detail,
    )
    detail.prices = _optional(
        tables,
        "extract.prices",
        'SELECT amount, currency, unit, start, "end" FROM extract.prices WHERE post_id = ? ORDER BY start',
        post_id,
        detail,
    )
    detail.ages = _optional(
        tables,
        "extract.ages",
        'SELECT age, start, "end" FROM extract.ages WHERE post_id = ? ORDER BY start',
        post_id,
        detail,
    )
    detail.networks = _optional(
        tables,
        "link.network_posts",
        "SELECT network_id, reason FROM link.network_posts WHERE post_id = ? ORDER BY network_id",
        post_id,
        detail,
    )
    if tables.has("ingest.images"):
        detail.images = tables.rows(
            "SELECT image_sha256, width, height, format FROM ingest.images WHERE post_id = ? ORDER BY image_sha256",
            [post_id],
        )
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


def identifier_forms(identifiers: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(type, value, written form) of identifiers, canonical and raw, to mask them in any text."""
    forms = [(i["type"], i["value"], i["value"]) for i in identifiers]
    forms += [(i["type"], i["value"], i["raw"]) for i in identifiers if i.get("raw")]
    return forms


def identifiers_of_posts(tables: ReadModel, post_ids: list[str]) -> list[dict[str, Any]]:
    """Identifiers of several posts (for masking snippets and reasons)."""
    if not post_ids or not tables.has("extract.identifiers"):
        return []
    marks = ", ".join("?" for _ in post_ids)
    return tables.rows(
        f"SELECT post_id, type, value, raw FROM extract.identifiers WHERE post_id IN ({marks})", post_ids
    )
