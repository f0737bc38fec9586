"""The search page in a real browser (Debian's Chromium through Playwright): facets that filter on click,
hits marked, a page of results selected at once and added to a case, hostile text inert."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.conftest import WebWorld
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, _log_in, _page, _shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (make system-packages)"),
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def test_facets_filter_on_click_and_a_page_of_results_goes_to_a_case(chromium: object, web: WebWorld) -> None:
    from unveil.cases import create_case, show_case

    case = create_case(web.workspace, "Search in the browser", "ivan")
    page = _page(chromium)
    _log_in(page, web.base_url, "investigator")
    page.goto(f"{web.base_url}/search?q=new")  # type: ignore[attr-defined]
    total = int(page.locator(".total").inner_text())  # type: ignore[attr-defined]
    assert total == page.locator("table.results tbody tr").count()  # type: ignore[attr-defined]
    assert page.locator("mark.hit").count() >= total  # type: ignore[attr-defined]
    city = page.locator("#facet-city + ul li").first  # type: ignore[attr-defined]
    expected = int(city.locator(".count").inner_text())
    city.locator("a").click()
    page.wait_for_selector("a[aria-label^='Remove the city filter']")  # type: ignore[attr-defined]
    assert int(page.locator(".total").inner_text()) == expected  # type: ignore[attr-defined]
    button = page.get_by_role("button", name="Add selected to case")  # type: ignore[attr-defined]
    assert button.is_disabled()
    page.get_by_label("Select every post of this page").check()  # type: ignore[attr-defined]
    assert page.locator("[data-selection-count]").inner_text() == f"{expected} selected"  # type: ignore[attr-defined]
    page.get_by_label("Add the selected posts to case").select_option(case.case_id)  # type: ignore[attr-defined]
    button.click()
    page.wait_for_selector(f"text=Added {expected} post")  # type: ignore[attr-defined]
    _shot(page, "search-facet-bulk-add")
    assert len(show_case(web.workspace, case.case_id).refs("post")) == expected
    assert page.evaluate("() => window.__xss === undefined")  # type: ignore[attr-defined]
    assert page.problems == [], "\n".join(page.problems)  # type: ignore[attr-defined]
