"""Networks: the list, and one network (summary, graph, timeline, map, members and why); pages and API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from unveil.auth.roles import Permission
from unveil.web.charts import bars, project
from unveil.web.deps import Audit, CanViewNetworks, Db, Page, Privacy, Scope, Tables
from unveil.web.privacy import PrivacyView
from unveil.web.queries.networks import NetworkDetail, graph, network_detail, network_list
from unveil.web.queries.posts import identifiers_of_posts
from unveil.web.readmodel import ReadModel
from unveil.web.routes import NavEntry
from unveil.web.routes.collect import case_choice

router = APIRouter(tags=["networks"])
nav = NavEntry("Networks", "/networks", Permission.VIEW_NETWORKS, order=30)

PageNumber = Annotated[int, Query(ge=1, le=10_000)]
City = Annotated[str, Query(max_length=200)]


def visible_network(tables: ReadModel, detail: NetworkDetail, privacy: PrivacyView) -> dict[str, Any]:
    """The network as this user may see it: for analysts, every text goes through ``PrivacyView.text``
    (snippets by the identifier spans of their post, as extracted) and identifiers are pseudonyms only."""
    network = dict(detail.network)
    members = detail.members
    identifiers: list[dict[str, Any]]
    if privacy.masked:
        by_post: dict[str, list[dict[str, Any]]] = {}
        for row in identifiers_of_posts(tables, [m["post_id"] for m in detail.members]):
            by_post.setdefault(row["post_id"], []).append(row)
        known = [*detail.identifiers, *(row for rows in by_post.values() for row in rows)]
        network["summary"] = privacy.maybe(network.get("summary"), known)
        members = [
            dict(
                m,
                reason=privacy.text(m["reason"], known),
                snippet=privacy.text(m["snippet"], by_post.get(m["post_id"], []), offset=0),
                title=privacy.maybe(m["title"], by_post.get(m["post_id"], [])),
            )
            for m in detail.members
        ]
        identifiers = [
            {"type": i["type"], "shown": privacy.identifier(i["type"], i["value"]), "posts": i.get("posts")}
            for i in detail.identifiers
        ]
    else:
        identifiers = [dict(i, shown=i["value"], post_ids=None) for i in detail.identifiers]
    return {
        "network": network,
        "members": members,
        "identifiers": identifiers,
        "member_count": detail.member_count,
        "cities": detail.cities,
        "timeline": detail.timeline,
        "places": detail.places,
        "route": detail.route,
    }


def visible_networks(rows: list[dict[str, Any]], privacy: PrivacyView) -> list[dict[str, Any]]:
    """Rows of the networks list (or the dashboard) as this user may see them (summaries masked)."""
    if not privacy.masked:
        return rows
    return [dict(row, summary=privacy.maybe(row.get("summary"))) for row in rows]


@router.get("/networks", response_class=HTMLResponse, include_in_schema=False)
def networks_page(
    user: CanViewNetworks,
    tables: Tables,
    page: Page,
    privacy: Privacy,
    audit: Audit,
    scope: Scope,
    p: PageNumber = 1,
    city: City = "",
) -> HTMLResponse:
    """Networks, riskiest and largest first (a magistrate's: those of the cases shared with them)."""
    only = scope.networks if scope is not None else None
    rows, has_more = network_list(tables, p, city, only) if tables.has("link.networks") else ([], False)
    audit.view("networks", "list", f"page={p}" + (f"; city={city}" if city else ""))
    return page.render(
        "networks/list.html",
        {
            "networks": visible_networks(rows, privacy),
            "has_more": has_more,
            "p": p,
            "city": city,
            "computed": tables.has("link.networks"),
        },
    )


@router.get("/api/networks")
def networks_api(
    user: CanViewNetworks,
    tables: Tables,
    privacy: Privacy,
    audit: Audit,
    scope: Scope,
    p: PageNumber = 1,
    city: City = "",
) -> dict[str, Any]:
    """One page of networks (50), riskiest and largest first; ``city`` keeps those seen in that city."""
    rows, has_more = network_list(tables, p, city, scope.networks if scope is not None else None)
    audit.view("networks", "list", f"page={p}" + (f"; city={city}" if city else ""))
    return {"page": p, "has_more": has_more, "networks": visible_networks(rows, privacy)}


@router.get("/networks/{network_id}", response_class=HTMLResponse, include_in_schema=False)
def network_page(
    network_id: str,
    user: CanViewNetworks,
    tables: Tables,
    db: Db,
    audit: Audit,
    privacy: Privacy,
    scope: Scope,
    page: Page,
    added: Annotated[str, Query(max_length=100)] = "",
) -> HTMLResponse:
    """Summary first, then graph, timeline, map, and why each post is linked."""
    if scope is not None:
        scope.require("network", network_id)
    detail = network_detail(tables, network_id)
    audit.view("network", network_id)
    context = visible_network(tables, detail, privacy)
    points, lines = project(detail.places or [], detail.route)
    context.update(
        bars=bars(detail.timeline),
        points=points,
        lines=lines,
        places_computed=detail.places is not None,
        can_identifiers=user.may(Permission.VIEW_IDENTIFIERS),
        can_cases=user.may(Permission.EDIT_CASES),
    )
    if context["can_cases"]:
        context.update(case_choice(db, "network", network_id, added, user.name))
    return page.render("networks/detail.html", context)


@router.get("/api/networks/{network_id}")
def network_api(
    network_id: str, user: CanViewNetworks, tables: Tables, audit: Audit, privacy: Privacy, scope: Scope
) -> dict[str, Any]:
    """A network: summary, members with the reason each is linked, cities, weekly timeline, places, route."""
    if scope is not None:
        scope.require("network", network_id)
    detail = network_detail(tables, network_id)
    audit.view("network", network_id)
    return visible_network(tables, detail, privacy)


@router.get("/api/networks/{network_id}/graph")
def network_graph_api(
    network_id: str, user: CanViewNetworks, tables: Tables, audit: Audit, privacy: Privacy, scope: Scope
) -> dict[str, list[dict[str, Any]]]:
    """Graph elements for Cytoscape.js: posts (at most 300), shared identifiers, template and image links."""
    if scope is not None:
        scope.require("network", network_id)
    detail = network_detail(tables, network_id, with_post_ids=True)
    audit.view("network", network_id, "graph")
    return graph(tables, detail, privacy.identifier)
