"""One identifier: every post, city, network and transfer that carries it; page and API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from unveil.auth.roles import Permission
from unveil.web.deps import Audit, CanViewIdentifiers, CaseScope, Db, Page, Scope, Tables
from unveil.web.queries.identifiers import IdentifierDetail, identifier_detail
from unveil.web.routes.collect import case_choice

router = APIRouter(tags=["identifiers"])


def scoped_detail(tables: Tables, kind: str, value: str, scope: CaseScope | None) -> IdentifierDetail:
    """The identifier's page; for a magistrate only if a shared case holds it, with only the cases' posts."""
    if scope is None:
        return identifier_detail(tables, kind, value)
    scope.require("identifier", f"{kind}:{value}")
    detail = identifier_detail(tables, kind, value)
    detail.posts = [post for post in detail.posts if post["post_id"] in scope.posts]
    detail.post_count = len(detail.posts)
    detail.networks = [n for n in detail.networks if n["network_id"] in scope.networks]
    cities: dict[str, int] = {}
    for post in detail.posts:
        if post["city"]:
            cities[post["city"]] = cities.get(post["city"], 0) + 1
    detail.cities = [{"city": c, "posts": n} for c, n in sorted(cities.items(), key=lambda x: -x[1])]
    return detail


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
) -> HTMLResponse:
    """Posts, cities, networks, transfers and parties of one identifier."""
    detail = scoped_detail(tables, kind, value, scope)
    audit.view("identifier", f"{kind}:{value}")
    context: dict[str, Any] = {
        **detail.__dict__,
        "can_money": user.may(Permission.VIEW_MONEY),
        "can_cases": user.may(Permission.EDIT_CASES),
    }
    if context["can_cases"]:
        context.update(case_choice(db, "identifier", f"{kind}:{value}", added, user.name))
    return page.render("identifiers/detail.html", context)


@router.get("/api/identifiers/{kind}/{value:path}")
def identifier_api(
    kind: str, value: str, user: CanViewIdentifiers, tables: Tables, audit: Audit, scope: Scope
) -> dict[str, Any]:
    """Posts (newest 500), cities, networks, transfers (with the money role) and parties of one identifier."""
    detail = scoped_detail(tables, kind, value, scope)
    audit.view("identifier", f"{kind}:{value}")
    data = dict(detail.__dict__)
    if not user.may(Permission.VIEW_MONEY):
        data.update(transfers=None, parties=None)
    return data
