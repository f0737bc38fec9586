"""Saved searches: keep a search, see what is new since the last visit; pages and API."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from unveil.auth.roles import Permission
from unveil.errors import UsageError
from unveil.web.deps import Audit, CanSaveSearches, Db, Page
from unveil.web.queries import saved
from unveil.web.queries.search import SearchFilters
from unveil.web.routes import NavEntry
from unveil.web.routes.search import search_filters

router = APIRouter(tags=["saved searches"])
nav = NavEntry("Saved searches", "/saved-searches", Permission.SAVE_SEARCHES, order=25)


class SavedSearchCreate(BaseModel):
    """A search to keep: a name and the search's query string (``identifier=0470123456&city=Gent``)."""

    name: str = Field(max_length=100)
    query: str = Field(max_length=2000)


def filters_of(query: str) -> SearchFilters:
    """The filters of a saved query string."""
    return search_filters(**{k: v for k, v in parse_qsl(query) if k in saved.FIELDS})


def listing(db: Db, owner: str) -> list[dict[str, Any]]:
    """The user's saved searches with the new posts the last pipeline run counted (``saved.count_all``)."""
    return saved.with_new_counts(saved.list_saved(db, owner), filters_of, db)


def _checked(query: str) -> str:
    """A query string that runs as a search (a clear 400 otherwise, before it is kept)."""
    if filters_of(query).is_empty():
        raise UsageError("a saved search needs at least one criterion (q, identifier, city, ...)")
    return query


@router.get("/saved-searches", response_class=HTMLResponse, include_in_schema=False)
def saved_page(user: CanSaveSearches, db: Db, audit: Audit, page: Page) -> HTMLResponse:
    """The user's saved searches and how many new posts match each."""
    audit.view("saved searches", user.name)
    return page.render("saved/list.html", {"searches": listing(db, user.name)})


@router.post("/saved-searches", include_in_schema=False)
def save_form(
    user: CanSaveSearches,
    db: Db,
    audit: Audit,
    name: Annotated[str, Form(max_length=100)],
    query: Annotated[str, Form(max_length=2000)],
) -> Response:
    """Keep the search from the search page."""
    kept = saved.save(db, user.name, name, _checked(query))
    audit.event("save", "saved search", str(kept.id), name)
    return RedirectResponse("/saved-searches", status_code=303)


@router.get("/saved-searches/{search_id}", include_in_schema=False)
def open_saved(search_id: int, user: CanSaveSearches, db: Db, audit: Audit) -> Response:
    """Run a saved search: the visit is recorded, so its new posts are counted from now on."""
    found = saved.get(db, user.name, search_id)
    audit.view("saved search", str(search_id))
    saved.visit(db, found)
    return RedirectResponse(f"/search?{found.query}", status_code=303)


@router.post("/saved-searches/{search_id}/delete", include_in_schema=False)
def delete_form(search_id: int, user: CanSaveSearches, db: Db, audit: Audit) -> Response:
    """Forget a saved search."""
    saved.delete(db, user.name, search_id)
    audit.event("delete", "saved search", str(search_id))
    return RedirectResponse("/saved-searches", status_code=303)


@router.get("/api/saved-searches")
def saved_api(user: CanSaveSearches, db: Db, audit: Audit) -> list[dict[str, Any]]:
    """The user's saved searches with ``new``: posts ingested since the last visit (``error`` if one cannot run)."""
    audit.view("saved searches", user.name)
    return listing(db, user.name)


@router.post("/api/saved-searches", status_code=201)
def save_api(user: CanSaveSearches, db: Db, audit: Audit, body: SavedSearchCreate) -> dict[str, Any]:
    """Keep a search (400 when its query cannot run)."""
    kept = saved.save(db, user.name, body.name, _checked(body.query))
    audit.event("save", "saved search", str(kept.id), body.name)
    return kept.__dict__


@router.delete("/api/saved-searches/{search_id}", status_code=204)
def delete_api(search_id: int, user: CanSaveSearches, db: Db, audit: Audit) -> Response:
    """Forget a saved search."""
    saved.delete(db, user.name, search_id)
    audit.event("delete", "saved search", str(search_id))
    return Response(status_code=204)
