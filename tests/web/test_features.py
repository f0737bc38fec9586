"""Saved searches, adding to a case, missing tables, the API schema, local assets, the user command."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, unquote

import httpx
from typer.testing import CliRunner

from tests.web.conftest import PHONE_E164, WebWorld
from unveil.errors import UsageError
from unveil.web.app import create_app
from unveil.web.commands import user_app
from unveil.web.readmodel import ReadModel
from unveil.workspace import Workspace

WEB = Path(__file__).resolve().parents[2] / "src" / "unveil" / "web"


def test_saved_search_counts_posts_ingested_since_the_last_visit(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    client = login("investigator")
    created = client.post("/api/saved-searches", json={"name": "Lina phone", "query": "identifier=0470123456"})
    assert created.status_code == 201
    search_id = created.json()["id"]
    listed = {s["id"]: s for s in client.get("/api/saved-searches").json()}
    assert listed[search_id]["new"] == 0
    from unveil.db import connect

    db = connect(web.workspace)
    with db:
        db.execute("UPDATE saved_searches SET last_visit_at = '2000-01-01T00:00:00+00:00' WHERE id = ?", (search_id,))
    db.close()
    from unveil.web.commands import count_saved_searches

    count_saved_searches(web.workspace)  # what a pipeline run does once it has changed the tables
    assert {s["id"]: s for s in client.get("/api/saved-searches").json()}[search_id]["new"] == 4
    visit = client.get(f"/saved-searches/{search_id}")
    assert visit.status_code == 303 and "identifier=0470123456" in visit.headers["location"]
    assert {s["id"]: s for s in client.get("/api/saved-searches").json()}[search_id]["new"] == 0


def test_network_is_added_to_a_case_from_its_page(web: WebWorld, login: Callable[[str], httpx.Client]) -> None:
    from unveil.cases import create_case, show_case

    case = create_case(web.workspace, "Operation Lina", "ivan")
    client = login("investigator")
    network_id = client.get(f"/api/posts/{web.post_id('W-PHONE-0')}").json()["networks"][0]["network_id"]
    page = client.get(f"/networks/{network_id}")
    assert case.case_id in page.text
    answer = client.post(
        "/case-items",
        data={
            "case_id": case.case_id,
            "kind": "network",
            "ref": network_id,
            "csrf_token": client.headers["x-csrf-token"],
        },
    )
    assert answer.status_code == 303
    assert network_id in show_case(web.workspace, case.case_id).refs("network")
    assert (
        login("analyst").post("/api/case-items", json={"case_id": case.case_id, "kind": "post", "ref": "x"}).status_code
        == 403
    )


def test_posts_of_a_network_and_of_an_identifier_are_ticked_and_added_to_a_case_at_once(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    from unveil.cases import create_case, show_case

    case = create_case(web.workspace, "Operation bulk", "ivan")
    client = login("investigator")
    network_id = client.get(f"/api/posts/{web.post_id('W-PHONE-0')}").json()["networks"][0]["network_id"]
    added: set[str] = set()
    for path, count in ((f"/networks/{network_id}", 1), (f"/identifiers/phone/{quote(PHONE_E164)}", 2)):
        page = client.get(path).text
        form = page.split('<form id="bulk-add"')[1].split("</form>")[0]
        assert case.case_id in form and "Add selected to case" in form
        refs = re.findall(r'name="ref" value="([^"]+)" form="bulk-add"', page)
        assert len(refs) >= 4 and 'data-pick-all="bulk-add"' in page, path
        back = re.search(r'name="next" value="([^"]+)"', form).group(1).replace("&amp;", "&")
        picked = [ref for ref in refs if ref not in added][:count]
        answer = client.post(
            "/case-items",
            data={
                "case_id": case.case_id,
                "kind": "post",
                "ref": picked,
                "next": back,
                "csrf_token": client.headers["x-csrf-token"],
            },
        )
        assert answer.status_code == 303 and answer.headers["location"].startswith(unquote(path) + "?added=")
        note = "Added 2 items to case" if count == 2 else "Added to case"
        assert note in client.get(answer.headers["location"]).text
        added.update(picked)
    assert set(show_case(web.workspace, case.case_id).refs("post")) == added


def test_identifier_page_lists_every_post(web: WebWorld, login: Callable[[str], httpx.Client]) -> None:
    data = login("investigator").get(f"/api/identifiers/phone/{PHONE_E164}").json()
    assert data["post_count"] == 4
    assert {c["city"] for c in data["cities"]} == {"Ghent", "Antwerp"}


def test_pages_say_not_computed_on_an_empty_workspace(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "empty")
    tables = ReadModel(workspace)
    assert not tables.has("link.networks")
    from unveil.web.queries.dashboard import money_alerts, top_networks

    assert top_networks(tables) is None and money_alerts(tables) is None
    app = create_app(workspace)
    assert app.state.read_model.has("link.networks") is False


def test_openapi_schema_lists_the_api_and_no_page(web: WebWorld, login: Callable[[str], httpx.Client]) -> None:
    schema = login("analyst").get("/api/openapi.json").json()  # after login only (docs/security.md)
    paths = set(schema["paths"])
    assert {"/api/posts", "/api/posts/{post_id}", "/api/networks/{network_id}", "/api/dashboard"} <= paths
    assert all(path.startswith("/api/") for path in paths)


def test_no_asset_comes_from_outside() -> None:
    outside = re.compile(r"(src|href)=[\"']?(https?:)?//", re.IGNORECASE)
    for path in [*WEB.glob("templates/**/*.html"), *WEB.glob("static/*.css"), *WEB.glob("static/*.js")]:
        assert not outside.search(path.read_text("utf-8")), path
        assert "@import" not in path.read_text("utf-8"), path


def test_vendor_files_are_installed_not_committed() -> None:
    from unveil.web.assets import missing_assets

    assert missing_assets() == [], "run `make web-assets`"
    ignored = (WEB.parents[2] / ".gitignore").read_text()
    assert "src/unveil/web/static/vendor/" in ignored


def test_user_add_command_creates_an_account(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    result = CliRunner().invoke(user_app, ["add", "carla", "--role", "magistrate", "--workspace", str(workspace.root)])
    assert result.exit_code == 0, result.output
    assert "Password: " in result.output
    listed = CliRunner().invoke(user_app, ["list", "-w", str(workspace.root)])
    assert "carla" in listed.output and "magistrate" in listed.output


def test_user_add_with_unknown_role_is_refused(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    result = CliRunner().invoke(user_app, ["add", "carla", "--role", "boss", "-w", str(workspace.root)])
    assert isinstance(result.exception, UsageError) and "unknown role" in str(result.exception)


def test_demo_accounts_cover_every_role_and_log_in(tmp_path: Path) -> None:
    from io import StringIO

    from rich.console import Console

    from unveil.auth.users import authenticate
    from unveil.db import connect
    from unveil.web.demo_users import create_demo_users

    workspace = Workspace.init(tmp_path / "demo")
    passwords = create_demo_users(workspace, Console(file=StringIO()))
    again = create_demo_users(workspace, Console(file=StringIO()))
    db = connect(workspace)
    try:
        assert {authenticate(db, name, password).role.value for name, password in again.items()} == set(passwords)
        assert all(authenticate(db, name, passwords[name]) is None for name in passwords)
    finally:
        db.close()


def test_post_ids_in_a_reason_become_links_and_the_rest_stays_text() -> None:
    from unveil.web.pages import create_environment

    page = create_environment().from_string('{% import "_macros.html" as ui %}{{ ui.reason(text) }}')
    html = page.render(text="<b>x</b> in 3 posts (p036bd9693209978f66d3, p04b139b4953335b530e0 and 1 more); xp0")
    assert html == (
        '&lt;b&gt;x&lt;/b&gt; in 3 posts (<a href="/posts/p036bd9693209978f66d3">p036bd9693209978f66d3</a>, '
        '<a href="/posts/p04b139b4953335b530e0">p04b139b4953335b530e0</a> and 1 more); xp0'
    )
