"""The investigator's day in Chromium, on a demo-like workspace (the small synthetic world, 600 posts):
triage on the dashboard -> a high-risk post -> its network -> search its phone and add the hits to a
case in bulk -> more posts ticked in the network's and the phone's post lists, and a money alert, added
the same way -> the case, read like a file -> the court bundle -> a saved search, its new matches
counted by the pipeline's run and shown on the dashboard -> the magistrate logs in, opens the case
and downloads its bundle. Each step asserts what a person sees. Screenshots go to
test-artifacts/web/journey-*.png (git-ignored).
"""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import uvicorn

from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM
from unveil.auth.roles import Role
from unveil.auth.users import add_user
from unveil.cases import show_case, verify_bundle
from unveil.db import connect
from unveil.web.app import create_app
from unveil.web.commands import count_saved_searches
from unveil.workspace import Workspace

PASSWORD = "a long journey password"
INVESTIGATOR, MAGISTRATE = "ines", "marc"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,  # the small world's pipeline (shared with the cases tests) takes a few minutes to build
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make system-packages)"),
]


@pytest.fixture(scope="module")
def served(small_workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, str]]:
    """A writable copy of the small world with an investigator and a magistrate, served on loopback."""
    import socket

    root = tmp_path_factory.mktemp("journey") / "ws"
    shutil.copytree(small_workspace.root, root)
    workspace = Workspace.open(root)
    db = connect(workspace)
    add_user(db, INVESTIGATOR, Role.INVESTIGATOR, PASSWORD)
    add_user(db, MAGISTRATE, Role.MAGISTRATE, PASSWORD)
    db.close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(workspace), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield workspace, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _page(browser: object) -> object:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="en-GB", timezone_id="Europe/Brussels"
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.problems = problems
    return page


def _log_in(page: object, base_url: str, name: str) -> None:
    page.goto(f"{base_url}/login")  # type: ignore[attr-defined]
    page.get_by_label("User name").fill(name)  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Log in").click()  # type: ignore[attr-defined]
    page.wait_for_selector("text=Log out")  # type: ignore[attr-defined]


def _shot(page: object, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"journey-{name}.png"))  # type: ignore[attr-defined]


def _download_bundle(page: object, folder: Path, name: str) -> Path:
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.get_by_role("button", name="Download the court bundle").click()  # type: ignore[attr-defined]
    download = info.value
    assert download.suggested_filename.endswith("-bundle.zip")
    path = folder / name
    download.save_as(str(path))
    verify_bundle(path)  # intact: every file hashed, the seal matches
    return path


def _add_ticked(page: object, workspace: Workspace, case_id: str, table: str, noun: str, most: int = 2) -> None:
    """Tick up to ``most`` rows of a list not yet in the case, add them with "Add selected to case", check the case."""
    kind = "alert" if noun == "alerts" else "post"
    have = set(show_case(workspace, case_id).refs(kind))
    boxes = page.locator(f"{table} input[type=checkbox][name=ref][form=bulk-add]")  # type: ignore[attr-defined]
    values = [boxes.nth(n).get_attribute("value") or "" for n in range(boxes.count())]
    fresh = [n for n, value in enumerate(values) if value not in have][:most]
    if not fresh:
        return
    button = page.get_by_role("button", name="Add selected to case")  # type: ignore[attr-defined]
    assert button.is_disabled()  # nothing ticked yet
    for n in fresh:
        boxes.nth(n).check()
    assert page.locator("[data-selection-count]").inner_text() == f"{len(fresh)} selected"  # type: ignore[attr-defined]
    page.get_by_label(f"Add the selected {noun} to case").select_option(case_id)  # type: ignore[attr-defined]
    button.click()
    page.wait_for_selector(".added")  # type: ignore[attr-defined]
    assert f"to case {case_id}" in page.locator(".added").inner_text()  # type: ignore[attr-defined]
    assert set(show_case(workspace, case_id).refs(kind)) == have | {values[n] for n in fresh}


def test_triage_post_network_bulk_add_case_bundle_and_the_magistrates_view(
    served: tuple[Workspace, str], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    workspace, base = served
    in_network = {str(row["post_id"]) for row in workspace.table("link.network_posts").read().to_pylist()}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = _page(browser)
        _log_in(page, base, INVESTIGATOR)

        # triage: the dashboard lists new high-risk posts; open one that belongs to a network
        assert page.get_by_role("heading", name="New high-risk posts").is_visible()
        links = page.locator("section[aria-labelledby=h-new] a[href^='/posts/']")
        assert links.count() >= 1
        hrefs = [links.nth(n).get_attribute("href") or "" for n in range(links.count())]
        chosen = next(h for h in hrefs if h.rsplit("/", 1)[1] in in_network)
        _shot(page, "1-dashboard")
        page.locator(f"section[aria-labelledby=h-new] a[href='{chosen}']").first.click()

        # the post: its title, why it was flagged, its identifiers, its network
        page.wait_for_selector("h1")
        post_id = chosen.rsplit("/", 1)[1]
        post_title = page.locator("h1").inner_text()
        assert page.get_by_role("heading", name="Why it was flagged").is_visible()
        assert page.locator(".post-text mark").count() >= 1  # flags highlighted in the text
        phones = [
            row["value"]
            for row in workspace.table("extract.identifiers").read(columns=["post_id", "type", "value"]).to_pylist()
            if row["post_id"] == post_id and row["type"] == "phone"
        ]
        _shot(page, "2-post")
        page.locator("a[href^='/networks/']").first.click()

        # its network: a summary, what links the posts
        page.wait_for_selector("h1:has-text('Network')")
        network_id = page.url.rsplit("/", 1)[1]
        assert page.get_by_role("heading", name="What links the posts").is_visible()
        _shot(page, "3-network")

        # open a case (and share it with the magistrate) from the cases page
        page.get_by_role("link", name="Cases", exact=True).click()
        page.get_by_label("Title").fill("Operation journey")
        page.get_by_role("button", name="Open case").click()
        page.wait_for_selector("h1:has-text('Operation journey')")
        case_id = page.url.rsplit("/", 1)[1]
        page.get_by_label("Share with (user name)").fill(MAGISTRATE)
        page.get_by_role("button", name="Share").click()
        assert page.get_by_text(f"Shared with: {MAGISTRATE}.").is_visible()

        # search the post's phone (or its title's words) and add the hits to the case in bulk
        page.get_by_role("link", name="Search", exact=True).click()
        if phones:
            page.get_by_label("Phone or identifier (any formatting)").fill(phones[0])
        else:
            page.get_by_label("Words in the text").fill(max(post_title.split(), key=len))
        page.get_by_role("button", name="Search", exact=True).click()
        picks = page.locator("input[type=checkbox][name=ref][form=bulk-add]")
        picks.first.wait_for(timeout=15_000)
        assert page.locator("table.results .snippet mark.hit").count() >= 1  # the hit marked in its snippet
        chosen_posts = [picks.nth(n).get_attribute("value") or "" for n in range(min(3, picks.count()))]
        for n in range(len(chosen_posts)):
            picks.nth(n).check()
        page.get_by_label("Add the selected posts to case").select_option(case_id)
        _shot(page, "4-search")
        page.get_by_role("button", name="Add selected to case").click()
        page.wait_for_selector(".added")
        assert f"to case {case_id}" in page.locator(".added").inner_text()
        assert set(show_case(workspace, case_id).refs("post")) == set(chosen_posts)

        search_url = page.url

        # the network too, from its page
        page.goto(f"{base}/networks/{network_id}")
        page.get_by_label("Add this network to case").select_option(case_id)
        page.get_by_role("button", name="Add to case").click()
        page.wait_for_selector("text=Added to case")

        # more of its posts, ticked in the network's post list and added at once (as in search)
        _add_ticked(page, workspace, case_id, "table.members", "posts")
        _shot(page, "3b-network-posts-added")

        # the phone's profile: each post's snippet is cut around the phone, marked; tick and add
        if phones:
            page.goto(f"{base}/identifiers/phone/{quote(phones[0])}")
            page.wait_for_selector("h1")
            assert page.locator("table.members .snippet mark.identifier").count() >= 1
            _add_ticked(page, workspace, case_id, "table.members", "posts")

        # a money alert, ticked in the alerts list
        page.goto(f"{base}/money/alerts")
        if page.locator("input[type=checkbox][name=ref][form=bulk-add]").count():
            _add_ticked(page, workspace, case_id, "table", "alerts", 1)
        alerts = show_case(workspace, case_id).refs("alert")
        chosen_posts = show_case(workspace, case_id).refs("post")

        # the case reads like a file: titles, kinds, risks, local times, links
        page.get_by_role("link", name=case_id).first.click()
        page.wait_for_selector("#case-items")
        rows = page.locator("#case-items tbody tr")
        assert rows.count() == len(chosen_posts) + 1 + len(alerts)
        table = page.locator("#case-items").inner_text()
        titles = {
            str(row["post_id"]): row["title"]
            for row in workspace.table("ingest.posts").read(columns=["post_id", "title"]).to_pylist()
            if row["post_id"] in chosen_posts
        }
        assert all(title in table for title in titles.values() if title)
        assert "Post" in table and "Network" in table and ("Money alert" in table or not alerts)
        when = page.locator("#case-items time.local").first
        assert "UTC" in (when.get_attribute("title") or "") and "UTC" not in when.inner_text()  # shown local
        assert page.locator(f"#case-items a[href='/networks/{network_id}']").count() == 1
        assert page.locator("#case-items select[name=label]").first.input_value() == ""  # no default label
        _shot(page, "5-case")
        _download_bundle(page, tmp_path, "investigator.zip")

        # a saved search: its new matches are counted by the pipeline's run and shown on the dashboard
        page.goto(search_url)
        page.get_by_label("Save this search as").fill("Journey phone")
        page.get_by_role("button", name="Save search").click()
        page.wait_for_selector("text=Journey phone")
        db = connect(workspace)
        with db:  # as if saved before these posts were ingested
            db.execute("UPDATE saved_searches SET last_visit_at = '2000-01-01T00:00:00+00:00'")
        db.close()
        assert count_saved_searches(workspace) == 1  # what `unveil run` does once it has changed the tables
        page.goto(f"{base}/")
        saved = page.locator("section[aria-labelledby=h-saved] li", has_text="Journey phone")
        assert re.search(r"\d+ new", saved.inner_text()), saved.inner_text()
        _shot(page, "5b-dashboard-saved-search")
        page.context.close()

        # the magistrate: only the case shared with them, the same readable file, its bundle
        reader = _page(browser)
        _log_in(reader, base, MAGISTRATE)
        reader.get_by_role("link", name="Cases", exact=True).click()
        assert reader.locator("table a[href^='/cases/']").count() == 1
        reader.get_by_role("link", name=case_id).click()
        reader.wait_for_selector("#case-items")
        seen = reader.locator("#case-items").inner_text()
        assert all(title in seen for title in titles.values() if title)
        assert reader.locator("form.add-to-case, #case-items select[name=label]").count() == 0  # reads, changes nothing
        _shot(reader, "6-magistrate-case")
        _download_bundle(reader, tmp_path, "magistrate.zip")
        reader.locator(f"#case-items a[href='/posts/{chosen_posts[0]}']").click()
        reader.wait_for_selector("h1")
        assert reader.get_by_role("heading", name="Why it was flagged").is_visible()
        problems = page.problems + reader.problems  # type: ignore[attr-defined]
        browser.close()
    assert problems == [], "\n".join(problems)
    print(f"journey in the browser: {time.monotonic() - started:.1f} s")
