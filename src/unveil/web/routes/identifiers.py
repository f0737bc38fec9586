"""One identifier: every post, city, network and transfer that carries it; page and API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from unveil.auth.roles import Permission
from unveil.web.deps import Audit, CanViewIdentifiers, Db, Page, Tables
from unveil.web.queries.identifiers import identifier_detail
from unveil.web.routes.collect import case_choice

router = APIRouter(tags=["identifiers"])


@router.get("/identifiers/{kind}/{value:path}", response_class=HTMLResponse, include_in_schema=False)
def identifier_page(
    kind: str,
    value: str,
    user: CanViewIdentifiers,
    tables: Tables,
    db: Db,
    audit: Audit,
    page: Page,
    added: Annotated[str, Query(max_length=100)] = "",
) -> HTMLResponse:
    """Posts, cities, networks, transfers and parties of one identifier."""
    detail = identifier_detail(tables, kind, value)
    audit.view("identifier", f"{kind}:{value}")
    context: dict[str, Any] = {
        **detail.__dict__,
        "can_money": user.may(Permission.VIEW_MONEY),
        "can_cases": user.may(Permission.EDIT_CASES),
    }
    if context["can_cases"]:
        context.update(case_choice(db, "identifier", f"{kind}:{value}", added))
    return page.render("identifiers/detail.html", context)


@router.get("/api/identifiers/{kind}/{value:path}")
def identifier_api(kind: str, value: str, user: CanViewIdentifiers, tables: Tables, audit: Audit) -> dict[str, Any]:
    """Posts (newest 500), cities, networks, transfers (with the money role) and parties of one identifier."""
    detail = identifier_detail(tables, kind, value)
    audit.view("identifier", f"{kind}:{value}")
    data = dict(detail.__dict__)
    if not user.may(Permission.VIEW_MONEY):
        data.update(transfers=None, parties=None)
    return data
