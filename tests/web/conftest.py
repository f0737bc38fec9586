"""Fixtures of the web tests: a small crafted workspace through the real pipeline, a real server, logins.

The workspace holds ads written to test the app: one phone written four ways across four ads in
two cities (a network), an ad full of XSS payloads, and ordinary ads. It runs through every stage,
then the app is served by uvicorn on a free loopback port.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest
import uvicorn

from unveil.auth.roles import Role
from unveil.auth.users import add_user
from unveil.db import connect
from unveil.engine import create_engine
from unveil.ingest import ingest
from unveil.pipeline import run_pipeline
from unveil.stages import all_stages
from unveil.web.app import create_app
from unveil.workspace import Workspace

PASSWORD = "correct horse battery"
USERS = {"admin": "ada", "investigator": "ivan", "analyst": "anna", "magistrate": "max"}
PHONE_E164 = "+32470123456"
PHONE_FORMS = ("0470 12 34 56", "+32 470/12.34.56", "0032470123456", "0470-123-456")
XSS_TEXT = (
    'Sweet new girl <script>window.__xss = "script"</script> call 0488 77 66 55 '
    "<img src=x onerror=\"window.__xss = 'img'\"> <a href=\"javascript:window.__xss='link'\">my site</a> "
    '"><svg onload="window.__xss=\'svg\'"> <iframe src="javascript:parent.__xss=1"></iframe> {{ 7*7 }}'
)


CUT_PHONE_E164 = "+32468490922"
CUT_PHONE = "0468 49 09 22"
CUT_EMAIL = "mia.secret@example.org"
FILLER = "Mia, elegant companion in Namur, discreet and friendly, available for dinner dates and more. " * 4


def cut_text(phone_at: int) -> str:
    """An ad whose phone starts at ``phone_at``: snippets of 160 (networks) and 240 (search) characters cut it."""
    return f"{FILLER[: phone_at - 1]} {CUT_PHONE} or write to {CUT_EMAIL}, kisses."


def crafted_posts() -> list[dict[str, object]]:
    """Ads written for the tests (fictional people and numbers)."""
    posts: list[dict[str, object]] = []
    for n, form in enumerate(PHONE_FORMS):
        city = "Ghent" if n % 2 == 0 else "Antwerp"
        posts.append(
            {
                "id": f"W-PHONE-{n}",
                "title": f"Lina new in {city}",
                "kind": "ad",
                "platform": "ads.example",
                "url": f"https://ads.example/{city.lower()}/{n}",
                "author": "Lina",
                "city": city,
                "country": "BE",
                "posted_at": f"2024-03-{n + 1:02d}T20:00:00+00:00",
                "text": f"Lina, 19, new in {city}, 24/7 outcall. Call me {form}, only 100 euro per hour.",
            }
        )
    posts.append(
        {
            "id": "W-XSS",
            "title": '<script>window.__xss="title"</script>Hot',
            "kind": "ad",
            "platform": "ads.example",
            "url": "javascript:window.__xss='url'",
            "author": '<b onmouseover="window.__xss=1">Bad</b>',
            "city": "Liège",
            "country": "BE",
            "posted_at": "2024-03-09T21:00:00+00:00",
            "text": XSS_TEXT,
        }
    )
    for n, phone_at in enumerate((152, 234)):  # cut in the middle by the network (160) and search (240) snippets
        posts.append(
            {
                "id": f"W-CUT-{n}",
                "title": f"Call {CUT_PHONE} now",
                "kind": "ad",
                "platform": "ads.example",
                "url": f"https://ads.example/namur/{n}",
                "author": "Mia",
                "city": "Namur",
                "country": "BE",
                "posted_at": f"2024-03-{n + 20:02d}T22:00:00+00:00",
                "text": cut_text(phone_at),
            }
        )
    posts.append(
        {
            "id": "W-BIDI",
            "title": "\u202eHot new\u202c girl",
            "kind": "ad",
            "platform": "ads.example",
            "url": "https://ads.example/bidi",
            "author": "\u202eadmin",
            "city": "Brussels",
            "country": "BE",
            "posted_at": "2024-03-15T21:00:00+00:00",
            "text": "Sweet\u200b girl, new here, call\u2066 me\u2069 tonight.",
        }
    )
    for n in range(6):
        posts.append(
            {
                "id": f"W-PLAIN-{n}",
                "title": f"Bike for sale {n}",
                "kind": "ad",
                "platform": "market.example",
                "url": f"https://market.example/{n}",
                "author": f"seller{n}",
                "city": "Brussels",
                "country": "BE",
                "posted_at": f"2024-02-{n + 1:02d}T10:00:00+00:00",
                "text": f"Selling a used bike, model {n}, good state.",
            }
        )
    return posts


@dataclass
class WebWorld:
    """The crafted workspace, its running app and its address."""

    workspace: Workspace
    base_url: str

    def post_id(self, source_id: str) -> str:
        """The post_id ingestion gave to a crafted ad."""
        table = self.workspace.table("ingest.posts").read(columns=["post_id", "source_id"])
        for post_id, source in zip(table["post_id"].to_pylist(), table["source_id"].to_pylist(), strict=True):
            if source == source_id:
                return str(post_id)
        raise KeyError(source_id)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def web_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The crafted ads ingested and run through every stage, with one user per role."""
    world = tmp_path_factory.mktemp("web-world")
    (world / "posts").mkdir()
    lines = [json.dumps(post, ensure_ascii=False) for post in crafted_posts()]
    (world / "posts" / "crafted.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    workspace = Workspace.init(tmp_path_factory.mktemp("web-ws") / "ws", "web tests")
    with (workspace.root / "unveil.toml").open("a", encoding="utf-8") as settings:
        settings.write("workers = 1\n")  # a dozen posts: worker processes would cost more than they save
    workspace = Workspace.open(workspace.root)
    ingest(workspace, [world])
    with create_engine("duckdb", workspace.settings) as engine:
        run_pipeline(workspace, engine, all_stages())
    db = connect(workspace)
    for role, name in USERS.items():
        add_user(db, name, Role(role), PASSWORD)
    db.close()
    return workspace


@pytest.fixture(scope="session")
def web(web_workspace: Workspace) -> Iterator[WebWorld]:
    """The app served by uvicorn on loopback for the whole session."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(web_workspace), host="127.0.0.1", port=port, log_level="error", proxy_headers=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the web server did not start"
    yield WebWorld(web_workspace, f"http://127.0.0.1:{port}")
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def login(web: WebWorld) -> Iterator[Callable[[str], httpx.Client]]:
    """``login(role)``: an HTTP client logged in as that role's user (closed after the test)."""
    clients: list[httpx.Client] = []

    def log_in(role: str) -> httpx.Client:
        client = httpx.Client(base_url=web.base_url, follow_redirects=False, timeout=30)
        clients.append(client)
        response = client.post("/api/session", json={"name": USERS[role], "password": PASSWORD})
        assert response.status_code == 200, response.text
        client.headers["x-csrf-token"] = client.get("/api/me").json()["csrf_token"]
        return client

    yield log_in
    for client in clients:
        client.close()


@pytest.fixture
def anonymous(web: WebWorld) -> Iterator[httpx.Client]:
    """A client that has not logged in."""
    with httpx.Client(base_url=web.base_url, follow_redirects=False, timeout=30) as client:
        yield client
