"""Networks: the list, and one network's summary, members and why, cities, timeline, places, graph."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from unveil.errors import NotFound
from unveil.web.lookups import decode
from unveil.web.readmodel import ReadModel

PAGE_SIZE = 50
MEMBER_LIMIT = 500
GRAPH_POST_LIMIT = 300
LISTS = ("list_members", "list_identifiers", "list_identifier_posts", "list_places")
"""Columns that ``web.network_pages`` adds to a network's row of ``link.networks`` (see ``serving.py``)."""


def network_list(
    tables: ReadModel, page: int = 1, city: str = "", only: set[str] | None = None
) -> tuple[list[dict[str, Any]], bool]:
    """One page of networks, riskiest then largest first; and whether there is a next page.

    ``only``: the networks a user may see (a magistrate's cases), None for every network.
    """
    tables.require("link.networks")
    columns = tables.columns("link.networks")
    risk = "risk" if "risk" in columns else "NULL::DOUBLE"
    summary = "summary" if "summary" in columns else "NULL::VARCHAR"
    conditions, params = (["list_contains(cities, ?)"], [city]) if city else ([], [])
    if only is not None:
        if not only:
            return [], False
        conditions.append(f"network_id IN ({', '.join('?' for _ in only)})")
        params += sorted(only)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = tables.rows(
        f"SELECT network_id, posts, identifiers, cities, first_seen, last_seen, {risk} AS risk, {summary} AS summary "
        f"FROM link.networks {where} ORDER BY {risk} DESC NULLS LAST, posts DESC, network_id LIMIT ? OFFSET ?",
        [*params, PAGE_SIZE + 1, (max(page, 1) - 1) * PAGE_SIZE],
    )
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


@dataclass
class NetworkDetail:
    """A network and what its page shows."""

    network: dict[str, Any]
    members: list[dict[str, Any]] = field(default_factory=list)
    member_count: int = 0
    cities: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] | None = None
    route: list[dict[str, Any]] = field(default_factory=list)
    identifiers: list[dict[str, Any]] = field(default_factory=list)


def network_detail(tables: ReadModel, network_id: str, with_post_ids: bool = False) -> NetworkDetail:
    """Everything about one network (one lookup, ``web.network_pages``); ``NotFound`` when absent.

    The posts of each shared identifier (``post_ids``, for the graph) only ``with_post_ids``.
    """
    tables.require("link.networks")
    paged = tables.has("link.network_posts") and tables.has("ingest.posts")
    if paged and tables.has_lookups():  # the same row, from the lookup file (lookups.py): much cheaper
        found = _stored_page(tables, network_id, with_post_ids)
    else:
        found = tables.rows(
            f"SELECT *{'' if with_post_ids else ' EXCLUDE (list_identifier_posts)'} FROM web.network_pages "
            "WHERE network_id = ?"
            if paged
            else "SELECT * FROM link.networks WHERE network_id = ?",
            [network_id],
        )
    if not found:
        raise NotFound("network", network_id)
    row = found[0]
    detail = NetworkDetail({k: v for k, v in row.items() if k not in LISTS})
    if not paged:
        return detail
    rows = row["list_members"] or []
    detail.member_count = len(rows)
    posts = [{k: v for k, v in r.items() if k not in ("found", "reason")} for r in rows if r["found"]]
    why = {r["post_id"]: r["reason"] for r in rows}
    detail.members = [dict(post, reason=why.get(post["post_id"], "")) for post in posts[:MEMBER_LIMIT]]
    detail.cities = _cities(posts)
    detail.timeline = timeline(posts)
    if tables.has("extract.identifiers"):
        detail.identifiers = row["list_identifiers"] or []
        if with_post_ids:
            posts_of = row["list_identifier_posts"] or []
            detail.identifiers = [dict(i, post_ids=p) for i, p in zip(detail.identifiers, posts_of, strict=True)]
    if tables.has("extract.places"):
        detail.places, detail.route = _places(row["list_places"] or [], posts)
    return detail


def _stored_page(tables: ReadModel, network_id: str, with_post_ids: bool) -> list[dict[str, Any]]:
    """A network's row of ``web.network_pages`` from the lookup file (``list_identifier_posts`` only if asked)."""
    column = ", extra" if with_post_ids else ""
    _, pages = tables.lookup(f"SELECT page{column} FROM network_pages WHERE network_id = ?", [network_id])
    if not pages:
        return []
    times = tables.lookup_times("network_pages")
    page: dict[str, Any] = decode(pages[0][0], times)
    if with_post_ids:
        page["list_identifier_posts"] = decode(pages[0][1], times)
    return [page]


def _cities(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts = Counter(post["city"] for post in posts if post["city"])
    first: dict[str, Any] = {}
    last: dict[str, Any] = {}
    for post in posts:
        if post["city"] and post["posted_at"] is not None:
            first.setdefault(post["city"], post["posted_at"])
            last[post["city"]] = post["posted_at"]
    return [
        {"city": city, "posts": n, "first_seen": first.get(city), "last_seen": last.get(city)}
        for city, n in counts.most_common()
    ]


def timeline(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Posts per week (weeks start on Monday), every week between the first and the last."""
    days = sorted(post["posted_at"].date() for post in posts if post["posted_at"] is not None)
    if not days:
        return []
    weeks = Counter(day - timedelta(days=day.weekday()) for day in days)
    week, end = min(weeks), max(weeks)
    series: list[dict[str, Any]] = []
    while week <= end and len(series) < 520:
        series.append({"week": week, "posts": weeks.get(week, 0)})
        week += timedelta(days=7)
    return series


def _places(
    rows: list[dict[str, Any]], posts: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Places with coordinates named in the posts (in text order), and the order the network moved between them."""
    first_place: dict[str, dict[str, Any]] = {}
    places: dict[str, dict[str, Any]] = {}
    found: dict[str, Any] | None
    for row in rows:
        first_place.setdefault(row["post_id"], row)
        place = places.setdefault(row["name"], {"name": row["name"], "lat": row["lat"], "lon": row["lon"], "posts": 0})
        place["posts"] += 1
    route: list[dict[str, Any]] = []
    for post in posts:
        found = first_place.get(post["post_id"])
        if found and post["posted_at"] is not None and (not route or route[-1]["name"] != found["name"]):
            route.append({"name": found["name"], "lat": found["lat"], "lon": found["lon"], "at": post["posted_at"]})
    return sorted(places.values(), key=lambda p: -p["posts"]), route


def graph(tables: ReadModel, detail: NetworkDetail, show: Any) -> dict[str, list[dict[str, Any]]]:
    """Cytoscape elements: posts, the identifiers they share, and template/image edges when linked."""
    posts = detail.members[:GRAPH_POST_LIMIT]
    kept = {post["post_id"] for post in posts}
    nodes = [
        {
            "data": {
                "id": f"p:{p['post_id']}",
                "label": p["city"] or p["post_id"][:8],
                "kind": "post",
                "href": f"/posts/{quote(p['post_id'], safe='')}",
            }
        }
        for p in posts
    ]
    edges: list[dict[str, Any]] = []
    for item in detail.identifiers:
        members = [post_id for post_id in item["post_ids"] if post_id in kept]
        if len(members) < 2:
            continue
        shown = show(item["type"], item["value"])  # the node's id holds what the user may see, never more
        node = f"i:{item['type']}:{shown}"
        nodes.append({"data": {"id": node, "label": shown, "kind": item["type"]}})
        edges += [
            {"data": {"id": f"{node}>{m}", "source": f"p:{m}", "target": node, "kind": "identifier"}} for m in members
        ]
    if tables.has("link.edges"):
        for row in tables.rows(
            "SELECT src_post_id, dst_post_id, kind, reason FROM link.edges "
            "WHERE network_id = ? AND kind <> 'identifier' LIMIT 2000",
            [detail.network["network_id"]],
        ):
            if row["src_post_id"] in kept and row["dst_post_id"] in kept:
                edges.append(
                    {
                        "data": {
                            "id": f"e:{row['src_post_id']}>{row['dst_post_id']}:{row['kind']}",
                            "source": f"p:{row['src_post_id']}",
                            "target": f"p:{row['dst_post_id']}",
                            "kind": row["kind"],
                        }
                    }
                )
    return {"nodes": nodes, "edges": edges}
