"""The money pages and API on the fixture world, as an investigator sees them."""

from __future__ import annotations

import html
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from tests.money.builders import alerts_of
from unveil.auth.roles import Role
from unveil.auth.users import add_user
from unveil.db import connect
from unveil.web.app import create_app
from unveil.workspace import Workspace

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def investigator(money_world: Workspace) -> Iterator[httpx.Client]:
    """An investigator logged in to the app served on loopback."""
    db = connect(money_world)
    if not db.execute("SELECT 1 FROM users WHERE name = 'ines'").fetchone():
        add_user(db, "ines", Role.INVESTIGATOR, PASSWORD)
    db.close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(money_world), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        response = client.post("/api/session", json={"name": "ines", "password": PASSWORD})
        assert response.status_code == 200, response.text
        client.headers["x-csrf-token"] = client.get("/api/me").json()["csrf_token"]
        yield client
    server.should_exit = True
    thread.join(timeout=10)


def test_alerts_page_lists_alerts_with_their_reasons(investigator: httpx.Client) -> None:
    page = investigator.get("/money/alerts", params={"typology": "many_senders"})
    assert page.status_code == 200
    assert "Viktor Boss" in page.text and "different senders" in page.text and "Straw Holder" not in page.text


def test_alerts_api_pages_alerts(investigator: httpx.Client) -> None:
    body = investigator.get("/api/money/alerts").json()
    assert body["page"] == 1 and body["alerts"] and all(alert["reasons"] for alert in body["alerts"])


def test_party_page_shows_its_ads_weights_and_transfers(investigator: httpx.Client, money_world: Workspace) -> None:
    alert = next(a for a in alerts_of(money_world, "online_identifiers") if a["party_name"] == "Viktor Boss")
    page = investigator.get(f"/money/parties/{alert['party_id']}")
    assert page.status_code == 200
    assert alert["post_ids"][0] in page.text and "+32470999999" in page.text and "many" in page.text.lower()
    post = alert["post_ids"][0]
    title = next(row["title"] for row in money_world.table("ingest.posts").read().to_pylist() if row["post_id"] == post)
    if title:  # its posts are shown by their titles, each a box to tick and add to a case
        assert f'<a href="/posts/{post}">{html.escape(title)}</a>' in page.text
    assert f'name="ref" value="{post}" form="bulk-add"' in page.text


def test_party_api_of_an_unknown_party_is_404(investigator: httpx.Client) -> None:
    assert investigator.get("/api/money/parties/P000").status_code == 404


def test_network_money_page_answers(investigator: httpx.Client) -> None:
    assert investigator.get("/money/networks/N00001").status_code == 200
    assert investigator.get("/api/money/networks/N00001").json()["network_id"] == "N00001"
