"""Search posts: free text, identifiers in any formatting, filters; pages and API."""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse

from unveil.auth.roles import Permission
from unveil.errors import UsageError
from unveil.web import marks
from unveil.web.deps import Audit, CanSearch, Page, Privacy, Tables, WorkspaceDep
from unveil.web.facets import Summary, summarise
from unveil.web.marks import Hits
from unveil.web.privacy import PrivacyView
from unveil.web.queries.posts import identifiers_of_posts
from unveil.web.queries.search import SORTS, SearchFilters, SearchResult, facet_values, query_words, search_posts
from unveil.web.readmodel import ReadModel
from unveil.web.routes import NavEntry

router = APIRouter(tags=["search"])
nav = NavEntry("Search", "/search", Permission.SEARCH, order=20)

Text = Annotated[str, Query(max_length=200)]


MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
"""Dates a search accepts (``date_to`` is searched up to the next day: 9999-12-31 would overflow)."""


def _date(name: str, value: str) -> date | None:
    try:
        found = date.fromisoformat(value) if value else None
    except ValueError:
        raise UsageError(f"{name} must be a date like 2024-03-31, not {value!r}") from None
    if found is not None and not EARLIEST <= found <= LATEST:
        raise UsageError(f"{name} must be between {EARLIEST} and {LATEST}, not {value!r}")
    return found


def _risk(value: str) -> float | None:
    try:
        risk = float(value) if value else None
    except ValueError:
        raise UsageError(f"risk_min must be a number between 0 and 1, not {value!r}") from None
    if risk is not None and not 0 <= risk <= 1:
        raise UsageError("risk_min must be between 0 and 1")
    return risk


def search_filters(
    q: Text = "",
    identifier: Text = "",
    date_from: Text = "",
    date_to: Text = "",
    city: Text = "",
    language: Text = "",
    indicator: Text = "",
    risk_min: Text = "",
    network: Text = "",
    site: Text = "",
    month: Text = "",
    template: Text = "",
    sort: Text = "newest",
) -> SearchFilters:
    """The filters of a search request; form fields left empty mean "any"."""
    if sort not in SORTS:
        raise UsageError(f"sort must be one of {', '.join(SORTS)}")
    month = month.strip()
    if month and not (MONTH.fullmatch(month) and EARLIEST.year <= int(month[:4]) <= LATEST.year):
        raise UsageError(f"month must be a month like 2024-03, not {month!r}")
    return SearchFilters(
        q=q.strip(),
        identifier=identifier.strip(),
        date_from=_date("date_from", date_from),
        date_to=_date("date_to", date_to),
        city=city.strip(),
        language=language.strip(),
        indicator=indicator.strip(),
        risk_min=_risk(risk_min),
        network=network.strip(),
        site=site.strip(),
        month=month,
        template=template.strip(),
        sort=sort,
    )


@functools.wraps(search_filters)
async def _filters_on_loop(*args: str, **kwargs: str) -> SearchFilters:
    """``search_filters`` (same parameters) as an async dependency: a sync one costs a thread hop per request."""
    return search_filters(*args, **kwargs)


Filters = Annotated[SearchFilters, Depends(_filters_on_loop)]
PageNumber = Annotated[int, Query(ge=1, le=10_000)]


def shown_rows(tables: ReadModel, result: SearchResult, privacy: PrivacyView) -> list[dict[str, Any]]:
    """Result rows as the user may see them (snippets and titles masked for analysts)."""
    if not privacy.masked:
        return result.rows
    found = identifiers_of_posts(tables, [row["post_id"] for row in result.rows])
    by_post: dict[str, list[dict[str, Any]]] = {}
    for item in found:
        by_post.setdefault(item["post_id"], []).append(item)
    rows = []
    for row in result.rows:
        known = by_post.get(row["post_id"], [])
        # the snippet is the start of the text: the identifiers' spans mask it, also where it cuts one
        rows.append(
            dict(row, snippet=privacy.text(row["snippet"], known, offset=0), title=privacy.maybe(row["title"], known))
        )
    return rows


def run_search(
    tables: ReadModel, workspace: WorkspaceDep, filters: SearchFilters, page: int, audit: Audit, privacy: PrivacyView
) -> SearchResult | None:
    """Search (and audit it) unless no criterion is set; an analyst's search runs on what they may see."""
    if filters.is_empty():
        return None
    audit.search(filters.describe() + (f"; page={page}" if page > 1 else ""))
    return search_posts(tables, filters, workspace.settings.default_region, page, privacy)


def summary_of(tables: ReadModel, result: SearchResult) -> Summary:
    """The total and facet counts of a search that ran (over every matching post)."""
    return summarise(tables, result.filters or SearchFilters(), result.identifiers, result.hidden)


def hits_of(result: SearchResult, privacy: PrivacyView, region: str) -> Hits:
    """What to mark in the snippets the user sees: the words, and the identifiers as shown to them."""
    filters = result.filters or SearchFilters()
    words = tuple(query_words(filters.q)) if filters.q else ()
    if privacy.masked:  # the pseudonyms searched, as they stand in the masked snippets
        return Hits(words, tuple(privacy.identifier(k, v) for k, v in result.identifiers if k), (), region)
    phones = tuple(value for kind, value in result.identifiers if kind == "phone")
    literals = tuple(
        value.partition(":")[2] if kind == "handle" and ":" in value else value
        for kind, value in result.identifiers
        if kind != "phone" and value
    )
    return Hits(words, literals, phones, region)


def marked_rows(rows: list[dict[str, Any]], hits: Hits) -> list[dict[str, Any]]:
    """Rows with ``title_pieces`` and ``snippet_pieces``: (text, is_hit) pairs of what the user sees."""
    return [
        dict(
            row,
            title_pieces=marks.pieces(row.get("title"), hits),
            snippet_pieces=marks.pieces(row.get("snippet"), hits),
        )
        for row in rows
    ]


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    user: CanSearch,
    tables: Tables,
    workspace: WorkspaceDep,
    audit: Audit,
    privacy: Privacy,
    page: Page,
    filters: Filters,
    p: PageNumber = 1,
) -> HTMLResponse:
    """The search form, the total and facets of the matching posts, and one page of results."""
    result = run_search(tables, workspace, filters, p, audit, privacy)
    choices = tables.cached("facets", lambda: facet_values(tables)) if tables.has("ingest.posts") else {}
    rows = shown_rows(tables, result, privacy) if result else []
    shown_identifiers = [
        privacy.identifier(kind, value) if kind else value for kind, value in (result.identifiers if result else [])
    ]
    summary = summary_of(tables, result) if result else None
    hits = hits_of(result, privacy, workspace.settings.default_region) if result else Hits()
    return page.render(
        "search/index.html",
        {
            "filters": filters,
            "params": filters.params(),
            "result": result,
            "rows": marked_rows(rows, hits),
            "facets": choices,
            "summary": summary,
            "facet_names": FACET_NAMES,
            "interpreted": shown_identifiers,
            "can_save": user.may(Permission.SAVE_SEARCHES),
            "masked": privacy.masked,
        },
    )


FACET_NAMES = {
    "city": "City",
    "language": "Language",
    "indicator": "Indicator",
    "network": "Network",
    "site": "Site",
    "month": "Month",
}
"""Facet headings, in the order shown."""


@router.get("/api/posts")
def search_api(
    user: CanSearch,
    tables: Tables,
    workspace: WorkspaceDep,
    audit: Audit,
    privacy: Privacy,
    filters: Filters,
    p: PageNumber = 1,
) -> dict[str, Any]:
    """Posts matching the filters, newest first, 50 a page (``has_more`` says if there is a next page);
    ``total`` counts every matching post and ``facets`` gives, per facet, its values among them with counts."""
    result = run_search(tables, workspace, filters, p, audit, privacy)
    if result is None:
        raise UsageError("give at least one criterion (q, identifier, date_from, city, ...)")
    summary = summary_of(tables, result)
    return {
        "page": result.page,
        "has_more": result.has_more,
        "total": summary.total,
        "facets": {name: [{"value": v, "posts": n} for v, n in values] for name, values in summary.facets.items()},
        "posts": shown_rows(tables, result, privacy),
        "identifiers": [privacy.identifier(k, v) if k else v for k, v in result.identifiers],
    }
