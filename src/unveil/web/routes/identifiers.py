"""One identifier's profile: posts (paged, snippets around the hit), cities over time, co-occurring identifiers,
networks, transfers and parties; page and API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from unveil.auth.roles import Permission
from unveil.web.deps import Audit, CanViewIdentifiers, CaseScope, Db, Page, Scope, Tables
from unveil.web.geo import city_map, moves
from unveil.web.queries.identifiers import IdentifierDetail, identifier_detail
from unveil.web.routes.collect import case_choice

router = APIRouter(tags=["identifiers"])


PageNumber = Annotated[int, Query(ge=1, le=10_000)]


def scoped_detail(tables: Tables, kind: str, value: str, scope: CaseScope | None, p: int = 1) -> IdentifierDetail:
    """The identifier's profile; for a magistrate only if a shared case holds it, with only the cases' posts."""
    if scope is None:
        return identifier_detail(tables, kind, value, p)
    scope.require("identifier", f"{kind}:{value}")
    detail = identifier_detail(tables, kind, value, p, only_posts=scope.posts)
    detail.networks = [n for n in detail.networks if n["network_id"] in scope.networks]
    return detail


def _public(detail: IdentifierDetail, may_money: bool) -> dict[str, Any]:
    data = {k: v for k, v in detail.__dict__.items() if k != "all_posts"}
    if not may_money:
        data.update(transfers=None, transfer_totals=None, parties=None)
    return data


@router.get("/identifiers/{kind}/{value:path}", response_class=HTMLResponse, include_in_schema=False)
def identifier_page(
    kind: str,
    value: str,
    user: CanViewIdentifiers,
    tables: Tables,
    db: Db,
    audit: Audit,
    scope: Scope,
    page: Page,
    added: Annotated[str, Query(max_length=100)] = "",
    p: PageNumber = 1,
) -> HTMLResponse:
    """Profile of one identifier: first and last seen, cities over time, co-occurring identifiers, networks,
    transfers and parties, and its posts (paged, snippets around the hit)."""
    detail = scoped_detail(tables, kind, value, scope, p)
    audit.view("identifier", f"{kind}:{value}", f"page={p}" if p > 1 else "")
    context: dict[str, Any] = {
        **_public(detail, True),
        "map": city_map(detail.all_posts),
        "moves": moves(detail.all_posts),
        "can_money": user.may(Permission.VIEW_MONEY),
        "can_cases": user.may(Permission.EDIT_CASES),
    }
    if context["can_cases"]:
        context.update(case_choice(db, "identifier", f"{kind}:{value}", added, user.name))
    return page.render("identifiers/detail.html", context)


@router.get("/api/identifiers/{kind}/{value:path}")
def identifier_api(
    kind: str, value: str, user: CanViewIdentifiers, tables: Tables, audit: Audit, scope: Scope, p: PageNumber = 1
) -> dict[str, Any]:
    """Profile of one identifier: one page of posts (25, newest first, ``before``/``hit``/``after`` around the
    hit), first and last seen, cities and months, co-occurring identifiers, networks, transfers (with the money
    role) and parties."""
    detail = scoped_detail(tables, kind, value, scope, p)
    audit.view("identifier", f"{kind}:{value}", f"page={p}" if p > 1 else "")
    return _public(detail, user.may(Permission.VIEW_MONEY))
