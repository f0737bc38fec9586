"""Post search: free text, an identifier written any way, and filters, newest posts first.

``web.posts`` is stored newest first, so a query without an explicit sort stops scanning as soon as
it has a page of matches. Identifier queries are normalised before matching ``extract.identifiers``:
a phone written ``0470 12 34 56``, ``+32 (0)470/12.34.56`` or ``0032470123456`` becomes ``+32470123456``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import phonenumbers

from unveil.web.readmodel import ReadModel

PAGE_SIZE = 50
SORTS = ("newest", "risk")


@dataclass(frozen=True)
class SearchFilters:
    """What the user asked for; every field optional."""

    q: str = ""
    identifier: str = ""
    date_from: date | None = None
    date_to: date | None = None
    city: str = ""
    language: str = ""
    indicator: str = ""
    risk_min: float | None = None
    network: str = ""
    sort: str = "newest"

    def is_empty(self) -> bool:
        """True when no criterion is set."""
        return not any(value not in ("", None) for key, value in asdict(self).items() if key != "sort")

    def describe(self) -> str:
        """The criteria in one line, for the audit log and saved searches."""
        return "; ".join(f"{k}={v}" for k, v in asdict(self).items() if v not in ("", None) and k != "sort")

    def params(self) -> dict[str, str]:
        """The criteria as query-string parameters."""
        return {
            k: str(v) for k, v in asdict(self).items() if v not in ("", None) and not (k == "sort" and v == "newest")
        }


@dataclass
class SearchResult:
    """One page of matching posts."""

    rows: list[dict[str, Any]]
    has_more: bool
    page: int
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def normalise_identifier(query: str, region: str) -> list[tuple[str, str]]:
    """The (type, canonical value) pairs a user's identifier query stands for.

    A phone in any formatting is parsed with ``phonenumbers`` (the workspace's region for numbers
    without a country code); other identifiers go through the extraction registry (e-mail, IBAN,
    handle, wallet, URL, and obfuscated phones); anything else is matched as written, lower-cased.
    """
    text = query.strip()
    if not text:
        return []
    phone = _phone(text, region)
    if phone:
        return [("phone", phone)]
    found = _registry_identifiers(text, region)
    return found or [("", text.lower())]


def _phone(text: str, region: str) -> str | None:
    if sum(ch.isdigit() for ch in text) < 6 or any(ch.isalpha() for ch in text):
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _registry_identifiers(text: str, region: str) -> list[tuple[str, str]]:
    try:
        from unveil.extract.identifiers import find_identifiers
    except ImportError:  # extraction not installed: match as written
        return []
    return sorted({(item.type, item.value) for item in find_identifiers(text, region)})


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def conditions(
    tables: ReadModel, filters: SearchFilters, pairs: list[tuple[str, str]]
) -> tuple[list[str], list[Any], list[str]]:
    """SQL conditions on ``web.posts p`` and their parameters, plus the tables that were missing."""
    where: list[str] = []
    params: list[Any] = []
    missing: list[str] = []
    if filters.q:
        where.append("(p.text ILIKE ? ESCAPE '\\' OR p.title ILIKE ? ESCAPE '\\')")
        params += [_like(filters.q), _like(filters.q)]
    if pairs:
        if tables.has("extract.identifiers"):
            ors = " OR ".join("(type = ? AND value = ?)" if kind else "lower(value) = ?" for kind, _ in pairs)
            where.append(f"p.post_id IN (SELECT post_id FROM extract.identifiers WHERE {ors})")
            for kind, value in pairs:
                params += [kind, value] if kind else [value]
        else:
            missing.append("extract.identifiers")
            where.append("FALSE")
    if filters.date_from:
        where.append("p.posted_at >= ?")
        params.append(datetime.combine(filters.date_from, time()).isoformat())
    if filters.date_to:
        where.append("p.posted_at < ?")
        params.append(datetime.combine(filters.date_to + timedelta(days=1), time()).isoformat())
    if filters.city:
        where.append("lower(p.best_city) = lower(?)")
        params.append(filters.city)
    if filters.language:
        where.append("p.language = ?")
        params.append(filters.language)
    if filters.indicator:
        if tables.has("score.indicators"):
            where.append("p.post_id IN (SELECT post_id FROM score.indicators WHERE indicator_id = ? OR domain = ?)")
            params += [filters.indicator, filters.indicator]
        else:
            missing.append("score.indicators")
    if filters.risk_min is not None:
        where.append("p.risk >= ?")
        params.append(filters.risk_min)
    if filters.network:
        where.append(
            "p.post_id IN (SELECT post_id FROM link.network_posts WHERE network_id = ?)"
            if tables.has("link.network_posts")
            else "p.network_id = ?"
        )
        params.append(filters.network)
    return where, params, missing


def search_posts(tables: ReadModel, filters: SearchFilters, region: str, page: int = 1) -> SearchResult:
    """One page of posts matching every criterion."""
    tables.require("ingest.posts")
    pairs = normalise_identifier(filters.identifier, region)
    where, params, missing = conditions(tables, filters, pairs)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    order = "ORDER BY p.risk DESC NULLS LAST, p.posted_at DESC" if filters.sort == "risk" else ""
    offset = (max(page, 1) - 1) * PAGE_SIZE
    rows = tables.rows(
        "SELECT p.post_id, p.title, left(p.text, 240) AS snippet, p.posted_at, p.best_city AS city, p.language, "
        f"p.risk, p.network_id, p.platform, p.kind FROM web.posts p {clause} {order} LIMIT ? OFFSET ?",
        [*params, PAGE_SIZE + 1, offset],
    )
    return SearchResult(rows[:PAGE_SIZE], len(rows) > PAGE_SIZE, max(page, 1), pairs, missing)


def facet_values(tables: ReadModel) -> dict[str, list[str]]:
    """Choices of the select filters: cities, languages, indicators (empty when not computed)."""
    facets: dict[str, list[str]] = {"cities": [], "languages": [], "indicators": []}
    if tables.has("ingest.posts"):
        facets["cities"] = [
            r["c"]
            for r in tables.rows(
                "SELECT best_city AS c FROM web.posts WHERE best_city IS NOT NULL "
                "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 300"
            )
        ]
        facets["languages"] = [
            r["l"]
            for r in tables.rows(
                "SELECT language AS l FROM web.posts WHERE language IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1"
            )
        ]
    if tables.has("score.indicators"):
        facets["indicators"] = [
            r["i"]
            for r in tables.rows(
                "SELECT DISTINCT domain AS i FROM score.indicators "
                "UNION SELECT DISTINCT indicator_id FROM score.indicators ORDER BY 1"
            )
        ]
    return facets
