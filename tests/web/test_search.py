"""Search as Aleph's: the total, facets with counts that filter on click, hits marked in snippets."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

import httpx
import markupsafe
import pytest

from tests.web.conftest import CUT_PHONE, CUT_PHONE_E164, PHONE_E164, WebWorld
from unveil.auth.pseudonyms import Pseudonymiser
from unveil.web.marks import Hits, around, pieces, spans
from unveil.web.pages import choice_options, facet_items, query_with, result_rows
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


def test_the_page_reads_its_filters_as_the_api_declares_them(login: Callable[[str], httpx.Client]) -> None:
    client = login("investigator")
    long = client.get("/search", params={"q": "x" * 201, "city": "y" * 300})
    assert long.status_code == 422
    assert "q: String should have at most 200 characters" in long.text
    assert "city: String should have at most 200 characters" in long.text
    assert client.get("/search", params={"q": "x" * 200}).status_code == 200
    assert client.get("/api/posts", params={"q": "x" * 201}).status_code == 422
    twice = client.get("/search?q=nothing-matches-this&q=girl")  # the last value, as FastAPI takes it
    assert 'name="q" value="girl"' in twice.text
    assert client.get("/search", params={"sort": "oldest"}).status_code == 400


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


def test_snippets_are_cut_around_the_hit_far_into_the_text(web: WebWorld, login: Callable[[str], httpx.Client]) -> None:
    investigator, analyst = login("investigator"), login("analyst")
    pseudonym = PrivacyView(Pseudonymiser(web.workspace.settings.secret_key)).identifier("phone", CUT_PHONE_E164)
    seen = investigator.get("/search", params={"q": "kisses"}).text  # the last word of ads of 300+ characters
    assert seen.count('<mark class="hit">kisses</mark>') == 2 and seen.count(f"{CUT_PHONE} or write to") == 2
    assert '<div class="snippet">…' in seen  # the start of the text is left out
    masked = analyst.get("/search", params={"q": "kisses"}).text
    assert masked.count('<mark class="hit">kisses</mark>') == 2 and masked.count(f"{pseudonym} or write to") == 2
    assert "0468" not in masked and "468 49" not in masked
    grouped = investigator.get("/search", params={"q": "kisses", "group": "template"}).text
    assert '<mark class="hit">kisses</mark>' in grouped


def test_around_puts_the_first_hit_in_a_window_cut_between_words() -> None:
    text = "word " * 100 + "<b>target</b> here " + "tail " * 100
    shown = around(text, Hits(("target",)))
    assert shown[0] == ("…", False) and shown[-1] == ("…", False) and ("target", True) in shown
    assert len("".join(piece for piece, _ in shown)) <= 242 and "<b>" in "".join(piece for piece, _ in shown)
    assert all(piece.startswith(("…", "word ")) for piece, _ in shown[1:2])  # no word cut in two
    assert around("short text, no hit", Hits(("target",))) == [("short text, no hit", False)]
    assert around("x " * 200, Hits(("target",)))[-1] == ("…", False)
    assert around("target " + "x " * 200, Hits(("target",)))[0] == ("target", True)
    obfuscated = "x " * 150 + "call 0•4•6•6•9•0•7•4•2•1 now " + "y " * 150  # read by the extractor, not by marks
    start = obfuscated.index("0•")
    assert ("0•4•6•6•9•0•7•4•2•1", True) in around(obfuscated, Hits(), known=[(start, start + 19)])


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


def test_results_grouped_by_template_add_up_to_the_total(login: Callable[[str], httpx.Client]) -> None:
    client = login("investigator")
    total = client.get("/api/posts", params={"q": "new"}).json()["total"]
    page = client.get("/search", params={"q": "new", "group": "template"}).text
    counts = [int(n) for n in re.findall(r'<td class="num"><strong>(\d+)</strong></td>', page)]
    assert sum(counts) == total and len(counts) == int(re.search(r'class="group-count">(\d+)', page).group(1))
    assert page.count("<details") == len(counts)
    template = re.search(r'href="\?q=new&amp;template=(T\d+)"', page)
    if template:  # a template's link lists its posts only
        assert client.get("/api/posts", params={"q": "new", "template": template.group(1)}).json()["total"] > 1


def test_selected_results_are_added_to_a_case_in_bulk_only_where_the_user_may(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    from unveil.cases import create_case, set_status, show_case

    mine = create_case(web.workspace, "Bulk from search", "ivan")
    other = create_case(web.workspace, "Someone else's", "ada")
    archived = create_case(web.workspace, "Closed", "ivan")
    set_status(web.workspace, archived.case_id, "archived", "ivan")
    client = login("investigator")
    page = client.get("/search", params={"q": "lina"}).text
    offered = re.findall(r'<option value="([^"]+)">', page.split('id="bulk-add-case"')[1].split("</select>")[0])
    assert mine.case_id in offered and other.case_id not in offered and archived.case_id not in offered
    refs = re.findall(r'name="ref" value="([^"]+)" form="bulk-add"', page)
    assert len(refs) == 4
    back = re.search(r'name="next" value="([^"]+)"', page).group(1).replace("&amp;", "&")
    form = {"case_id": mine.case_id, "kind": "post", "ref": refs[:3], "next": back}
    added = client.post("/case-items", data=form)
    assert added.status_code == 303 and added.headers["location"].startswith("/search?q=lina")
    assert "Added 3 posts to case" in client.get(added.headers["location"]).text
    assert {item["ref"] for item in show_case(web.workspace, mine.case_id).items} == set(refs[:3])
    for case in (other, archived):
        refused = client.post("/case-items", data={**form, "case_id": case.case_id})
        assert refused.status_code in (403, 409), refused.status_code
        assert not show_case(web.workspace, case.case_id).items
    assert 'name="ref"' not in login("analyst").get("/search", params={"q": "lina"}).text


def test_a_result_set_is_exported_as_csv_audited_without_formulas(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    import csv
    import io
    import sqlite3

    client = login("investigator")
    answer = client.get("/search/export.csv", params={"q": "new"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert (
        len(rows)
        == int(answer.headers["x-unveil-total"])
        == client.get("/api/posts", params={"q": "new"}).json()["total"]
    )
    assert all((row["title"] or " ")[0] not in "=+-@" for row in rows)
    assert any("<script>" in row["text"] for row in rows)  # the data as it is, for the investigator's tools
    db = sqlite3.connect(web.workspace.root / "unveil.db")
    logged = db.execute(
        "SELECT count(*) FROM audit_log WHERE actor = 'ivan' AND action = 'export' AND object_kind = 'search'"
    ).fetchone()[0]
    db.close()
    assert logged >= 1
    assert login("analyst").get("/search/export.csv", params={"q": "new"}).status_code == 403


def test_cells_that_a_spreadsheet_would_run_are_written_as_text() -> None:
    from unveil.web.routes.search import cell

    assert cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert cell("+32 470") == "'+32 470" and cell("@x") == "'@x" and cell("plain") == "plain" and cell(None) == ""


def test_batch_search_says_which_identifiers_are_known_where_and_in_which_networks(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    client = login("investigator")
    pasted = "0470/12.34.56\n0499 99 99 99\nMia.Secret@EXAMPLE.org; 0470 12 34 56\n\n"
    lines = client.post("/api/search/batch", json={"values": pasted}).json()
    assert [line["value"] for line in lines] == [PHONE_E164, "+32499999999", "mia.secret@example.org", PHONE_E164]
    assert [line["posts"] for line in lines] == [4, 0, 2, 4]
    assert {c["city"] for c in lines[0]["cities"]} == {"Antwerp", "Ghent"} and lines[0]["networks"]
    page = client.post("/search/batch", data={"values": pasted}).text
    assert re.search(r'class="known-count">3<', page) and "/identifiers/phone/%2B32470123456" in page


def test_an_analyst_batch_takes_pseudonyms_only_and_never_tests_a_real_identifier(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    analyst = login("analyst")
    pseudonym = PrivacyView(Pseudonymiser(web.workspace.settings.secret_key)).identifier("phone", CUT_PHONE_E164)
    for pasted in ("0468 49 09 22", "0499 99 99 99", f"{pseudonym}\nmia.secret@example.org", "+32468490922"):
        for answer in (
            analyst.post("/api/search/batch", json={"values": pasted}),
            analyst.post("/search/batch", data={"values": pasted}),
        ):
            assert answer.status_code == 403 and "no access" in answer.text, pasted
    lines = analyst.post("/api/search/batch", json={"values": f"{pseudonym}\nphone#0000000000"}).json()
    assert [(line["value"], line["posts"]) for line in lines] == [(pseudonym, 2), ("phone#0000000000", 0)]
    assert "468" not in json.dumps(lines) and "mia" not in json.dumps(lines).lower()


def test_the_dashboard_shows_one_high_risk_post_per_template(web: WebWorld) -> None:
    from unveil.web.queries.dashboard import new_high_risk_posts
    from unveil.web.readmodel import ReadModel

    tables = ReadModel(web.workspace)
    rows = new_high_risk_posts(tables, limit=100, threshold=0.0) or []
    templates = [row["template_id"] for row in rows if row["template_id"]]
    assert len(templates) == len(set(templates))
    members = web.workspace.table("link.template_members").read().to_pylist()
    sizes = {t: sum(1 for m in members if m["template_id"] == t) for t in templates}
    scored = {row["post_id"] for row in tables.rows("SELECT post_id FROM web.posts WHERE risk >= 0")}
    for row in rows:
        if row["template_id"]:
            in_scope = [m for m in members if m["template_id"] == row["template_id"] and m["post_id"] in scored]
            assert row["template_posts"] == len(in_scope) <= sizes[row["template_id"]]


def test_triage_never_starts_from_an_empty_list(web: WebWorld, login: Callable[[str], httpx.Client]) -> None:
    from unveil.web.queries.dashboard import HIGH_RISK, triage_threshold
    from unveil.web.readmodel import ReadModel

    tables = ReadModel(web.workspace)
    top = max(row[0] for row in tables.tuples("SELECT risk FROM web.posts WHERE risk IS NOT NULL"))
    threshold = triage_threshold(tables)
    assert threshold == HIGH_RISK if top >= HIGH_RISK else 0 < threshold <= top
    dashboard = login("investigator").get("/").text
    assert 'aria-labelledby="h-new"' in dashboard and "No post with risk" not in dashboard
    assert ("No post reaches risk 0.7" in dashboard) == (top < HIGH_RISK)


def test_saved_searches_are_described_in_words_and_counted_by_the_pipeline_run_not_by_the_pages(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    import sqlite3

    from unveil.web.commands import count_saved_searches

    client = login("investigator")
    query = "q=lina&city=Ghent&month=2024-03&risk_min=0"
    created = client.post("/api/saved-searches", json={"name": "Lina in Ghent", "query": query}).json()
    words = "Posts with the words “lina”, in Ghent, with a risk of at least 0.00, posted in March 2024; newest first."
    page = client.get("/saved-searches").text
    assert words in page and query not in page
    db = sqlite3.connect(web.workspace.root / "unveil.db")
    with db:
        db.execute(
            "UPDATE saved_searches SET last_visit_at = '2000-01-01T00:00:00+00:00' WHERE id = ?", (created["id"],)
        )

    def listed() -> dict[str, object]:
        return next(s for s in client.get("/api/saved-searches").json() if s["id"] == created["id"])

    assert listed()["new"] == 0 and listed()["words"] == words  # the pages count nothing ...
    assert count_saved_searches(web.workspace) >= 1  # ... the pipeline's run does, for every user
    assert listed()["new"] == 2
    state, new = db.execute(
        "SELECT data_state, new_posts FROM saved_search_counts WHERE search_id = ?", (created["id"],)
    ).fetchone()
    assert new == 2 and state
    with db:  # the pages read the kept count
        db.execute("UPDATE saved_search_counts SET new_posts = 7 WHERE search_id = ?", (created["id"],))
    assert listed()["new"] == 7
    dashboard = client.get("/").text
    assert "Lina in Ghent" in dashboard and "7 new" in dashboard and words in dashboard
    client.get(f"/saved-searches/{created['id']}")
    assert listed()["new"] == 0
    count_saved_searches(web.workspace)
    assert listed()["new"] == 0  # nothing ingested since the visit
    db.close()
    client.delete(f"/api/saved-searches/{created['id']}")


def test_a_pipeline_run_that_changed_the_tables_counts_the_saved_searches(
    web: WebWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console

    from unveil import runner
    from unveil.pipeline import StageResult

    counted: list[object] = []
    monkeypatch.setattr("unveil.ingest.rebuild.rebuild_ingest", lambda workspace: None)
    monkeypatch.setattr("unveil.web.commands.count_saved_searches", lambda workspace: counted.append(workspace) or 3)
    out = io.StringIO()
    for ran in (True, False):
        result = StageResult("publish", ran, 0.1, {"posts": 1})
        monkeypatch.setattr(runner, "run_pipeline", lambda *args, result=result, **kwargs: [result])
        runner.run_on_terminal(web.workspace, "duckdb", Console(file=out))
    assert counted == [web.workspace] and "saved searches: new posts counted for 3" in out.getvalue()


def test_the_facet_index_loads_on_a_thread_whose_cursor_has_an_unfinished_result(web: WebWorld) -> None:
    from unveil.web.facets import load_index
    from unveil.web.readmodel import ReadModel

    tables = ReadModel(web.workspace)
    assert tables.value("SELECT pos FROM web.posts ORDER BY pos") == 0  # more rows left unread on this cursor
    assert load_index(tables).size == tables.value("SELECT count(*) FROM web.posts")


def test_words_are_marked_alike_in_ascii_and_accented_texts() -> None:
    hits = Hits(words=("girl", "ne"))
    expected = [(0, 3), (4, 9), (10, 14), (27, 30)]  # a word starting with a prefix, any case; not inside a word
    assert spans("New girls_girl ngirl 9girl NEW", hits) == expected
    assert spans("Néw girls_girl ngirl 9girl NÉW", hits) == expected  # accents folded (the word-by-word path)


HOSTILE = ("<script>alert(1)</script>", "a&b", "\"'><img src=x>", "Liège", "", "x=1&p=2")


def test_the_facet_links_are_query_with_escaped_for_every_value_and_place() -> None:
    """``facet_items`` writes the links ``query_with`` writes (the facet keeps its place among the search's
    parameters, the page number dropped), every value escaped as ``markupsafe.escape`` escapes it."""
    for links in ({}, {"q": "<b>", "city": "a&b", "group": "template"}, {"city": "Gent", "p": "3", "sort": "risk"}):
        for name in ("city", "language", "month"):
            values = [(value, 1234) for value in HOSTILE if value]
            shown = str(facet_items(links, name, values, "a&b"))
            current = {"a&b": ' aria-current="true"'}
            expected = "".join(
                f'        <li><a href="{markupsafe.escape(query_with(links, **{name: value, "p": ""}))}"'
                f'{current.get(value, "")}>{markupsafe.escape(value)}</a> <span class="count">1,234</span></li>\n'
                for value, _ in values
            )
            assert shown == expected
            assert "<script>" not in shown


def test_a_result_row_escapes_every_hostile_value() -> None:
    """``result_rows`` writes no value unescaped: post text is written by criminals."""
    for value in HOSTILE:
        row = {
            "post_id": value or "p1",
            "title": value,
            "title_pieces": [(value, False), (value, True)],
            "snippet_pieces": [(value, True), (value, False)],
            "posted_at": value,
            "city": value,
            "language": value,
            "risk": 0.5,
            "network_id": value,
        }
        shown = str(result_rows([row, row], can_add=True))
        assert "<script>" not in shown and "<img" not in shown and "\"'>" not in shown
        assert shown.count("<tr>") == 2


def test_the_form_choices_are_escaped_and_the_chosen_one_selected() -> None:
    """``choice_options`` writes each hostile choice escaped, ``selected`` on the chosen one only."""
    choices = [value for value in HOSTILE if value]
    listed = str(choice_options(choices))
    selectable = str(choice_options(choices, "a&b"))
    assert listed == "".join(f'<option value="{markupsafe.escape(value)}">' for value in choices)
    assert selectable.count(" selected") == 1 and '<option value="a&amp;b" selected>a&amp;b</option>' in selectable
    assert "<script>" not in listed + selectable and "<img" not in listed + selectable
