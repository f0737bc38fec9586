"""Networks: the list, and one network (summary, graph, timeline, map, members and why); pages and API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from unveil.auth.roles import Permission
from unveil.web.charts import Timeline, timeline_chart
from unveil.web.deps import Audit, CanViewNetworks, Db, Page, Privacy, Scope, Tables
from unveil.web.geo import CityMap, city_map, moves
from unveil.web.netgraph import DEFAULT_LIMIT, MAX_LIMIT, shown_graph
from unveil.web.privacy import PrivacyView
from unveil.web.queries.networks import (
    POSTS_PAGE,
    ExplanationCache,
    NetworkDetail,
    Recent,
    grouped_posts,
    network_detail,
    network_graphs,
    network_list,
    template_groups,
)
from unveil.web.queries.posts import identifiers_of_posts
from unveil.web.readmodel import ReadModel
from unveil.web.routes import NavEntry
from unveil.web.routes.collect import case_choice

router = APIRouter(tags=["networks"])
nav = NavEntry("Networks", "/networks", Permission.VIEW_NETWORKS, order=30)

PageNumber = Annotated[int, Query(ge=1, le=10_000)]
City = Annotated[str, Query(max_length=200)]


def _identifiers_by_post(tables: ReadModel, post_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    by_post: dict[str, list[dict[str, Any]]] = {}
    for row in identifiers_of_posts(tables, post_ids):
        by_post.setdefault(row["post_id"], []).append(row)
    return by_post


def visible_posts(
    tables: ReadModel, posts: list[dict[str, Any]], known: list[dict[str, Any]], privacy: PrivacyView
) -> list[dict[str, Any]]:
    """Posts of a network page as this user may see them: for analysts, snippets by the identifier spans of
    their post (as extracted), titles and reasons by the known identifiers' written forms."""
    if not privacy.masked:
        return posts
    by_post = _identifiers_by_post(tables, [p["post_id"] for p in posts])
    return [
        dict(
            p,
            reason=privacy.text(p["reason"], [*known, *by_post.get(p["post_id"], [])]),
            snippet=privacy.text(p["snippet"], by_post.get(p["post_id"], []), offset=0),
            title=privacy.maybe(p["title"], by_post.get(p["post_id"], [])),
        )
        for p in posts
    ]


def visible_links(
    links: list[dict[str, Any]], known: list[dict[str, Any]], privacy: PrivacyView
) -> list[dict[str, Any]]:
    """What links the posts, each with a label: identifiers as this user may see them (pseudonyms for analysts)."""
    out = []
    for link in links:
        kind, key = link["kind"], link["key"] or ""
        item: dict[str, Any] = {"kind": kind, "pairs": link["pairs"], "weight": link.get("weight")}
        if kind == "identifier":
            id_type, _, value = key.partition(":")
            item.update(type=id_type, shown=privacy.identifier(id_type, value), value=None if privacy.masked else value)
            item["label"] = f"{id_type} {item['shown']}"
        elif kind == "image":
            item["label"] = f"photo group {key.partition(':')[2][:16]}"
        elif kind == "template":
            item.update(label=f"template {key}", template_id=key)
        else:
            item["label"] = "writing style"
        item["reason"] = privacy.text(link.get("reason"), known) if privacy.masked else link.get("reason") or ""
        out.append(item)
    return out


CACHED_NETWORKS = 512
"""Networks whose page data (``DrawnNetwork``) each process keeps per snapshot."""


@dataclass(frozen=True)
class DrawnNetwork:
    """What a network's page shows the same to every user: its row (``network_detail``), its weekly timeline
    chart, its map and its stays. Shared by the requests of a process: read, never changed."""

    detail: NetworkDetail
    chart: Timeline | None
    map: CityMap | None
    stays: list[dict[str, Any]]


def drawn_network(tables: ReadModel, network_id: str) -> DrawnNetwork:
    """A network's ``DrawnNetwork``, kept for the last ``CACHED_NETWORKS`` networks asked for (per snapshot):
    a page read again (its next page of posts, another user) skips decoding its row (a network's members
    with their snippets: about 16 kB of JSON at a million posts) and drawing it. ``NotFound`` when absent."""

    def draw() -> DrawnNetwork:
        detail = network_detail(tables, network_id)
        return DrawnNetwork(detail, timeline_chart(detail.timeline), city_map(detail.posts), moves(detail.posts))

    recent: Recent[DrawnNetwork] = tables.cached("network-pages", lambda: Recent(CACHED_NETWORKS))
    return recent.get(network_id, draw)


def visible_network(
    tables: ReadModel,
    detail: NetworkDetail,
    privacy: PrivacyView,
    p: int = 1,
    page_size: int = POSTS_PAGE,
    stays: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The network as this user may see it, with one page of its posts grouped by template.

    For analysts every text goes through ``PrivacyView.text`` and identifiers are pseudonyms only. ``stays``:
    ``geo.moves`` of the posts, when already known.
    """
    network = dict(detail.network)
    ordered = grouped_posts(detail.posts)
    pages = max(1, -(-len(ordered) // page_size))
    page = min(max(p, 1), pages)
    known = list(detail.identifiers)
    if privacy.masked:
        network["summary"] = privacy.maybe(network.get("summary"), known)
        identifiers = [
            {"type": i["type"], "shown": privacy.identifier(i["type"], i["value"]), "posts": i.get("posts")}
            for i in detail.identifiers
        ]
    else:
        identifiers = [dict(i, shown=i["value"], post_ids=None) for i in detail.identifiers]
    groups = template_groups(ordered, page_size)
    starts = {g["template_id"]: g["page"] for g in groups}
    links = visible_links(detail.links, known, privacy)
    for link in links:  # the page of the posts a template link stands for (a key of link.edges may not be
        if link["kind"] == "template":  # the template its posts are grouped under: then none)
            link["page"] = starts.get(link["template_id"])
    return {
        "network": network,
        "members": visible_posts(tables, ordered[(page - 1) * page_size : page * page_size], known, privacy),
        "groups": groups,
        "page": page,
        "pages": pages,
        "identifiers": identifiers,
        "links": links,
        "member_count": detail.member_count,
        "cities": detail.cities,
        "timeline": detail.timeline,
        "moves": moves(detail.posts) if stays is None else stays,
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
    p: PageNumber = 1,
) -> HTMLResponse:
    """Summary and what links the posts first; then the posts by template (paged), graph, map and timeline."""
    if scope is not None:
        scope.require("network", network_id)
    drawn = drawn_network(tables, network_id)
    audit.view("network", network_id, f"page={p}" if p > 1 else "")
    context = visible_network(tables, drawn.detail, privacy, p, stays=drawn.stays)
    context.update(
        chart=drawn.chart,
        map=drawn.map,
        places_computed=True,
        can_identifiers=user.may(Permission.VIEW_IDENTIFIERS),
        can_cases=user.may(Permission.EDIT_CASES),
        has_text_links=any(link["kind"] in ("template", "style") for link in context["links"]),
    )
    if context["can_cases"]:
        context.update(case_choice(db, "network", network_id, added, user.name))
    return page.render("networks/detail.html", context)


@router.get("/networks/{network_id}/explanations", response_class=HTMLResponse, include_in_schema=False)
def network_explanations_fragment(
    network_id: str, user: CanViewNetworks, tables: Tables, audit: Audit, privacy: Privacy, scope: Scope, page: Page
) -> HTMLResponse:
    """The shared rare phrases (with where they stand in each post) and habits of its text links (htmx fragment)."""
    if scope is not None:
        scope.require("network", network_id)
    drawn_network(tables, network_id)  # NotFound for an unknown network
    audit.view("network", network_id, "explanations")
    return page.render("networks/_explanations.html", {"explained": visible_explanations(tables, network_id, privacy)})


@router.get("/api/networks/{network_id}/explanations")
def network_explanations_api(
    network_id: str, user: CanViewNetworks, tables: Tables, audit: Audit, privacy: Privacy, scope: Scope
) -> dict[str, Any]:
    """Why posts without a shared identifier are linked: the rare phrases both share (with their spans), habits."""
    if scope is not None:
        scope.require("network", network_id)
    drawn_network(tables, network_id)  # NotFound for an unknown network
    audit.view("network", network_id, "explanations")
    return {"network_id": network_id, "explanations": visible_explanations(tables, network_id, privacy)}


def visible_explanations(tables: ReadModel, network_id: str, privacy: PrivacyView) -> list[dict[str, Any]]:
    """``explanations`` as this user may see them (each piece of text masked by its post's identifier spans),
    computed once per network and snapshot (``ExplanationCache``: the shared habits are found by reading
    both posts' texts)."""
    out = []
    for item in tables.cached("network-explanations", ExplanationCache).get(tables, network_id):
        ids_a, ids_b = item.pop("identifiers_a"), item.pop("identifiers_b")
        if privacy.masked:
            item["title_a"] = privacy.maybe(item["title_a"], ids_a)
            item["title_b"] = privacy.maybe(item["title_b"], ids_b)
            item["reason"] = privacy.text(item["reason"], [*ids_a, *ids_b])
            for phrase in item["phrases"]:
                phrase["words"] = privacy.text(phrase["words"], [*ids_a, *ids_b])
                for side, ids in (("a", ids_a), ("b", ids_b)):
                    at = phrase[side]
                    if at is not None:  # identifier spans are offsets of the text: a title is masked as written
                        offsets = (at["left"], at["start"], at["end"]) if at["field"] == "text" else (None,) * 3
                        for piece, offset in zip(("before", "match", "after"), offsets, strict=True):
                            at[piece] = privacy.text(at[piece], ids, offset=offset)
            item["habits"] = [privacy.text(h, [*ids_a, *ids_b]) for h in item["habits"]]
        out.append(item)
    return out


@router.get("/api/networks/{network_id}")
def network_api(
    network_id: str,
    user: CanViewNetworks,
    tables: Tables,
    audit: Audit,
    privacy: Privacy,
    scope: Scope,
    p: PageNumber = 1,
) -> dict[str, Any]:
    """A network: summary, what links its posts, one page of posts (by template) with why each is linked,
    the templates, cities, weekly timeline and moves between cities in time order."""
    if scope is not None:
        scope.require("network", network_id)
    drawn = drawn_network(tables, network_id)
    audit.view("network", network_id, f"page={p}" if p > 1 else "")
    return visible_network(tables, drawn.detail, privacy, p, stays=drawn.stays)


@router.get("/api/networks/{network_id}/graph")
def network_graph_api(
    network_id: str,
    user: CanViewNetworks,
    tables: Tables,
    audit: Audit,
    privacy: Privacy,
    scope: Scope,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> dict[str, Any]:
    """Graph elements for Cytoscape.js, laid out (by the ``publish`` stage): identifiers and templates as hubs,
    posts collapsed per template, the biggest nodes up to the first published cap of at least ``limit``
    (40, doubled up to 400; ``next_limit``: the next "show more")."""
    if scope is not None:
        scope.require("network", network_id)
    graphs = network_graphs(tables, network_id)
    audit.view("network", network_id, "graph")
    return shown_graph(graphs, limit, privacy.identifier)
