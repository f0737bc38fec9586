"""The network page at scale: links first, posts paged by template, a collapsed laid-out graph, a map on an
offline base map placed by the posts' cities, moves in time order, a timeline with axes, phrase spans."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import httpx
import pyarrow as pa
import pytest

from tests.web import test_browser
from tests.web.conftest import PHONE_E164, WebWorld
from tests.web.test_browser import ARTIFACTS, CHROMIUM, _log_in, _page
from unveil.publish.network_graph import graphs_of, layouts
from unveil.web.charts import timeline_chart
from unveil.web.geo import city_map, city_position, moves
from unveil.web.netgraph import shown_graph
from unveil.web.queries.networks import grouped_posts, template_groups

browser = test_browser.browser  # the browser tests' Chromium, shared


def _post(n: int, template: str | None, city: str | None, day: int) -> dict[str, object]:
    return {
        "post_id": f"P{n:04d}",
        "template_id": template,
        "city": city,
        "posted_at": datetime(2024, 3, 1, tzinfo=UTC) + timedelta(days=day),
    }


def _published(
    members: list[dict[str, object]], identifiers: list[dict[str, object]], edges: list[dict[str, object]]
) -> list[dict[str, object]]:
    """``list_graphs`` of one network, as the ``publish`` stage writes it."""
    row = {
        "list_members": [dict(m, found=True) for m in members],
        "list_identifiers": [{"type": i["type"], "value": i["value"]} for i in identifiers],
        "graph_identifier_posts": [i["post_ids"] for i in identifiers],
        "graph_edges": edges,
    }
    (graphs,) = graphs_of(pa.RecordBatch.from_pylist([row]))
    return graphs


def test_graph_collapses_posts_per_template_and_caps_the_nodes() -> None:
    members = [_post(n, "T000001", "Ghent", n) for n in range(30)]
    members += [_post(100 + n, None, "Antwerp", n) for n in range(50)]
    identifiers = [
        {"type": "phone", "value": "+32470000001", "post_ids": [m["post_id"] for m in members[:35]]},
        {"type": "email", "value": "a@b.example", "post_ids": ["P0100", "P0101"]},
    ]
    edges = [{"src_post_id": "P0100", "dst_post_id": "P0101", "kind": "style"}]
    published = _published(members, identifiers, edges)
    assert [g["limit"] for g in published] == [40, 80]  # laid out at each cap until every node is shown
    graph = shown_graph(published, 10, lambda kind, value: f"{kind}#masked")
    ids = {node["data"]["id"] for node in graph["nodes"]}
    # one node for the template's 30 posts, identifiers first, the cap respected, "show more" offered
    assert "t:T000001" in ids and "i:phone:phone#masked" in ids and "i:email:email#masked" in ids
    assert sum(node.startswith("p:P01") for node in ids) == 37
    assert len(graph["nodes"]) == 40 and graph["total_nodes"] == 1 + 2 + 50 and graph["next_limit"] == 80
    template = next(n for n in graph["nodes"] if n["data"]["id"] == "t:T000001")
    assert template["data"]["posts"] == 30 and "30 posts" in template["data"]["label"]
    phone_to_template = next(
        e for e in graph["edges"] if e["data"]["id"] == "i:phone:phone#masked>t:T000001:identifier"
    )
    assert phone_to_template["data"]["pairs"] == 30
    # laid out before display, and nothing of the real values anywhere
    assert all({"x", "y"} <= set(node["position"]) for node in graph["nodes"])
    assert "+32470000001" not in repr(graph) and "a@b.example" not in repr(graph)
    full = shown_graph(published, 400, lambda kind, value: value)
    assert full["next_limit"] is None and any(e["data"]["kind"] == "style" for e in full["edges"])
    assert "i:phone:+32470000001" in {node["data"]["id"] for node in full["nodes"]}
    # the pseudonymised graph is drawn as the real one
    real = shown_graph(published, 40, lambda kind, value: value)
    assert [n["position"] for n in real["nodes"]] == [n["position"] for n in graph["nodes"]]


def test_layout_is_the_same_every_time_and_spreads_the_nodes() -> None:
    nodes = [f"n{i}" for i in range(25)]
    edges = [(f"n{i}", f"n{(i + 1) % 25}") for i in range(25)]
    first, second = layouts([(nodes, edges)]), layouts([(nodes[:5], edges[:4]), (nodes, edges)])
    assert first[0] == second[1]  # laid out alone or beside another graph: the same
    points = {(round(p["x"]), round(p["y"])) for p in first[0].values()}
    assert len(points) == 25  # no two nodes on one spot


def test_posts_are_grouped_by_template_largest_first_with_the_page_each_starts_on() -> None:
    posts = [_post(n, "T2", "Ghent", n) for n in range(3)] + [_post(10 + n, "T1", "Namur", n) for n in range(30)]
    posts.append(_post(99, None, "Liège", 0))
    ordered = grouped_posts(posts)
    assert [p["template_id"] for p in ordered[:30]] == ["T1"] * 30 and ordered[-1]["template_id"] is None
    groups = template_groups(ordered, page_size=25)
    assert [(g["template_id"], g["posts"], g["page"]) for g in groups] == [("T1", 30, 1), ("T2", 3, 2), (None, 1, 2)]
    assert groups[0]["cities"] == ["Namur"]


def test_map_places_posts_by_their_city_on_a_base_map_with_provinces_and_ordered_arrows() -> None:
    assert city_position("Liège") == city_position("liege") is not None
    posts = [_post(0, None, "Ghent", 0), _post(1, None, "Antwerp", 1), _post(2, None, "Ghent", 2)]
    posts += [_post(3, None, "Atlantis-sur-Mer", 3), _post(4, None, None, 4)]
    drawn = city_map(posts)
    assert drawn is not None
    assert {p.city for p in drawn.points} == {"Ghent", "Antwerp"} and drawn.unplaced == ["Atlantis-sur-Mer"]
    assert [a.step for a in drawn.arrows] == [1, 2]
    assert drawn.arrows[0].label.startswith("1. Ghent → Antwerp") and drawn.arrows[1].label.startswith(
        "2. Antwerp → Ghent"
    )
    classes = {css for css, _ in drawn.layers}
    assert {"province", "coast", "border"} <= classes  # Belgium: its provinces are drawn
    assert all(re.fullmatch(r"(M[-\d. L]+)+", d) for _, d in drawn.layers)
    assert [s["city"] for s in moves(posts)] == ["Ghent", "Antwerp", "Ghent", "Atlantis-sur-Mer"]
    far = city_map([_post(0, None, "Brussels", 0), _post(1, None, "Chicago", 5)])
    assert far is not None and {css for css, _ in far.layers} <= {"province", "coast"} and far.arrows


def test_timeline_has_a_count_axis_and_a_time_axis() -> None:
    weeks = [{"week": date(2024, 1, 1) + timedelta(weeks=n), "posts": n % 7} for n in range(40)]
    chart = timeline_chart(weeks)
    assert chart is not None
    assert chart.y_ticks[0].label == "0" and int(chart.y_ticks[-1].label) >= 6
    assert chart.x_ticks[0].label == "Jan 2024" and len(chart.x_ticks) >= 9
    assert len(chart.bars) == sum(1 for w in weeks if w["posts"])
    assert timeline_chart([]) is None


def _network(client: httpx.Client, web: WebWorld) -> str:
    return str(client.get(f"/api/posts/{web.post_id('W-PHONE-0')}").json()["networks"][0]["network_id"])


def test_network_page_shows_links_first_then_posts_graph_map_and_timeline(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    client = login("investigator")
    network_id = _network(client, web)
    html = client.get(f"/networks/{network_id}").text
    order = [html.index(f'id="{h}"') for h in ("h-summary", "h-links", "h-posts", "h-graph", "h-map", "h-time")]
    assert order == sorted(order)
    assert f"phone {PHONE_E164}" in html and "both list phone" in html  # the link and its reason
    assert 'class="legend"' in html and "near-duplicate text" in html and "same writing style" in html
    assert 'class="base province"' in html and "Natural Earth" in html  # the offline base map of Belgium
    assert "Ghent (2)" in html and "Antwerp (2)" in html and 'marker-end="url(#arrow)"' in html
    assert 'class="axis"' in html and "Mar 2024" in html
    api = client.get(f"/api/networks/{network_id}").json()
    assert api["page"] == 1 and api["pages"] == 1 and len(api["members"]) == 4
    assert [s["city"] for s in api["moves"]] == ["Ghent", "Antwerp", "Ghent", "Antwerp"]
    assert {link["kind"] for link in api["links"]} >= {"identifier"}
    graph = client.get(f"/api/networks/{network_id}/graph").json()
    assert f"i:phone:{PHONE_E164}" in {n["data"]["id"] for n in graph["nodes"]}
    assert all("position" in n for n in graph["nodes"])
    explained = client.get(f"/api/networks/{network_id}/explanations")
    assert explained.status_code == 200 and explained.json()["explanations"]  # the four ads share a template
    for item in explained.json()["explanations"]:
        for phrase in item["phrases"]:
            for side in ("a", "b"):
                if phrase[side] is not None:
                    shown = re.sub(r"[\W\d_]+", " ", phrase[side]["match"].lower()).split()
                    assert shown == phrase["words"].split()  # the span is the phrase, as written in the post
    assert client.get(f"/networks/{network_id}/explanations").status_code == 200


def test_analyst_sees_pseudonyms_in_links_graph_and_explanations(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    investigator, analyst = login("investigator"), login("analyst")
    network_id = _network(investigator, web)
    for url in (
        f"/networks/{network_id}",
        f"/api/networks/{network_id}",
        f"/api/networks/{network_id}/graph?limit=400",
        f"/api/networks/{network_id}/explanations",
        f"/networks/{network_id}/explanations",
    ):
        text = analyst.get(url).text
        assert "470123456" not in text and "470 12" not in text and "0470" not in text, url
    links = analyst.get(f"/api/networks/{network_id}").json()["links"]
    phone = next(link for link in links if link["kind"] == "identifier")
    assert phone["shown"].startswith("phone#") and phone["value"] is None and "phone#" in phone["reason"]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make system-packages)")
def test_in_a_browser_the_graph_is_drawn_where_the_server_laid_it_out_and_phrases_load_when_scrolled_to(
    browser: object, web: WebWorld
) -> None:
    page = _page(browser, 1366, 768)
    _log_in(page, web.base_url, "investigator")
    page.goto(f"{web.base_url}/posts/{web.post_id('W-PHONE-0')}")  # type: ignore[attr-defined]
    network = page.locator("a[href^='/networks/']").first.get_attribute("href")  # type: ignore[attr-defined]
    page.goto(f"{web.base_url}{network}")  # type: ignore[attr-defined]
    page.wait_for_selector("#graph[data-ready]")  # type: ignore[attr-defined]
    assert page.locator("ul.legend li").count() == 7  # type: ignore[attr-defined]
    assert page.locator("#graph-more").is_hidden()  # type: ignore[attr-defined]  # every node is shown
    note = page.locator("#graph-note").inner_text()  # type: ignore[attr-defined]
    assert re.search(r"Showing (\d+) of \1 nodes", note), note
    assert page.locator("svg.map path.base").count() >= 2  # type: ignore[attr-defined]
    assert page.locator("svg.map path.move").count() == 2  # type: ignore[attr-defined]  # Ghent→Antwerp, back
    page.locator("#explanations").scroll_into_view_if_needed()  # type: ignore[attr-defined]
    page.wait_for_selector("#explanations mark.phrase")  # type: ignore[attr-defined]
    page.screenshot(path=str(ARTIFACTS / "network-page.png"), full_page=True)  # type: ignore[attr-defined]
    assert not page.problems  # type: ignore[attr-defined]


def test_a_template_link_whose_posts_are_grouped_elsewhere_gets_no_page_link() -> None:
    from unveil.web.privacy import PrivacyView
    from unveil.web.queries.networks import NetworkDetail
    from unveil.web.routes.networks import visible_network

    detail = NetworkDetail({"network_id": "N1"}, member_count=2)
    detail.posts = [dict(_post(n, "T000001", "Ghent", n), reason="", title="", snippet="") for n in range(2)]
    detail.links = [
        {"kind": "template", "key": "T000001", "pairs": 1, "reason": "near-duplicate text"},
        {"kind": "template", "key": "T000009", "pairs": 1, "reason": "near-duplicate text"},
    ]
    shown = visible_network(None, detail, PrivacyView(None))  # type: ignore[arg-type]
    assert [link["page"] for link in shown["links"]] == [1, None]


def test_explanations_are_computed_once_per_network_and_each_request_gets_its_own_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from unveil.web.queries import networks

    computed: list[str] = []

    def explain(tables: object, network_id: str) -> list[dict[str, object]]:
        computed.append(network_id)
        return [{"reason": f"why {network_id}", "habits": ["a"]}]

    monkeypatch.setattr(networks, "explanations", explain)
    cache = networks.ExplanationCache(size=2)
    first = cache.get(None, "N1")  # type: ignore[arg-type]
    first[0]["reason"] = "masked"  # a request masks its copy
    assert cache.get(None, "N1") == [{"reason": "why N1", "habits": ["a"]}] and computed == ["N1"]  # type: ignore[arg-type]
    cache.get(None, "N2")  # type: ignore[arg-type]
    cache.get(None, "N3")  # type: ignore[arg-type]
    cache.get(None, "N1")  # type: ignore[arg-type]  # evicted by the two after it
    assert computed == ["N1", "N2", "N3", "N1"]


def test_recent_keeps_the_last_values_asked_for() -> None:
    """``Recent`` (a network's page data, kept per snapshot) computes a key once while it is kept, and drops
    the oldest past its size."""
    from unveil.web.queries.networks import Recent

    computed: list[str] = []

    def compute(key: str) -> dict[str, str]:
        computed.append(key)
        return {"key": key}

    recent: Recent[dict[str, str]] = Recent(2)
    first = recent.get("N1", lambda: compute("N1"))
    assert recent.get("N1", lambda: compute("N1")) is first and computed == ["N1"]
    recent.get("N2", lambda: compute("N2"))
    recent.get("N1", lambda: compute("N1"))  # N1 is now the newest: N2 goes first
    recent.get("N3", lambda: compute("N3"))
    recent.get("N1", lambda: compute("N1"))
    recent.get("N2", lambda: compute("N2"))
    assert computed == ["N1", "N2", "N3", "N2"]
