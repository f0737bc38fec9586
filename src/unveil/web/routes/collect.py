"""Adding what one is looking at (a post, a network, an identifier) to a case, from its page.

The cases themselves (pages, notes, labels, bundles) belong to the cases area; this is the button
on the post, network and identifier pages, built on ``unveil.cases``' public API.
"""

from __future__ import annotations

import functools
import importlib.util
import sqlite3
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from unveil.web.deps import Audit, CanEditCases, WorkspaceDep

router = APIRouter(tags=["cases"])

ITEM_PAGES = {"post": "/posts/{ref}", "network": "/networks/{ref}", "identifier": "/identifiers/{ref}"}


class CaseItem(BaseModel):
    """An item to add to a case."""

    case_id: str
    kind: str
    ref: str


def _page_of(kind: str, ref: str) -> str:
    from urllib.parse import quote

    if kind == "identifier":
        id_type, _, value = ref.partition(":")
        return f"/identifiers/{quote(id_type, safe='')}/{quote(value, safe='')}"
    return ITEM_PAGES.get(kind, "/").format(ref=quote(ref, safe=""))


def _add(workspace: WorkspaceDep, audit: Audit, item: CaseItem) -> None:
    from unveil.cases import add_item, require_editor

    require_editor(workspace, item.case_id, audit.user.name)
    add_item(workspace, item.case_id, item.kind, item.ref, audit.user.name)
    audit.event("change", "case", item.case_id, f"added {item.kind} {item.ref}")


@router.post("/case-items", include_in_schema=False)
def add_to_case_form(
    user: CanEditCases,
    workspace: WorkspaceDep,
    audit: Audit,
    case_id: Annotated[str, Form(max_length=100)],
    kind: Annotated[str, Form(max_length=20)],
    ref: Annotated[str, Form(max_length=500)],
) -> Response:
    """Add the item, then go back to its page, which shows the case."""
    _add(workspace, audit, CaseItem(case_id=case_id, kind=kind, ref=ref))
    return RedirectResponse(_page_of(kind, ref) + "?added=" + case_id, status_code=303)


@router.post("/api/case-items", status_code=201)
def add_to_case_api(user: CanEditCases, workspace: WorkspaceDep, audit: Audit, item: CaseItem) -> CaseItem:
    """Add a post, network, identifier (``type:value``), party, alert or transfer to a case."""
    _add(workspace, audit, item)
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


def case_choice(db: sqlite3.Connection, kind: str, ref: str, added: str, user: str) -> dict[str, object]:
    """What the "add to case" form of an item's page needs (the cases ``user`` may change)."""
    return {
        "item_kind": kind,
        "item_ref": ref,
        "cases": [dict(row) for row in db.execute(OPEN_CASES, (user, user)).fetchall()],
        "added": added,
        "has_case_pages": _has_case_pages(),
    }
