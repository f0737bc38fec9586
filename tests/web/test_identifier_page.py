"""The identifier profile: paged posts with snippets around the hit, first and last seen, cities over time,
identifiers written beside it, transfers and parties; a magistrate sees only the posts of their cases."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.web.conftest import CUT_EMAIL, CUT_PHONE_E164, PHONE_E164, WebWorld
from unveil.web.queries import identifiers


def test_profile_gives_first_and_last_seen_cities_over_time_and_snippets_around_the_hit(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    data = login("investigator").get(f"/api/identifiers/phone/{PHONE_E164}").json()
    assert data["post_count"] == 4 and data["page"] == 1 and data["pages"] == 1
    assert data["first_seen"].startswith("2024-03-01") and data["last_seen"].startswith("2024-03-04")
    assert [(c["city"], c["posts"]) for c in data["cities"]] == [("Antwerp", 2), ("Ghent", 2)]
    assert data["months"] == [{"month": "2024-03", "posts": 4, "cities": [["Antwerp", 2], ["Ghent", 2]]}]
    posts = data["posts"]
    assert [p["posted_at"][:10] for p in posts] == ["2024-03-04", "2024-03-03", "2024-03-02", "2024-03-01"]
    written = {"0470 12 34 56", "+32 470/12.34.56", "0032470123456", "0470-123-456"}
    assert {p["hit"] for p in posts} == written  # each snippet marks the phone as that ad wrote it
    assert all(p["before"].endswith("Call me ") and p["after"].startswith(", only 100") for p in posts)


def test_a_long_ad_is_cut_around_the_hit_and_co_occurring_identifiers_are_counted(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    client = login("investigator")
    data = client.get(f"/api/identifiers/phone/{CUT_PHONE_E164}").json()
    assert {p["hit"] for p in data["posts"]} == {"0468 49 09 22"}
    far = next(p for p in data["posts"] if p["post_id"] == web.post_id("W-CUT-1"))
    assert far["before"].startswith("…") and len(far["before"]) <= identifiers.SNIPPET_SIDE + 1
    assert {(c["type"], c["value"], c["posts"]) for c in data["co_occurring"]} >= {("email", CUT_EMAIL, 2)}
    html = client.get(f"/identifiers/phone/{CUT_PHONE_E164}").text
    assert '<mark class="identifier">0468 49 09 22</mark>' in html
    assert (
        "Identifiers written in the same posts" in html
        and "/identifiers/email/" + CUT_EMAIL.replace("@", "%40") in html
    )
    assert "Cities over time" in html and "First seen" in html


def test_posts_are_paged(web: WebWorld, login: Callable[[str], httpx.Client], monkeypatch: object) -> None:
    monkeypatch.setattr(identifiers, "POSTS_PAGE", 3)  # type: ignore[attr-defined]
    client = login("investigator")
    first = client.get(f"/api/identifiers/phone/{PHONE_E164}").json()
    second = client.get(f"/api/identifiers/phone/{PHONE_E164}", params={"p": 2}).json()
    assert first["pages"] == 2 and len(first["posts"]) == 3 and second["page"] == 2 and len(second["posts"]) == 1
    assert not {p["post_id"] for p in first["posts"]} & {p["post_id"] for p in second["posts"]}
    html = client.get(f"/identifiers/phone/{PHONE_E164}", params={"p": 2}).text
    assert "Page 2 of 2" in html and 'rel="prev"' in html


def test_transfers_have_totals_and_analysts_have_no_identifier_page(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    totals = identifiers._totals(
        [
            {"as_sender": True, "amount_eur": 100.0, "executed_at": "2024-01-02"},
            {"as_sender": False, "amount_eur": 40.5, "executed_at": "2024-01-01"},
        ]
    )
    assert totals is not None and (totals["sent"], totals["sent_eur"], totals["received_eur"]) == (1, 100.0, 40.5)
    assert totals["first"] == "2024-01-01" and identifiers._totals([]) is None
    assert login("analyst").get(f"/api/identifiers/phone/{PHONE_E164}").status_code == 403
