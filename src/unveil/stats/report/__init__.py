"""The annual report's figures section: built from the numbers, written as HTML and PDF."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from unveil.stats.mse import MseEstimate
from unveil.stats.online import OnlineFigures
from unveil.stats.report.build import build_report
from unveil.stats.report.html import render_html, rows_csv
from unveil.stats.report.model import Report
from unveil.stats.report.pdf import render_pdf


def write_report(
    frame: pd.DataFrame,
    year: int,
    out: Path,
    places: list[str] | None = None,
    online: OnlineFigures | None = None,
    estimates: list[tuple[str, MseEstimate]] | None = None,
    first: int | None = None,
) -> Report:
    """Build the report and write ``report.html``, ``report.pdf`` and ``rows.csv`` into ``out``."""
    report = build_report(frame, year, places, online, estimates, first)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.html").write_text(render_html(report), "utf-8")
    (out / "rows.csv").write_text(rows_csv(report), "utf-8")
    render_pdf(report, out / "report.pdf")
    return report


__all__ = ["Report", "build_report", "render_html", "render_pdf", "write_report"]
