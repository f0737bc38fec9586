"""The magistrates' report as PDF, with fpdf2 and a Unicode font (ads are in Arabic, Bulgarian, Romanian...)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from unveil.cases.figures import Figure, Shape
from unveil.cases.report import Report, ReportTable, Section
from unveil.errors import UsageError

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
PAGE_WIDTH = 190.0
PDF_MAX_ROWS = 60
ROW_HEIGHT = 3.8


def font_paths(font_dir: Path = FONT_DIR) -> dict[str, Path]:
    """The DejaVu font files, or a clear error naming the package that provides them."""
    paths = {style: font_dir / name for style, name in FONT_FILES.items()}
    missing = [str(path) for path in paths.values() if not path.is_file()]
    if missing:
        raise UsageError(
            f"PDF reports need the DejaVu fonts, missing: {', '.join(missing)} "
            "(install Debian's fonts-dejavu-core, e.g. with scripts/system-packages.sh)"
        )
    return paths


def render_pdf(report: Report, font_dir: Path = FONT_DIR) -> bytes:
    """The report as PDF bytes."""
    pdf = FPDF(format="A4")
    for style, path in font_paths(font_dir).items():
        pdf.add_font("DejaVu", style, str(path))
    pdf.set_title(report.title)
    pdf.set_creator("unveil")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, report.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(0, 5, report.subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for section in report.sections:
        _section(pdf, section)
    return bytes(pdf.output())


def _section(pdf: FPDF, section: Section) -> None:
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 7, section.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 9)
    for paragraph in section.paragraphs:
        pdf.multi_cell(0, 4.5, paragraph, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    for figure in section.figures:
        _figure(pdf, figure)
    for table in section.tables:
        _table(pdf, table)


def _column_widths(table: ReportTable, rows: list[list[str]]) -> list[float]:
    """Widths in mm, proportional to each column's typical length, each at least 12 mm."""
    lengths = [
        min(max([len(column), *(len(row[i]) for row in rows)]), 60) + 4 for i, column in enumerate(table.columns)
    ]
    total = sum(lengths)
    widths = [max(PAGE_WIDTH * length / total, 12.0) for length in lengths]
    scale = PAGE_WIDTH / sum(widths)
    return [width * scale for width in widths]


def _fit(pdf: FPDF, value: str, width: float) -> str:
    """The text cut (with an ellipsis) to fit in a cell of this width, on one line."""
    flat = " ".join(value.split())
    limit = max(int(width / (pdf.font_size * 0.55)), 3)
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    while len(flat) > 1 and pdf.get_string_width(flat) > width - 1:
        flat = flat[: max(len(flat) - 4, 1)] + "…"
    return flat


def _table(pdf: FPDF, table: ReportTable) -> None:
    """A table of one-line cells; long cells are cut here and given whole in report.html and data/."""
    if not table.rows:
        pdf.set_font("DejaVu", "", 8)
        pdf.multi_cell(0, 4, f"No {table.what}.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    rows = table.rows[:PDF_MAX_ROWS]
    widths = _column_widths(table, rows)
    pdf.set_font("DejaVu", "B", 7)
    pdf.set_fill_color(235, 235, 235)
    _row(pdf, table.columns, widths, fill=True)
    pdf.set_font("DejaVu", "", 7)
    for cells in rows:
        _row(pdf, cells, widths, fill=False)
    hidden = len(table.rows) - len(rows)
    note = " ".join(filter(None, [f"{hidden} more rows in report.html." if hidden else "", table.note]))
    if note:
        pdf.multi_cell(0, 4, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 9)
    pdf.ln(1)


def _row(pdf: FPDF, cells: list[str], widths: list[float], *, fill: bool) -> None:
    if pdf.get_y() + ROW_HEIGHT > pdf.h - pdf.b_margin:
        pdf.add_page()
    for cell, width in zip(cells, widths, strict=True):
        pdf.cell(width, ROW_HEIGHT, _fit(pdf, cell, width), border=1, fill=fill)
    pdf.ln(ROW_HEIGHT)


def _figure(pdf: FPDF, figure: Figure) -> None:
    scale = PAGE_WIDTH / figure.width
    height = figure.height * scale
    if pdf.get_y() + height + 10 > pdf.h - pdf.b_margin:
        pdf.add_page()
    left, top = pdf.l_margin, pdf.get_y()
    pdf.set_draw_color(200, 200, 200)
    pdf.rect(left, top, PAGE_WIDTH, height)
    pdf.set_font("DejaVu", "", 6)
    for shape in figure.shapes:
        _shape(pdf, shape, left, top, scale)
    pdf.set_y(top + height + 1)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(0, 4, figure.caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 9)


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _shape(pdf: FPDF, shape: Shape, left: float, top: float, scale: float) -> None:
    x, y = left + shape.x * scale, top + shape.y * scale
    red, green, blue = _rgb(shape.color)
    pdf.set_draw_color(red, green, blue)
    pdf.set_fill_color(red, green, blue)
    pdf.set_text_color(red, green, blue)
    if shape.kind == "circle":
        radius = shape.a * scale
        pdf.ellipse(x - radius, y - radius, 2 * radius, 2 * radius, style="F")
    elif shape.kind == "line":
        pdf.set_line_width(0.1)
        pdf.line(x, y, left + shape.a * scale, top + shape.b * scale)
    elif shape.kind == "rect":
        pdf.rect(x, y, shape.a * scale, shape.b * scale, style="F")
    else:
        pdf.text(x, y, shape.text)
    pdf.set_text_color(0, 0, 0)
