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
