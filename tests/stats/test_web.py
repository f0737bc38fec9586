"""The statistics pages: an analyst sees the year's figures with inline SVG charts and source rows."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from unveil.auth.roles import Role
from unveil.auth.users import add_user
from unveil.db import connect
from unveil.stats import import_statistics
from unveil.web.app import create_app
from unveil.workspace import Workspace

PASSWORD = "correct horse battery"
POLICE = """year,judicial_district,region,offence_type,count
2012,Gent,Flanders,migrant_smuggling,10
2012,Arlon,Wallonia,migrant_smuggling,5
2016,Gent,Flanders,migrant_smuggling,40
2016,Arlon,Wallonia,migrant_smuggling,<5
2016,Gent,Flanders,<script>alert(1)</script>,7
"""


@pytest.fixture(scope="module")
def analyst(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    root = tmp_path_factory.mktemp("stats-web")
    workspace = Workspace.init(root / "ws")
    (root / "police_offences.csv").write_text(POLICE, "utf-8")
    import_statistics(workspace, [root / "police_offences.csv"])
    db = connect(workspace)
    add_user(db, "anna", Role("analyst"), PASSWORD)
    add_user(db, "max", Role("magistrate"), PASSWORD)
    db.close()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(workspace), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        assert client.post("/api/session", json={"name": "anna", "password": PASSWORD}).status_code == 200
        client.headers["x-csrf-token"] = client.get("/api/me").json()["csrf_token"]
        yield client
    server.should_exit = True
    thread.join(timeout=10)


def test_the_statistics_page_tells_the_trend_with_an_inline_chart(analyst: httpx.Client) -> None:
    page = analyst.get("/statistics?year=2016")
    assert page.status_code == 200, page.text
    assert "Migrant smuggling offences tripled between 2012 and 2016" in page.text
    assert "mainly in Gent" in page.text
    assert "<svg" in page.text and "<script>alert(1)</script>" not in page.text
    assert 'id="R1"' in page.text and "police_offences:police_offences.csv: rows" in page.text


def test_the_series_api_gives_values_and_suppressed_cells(analyst: httpx.Client) -> None:
    rows = analyst.get("/api/statistics/series", params={"indicator": "offences_recorded", "by": "place"}).json()
    by_place = {(r["place"], r["year"]): (r["value"], r["suppressed"]) for r in rows}
    assert by_place[("Arlon", 2016)] == (0.0, 1) and by_place[("Gent", 2016)] == (47.0, 0)
    assert analyst.get("/statistics/series?indicator=offences_recorded&by=region").status_code == 200


def test_an_unknown_year_is_a_clear_error(analyst: httpx.Client) -> None:
    response = analyst.get("/api/statistics/report", params={"year": 1990})
    assert response.status_code == 400 and "no statistics for 1990" in response.text


def test_charts_and_tables_show_the_same_figures_and_legends_are_listed_in_full(analyst: httpx.Client) -> None:
    import re

    rows = analyst.get("/api/statistics/series", params={"indicator": "offences_recorded", "by": "region"}).json()
    wallonia = next(r for r in rows if r["region"] == "Wallonia" and r["year"] == 2016)
    # a suppressed cell (<5) is the range 1-4 in the table, drawn at its middle in the chart, as in the report
    assert wallonia["shown"] == "1–4*" and wallonia["middle"] == 2.5
    series = analyst.get("/statistics/series?indicator=offences_recorded&by=category").text
    report = analyst.get("/statistics?year=2016").text
    smuggling = next(
        r
        for r in analyst.get("/api/statistics/series", params={"indicator": "offences_recorded"}).json()
        if r["year"] == 2016 and "smuggling" in r["category"].lower()
    )
    assert smuggling["shown"] == "41–44*" and smuggling["shown"] in series and "41–44*" in report
    # legends are HTML lists beside the figure (never cut by its box), escaped; none drawn inside the SVG
    legend = re.search(r'<ul class="chart-legend">(.*?)</ul>', series, re.S)
    assert legend and "&lt;script&gt;alert(1)&lt;/script&gt;" in legend.group(1)
    assert "<script>alert(1)" not in series
    svg_texts = re.findall(r'<text x="([\d.]+)"', series)
    assert svg_texts and max(float(x) for x in svg_texts) < 640 - 100
