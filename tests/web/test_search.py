"""Search as Aleph's: the total, facets with counts that filter on click, hits marked in snippets."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

import httpx

from tests.web.conftest import CUT_PHONE_E164, PHONE_E164, WebWorld
from unveil.auth.pseudonyms import Pseudonymiser
from unveil.web.marks import Hits, pieces
from unveil.web.privacy import PrivacyView

FACET_LINK = re.compile(r'<section class="facet" aria-labelledby="facet-(\w+)">(.*?)</section>', re.S)
LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]*)</a> <span class="count">([\d,]+)</span>')
TOTAL = re.compile(r'<span class="total">([\d,]+)</span>')


def _all_posts(client: httpx.Client, params: dict[str, str]) -> set[str]:
    found: set[str] = set()
    page = 1
    while True:
        answer = client.get("/api/posts", params={**params, "p": str(page)}).json()
        found |= {row["post_id"] for row in answer["posts"]}
        if not answer["has_more"]:
            return found
        page += 1


def test_total_counts_every_match_and_each_facet_count_is_what_its_click_finds(
    login: Callable[[str], httpx.Client],
) -> None:
    client = login("investigator")
    for params in ({"q": "new"}, {"q": "girl"}, {"identifier": "0470 12 34 56"}, {"date_from": "2024-01-01"}):
        answer = client.get("/api/posts", params=params).json()
        assert answer["total"] == len(_all_posts(client, params)) > 0, params
        assert answer["facets"]["city"] and answer["facets"]["month"], params
        for facet, values in answer["facets"].items():
            for item in values:
                narrowed = {**params, facet: item["value"]}
                assert len(_all_posts(client, narrowed)) == item["posts"], (narrowed, item)
    page = client.get("/search", params={"q": "new"}).text
    assert TOTAL.search(page).group(1) == str(client.get("/api/posts", params={"q": "new"}).json()["total"])
    facets = dict(FACET_LINK.findall(page))
    assert {"city", "language", "indicator", "network", "site", "month"} <= set(facets)
    href, value, count = LINK.findall(facets["city"])[0]
    clicked = client.get("/search" + href.replace("&amp;", "&"))
    assert dict(parse_qsl(urlsplit(href.replace("&amp;", "&")).query))["city"] == value
    assert TOTAL.search(clicked.text).group(1) == count
    assert "Remove the city filter" in clicked.text


def test_month_and_site_filters_and_a_bad_month(login: Callable[[str], httpx.Client]) -> None:
    client = login("investigator")
    march = _all_posts(client, {"month": "2024-03"})
    february = _all_posts(client, {"month": "2024-02"})
    assert march and february and not march & february
    assert _all_posts(client, {"site": "market.example"}) == february
    assert client.get("/api/posts", params={"month": "2024-13"}).status_code == 400


def test_hits_are_marked_in_snippets_and_hostile_text_stays_text(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    client = login("investigator")
    page = client.get("/search", params={"q": "sweet girl"}).text
    assert '<mark class="hit">Sweet</mark>' in page and '<mark class="hit">girl</mark>' in page
    assert "<script>window.__xss" not in page and "&lt;script&gt;window.__xss" in page
    phones = client.get("/search", params={"identifier": PHONE_E164}).text
    assert '<mark class="hit">0470 12 34 56</mark>' in phones
    assert '<mark class="hit">+32 470/12.34.56</mark>' in phones


def test_marks_wrap_only_the_text_shown() -> None:
    hits = Hits(("gi",), ("phone#0123456789",), ("+32470123456",), "BE")
    assert pieces("Gîrl <b>call</b> 0470 12 34 56 or phone#0123456789", hits) == [
        ("Gîrl", True),
        (" <b>call</b> ", False),
        ("0470 12 34 56", True),
        (" or ", False),
        ("phone#0123456789", True),
    ]
    assert pieces("nothing here", hits) == [("nothing here", False)]


def test_an_analyst_counts_and_facets_only_what_they_may_see(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    analyst, investigator = login("analyst"), login("investigator")
    pseudonym = PrivacyView(Pseudonymiser(web.workspace.settings.secret_key)).identifier("phone", CUT_PHONE_E164)
    for word in ("0468", "046", "49", "secret", "mia.secret"):
        assert investigator.get("/api/posts", params={"q": word}).json()["total"] >= 2, word
        answer = analyst.get("/api/posts", params={"q": word}).json()
        assert answer["total"] == 0 and all(not values for values in answer["facets"].values()), word
    page = analyst.get("/search", params={"identifier": pseudonym}).text
    assert TOTAL.search(page).group(1) == "2"
    assert f'<mark class="hit">{pseudonym}</mark>' in page
    assert "0468" not in page and "468 49" not in page
