"""The report as PDF (fpdf2), with Debian's DejaVu fonts for any script and linked source rows."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from unveil.errors import UsageError
from unveil.stats.report.charts import HEIGHT, WIDTH, Shape, geometry
from unveil.stats.report.model import Chart, Report, Table, compress_rows

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"
CHART_WIDTH_MM = 170.0
MAX_RANGES = 60


def _new_document() -> FPDF:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if not regular.exists() or not bold.exists():
        raise UsageError(f"the PDF report needs the DejaVu fonts in {FONT_DIR} (Debian package fonts-dejavu-core)")
    document = FPDF(format="A4")
    document.add_font(FONT, "", str(regular))
    document.add_font(FONT, "B", str(bold))
    document.set_auto_page_break(True, margin=15)
    document.set_font(FONT, size=10)
    return document


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _draw_shape(document: FPDF, shape: Shape, x0: float, y0: float, scale: float) -> None:
    c = shape.coords
    red, green, blue = _hex(shape.colour)
    if shape.kind == "line":
        document.set_draw_color(red, green, blue)
        document.line(x0 + c[0] * scale, y0 + c[1] * scale, x0 + c[2] * scale, y0 + c[3] * scale)
    elif shape.kind == "rect":
        document.set_fill_color(red, green, blue)
        document.rect(x0 + c[0] * scale, y0 + c[1] * scale, c[2] * scale, max(c[3] * scale, 0.01), style="F")
    else:
        document.set_text_color(red, green, blue)
        width = document.get_string_width(shape.label)
        shift = {"end": width, "middle": width / 2}.get(shape.anchor, 0.0)
        document.text(x0 + c[0] * scale - shift, y0 + c[1] * scale, shape.label)


def _draw_chart(document: FPDF, chart: Chart) -> None:
    scale = CHART_WIDTH_MM / WIDTH
    if document.get_y() + HEIGHT * scale + 12 > document.h - 15:
        document.add_page()
    document.set_font(FONT, "B", 9)
    document.cell(0, 6, chart.title, new_x="LMARGIN", new_y="NEXT")
    x0, y0 = document.l_margin, document.get_y()
    document.set_font(FONT, size=6)
    for shape in geometry(chart):
        _draw_shape(document, shape, x0, y0, scale)
    document.set_text_color(0, 0, 0)
    document.set_draw_color(0, 0, 0)
    document.set_fill_color(255, 255, 255)  # the last bar's colour must not fill the next table
    document.set_y(y0 + HEIGHT * scale + 4)


def _draw_table(document: FPDF, table: Table, links: dict[str, int]) -> None:
    document.set_font(FONT, "B", 9)
    document.multi_cell(0, 5, table.title, new_x="LMARGIN", new_y="NEXT")
    document.set_font(FONT, size=7)
    heading = FontFace(emphasis="BOLD", color=(0, 0, 0), fill_color=(230, 236, 242))
    document.set_fill_color(255, 255, 255)
    document.set_text_color(0, 0, 0)
    with document.table(
        headings_style=heading,
        text_align="LEFT",
        line_height=4.5,
        first_row_as_headings=True,
        cell_fill_mode="NONE",
    ) as grid:
        header = grid.row()
        for name in table.header:
            header.cell(name)
        for row in table.rows:
            line = grid.row()
            for cell in row:
                line.cell(cell.text, link=links.get(cell.ref) if cell.ref else None)
    document.ln(3)


def render_pdf(report: Report, path: Path) -> None:
    """Write the report as a PDF file."""
    document = _new_document()
    document.add_page()
    document.set_title(report.title)
    links = {reference.key: document.add_link() for reference in report.references}
    document.set_font(FONT, "B", 15)
    document.multi_cell(0, 8, report.title, new_x="LMARGIN", new_y="NEXT")
    document.set_font(FONT, size=9)
    if report.synthetic:
        document.set_text_color(160, 80, 0)
        document.multi_cell(
            0, 5, "SYNTHETIC DATA: these figures come from a synthetic world.", new_x="LMARGIN", new_y="NEXT"
        )
        document.set_text_color(0, 0, 0)
    document.multi_cell(0, 5, "Sources: " + ", ".join(report.sources), new_x="LMARGIN", new_y="NEXT")
    for section in report.sections:
        document.ln(4)
        document.set_font(FONT, "B", 13)
        document.multi_cell(0, 7, section.title, new_x="LMARGIN", new_y="NEXT")
        document.set_font(FONT, size=10)
        for sentence in section.sentences:
            key = section.sentence_refs.get(sentence)
            document.multi_cell(0, 5, sentence + (f" [{key}]" if key else ""), new_x="LMARGIN", new_y="NEXT")
            document.ln(1)
        for chart in section.charts:
            _draw_chart(document, chart)
        for table in section.tables:
            _draw_table(document, table, links)
        document.set_font(FONT, size=8)
        for note in section.notes:
            document.multi_cell(0, 4, note, new_x="LMARGIN", new_y="NEXT")
    _appendix(document, report, links)
    document.output(str(path))


def _appendix(document: FPDF, report: Report, links: dict[str, int]) -> None:
    document.add_page()
    document.set_font(FONT, "B", 13)
    document.cell(0, 7, "Appendix: sources and rows", new_x="LMARGIN", new_y="NEXT")
    document.set_font(FONT, size=8)
    document.multi_cell(0, 4, "Rows are spreadsheet or CSV row numbers (header = row 1); rows.csv lists them all.")
    document.ln(2)
    for reference in report.references:
        document.set_link(links[reference.key], page=document.page_no(), y=document.get_y())
        document.set_font(FONT, "B", 8)
        document.multi_cell(0, 4, f"{reference.key}: {reference.label}", new_x="LMARGIN", new_y="NEXT")
        document.set_font(FONT, size=7)
        for source, rows in reference.rows.items():
            ranges = compress_rows(rows).split(", ")
            shown = ", ".join(ranges[:MAX_RANGES]) + (
                f" ... ({len(ranges) - MAX_RANGES} more ranges)" if len(ranges) > MAX_RANGES else ""
            )
            document.multi_cell(0, 3.5, f"{source}: rows {shown}", new_x="LMARGIN", new_y="NEXT")
