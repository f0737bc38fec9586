"""In a real browser (Debian's Chromium through Playwright): the investigator's path, a refused role, hostile ads.

Screenshots of each step are kept under test-artifacts/web/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import PASSWORD, USERS, WebWorld

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make system-packages)"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def _page(browser: object, width: int = 1280, height: int = 900) -> object:
    context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(60_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.problems = problems
    return page


def _log_in(page: object, base_url: str, role: str) -> None:
    page.goto(f"{base_url}/login")  # type: ignore[attr-defined]
    page.get_by_label("User name").fill(USERS[role])  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Log in").click()  # type: ignore[attr-defined]
    page.wait_for_selector("text=Log out")  # type: ignore[attr-defined]


def _shot(page: object, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_investigator_finds_a_phone_opens_its_network_and_adds_it_to_a_case(browser: object, web: WebWorld) -> None:
    from unveil.cases import create_case, show_case

    case = create_case(web.workspace, "Operation browser", USERS["investigator"])
    page = _page(browser)
    _log_in(page, web.base_url, "investigator")
    _shot(page, "01-dashboard")
    page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_label("Phone or identifier (any formatting)").fill("0470/12.34.56")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_selector("table.results")
    _shot(page, "02-search-phone")
    assert page.locator("table.results tbody tr").count() >= 4
    page.locator("table.results tbody tr td a[href^='/networks/']").first.click()
    page.wait_for_selector("#graph[data-ready]")
    assert int(page.locator("#graph").get_attribute("data-ready")) >= 2  # the phone and the template of its ads
    assert "Why linked" in page.content()
    _shot(page, "03-network")
    page.get_by_label("Add this network to case").select_option(case.case_id)
    page.get_by_role("button", name="Add to case").click()
    page.wait_for_selector("text=Added to case")
    _shot(page, "04-added-to-case")
    assert show_case(web.workspace, case.case_id).refs("network")
    assert page.problems == [], "\n".join(page.problems)


def test_magistrate_is_refused_the_search(browser: object, web: WebWorld) -> None:
    page = _page(browser, 820, 1180)  # a tablet held upright
    _log_in(page, web.base_url, "magistrate")
    response = page.goto(f"{web.base_url}/search?q=Lina")
    assert response.status == 403
    assert "may not search posts" in page.content()
    _shot(page, "05-magistrate-refused")


def test_hostile_ad_is_shown_as_text_and_runs_nothing(browser: object, web: WebWorld) -> None:
    page = _page(browser)
    _log_in(page, web.base_url, "investigator")
    page.goto(f"{web.base_url}/posts/{web.post_id('W-XSS')}")
    text = page.locator(".post-text").inner_text()
    assert "<script>window.__xss" in text and "onerror=" in text and "javascript:" in text
    assert page.evaluate("() => window.__xss === undefined && parent.__xss === undefined")
    assert (
        page.locator(".post-text script, .post-text img, .post-text a, .post-text svg, .post-text iframe").count() == 0
    )
    assert page.locator("a[href^='javascript']").count() == 0
    page.locator(".post-text").click()
    page.locator(".post-text").hover()
    assert page.evaluate("() => window.__xss === undefined")
    _shot(page, "06-hostile-ad")
    page.goto(f"{web.base_url}/posts/{web.post_id('W-XSS')}/raw")
    assert page.evaluate("() => window.__xss === undefined")
    assert not [p for p in page.problems if "dialog" in p]


def test_keyboard_reaches_the_search_form(browser: object, web: WebWorld) -> None:
    page = _page(browser)
    _log_in(page, web.base_url, "analyst")
    page.goto(f"{web.base_url}/search")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "q":
            break
    assert page.evaluate("() => document.activeElement.id") == "q"
    shutil.rmtree(ARTIFACTS / "tmp", ignore_errors=True)


def test_analyst_network_page_holds_no_part_of_an_identifier(browser: object, web: WebWorld) -> None:
    """Everything the browser receives and shows on an analyst's network page: pseudonyms only."""
    from tests.web.test_pseudonyms import leaks, network_of, secrets_of

    windows, words = secrets_of(web)
    page = _page(browser)
    received: list[str] = []

    def keep(response: object) -> None:
        with contextlib.suppress(Exception):  # a redirect, or a body the browser did not keep
            received.append(response.text())  # type: ignore[attr-defined]

    _log_in(page, web.base_url, "analyst")
    page.on("response", keep)
    for source in ("W-CUT-0", "W-PHONE-0"):
        page.goto(f"{web.base_url}/networks/{network_of(web, source)}")
        page.wait_for_selector("#graph[data-ready]")
        assert int(page.locator("#graph").get_attribute("data-ready")) >= 2
        received += [page.content(), page.locator("body").inner_text()]
        labels = page.evaluate("() => Array.from(document.querySelectorAll('*')).map(e => e.title || '').join(' ')")
        received.append(labels)
    _shot(page, "07-analyst-network")
    assert any("/graph" in text or '"nodes"' in text for text in received)
    found = leaks(received, windows, words)
    assert not found, found[:5]
    assert page.problems == [], "\n".join(page.problems)
