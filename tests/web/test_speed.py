"""The parts that keep pages fast: word search, the shared snapshot, group-committed audit."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest

from tests.web.conftest import WebWorld
from unveil.auth.audit import AuditWriter
from unveil.db import connect
from unveil.web.lookups import TimeKeys, decode
from unveil.web.pages import INVISIBLE, neutralise
from unveil.web.queries.networks import network_detail, network_graphs
from unveil.web.queries.posts import post_detail
from unveil.web.queries.search import query_words
from unveil.web.readmodel import SNAPSHOT_DIR, ReadModel
from unveil.workspace import Workspace


def _found(client: httpx.Client, web: WebWorld, **params: str) -> set[str]:
    posts = client.get("/api/posts", params=params).json()["posts"]
    return {post["post_id"] for post in posts}


def test_word_search_matches_prefixes_ignoring_case_and_accents(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    client = login("investigator")
    phones = {web.post_id(f"W-PHONE-{n}") for n in range(4)}
    assert _found(client, web, q="LIN") >= phones
    assert _found(client, web, q="lina ghent") == {web.post_id("W-PHONE-0"), web.post_id("W-PHONE-2")}
    assert web.post_id("W-XSS") in _found(client, web, q="SWÉE")
    assert _found(client, web, q="zzzz-no-such-word") == set()


def test_query_words_split_like_the_index() -> None:
    assert query_words("Lina, NEW in Liège 24/7!") == ["lina", "new", "in", "liege", "24", "7"]
    assert query_words("!!!") == []


def test_snapshot_is_one_file_shared_by_readers(web_workspace: Workspace) -> None:
    first, second = ReadModel(web_workspace), ReadModel(web_workspace)
    files = list((web_workspace.root / SNAPSHOT_DIR).glob("snapshot-*.duckdb"))
    assert len(files) == 1
    assert first.value("SELECT count(*) FROM web.posts") == second.value("SELECT count(*) FROM web.posts") > 0


def test_audit_writer_commits_every_entry_before_returning(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    connect(workspace).close()
    writer = AuditWriter(workspace.database)

    def view(n: int) -> None:
        for k in range(25):
            writer.record(f"user{n}", "view", "post", f"p{n}-{k}")
            with sqlite3.connect(workspace.database) as db:  # committed when record returns
                assert db.execute("SELECT count(*) FROM audit_log WHERE object_id = ?", (f"p{n}-{k}",)).fetchone()[0]

    threads = [threading.Thread(target=view, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with sqlite3.connect(workspace.database) as db:
        assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 200


def test_audit_writer_raises_when_the_commit_fails(tmp_path: Path) -> None:
    writer = AuditWriter(tmp_path / "no-audit-table.db")
    with pytest.raises(sqlite3.OperationalError):
        writer.record("user0", "view", "post", "p0")


def test_neutralise_finds_in_the_encoded_page_what_the_text_pattern_finds() -> None:
    around = "\u00e9 \u2014 \u0628 \u201c \U0001f600 "  # other characters whose UTF-8 shares bytes with them
    for code in (*range(0x0600, 0x0640), *range(0x2000, 0x2080), *range(0xFE00, 0x10000)):
        page = f"<p>{around}{chr(code)}{around}</p>"
        expected = INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", page)
        assert neutralise(page) == expected.encode(), hex(code)


def test_lookup_pages_get_their_times_back() -> None:
    text = (
        '{"at": "2024-03-04 21:05:00+00", "day": "2024-03-04", '
        '"items": [{"at": null, "name": "<b>x</b>"}, {"at": "soon"}], "n": 0.5}'
    )
    page = decode(text, TimeKeys(frozenset({"at"}), frozenset({"day"})))
    assert page == {
        "at": datetime(2024, 3, 4, 21, 5, tzinfo=UTC),
        "day": date(2024, 3, 4),
        "items": [{"at": None, "name": "<b>x</b>"}, {"at": "soon"}],
        "n": 0.5,
    }


def test_pages_are_the_published_rows(web_workspace: Workspace) -> None:
    model = ReadModel(web_workspace)
    assert list((web_workspace.root / SNAPSHOT_DIR).glob("snapshot-*.lookups.sqlite"))
    published = web_workspace.table("publish.post_pages").read().to_pylist()
    for row in published:
        detail = post_detail(model, row["post_id"])
        assert detail.post == {k: v for k, v in row.items() if not k.startswith("list_")}
        assert detail.identifiers == row["list_identifiers"] and detail.networks == row["list_networks"]
    for row in web_workspace.table("publish.network_pages").read().to_pylist():
        detail = network_detail(model, row["network_id"])
        assert detail.member_count == len(row["list_members"])
        assert network_graphs(model, row["network_id"]) == row["list_graphs"]
    assert published and published[0]["list_identifiers"] is not None
