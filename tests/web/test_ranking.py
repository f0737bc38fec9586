"""The ranking pages: why a post ranks where it does, more like a post or a network."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.web.conftest import WebWorld


def test_a_post_shows_its_lexicon_and_learned_parts_and_posts_like_it(
    web: WebWorld, login: Callable[[str], httpx.Client], anonymous: httpx.Client
) -> None:
    post = web.post_id("W-PHONE-0")
    investigator = login("investigator")
    page = investigator.get(f"/posts/{post}/ranking")
    assert page.status_code == 200, page.text
    assert "Lexicon part" in page.text and "Learned part" in page.text and "More like this" in page.text
    assert f"/posts/{post}/ranking" in investigator.get(f"/posts/{post}").text
    api = login("analyst").get(f"/api/posts/{post}/ranking").json()
    assert api["explanation"]["post_id"] == post and api["explanation"]["learned_part"] == 0
    assert all("+32" not in reason for p in api["like_posts"] for reason in p["reasons"])  # pseudonyms only
    assert anonymous.get(f"/api/posts/{post}/ranking").status_code in (401, 303)
    network = web.workspace.table("link.networks").read(["network_id"]).column(0)[0].as_py()
    assert investigator.get(f"/networks/{network}/like").status_code == 200
