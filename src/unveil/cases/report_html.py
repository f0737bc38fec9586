"""The magistrates' report as one self-contained HTML page (no scripts, nothing fetched, all text escaped)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from unveil.cases.report import Report

TEMPLATES = Path(__file__).parent / "report_templates"


def render_html(report: Report) -> str:
    """The report as HTML; criminal-written text is escaped by the template engine."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True, default_for_string=True)
    )
    return environment.get_template("report.html").render(report=report)
