"""The online pillar's figures from pipeline tables (real Parquet parts in a real workspace)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from unveil.stats.online import online_figures
from unveil.stats.report.build import build_report
from unveil.stats.schema import empty_frame
from unveil.tables import write_part
from unveil.workspace import Workspace


def _write(workspace: Workspace, name: str, table: pa.Table) -> None:
    write_part(workspace.table(name).path, table)


def test_online_figures_count_posts_networks_indicators_and_routes(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    when = [datetime(2024, 3, d, tzinfo=UTC) for d in (1, 2, 3)] + [datetime(2024, 4, 1, tzinfo=UTC)]
    _write(
        workspace,
        "ingest.posts",
        pa.table(
            {
                "post_id": ["p1", "p2", "p3", "p4"],
                "posted_at": pa.array(when, pa.timestamp("us", "UTC")),
                "city": ["Gent", None, "Brussel", "Gent"],
            }
        ),
    )
    _write(workspace, "extract.posts", pa.table({"post_id": ["p2"], "city": ["Calais"]}))
    _write(
        workspace,
        "score.indicators",
        pa.table(
            {
                "post_id": ["p1", "p1", "p2", "p3"],
                "domain": ["sexual_exploitation", "sexual_exploitation", "smuggling", "smuggling"],
                "category": ["control", "control", "crossing", "crossing"],
            }
        ),
    )
    _write(
        workspace,
        "extract.places",
        pa.table(
            {
                "post_id": ["p2", "p2", "p3"],
                "name": ["Calais", "Dover", "Brussel"],
                "start": [30, 10, 5],
            }
        ),
    )
    _write(
        workspace,
        "link.networks",
        pa.table(
            {
                "network_id": ["n1", "n2"],
                "posts": [2, 5],
                "cities": [["Gent"], ["Gent", "Brussel"]],
                "risk": [0.5, 0.9],
                "summary": ["a", "b"],
            }
        ),
    )
    figures = online_figures(workspace)
    assert figures.missing == [] and figures.total_posts == 4
    per_city = {(r.city, r.month): r.posts for r in figures.posts_per_city_month.itertuples()}
    assert per_city == {
        ("Gent", "2024-03"): 1,
        ("Calais", "2024-03"): 1,
        ("Brussel", "2024-03"): 1,
        ("Gent", "2024-04"): 1,
    }
    prevalence = figures.indicator_prevalence.set_index(["domain", "category"])
    assert prevalence.loc[("sexual_exploitation", "control"), "posts"] == 1
    assert prevalence.loc[("smuggling", "crossing"), "share"] == 0.5
    routes = dict(zip(figures.smuggling_routes["route"], figures.smuggling_routes["posts"], strict=True))
    assert routes == {"Dover → Calais": 1, "Brussel (one place)": 1}
    assert list(figures.networks["network_id"]) == ["n2", "n1"]
    report = build_report(empty_frame(), 2024, online=figures)
    online = report.sections[0]
    assert online.key == "online" and "4 posts of that period" in online.sentences[0]
    assert any("Dover → Calais" in s for s in online.sentences)


def test_missing_tables_are_listed_not_fatal(tmp_path: Path) -> None:
    figures = online_figures(Workspace.init(tmp_path / "ws"))
    assert "score.indicators" in figures.missing and "link.networks" in figures.missing
    assert figures.networks.empty and figures.smuggling_routes.empty
