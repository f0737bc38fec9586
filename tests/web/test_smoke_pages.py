"""Each page answers for a role that may see it, over a workspace run through the real pipeline."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.web.conftest import PHONE_E164, WebWorld


def test_dashboard_lists_status_and_networks(login: Callable[[str], httpx.Client]) -> None:
    page = login("investigator").get("/")
    assert page.status_code == 200
    assert "Ingestion status" in page.text
    assert "Top networks" in page.text


def test_search_by_phone_written_differently_finds_every_ad(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    client = login("investigator")
    result = client.get("/api/posts", params={"identifier": "(0470) 12-34-56"}).json()
    found = {post["post_id"] for post in result["posts"]}
    expected = {web.post_id(f"W-PHONE-{n}") for n in range(4)}
    assert result["identifiers"] == [PHONE_E164]
    assert expected <= found


def test_network_page_explains_links(web: WebWorld, login: Callable[[str], httpx.Client]) -> None:
    client = login("investigator")
    post = client.get(f"/api/posts/{web.post_id('W-PHONE-0')}").json()
    network_id = post["networks"][0]["network_id"]
    page = client.get(f"/networks/{network_id}")
    assert page.status_code == 200
    assert "Why linked" in page.text
