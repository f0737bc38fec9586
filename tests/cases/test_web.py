"""The case workspace in the web app: create, add items, notes, labels, bundle download; roles respected."""

from __future__ import annotations

import io
import socket
import threading
import time
import zipfile
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from unveil.auth.roles import Role
from unveil.auth.users import add_user
from unveil.cases import show_case, verify_bundle
from unveil.db import connect
from unveil.web.app import create_app
from unveil.workspace import Workspace

PASSWORD = "a long enough password"
USERS = {"investigator": "iris", "magistrate": "mona", "analyst": "arno"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def app_client(case_workspace: Workspace) -> Iterator[httpx.Client]:
    """The web app on loopback (a real server), with one user per role that cases concern."""
    db = connect(case_workspace)
    for role, name in USERS.items():
        add_user(db, name, Role(role), PASSWORD)
    db.close()
    port = _free_port()
    config = uvicorn.Config(create_app(case_workspace), host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the web server did not start"
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", follow_redirects=False, timeout=120) as client:
        yield client
    server.should_exit = True
    thread.join(timeout=10)


def log_in(client: httpx.Client, role: str) -> None:
    client.cookies.clear()
    client.headers.pop("x-csrf-token", None)
    response = client.post("/api/session", json={"name": USERS[role], "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["x-csrf-token"] = client.get("/api/me").json()["csrf_token"]


def test_an_investigator_builds_a_case_in_the_browser_pages(
    app_client: httpx.Client, case_workspace: Workspace, top_network: str
) -> None:
    log_in(app_client, "investigator")
    created = app_client.post("/cases", data={"title": "Web case <i>x</i>", "description": ""})
    assert created.status_code == 303
    case_id = created.headers["location"].rsplit("/", 1)[1]
    assert app_client.post(f"/cases/{case_id}/items", data={"kind": "network", "ref": top_network}).status_code == 303
    assert app_client.post(f"/cases/{case_id}/notes", data={"text": "<script>x()</script>"}).status_code == 303
    labelled = app_client.post(
        f"/cases/{case_id}/labels", data={"kind": "network", "ref": top_network, "label": "false_positive"}
    )
    assert labelled.status_code == 303
    page = app_client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert top_network in page.text and "false positive" in page.text
    assert "<script>x()" not in page.text and "&lt;i&gt;x&lt;/i&gt;" in page.text
    detail = show_case(case_workspace, case_id)
    assert detail.labels[0]["author"] == USERS["investigator"]
    bundle = app_client.post(f"/cases/{case_id}/bundle")
    assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/zip"
    path = case_workspace.root / "downloaded.zip"
    path.write_bytes(bundle.content)
    verify_bundle(path)
    export = app_client.post(f"/cases/{case_id}/export", data={"format": "csv", "pseudonymise": "true"})
    assert export.status_code == 200
    assert "posts.csv" in zipfile.ZipFile(io.BytesIO(export.content)).namelist()


def test_a_magistrate_reads_cases_but_cannot_change_them(
    app_client: httpx.Client, top_case: str, case_workspace: Workspace
) -> None:
    from unveil.cases import add_member

    log_in(app_client, "magistrate")
    assert app_client.get(f"/cases/{top_case}").status_code == 403  # not shared with them yet
    add_member(case_workspace, top_case, USERS["magistrate"], USERS["investigator"])
    assert app_client.get(f"/cases/{top_case}").status_code == 200
    assert app_client.get("/api/cases").status_code == 200
    assert app_client.post(f"/cases/{top_case}/notes", data={"text": "no"}).status_code == 403


def test_an_analyst_sees_no_cases(app_client: httpx.Client, top_case: str) -> None:
    log_in(app_client, "analyst")
    assert app_client.get(f"/api/cases/{top_case}").status_code == 403


def _first(workspace: Workspace, table: str, column: str, n: int = 1) -> list[str]:
    return [str(v) for v in workspace.table(table).read(columns=[column]).column(0).to_pylist()[:n]]


def test_a_case_reads_like_a_file_with_items_added_from_their_pages_and_removed_with_a_reason(
    app_client: httpx.Client, case_workspace: Workspace, top_network: str, top_alert: str
) -> None:
    log_in(app_client, "investigator")
    case_id = app_client.post("/api/cases", json={"title": "Readable file"}).json()["case_id"]
    posts = _first(case_workspace, "ingest.posts", "post_id", 3)
    party = _first(case_workspace, "money.parties", "party_id")[0]
    transfer = _first(case_workspace, "ingest.transfers", "transfer_id")[0]
    # the money pages carry the control: a party, its alerts and transfers, the alert list
    party_page = app_client.get(f"/money/parties/{party}").text
    assert 'action="/case-items"' in party_page and 'value="party"' in party_page and 'value="transfer"' in party_page
    assert 'value="alert"' in app_client.get("/money/alerts").text
    # one route for every page, several refs at once (bulk add), back to the page it came from
    bulk = app_client.post(
        "/case-items",
        data={"case_id": case_id, "kind": "post", "ref": posts, "next": "/search?q=x&added=C9"},
    )
    assert bulk.status_code == 303 and bulk.headers["location"] == f"/search?q=x&added={case_id}&added_count=3"
    for kind, ref in (("network", top_network), ("alert", top_alert), ("party", party), ("transfer", transfer)):
        added = app_client.post("/case-items", data={"case_id": case_id, "kind": kind, "ref": ref, "next": "//evil"})
        assert added.status_code == 303 and added.headers["location"].startswith("/"), added.text
        assert not added.headers["location"].startswith("//")
    assert app_client.post("/case-items", data={"case_id": case_id, "kind": "post", "ref": "nope"}).status_code == 404
    assert f'href="/cases/{case_id}"' in app_client.get(f"/money/parties/{party}?added={case_id}").text
    page = app_client.get(f"/cases/{case_id}").text
    for kind_name in ("Post", "Network", "Money alert", "Party", "Transfer"):
        assert f"<td>{kind_name}</td>" in page
    title = case_workspace.table("ingest.posts").read(columns=["post_id", "title"]).to_pylist()
    titles = {row["post_id"]: row["title"] for row in title}
    assert all(str(titles[p]) in page for p in posts if titles[p])  # titles, not bare ids
    assert f'href="/posts/{posts[0]}"' in page and f'href="/networks/{top_network}"' in page
    assert '<time class="local" datetime=' in page and "+00:00</td>" not in page  # local times, not raw ISO
    assert '<option value="" selected disabled>' in page and '<option value="true_positive" selected' not in page
    # a label must be chosen; removing needs a reason, kept in the history
    assert app_client.post(
        f"/cases/{case_id}/labels", data={"kind": "post", "ref": posts[0], "label": ""}
    ).status_code in (400, 422)
    no_reason = app_client.post(f"/cases/{case_id}/items/remove", data={"kind": "post", "ref": posts[1]})
    assert no_reason.status_code == 400
    removed = app_client.post(
        f"/cases/{case_id}/items/remove", data={"kind": "post", "ref": posts[1], "reason": "a duplicate of <b>p0</b>"}
    )
    assert removed.status_code == 303
    assert posts[1] not in show_case(case_workspace, case_id).refs("post")
    page = app_client.get(f"/cases/{case_id}").text
    assert "removed post" in page and "a duplicate of &lt;b&gt;p0&lt;/b&gt;" in page
    # the magistrate reads the same file (links only to what they may open) and downloads the bundle
    app_client.post(f"/cases/{case_id}/members", data={"name": USERS["magistrate"]})
    log_in(app_client, "magistrate")
    seen = app_client.get(f"/cases/{case_id}").text
    assert f'href="/posts/{posts[0]}"' in seen and "<td>Money alert</td>" in seen
    assert "/money/parties/" not in seen and 'action="/case-items"' not in seen and "Mark or remove" not in seen
    bundle = app_client.post(f"/cases/{case_id}/bundle")
    assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/zip"
