"""Search posts: free text, identifiers in any formatting, filters; pages and API."""

from __future__ import annotations

import csv
import functools
import inspect
import io
import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from unveil.auth.roles import Permission
from unveil.errors import UsageError
from unveil.web import marks
from unveil.web.deps import Audit, CanExport, CanSearch, Db, Page, Privacy, Tables, WorkspaceDep
from unveil.web.facets import GROUP_PAGE, Summary, matching_ranks, summarise, template_groups
from unveil.web.marks import Hits
from unveil.web.privacy import PrivacyView
from unveil.web.queries.batch import Line, batch, lines_of
from unveil.web.queries.posts import texts_and_identifiers
from unveil.web.queries.search import (
    SORTS,
    SearchFilters,
    SearchResult,
    analyst_query,
    facet_values,
    normalise_identifier,
    query_words,
    rows_at_ranks,
    search_posts,
)
from unveil.web.readmodel import ReadModel
from unveil.web.routes import NavEntry
from unveil.web.routes.collect import editable_cases

router = APIRouter(tags=["search"])
nav = NavEntry("Search", "/search", Permission.SEARCH, order=20)

TEXT_LIMIT = 200
"""The longest value a search filter takes."""
Text = Annotated[str, Query(max_length=TEXT_LIMIT)]


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
FILTER_NAMES = tuple(inspect.signature(search_filters).parameters)


async def _page_filters(request: Request) -> SearchFilters:
    """The search page's filters, read from the query string here rather than declared as ``Filters``.

    FastAPI checks each declared query parameter at about 20 µs: the thirteen filters were about 0.25 ms of a
    search page's 7 ms of CPU. The page is not in the API schema; the API routes, which document their
    parameters, keep ``Filters``. The same rules: a repeated parameter's last value, FastAPI's 422 for a value
    over ``TEXT_LIMIT`` characters, then ``search_filters``.
    """
    query = request.query_params
    given = {name: query[name] for name in FILTER_NAMES if name in query}
    too_long = [
        {
            "type": "string_too_long",
            "loc": ("query", name),
            "msg": f"String should have at most {TEXT_LIMIT} characters",
            "input": value,
            "ctx": {"max_length": TEXT_LIMIT},
        }
        for name, value in given.items()
        if len(value) > TEXT_LIMIT
    ]
    if too_long:
        raise RequestValidationError(too_long)
    return search_filters(**given)


PageFilters = Annotated[SearchFilters, Depends(_page_filters)]
PageNumber = Annotated[int, Query(ge=1, le=10_000)]


def shown_rows(tables: ReadModel, result: SearchResult, privacy: PrivacyView) -> list[dict[str, Any]]:
    """Result rows as the user may see them (snippets and titles masked for analysts)."""
    return masked_rows(tables, result.rows, privacy)


def masked_rows(tables: ReadModel, given: list[dict[str, Any]], privacy: PrivacyView) -> list[dict[str, Any]]:
    """Rows with a ``snippet`` (the start of the text) and a ``title`` as the user may see them."""
    if not privacy.masked:
        return given
    pages = texts_and_identifiers(tables, [str(row["post_id"]) for row in given])
    rows = []
    for row in given:
        known = pages[row["post_id"]][1] if row["post_id"] in pages else []
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

    def ranks(given: SearchFilters, pairs: list[tuple[str, str]], hide: bool, n: int) -> list[int]:
        return matching_ranks(tables, given, pairs, hide, n)[0]

    return search_posts(tables, filters, workspace.settings.default_region, ranks, page, privacy)


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


def marked_rows(
    tables: ReadModel,
    rows: list[dict[str, Any]],
    hits: Hits,
    privacy: PrivacyView,
    pairs: list[tuple[str, str]] | None = None,
) -> list[dict[str, Any]]:
    """Rows with ``title_pieces`` and ``snippet_pieces``: (text, is_hit) pairs of what the user sees.

    The snippet is cut around the first hit (``marks.around``): where the stored snippet (the start
    of the text) holds no hit, or one near its end, the page's posts' whole texts are read, by rank
    (``pos``, the stored order: one pruned scan), and masked first for analysts. An identifier search
    (``pairs``) also marks the identifier where the extractor read it (an obfuscated phone too); an
    analyst's marks are the pseudonyms in the masked text.
    """
    known: dict[str, list[tuple[int, int]]] = {}
    typed = {(kind, value) for kind, value in pairs or [] if kind}
    pages = None
    if typed and not privacy.masked:
        pages = texts_and_identifiers(tables, [str(row["post_id"]) for row in rows])
        for post_id, (_, identifiers) in pages.items():
            for item in identifiers:
                if (item["type"], item["value"]) in typed and item["start"] is not None and item["end"] is not None:
                    known.setdefault(post_id, []).append((int(item["start"]), int(item["end"])))
    wanted = [
        row
        for row in rows
        if "pos" in row and (row["post_id"] in known or (hits and _hit_is_late(row.get("snippet"), hits)))
    ]
    texts = whole_texts(tables, wanted, privacy, pages) if wanted else {}
    return [
        dict(
            row,
            title_pieces=marks.pieces(row.get("title"), hits),
            snippet_pieces=marks.around(
                texts.get(row["post_id"], row.get("snippet")), hits, known=known.get(row["post_id"], ())
            ),
        )
        for row in rows
    ]


def _hit_is_late(snippet: str | None, hits: Hits) -> bool:
    """True when the snippet has no hit, or its first hit ends in the last third (the text may go on past it)."""
    found = marks.spans(snippet or "", hits)
    return not found or found[0][1] > 2 * marks.SNIPPET // 3


def whole_texts(
    tables: ReadModel,
    rows: list[dict[str, Any]],
    privacy: PrivacyView,
    pages: dict[str, tuple[str, list[dict[str, Any]]]] | None = None,
) -> dict[str, str]:
    """The whole text of each row's post, by post id, as the user may see it (``pages``: the posts' texts and
    identifiers when already read).

    Read from the posts' pages in the lookup file (``queries.posts.texts_and_identifiers``: one query), with
    the identifiers that mask an analyst's text.
    """
    post_ids = [str(row["post_id"]) for row in rows]
    found = pages if pages is not None else texts_and_identifiers(tables, post_ids)
    if privacy.masked:
        return {
            post_id: privacy.text(found[post_id][0], found[post_id][1], offset=0)
            for post_id in post_ids
            if post_id in found
        }
    return {post_id: found[post_id][0] for post_id in post_ids if post_id in found}


Grouping = Annotated[str, Query(max_length=20, pattern="^(template)?$")]
Short = Annotated[str, Query(max_length=100)]


def grouped(
    tables: ReadModel, result: SearchResult, privacy: PrivacyView, hits: Hits, page: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of the matching posts grouped by template: each group's count, template text and newest posts."""
    filters = result.filters or SearchFilters()
    groups, count = template_groups(tables, filters, result.identifiers, result.hidden, page)
    ranks = [rank for group in groups for rank in group.ranks]
    picked = masked_rows(tables, rows_at_ranks(tables, ranks), privacy)
    rows = {row["pos"]: row for row in marked_rows(tables, picked, hits, privacy, result.identifiers)}
    texts: dict[str, str] = {}
    named = sorted({group.template for group in groups if group.template})
    if named and tables.has("link.templates"):
        marks_ = ", ".join("?" for _ in named)
        for template_id, text in tables.tuples(
            f"SELECT template_id, text FROM link.templates WHERE template_id IN ({marks_})", named
        ):
            texts[str(template_id)] = privacy.text(text) if privacy.masked else str(text or "")
    shown = [
        {
            "template": group.template,
            "text": texts.get(group.template, ""),
            "count": group.count,
            "posts": [rows[rank] for rank in group.ranks if rank in rows],
        }
        for group in groups
    ]
    return shown, count


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    user: CanSearch,
    tables: Tables,
    workspace: WorkspaceDep,
    db: Db,
    audit: Audit,
    privacy: Privacy,
    page: Page,
    filters: PageFilters,
    p: PageNumber = 1,
    group: Grouping = "",
    added: Short = "",
    added_count: Short = "",
) -> HTMLResponse:
    """The search form, the total and facets of the matching posts, and one page of results (or of template groups)."""
    result = run_search(tables, workspace, filters, p, audit, privacy)
    choices = tables.cached("facets", lambda: facet_values(tables)) if tables.has("ingest.posts") else {}
    rows = shown_rows(tables, result, privacy) if result else []
    ranked = [dict(row, pos=rank) for row, rank in zip(rows, result.ranks, strict=True)] if result else []
    shown_identifiers = [
        privacy.identifier(kind, value) if kind else value for kind, value in (result.identifiers if result else [])
    ]
    summary = summary_of(tables, result) if result else None
    hits = hits_of(result, privacy, workspace.settings.default_region) if result else Hits()
    groups, group_count = grouped(tables, result, privacy, hits, p) if result and group == "template" else ([], 0)
    can_add = user.may(Permission.EDIT_CASES)
    return page.render(
        "search/index.html",
        {
            "filters": filters,
            "params": filters.params(),
            "group_view": group,
            "links": {**filters.params(), **({"group": group} if group else {})},
            "result": result,
            "rows": marked_rows(tables, ranked, hits, privacy, result.identifiers if result else None),
            "groups": groups,
            "group_count": group_count,
            "group_page": GROUP_PAGE,
            "facets": choices,
            "summary": summary,
            "facet_names": FACET_NAMES,
            "interpreted": shown_identifiers,
            "can_save": user.may(Permission.SAVE_SEARCHES),
            "can_export": user.may(Permission.EXPORT),
            "can_add": can_add,
            "cases": editable_cases(db, user.name) if can_add and result else [],
            "added": added,
            "added_count": added_count,
            "masked": privacy.masked,
        },
    )


EXPORT_LIMIT = 10_000
"""The most posts one export writes (the newest, or riskiest, of the search's matches)."""
EXPORT_COLUMNS = (
    "p.post_id, p.posted_at, p.title, p.text, p.best_city AS city, p.language, p.risk, p.network_id, "
    "p.platform AS site, p.url"
)
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """A CSV cell that a spreadsheet shows as text: post text is written by criminals (no formulas)."""
    text = "" if value is None else value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text.startswith(FORMULA) else text


@router.get("/search/export.csv", include_in_schema=False)
@router.get("/api/search/export.csv")
def export_csv(
    user: CanExport, tables: Tables, workspace: WorkspaceDep, audit: Audit, privacy: Privacy, filters: Filters
) -> Response:
    """Every matching post (up to ``EXPORT_LIMIT``, in the search's order) as CSV; the export is audited."""
    if filters.is_empty():
        raise UsageError("give at least one criterion (q, identifier, date_from, city, ...)")
    region = workspace.settings.default_region
    if privacy.masked:
        effective, pairs = analyst_query(tables, filters, region, privacy)
    else:
        effective, pairs = filters, normalise_identifier(filters.identifier, region)
    ranks, total = matching_ranks(tables, effective, pairs, privacy.masked, EXPORT_LIMIT)
    rows = rows_at_ranks(tables, ranks, EXPORT_COLUMNS)
    audit.event("export", "search", filters.describe()[:200], f"{len(rows)} of {total} posts as CSV")
    out = io.StringIO()
    writer = csv.writer(out)
    names = ["post_id", "posted_at", "title", "text", "city", "language", "risk", "network_id", "site", "url"]
    writer.writerow(names)
    for row in rows:
        if privacy.masked:  # no role that may export sees pseudonyms today; if one ever does, it gets them here too
            row = dict(row, title=privacy.maybe(row["title"]), text=privacy.maybe(row["text"]), url=None)
        writer.writerow([cell(row[name]) for name in names])
    headers = {
        "Content-Disposition": 'attachment; filename="unveil-search.csv"',
        "X-Unveil-Total": str(total),
        "X-Unveil-Exported": str(len(rows)),
    }
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


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


class BatchQuery(BaseModel):
    """A pasted list of identifiers: one a line (commas and semicolons separate too), at most 200."""

    values: str = Field(max_length=20_000)


def run_batch(tables: ReadModel, workspace: WorkspaceDep, audit: Audit, privacy: PrivacyView, text: str) -> list[Line]:
    """The batch search, audited with what was pasted (as the user wrote it)."""
    lines = lines_of(text)
    if not lines:
        raise UsageError("paste at least one phone, e-mail, handle or other identifier, one a line")
    audit.search(f"batch of {len(lines)}: " + ", ".join(lines)[:450])
    return batch(tables, text, workspace.settings.default_region, privacy)


@router.get("/search/batch", response_class=HTMLResponse, include_in_schema=False)
def batch_form(user: CanSearch, page: Page, privacy: Privacy) -> HTMLResponse:
    """The batch search form."""
    return page.render("search/batch.html", {"values": "", "lines": None, "masked": privacy.masked})


@router.post("/search/batch", response_class=HTMLResponse, include_in_schema=False)
def batch_page(
    user: CanSearch,
    tables: Tables,
    workspace: WorkspaceDep,
    audit: Audit,
    privacy: Privacy,
    page: Page,
    values: Annotated[str, Form(max_length=20_000)],
) -> HTMLResponse:
    """Which of the pasted identifiers are known, in how many posts, where and in which networks."""
    lines = run_batch(tables, workspace, audit, privacy, values)
    return page.render(
        "search/batch.html",
        {
            "values": values,
            "lines": lines,
            "masked": privacy.masked,
            "can_open": user.may(Permission.VIEW_IDENTIFIERS),
            "known": sum(line.known for line in lines),
        },
    )


@router.post("/api/search/batch")
def batch_api(
    user: CanSearch, tables: Tables, workspace: WorkspaceDep, audit: Audit, privacy: Privacy, body: BatchQuery
) -> list[dict[str, Any]]:
    """Each pasted identifier: ``type``, ``value`` (canonical; a pseudonym for analysts), ``posts``, ``first_seen``,
    ``last_seen``, ``cities`` and ``networks`` (the five most frequent, with counts)."""
    return [
        {
            "written": line.written,
            "type": line.type,
            "value": line.shown,
            "posts": line.posts,
            "first_seen": line.first_seen,
            "last_seen": line.last_seen,
            "cities": [{"city": c, "posts": n} for c, n in line.cities],
            "networks": [{"network_id": c, "posts": n} for c, n in line.networks],
        }
        for line in run_batch(tables, workspace, audit, privacy, body.values)
    ]
