"""Search posts: free text, identifiers in any formatting, filters; pages and API."""

from __future__ import annotations

import functools
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse

from unveil.auth.roles import Permission
from unveil.errors import UsageError
from unveil.web.deps import Audit, CanSearch, Page, Privacy, Tables, WorkspaceDep
from unveil.web.privacy import PrivacyView
from unveil.web.queries.posts import identifiers_of_posts
from unveil.web.queries.search import SORTS, SearchFilters, SearchResult, facet_values, search_posts
from unveil.web.readmodel import ReadModel
from unveil.web.routes import NavEntry

router = APIRouter(tags=["search"])
nav = NavEntry("Search", "/search", Permission.SEARCH, order=20)

Text = Annotated[str, Query(max_length=200)]


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
    sort: Text = "newest",
) -> SearchFilters:
    """The filters of a search request; form fields left empty mean "any"."""
    if sort not in SORTS:
        raise UsageError(f"sort must be one of {', '.join(SORTS)}")
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
    """The search form and one page of results."""
    result = run_search(tables, workspace, filters, p, audit, privacy)
    facets = tables.cached("facets", lambda: facet_values(tables)) if tables.has("ingest.posts") else {}
    rows = shown_rows(tables, result, privacy) if result else []
    shown_identifiers = [
        privacy.identifier(kind, value) if kind else value for kind, value in (result.identifiers if result else [])
    ]
    return page.render(
        "search/index.html",
        {
            "filters": filters,
            "params": filters.params(),
            "result": result,
            "rows": rows,
            "facets": facets,
            "interpreted": shown_identifiers,
            "can_save": user.may(Permission.SAVE_SEARCHES),
            "masked": privacy.masked,
        },
    )


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
    """Posts matching the filters, newest first, 50 a page (``has_more`` says if there is a next page)."""
    result = run_search(tables, workspace, filters, p, audit, privacy)
    if result is None:
        raise UsageError("give at least one criterion (q, identifier, date_from, city, ...)")
    return {
        "page": result.page,
        "has_more": result.has_more,
        "posts": shown_rows(tables, result, privacy),
        "identifiers": [privacy.identifier(k, v) if k else v for k, v in result.identifiers],
    }
