"""The identifier profile: paged posts with snippets around the hit, first and last seen, cities over time,
identifiers written beside it, transfers and parties; a magistrate sees only the posts of their cases."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import httpx

from tests.web.conftest import CUT_EMAIL, CUT_PHONE_E164, PHONE_E164, WebWorld
from unveil.web import lookups
from unveil.web.lookups import TimeKeys, read_time_keys
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


class _LookupOnly:
    """What the identifier page's transfers and parties read of a read model: the lookup file alone."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)

    def has(self, name: str) -> bool:
        return name in ("money.transfers", "money.party_matches")

    def has_lookups(self) -> bool:
        return True

    def lookup(self, sql: str, params: list[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
        result = self.db.execute(sql, params)
        return [c[0] for c in result.description], result.fetchall()

    def lookup_times(self, table: str) -> TimeKeys:
        return read_time_keys(self.db.execute("SELECT * FROM time_keys").fetchall()).get(table, TimeKeys())


def test_transfers_and_parties_are_read_from_the_lookup_file(tmp_path: Path) -> None:
    connection = duckdb.connect()
    connection.execute("CREATE SCHEMA money")
    connection.execute(
        "CREATE TABLE money.transfers AS SELECT * FROM (VALUES "
        "('t1', TIMESTAMPTZ '2024-01-02 10:00:00+00', 'bank', 100.0, 'EUR', 100.0, 'A', 'Gent', 'BE', 'B', 'Mons', "
        "'BE', '+32470000001', '+32470000002', NULL, NULL), "
        "('t2', TIMESTAMPTZ '2024-03-01 08:30:00+00', 'cash', 40.5, 'EUR', 40.5, 'C', NULL, 'BE', 'A', 'Gent', 'BE', "
        "'+32470000003', '+32470000001', NULL, 'BE01'), "
        "('t3', NULL, 'bank', 7.0, 'USD', 6.5, 'A', NULL, NULL, 'A', NULL, NULL, '+32470000001', '+32470000001', "
        "NULL, NULL)) t(transfer_id, executed_at, channel, amount, currency, amount_eur, sender_name, sender_city, "
        "sender_country, receiver_name, receiver_city, receiver_country, sender_phone, receiver_phone, "
        "sender_account, receiver_account)"
    )
    connection.execute(
        "CREATE TABLE money.party_matches AS SELECT * FROM (VALUES ('P2', 'phone', '+32470000001', 'same phone'), "
        "('P1', 'phone', '+32470000001', 'same phone'), ('P1', 'phone', '+32470000001', 'same phone'), "
        "('P3', 'email', '+32470000001', 'odd'), ('P4', 'phone', NULL, 'none')) t(party_id, identifier_type, "
        "identifier_value, reason)"
    )
    path = tmp_path / "lookups.sqlite"
    db = sqlite3.connect(path)
    with db:
        db.execute("CREATE TABLE time_keys (page_table TEXT NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL)")
        lookups._identifier_transfers(connection, db)
        lookups._identifier_parties(connection, db)
    db.close()
    tables: Any = _LookupOnly(path)
    rows = identifiers._transfers(tables, "phone", "+32470000001")
    assert rows is not None
    # newest first, undated last; a transfer to oneself is shown as sent; times are times again
    assert [(t["transfer_id"], t["as_sender"]) for t in rows] == [("t2", False), ("t1", True), ("t3", True)]
    assert rows[0]["executed_at"] == datetime(2024, 3, 1, 8, 30, tzinfo=UTC) and rows[0]["amount"] == 40.5
    assert rows[0]["sender_city"] is None and rows[1]["receiver_city"] == "Mons"
    assert [t["transfer_id"] for t in identifiers._transfers(tables, "iban", "BE01") or []] == ["t2"]
    assert identifiers._transfers(tables, "url", "x") == [] and identifiers._transfers(tables, "email", "x") == []
    assert identifiers._parties(tables, "phone", "+32470000001") == [
        {"party_id": "P1", "reason": "same phone"},
        {"party_id": "P2", "reason": "same phone"},
    ]
