"""Screenshots of each main page of the web app at 1,366 x 768, into docs/screenshots/ (shown in docs/web.md).

Synthetic data only: a small synthetic world (600 posts by default) is generated, ingested and run
through the pipeline in a temporary workspace, with one account per role and one case shared with the
magistrate; the app is served on loopback and Debian's Chromium (Playwright) opens each page. The
PNGs are reduced to a palette of 64 colours so the set stays small.

    PYTHONPATH=src:synth python scripts/screenshots.py [--out docs/screenshots] [--posts 600] [--seed 3]
    make screenshots
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]  # fmt: skip
PASSWORD = "synthetic screenshots only"
USERS = {"investigator": "investigator", "analyst": "analyst", "magistrate": "magistrate", "admin": "admin"}
WIDTH, HEIGHT = 1366, 768


def build_workspace(root: Path, posts: int, seed: int) -> object:
    """A synthetic world through the whole pipeline, with one account per role and one shared case."""
    from unveil.auth.roles import Role
    from unveil.auth.users import add_user
    from unveil.db import connect
    from unveil.engine import create_engine
    from unveil.ingest import ingest
    from unveil.pipeline import run_pipeline
    from unveil.stages import all_stages
    from unveil.workspace import Workspace
    from unveil_synth.world import generate_world

    world = root / "world"
    generate_world(world, posts=posts, seed=seed)
    workspace = Workspace.init(root / "ws", "Operation E40 (synthetic)")
    ingest(workspace, [world])
    with create_engine("duckdb", workspace.settings) as engine:
        run_pipeline(workspace, engine, all_stages())
    db = connect(workspace)
    for role, name in USERS.items():
        add_user(db, name, Role(role), PASSWORD)
    db.close()
    return workspace


def open_case(workspace: object) -> dict[str, str]:
    """A case of the riskiest network: the network, three of its posts, a money alert, a note, a label."""
    from unveil import cases

    networks = workspace.table("link.networks").read().to_pylist()  # type: ignore[attr-defined]
    network = max(networks, key=lambda n: ((n.get("risk") or 0), n["posts"], n["network_id"]))
    members = workspace.table("link.network_posts").read().to_pylist()  # type: ignore[attr-defined]
    posts = sorted(str(m["post_id"]) for m in members if m["network_id"] == network["network_id"])[:3]
    investigator = USERS["investigator"]
    case = cases.create_case(workspace, "Operation E40", investigator, "Ads of one phone along the E40.")
    cases.add_items(workspace, case.case_id, "network", [network["network_id"]], investigator)
    cases.add_items(workspace, case.case_id, "post", posts, investigator)
    alerts = workspace.table("money.alerts").read().to_pylist() if workspace.table("money.alerts").exists() else []  # type: ignore[attr-defined]
    party = ""
    if alerts:
        alert = max(alerts, key=lambda a: (a["score"], a["alert_id"]))
        cases.add_items(workspace, case.case_id, "alert", [alert["alert_id"]], investigator)
        party = str(alert["party_id"] or "")
    cases.add_note(workspace, case.case_id, "Same phone in Ghent, Brussels and Lille within a week.", investigator)
    cases.set_label(workspace, case.case_id, "network", network["network_id"], "true_positive", investigator, "checked")
    cases.add_member(workspace, case.case_id, USERS["magistrate"], investigator)
    identifiers = workspace.table("extract.identifiers").read(columns=["post_id", "type", "value"]).to_pylist()  # type: ignore[attr-defined]
    phone = next((i for i in identifiers if i["post_id"] == posts[0] and i["type"] == "phone"), None)
    saved_searches(workspace, phone["value"] if phone else "")
    return {
        "case": case.case_id,
        "network": str(network["network_id"]),
        "post": posts[0],
        "party": party,
        "identifier": f"/identifiers/phone/{quote(phone['value'], safe='')}" if phone else "",
        "phone": phone["value"] if phone else "",
    }


def saved_searches(workspace: object, phone: str) -> None:
    """Two saved searches of the investigator, kept before the posts came in, counted as a pipeline run counts them."""
    from unveil.db import connect
    from unveil.web.commands import count_saved_searches
    from unveil.web.queries import saved
    from unveil.web.schema import WEB

    db = connect(workspace, WEB)  # type: ignore[arg-type]
    if phone:
        saved.save(db, USERS["investigator"], "The E40 phone", f"identifier={quote(phone)}")
    saved.save(db, USERS["investigator"], "Risky ads in Ghent", "city=Ghent&risk_min=0.5")
    with db:
        db.execute("UPDATE saved_searches SET last_visit_at = '2000-01-01T00:00:00+00:00'")
    db.close()
    count_saved_searches(workspace)  # type: ignore[arg-type]


def serve(workspace: object) -> tuple[str, Callable[[], None]]:
    """The app on a free loopback port, and how to stop it."""
    import uvicorn

    from unveil.web.app import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(workspace), host="127.0.0.1", port=port, log_level="error"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    return f"http://127.0.0.1:{port}", stop


def shrink(path: Path) -> None:
    """The screenshot as a 64-colour palette PNG (a fifth of the size, text still crisp)."""
    from PIL import Image

    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    reduced.save(path, optimize=True)


def shoot(base: str, facts: dict[str, str], out: Path) -> list[Path]:
    """Log in as each role and take a screenshot of each main page."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    pages = {
        "investigator": [
            ("01-dashboard", "/"),
            ("02-search", f"/search?identifier={quote(facts['phone'])}" if facts["phone"] else "/search?q=new"),
            ("03-post", f"/posts/{facts['post']}"),
            ("04-raw-capture", f"/posts/{facts['post']}/raw"),
            ("05-network", f"/networks/{facts['network']}"),
            ("06-networks", "/networks"),
            ("07-identifier", facts["identifier"]),
            ("08-money-alerts", "/money/alerts"),
            ("09-party", f"/money/parties/{quote(facts['party'], safe='')}" if facts["party"] else ""),
            ("10-cases", "/cases"),
            ("11-case", f"/cases/{facts['case']}"),
            ("12-saved-searches", "/saved-searches"),
            ("13-statistics", "/statistics"),
            ("14-statistics-series", "/statistics/series?indicator=offences_recorded&by=category"),
        ],
        "analyst": [("15-analyst-post-pseudonymised", f"/posts/{facts['post']}")],
        "magistrate": [("16-magistrate-case", f"/cases/{facts['case']}")],
        "admin": [("17-admin-audit", "/admin/audit")],
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        login = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        login.goto(f"{base}/login")
        written.append(_save(login, out / "00-login.png"))
        login.close()
        for role, wanted in pages.items():
            context = browser.new_context(
                viewport={"width": WIDTH, "height": HEIGHT}, locale="en-GB", timezone_id="Europe/Brussels"
            )
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(f"{base}/login")
            page.get_by_label("User name").fill(USERS[role])
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_selector("text=Log out")
            for name, path in wanted:
                if not path:
                    continue
                page.goto(base + path)
                if page.locator("#graph").count():
                    page.wait_for_selector("#graph[data-ready]", timeout=30_000)
                written.append(_save(page, out / f"{name}.png"))
            context.close()
        browser.close()
    return written


def _save(page: object, path: Path) -> Path:
    page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    page.screenshot(path=str(path))  # type: ignore[attr-defined]
    shrink(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--posts", type=int, default=600)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="unveil-screenshots-") as scratch:
        workspace = build_workspace(Path(scratch), args.posts, args.seed)
        facts = open_case(workspace)
        base, stop = serve(workspace)
        try:
            written = shoot(base, facts, args.out)
        finally:
            stop()
    total = sum(path.stat().st_size for path in written)
    print(f"{len(written)} screenshots, {total / 1000:.0f} kB, in {args.out} ({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
