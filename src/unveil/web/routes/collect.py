"""Adding what one is looking at to a case, from its page: one route for every page.

``POST /case-items`` (a form): ``case_id``, ``kind`` (post, network, identifier, party, alert,
transfer), ``ref`` (repeat it to add several items of one kind at once: bulk add from search) and
``next`` (the local page to go back to; it gets ``?added=CASE_ID&added_count=N``). The control that
posts it is the macro ``control`` of ``templates/cases/_add.html``; ``editable_cases`` lists the cases
it offers. ``POST /api/case-items`` is the JSON form (``{"case_id", "kind", "ref"}``).
"""

from __future__ import annotations

import functools
import importlib.util
import sqlite3
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from unveil.errors import UsageError
from unveil.web.deps import Audit, CanEditCases, WorkspaceDep

router = APIRouter(tags=["cases"])

ITEM_PAGES = {
    "post": "/posts/{ref}",
    "network": "/networks/{ref}",
    "identifier": "/identifiers/{ref}",
    "party": "/money/parties/{ref}",
}


class CaseItem(BaseModel):
    """An item to add to a case."""

    case_id: str
    kind: str
    ref: str


def _page_of(kind: str, ref: str) -> str:
    if kind == "identifier":
        id_type, _, value = ref.partition(":")
        return f"/identifiers/{quote(id_type, safe='')}/{quote(value, safe='')}"
    return ITEM_PAGES.get(kind, "/money/alerts").format(ref=quote(ref, safe=""))


def _add(workspace: WorkspaceDep, audit: Audit, case_id: str, kind: str, refs: list[str]) -> int:
    from unveil.cases import add_items, require_editor

    require_editor(workspace, case_id, audit.user.name)
    added = add_items(workspace, case_id, kind, refs, audit.user.name)
    shown = ", ".join(refs[:20]) + (f" and {len(refs) - 20} more" if len(refs) > 20 else "")
    audit.event("change", "case", case_id, f"added {kind} {shown}")
    return added


MAX_ITEMS = 1000
"""The most items one form adds (a page of search results, with room to spare)."""


def local_path(next_page: str) -> str | None:
    """``next_page`` if it is a path of this site (``/...``, not ``//host`` or ``/\\host``), else None."""
    if not next_page.startswith("/") or next_page.startswith(("//", "/\\")) or any(c in next_page for c in "\r\n"):
        return None
    return next_page


@router.post("/case-items", include_in_schema=False)
def add_to_case_form(
    user: CanEditCases,
    workspace: WorkspaceDep,
    audit: Audit,
    case_id: Annotated[str, Form(max_length=100)],
    kind: Annotated[str, Form(max_length=20)],
    ref: Annotated[list[str], Form()],
    next_page: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> Response:
    """Add the items, then go back to the page they were added from (or the item's page)."""
    if len(ref) > MAX_ITEMS:
        raise UsageError(f"add at most {MAX_ITEMS} items at once")
    refs = [r[:500] for r in ref]
    added = _add(workspace, audit, case_id, kind, refs)
    back = local_path(next_page) or _page_of(kind, refs[0])
    path, _, query = back.partition("?")
    kept = "&".join(p for p in query.split("&") if p and not p.startswith(("added=", "added_count=")))
    return RedirectResponse(
        f"{path}?{kept + '&' if kept else ''}added={quote(case_id)}&added_count={added}", status_code=303
    )


@router.post("/api/case-items", status_code=201)
def add_to_case_api(user: CanEditCases, workspace: WorkspaceDep, audit: Audit, item: CaseItem) -> CaseItem:
    """Add a post, network, identifier (``type:value``), party, alert or transfer to a case."""
    _add(workspace, audit, item.case_id, item.kind, [item.ref])
    return item


OPEN_CASES = (
    "SELECT case_id, title FROM cases WHERE status IN ('open', 'review') AND (created_by = ? OR case_id IN "
    "(SELECT case_id FROM case_members WHERE user_name = ?)) ORDER BY created_at DESC, case_id DESC"
)
"""The cases a user can add an item to (open, theirs or shared with them; tables of ``unveil.cases``), read on
the request's pooled connection: ``unveil.cases.list_cases`` opens a new connection (and checks the schema) per call."""


@functools.cache
def _has_case_pages() -> bool:
    return importlib.util.find_spec("unveil.web.routes.cases") is not None


def editable_cases(db: sqlite3.Connection, user: str) -> list[dict[str, object]]:
    """The cases ``user`` may add items to (open or in review, theirs or shared with them), newest first."""
    return [dict(row) for row in db.execute(OPEN_CASES, (user, user)).fetchall()]


def case_choice(db: sqlite3.Connection, kind: str, ref: str, added: str, user: str) -> dict[str, object]:
    """What the "add to case" form of an item's page needs (the cases ``user`` may change)."""
    return {
        "item_kind": kind,
        "item_ref": ref,
        "cases": editable_cases(db, user),
        "added": added,
        "has_case_pages": _has_case_pages(),
    }
