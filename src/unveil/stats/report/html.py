"""The report as one self-contained HTML file (inline SVG charts, no external assets)."""

from __future__ import annotations

import csv
import io

from jinja2 import Environment, PackageLoader, select_autoescape

from unveil.stats.report.charts import to_svg
from unveil.stats.report.model import Report, compress_rows

_ENVIRONMENT = Environment(
    loader=PackageLoader("unveil.stats.report", "templates"), autoescape=select_autoescape(["html"])
)


def render_html(report: Report) -> str:
    """The report's HTML text."""
    svgs = {section.key: [to_svg(chart) for chart in section.charts] for section in report.sections}
    template = _ENVIRONMENT.get_template("report.html")
    return template.render(report=report, svgs=svgs, compress=compress_rows)


def rows_csv(report: Report) -> str:
    """Every reference as CSV: ``reference, label, source, source_row`` (one line per row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["reference", "label", "source", "source_row"])
    for reference in report.references:
        for source, rows in reference.rows.items():
            writer.writerows([reference.key, reference.label, source, row] for row in rows)
    return buffer.getvalue()
