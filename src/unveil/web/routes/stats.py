"""Statistics pages for the rapporteur's analysts: the harmonised figures, the year's report, the online pillar.

Every figure is built by ``unveil.stats`` from the workspace's ``statistics.observations`` table
(``unveil stats import``); charts are inline SVG drawn on the server from the same shapes the PDF
report draws, and every number carries the source rows it comes from.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd
from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from unveil.auth.roles import Permission
from unveil.errors import UsageError
from unveil.stats import trends
from unveil.stats.online import online_figures
from unveil.stats.report.build import build_report
from unveil.stats.report.charts import HEIGHT, WIDTH, geometry, legend
from unveil.stats.report.model import Report, compress_rows
from unveil.stats.report.sentences import bounded
from unveil.stats.store import imported_sources, read_observations
from unveil.web.deps import Audit, CanViewStatistics, Page, Tables, WorkspaceDep
from unveil.web.routes import NavEntry

router = APIRouter(tags=["statistics"])
nav = NavEntry("Statistics", "/statistics", Permission.VIEW_STATISTICS, order=60)


def _observations(workspace: WorkspaceDep, tables: Tables) -> pd.DataFrame:
    # read once per snapshot of the tables: a new import changes the snapshot
    frame: pd.DataFrame = tables.cached("stats.observations", lambda: read_observations(workspace))
    return frame


def _years(frame: pd.DataFrame) -> list[int]:
    return sorted({int(y) for y in frame["year"].unique()}, reverse=True)


def _report(workspace: WorkspaceDep, tables: Tables, year: int | None) -> tuple[Report | None, list[int]]:
    frame = _observations(workspace, tables)
    years = _years(frame)
    if frame.empty:
        return None, years
    chosen = year if year is not None else years[0]
    if chosen not in years:
        raise UsageError(f"no statistics for {chosen}; years: {years[-1]} to {years[0]}")
    online = tables.cached("stats.online", lambda: online_figures(workspace))
    return build_report(frame, chosen, online=online), years


def _chart_view(chart: Any) -> dict[str, Any]:
    """A chart's shapes, its legend listed beside it in HTML (read in full, never cut by the figure's box)."""
    shapes = [asdict(shape) for shape in geometry(chart, with_legend=False)]
    return {"title": chart.title, "width": WIDTH, "height": HEIGHT, "shapes": shapes, "legend": legend(chart)}


@router.get("/statistics", response_class=HTMLResponse, include_in_schema=False)
def statistics_page(
    workspace: WorkspaceDep,
    tables: Tables,
    user: CanViewStatistics,
    audit: Audit,
    page: Page,
    year: int | None = None,
) -> HTMLResponse:
    """The year's figures: sentences, charts, tables, and the rows behind every number."""
    audit.view("statistics", "report", f"year={year}" if year else "")
    report, years = _report(workspace, tables, year)
    charts = {s.key: [_chart_view(c) for c in s.charts] for s in report.sections} if report else {}
    context = {
        "report": report,
        "years": years,
        "charts": charts,
        "sources": imported_sources(workspace),
        "compress": compress_rows,
    }
    return page.render("stats/index.html", context)


@router.get("/statistics/series", response_class=HTMLResponse, include_in_schema=False)
def series_page(
    workspace: WorkspaceDep,
    tables: Tables,
    user: CanViewStatistics,
    audit: Audit,
    page: Page,
    indicator: str = "offences_recorded",
    by: str = "category",
    dimension: str | None = None,
) -> HTMLResponse:
    """One indicator's series by category, place or region, as a chart and a table."""
    audit.view("statistics", "series", f"indicator={indicator}; by={by}")
    rows = _series(workspace, tables, indicator, by, dimension)
    frame = _observations(workspace, tables)
    indicators = sorted(frame["indicator"].unique()) if not frame.empty else []
    chart = None
    if rows:
        from unveil.stats.report.model import Chart

        points: dict[str, list[tuple[str, float]]] = {}
        for row in rows:
            points.setdefault(str(row[by]), []).append((str(row["year"]), float(row["middle"])))
        top = sorted(points, key=lambda key: -sum(v for _, v in points[key]))[:8]
        chart = _chart_view(Chart(f"{indicator} by {by}", "line", {key: points[key] for key in top}))
    context = {"rows": rows, "indicator": indicator, "by": by, "dimension": dimension, "indicators": indicators}
    return page.render("stats/series.html", {**context, "chart": chart})


@router.get("/api/statistics/series")
def series_api(
    workspace: WorkspaceDep,
    tables: Tables,
    user: CanViewStatistics,
    audit: Audit,
    indicator: str = "offences_recorded",
    by: str = "category",
    dimension: str | None = None,
) -> list[dict[str, Any]]:
    """Values of one indicator per year and ``by`` (category, place or region), with suppressed cells counted."""
    audit.view("statistics", "series", f"indicator={indicator}; by={by}")
    return _series(workspace, tables, indicator, by, dimension)


def _series(
    workspace: WorkspaceDep, tables: Tables, indicator: str, by: str, dimension: str | None
) -> list[dict[str, Any]]:
    if by not in ("category", "place", "region"):
        raise UsageError(f"by must be category, place or region, not {by!r}")
    frame = _observations(workspace, tables)
    if frame.empty:
        return []
    data = trends.series(trends.select(frame, indicator, dimension), by)
    return [
        {
            by: str(row[by]),
            "year": int(row["year"]),
            "value": float(row["value"]),
            "suppressed": int(row["suppressed"]),
            # as the year's tables and charts show it: the range a suppressed cell leaves, drawn at its middle
            "shown": bounded(float(row["value"]), int(row["suppressed"])) + ("*" if row["suppressed"] else ""),
            "middle": float(row["value"]) + trends.SUPPRESSED_MIDDLE * int(row["suppressed"]),
        }
        for row in data.to_dict("records")
    ]


@router.get("/api/statistics/report")
def report_api(
    workspace: WorkspaceDep, tables: Tables, user: CanViewStatistics, audit: Audit, year: int | None = None
) -> dict[str, Any]:
    """The year's report as data: sections (sentences, tables, charts) and the references of every number."""
    audit.view("statistics", "report", f"year={year}" if year else "")
    report, years = _report(workspace, tables, year)
    if report is None:
        return {"years": years, "report": None}
    return {"years": years, "report": asdict(report)}
