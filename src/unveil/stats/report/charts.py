"""Charts as simple shapes (lines, rectangles, text) in a box, drawn as SVG or into a PDF.

One geometry, two renderers: the HTML report and the web app inline the SVG; the PDF draws the
same shapes with fpdf2, so both show the same chart.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from html import escape

from unveil.stats.report.model import Chart

WIDTH, HEIGHT = 640.0, 310.0
LEFT, RIGHT, TOP, BOTTOM = 60.0, 160.0, 20.0, 50.0
PALETTE = ("#1f5f8b", "#c0392b", "#27ae60", "#8e44ad", "#d68910", "#16a085", "#7f8c8d", "#2c3e50")


@dataclass(frozen=True)
class Shape:
    """A line (x1, y1, x2, y2), a rect (x, y, w, h) or a text (x, y, label) in chart units."""

    kind: str
    coords: tuple[float, ...]
    colour: str = "#333333"
    label: str = ""
    anchor: str = "start"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return float(step * magnitude)
    return float(10 * magnitude)


def _format(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:.2g}"


def _axes(top: float, right: float = RIGHT) -> list[Shape]:
    shapes = [Shape("line", (LEFT, HEIGHT - BOTTOM, WIDTH - right, HEIGHT - BOTTOM))]
    for step in range(5):
        value = top * step / 4
        y = HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * step / 4
        shapes.append(Shape("line", (LEFT, y, WIDTH - right, y), "#dddddd"))
        shapes.append(Shape("text", (LEFT - 6, y + 4), label=_format(value), anchor="end"))
    return shapes


def wrap(label: str, width: int, most: int = 3) -> list[str]:
    """A label on up to ``most`` lines of about ``width`` characters, broken at spaces (never cut mid-word)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > most:
        lines = [*lines[: most - 1], " ".join(lines[most - 1 :])]
    return lines or [""]


NO_LEGEND_RIGHT = 20.0
"""The right margin of a chart whose legend is drawn beside it (the web page's HTML list), not inside."""


def legend(chart: Chart) -> list[tuple[str, str]]:
    """Each series' name and colour, in the order the chart draws them."""
    return [(name, PALETTE[number % len(PALETTE)]) for number, name in enumerate(chart.series)]


def geometry(chart: Chart, with_legend: bool = True) -> list[Shape]:
    """The shapes of a chart; ``with_legend=False`` leaves the legend out (the caller lists ``legend(chart)``
    in full) and gives its room to the plot."""
    values = [v for points in chart.series.values() for _, v in points]
    top = _nice_max(max(values, default=0.0))
    right = RIGHT if with_legend else NO_LEGEND_RIGHT
    shapes = _axes(top, right)
    labels = list(dict.fromkeys(x for points in chart.series.values() for x, _ in points))
    if not labels:
        return shapes
    plot_w, plot_h = WIDTH - LEFT - right, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(labels)
    every = max(1, math.ceil(len(labels) / 12))
    chars = max(6, int(slot * every / 6.5))
    for index, label in enumerate(labels):
        if index % every == 0:
            for line_number, line in enumerate(wrap(label, chars, 2)):
                y = HEIGHT - BOTTOM + 14 + 11 * line_number
                shapes.append(Shape("text", (LEFT + slot * (index + 0.5), y), label=line, anchor="middle"))
    legend_y = TOP
    for number, (name, points) in enumerate(chart.series.items()):
        colour = PALETTE[number % len(PALETTE)]
        where = {x: v for x, v in points}
        if chart.kind == "bar":
            width = slot * 0.8 / len(chart.series)
            for index, label in enumerate(labels):
                height = plot_h * where.get(label, 0.0) / top
                x = LEFT + slot * index + slot * 0.1 + width * number
                shapes.append(Shape("rect", (x, HEIGHT - BOTTOM - height, width, height), colour))
        else:
            coordinates = [
                (LEFT + slot * (labels.index(x) + 0.5), HEIGHT - BOTTOM - plot_h * v / top) for x, v in points
            ]
            for (x1, y1), (x2, y2) in itertools.pairwise(coordinates):
                shapes.append(Shape("line", (x1, y1, x2, y2), colour))
            shapes.extend(Shape("rect", (x - 2, y - 2, 4, 4), colour) for x, y in coordinates)
        if not with_legend:
            continue
        shapes.append(Shape("rect", (WIDTH - RIGHT + 10, legend_y, 10, 10), colour))
        for line_number, line in enumerate(wrap(name, 20)):
            shapes.append(Shape("text", (WIDTH - RIGHT + 24, legend_y + 9 + 11 * line_number), label=line))
        legend_y += 11 * len(wrap(name, 20)) + 4
    return shapes


def to_svg(chart: Chart) -> str:
    """The chart as an inline SVG element (no external assets)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" role="img" '
        f'aria-label="{escape(chart.title)}" class="chart" font-family="sans-serif" font-size="11">',
        f"<title>{escape(chart.title)}</title>",
    ]
    for shape in geometry(chart):
        c = shape.coords
        if shape.kind == "line":
            parts.append(
                f'<line x1="{c[0]:.1f}" y1="{c[1]:.1f}" x2="{c[2]:.1f}" y2="{c[3]:.1f}" stroke="{shape.colour}"/>'
            )
        elif shape.kind == "rect":
            parts.append(
                f'<rect x="{c[0]:.1f}" y="{c[1]:.1f}" width="{c[2]:.1f}" height="{c[3]:.1f}" fill="{shape.colour}"/>'
            )
        else:
            parts.append(
                f'<text x="{c[0]:.1f}" y="{c[1]:.1f}" text-anchor="{shape.anchor}" fill="{shape.colour}">'
                f"{escape(shape.label)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)
