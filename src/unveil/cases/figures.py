"""Figures of a report as simple shapes, drawn the same way in SVG (HTML) and with fpdf2 (PDF).

A figure is a list of circles, lines, rectangles and labels on a ``width`` x ``height`` canvas; no
plotting library is needed, nothing is fetched, and both reports show the same picture.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

import igraph

from unveil.cases.material import Material

PALETTE = {"post": "#3b6ea5", "phone": "#c0392b", "email": "#8e44ad", "other": "#d68910", "bar": "#3b6ea5"}
MAX_GRAPH_NODES = 300


@dataclass(frozen=True)
class Shape:
    """One drawing primitive: ``circle`` (x, y, r), ``line`` (x, y, x2, y2), ``rect`` (x, y, w, h), ``text``."""

    kind: str
    x: float
    y: float
    a: float = 0.0
    b: float = 0.0
    color: str = "#333333"
    text: str = ""


@dataclass
class Figure:
    """A drawing on a canvas of ``width`` x ``height`` units, with a caption."""

    width: float
    height: float
    caption: str
    shapes: list[Shape] = field(default_factory=list)

    def to_svg(self) -> str:
        """The figure as an inline SVG element (all text escaped)."""
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width:.0f} {self.height:.0f}" '
            f'role="img" aria-label="{escape(self.caption)}">'
        ]
        parts.extend(_svg_shape(shape) for shape in self.shapes)
        parts.append("</svg>")
        return "".join(parts)


def _svg_shape(shape: Shape) -> str:
    if shape.kind == "circle":
        return f'<circle cx="{shape.x:.1f}" cy="{shape.y:.1f}" r="{shape.a:.1f}" fill="{shape.color}"/>'
    if shape.kind == "line":
        return (
            f'<line x1="{shape.x:.1f}" y1="{shape.y:.1f}" x2="{shape.a:.1f}" y2="{shape.b:.1f}" '
            f'stroke="{shape.color}" stroke-width="0.6"/>'
        )
    if shape.kind == "rect":
        return (
            f'<rect x="{shape.x:.1f}" y="{shape.y:.1f}" width="{shape.a:.1f}" height="{shape.b:.1f}" '
            f'fill="{shape.color}"/>'
        )
    return f'<text x="{shape.x:.1f}" y="{shape.y:.1f}" font-size="9" fill="{shape.color}">{escape(shape.text)}</text>'


def network_figure(material: Material, width: float = 500, height: float = 340) -> Figure:
    """Posts (blue) joined to the identifiers they share (red phones, purple emails)."""
    shared = Counter((row["type"], row["value"]) for row in material.identifiers)
    keys = [key for key, count in shared.most_common() if count > 1][: MAX_GRAPH_NODES // 3]
    key_set = set(keys)
    links = sorted(
        {
            (row["post_id"], (row["type"], row["value"]))
            for row in material.identifiers
            if (row["type"], row["value"]) in key_set
        }
    )
    posts = sorted({post for post, _ in links})[: MAX_GRAPH_NODES - len(keys)]
    post_set = set(posts)
    links = [(post, key) for post, key in links if post in post_set]
    figure = Figure(width, height, f"Network: {len(posts)} posts linked by {len(keys)} shared identifiers")
    if not links:
        figure.shapes.append(Shape("text", 10, height / 2, text="No shared identifiers among the case's posts."))
        return figure
    names: list[str | tuple[str, str]] = [*posts, *keys]
    index = {name: i for i, name in enumerate(names)}
    graph = igraph.Graph(n=len(names), edges=[(index[p], index[k]) for p, k in links])
    coords = _fit(graph.layout_kamada_kawai().coords, width, height)
    for post, key in links:
        (x1, y1), (x2, y2) = coords[index[post]], coords[index[key]]
        figure.shapes.append(Shape("line", x1, y1, x2, y2, "#999999"))
    for name, (x, y) in zip(names, coords, strict=True):
        kind = "post" if isinstance(name, str) else name[0]
        color = PALETTE.get(kind, PALETTE["other"])
        figure.shapes.append(Shape("circle", x, y, 3.0 if kind == "post" else 5.0, color=color))
    for (id_type, value), count in shared.most_common(8):
        if (id_type, value) in index:
            x, y = coords[index[(id_type, value)]]
            figure.shapes.append(Shape("text", x + 6, y - 3, text=f"{value} ({count})"))
    return figure


def _fit(coords: list[list[float]], width: float, height: float, margin: float = 20) -> list[tuple[float, float]]:
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return [
        (
            margin + (x - min(xs)) / span_x * (width - 2 * margin),
            margin + (y - min(ys)) / span_y * (height - 2 * margin),
        )
        for x, y in zip(xs, ys, strict=True)
    ]


def timeline_figure(material: Material, width: float = 500, height: float = 200) -> Figure:
    """Posts per month as bars, with the first and last month labelled."""
    months = Counter(_month(post["posted_at"]) for post in material.posts if post.get("posted_at"))
    figure = Figure(width, height, f"Timeline: {sum(months.values())} dated posts over {len(months)} months")
    if not months:
        figure.shapes.append(Shape("text", 10, height / 2, text="No dated posts."))
        return figure
    ordered = _month_range(min(months), max(months))
    peak = max(months.values())
    bar = (width - 40) / len(ordered)
    for i, month in enumerate(ordered):
        tall = (height - 40) * months.get(month, 0) / peak
        figure.shapes.append(Shape("rect", 30 + i * bar, height - 20 - tall, max(bar - 1, 0.5), tall, PALETTE["bar"]))
    figure.shapes.append(Shape("line", 30, height - 20, width - 10, height - 20, "#333333"))
    figure.shapes.append(Shape("text", 30, height - 6, text=ordered[0]))
    figure.shapes.append(Shape("text", width - 60, height - 6, text=ordered[-1]))
    figure.shapes.append(Shape("text", 2, 18, text=f"max {peak}"))
    return figure


def _month(value: datetime) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def _month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def city_counts(material: Material) -> Counter[str]:
    """Posts per city: the extracted best place when known, else the declared city."""
    best = {row["post_id"]: row.get("name") for row in material.places if row.get("kind") in (None, "city")}
    return Counter(best.get(post["post_id"]) or post.get("city") or "unknown" for post in material.posts)


def map_figure(material: Material, width: float = 500, height: float = 300) -> Figure:
    """Cities placed by longitude and latitude (equirectangular), circles sized by posts."""
    counts = city_counts(material)
    located: dict[str, tuple[float, float]] = {}
    for row in material.places:
        if row.get("lat") is not None and row.get("lon") is not None and row.get("name"):
            located.setdefault(row["name"], (float(row["lon"]), float(row["lat"])))
    figure = Figure(width, height, f"Map: posts in {len(counts)} places ({len(located)} with coordinates)")
    if not located:
        figure.shapes.append(Shape("text", 10, height / 2, text="No coordinates known for these places."))
        return figure
    lons, lats = [p[0] for p in located.values()], [p[1] for p in located.values()]
    span = max(max(lons) - min(lons), max(lats) - min(lats), 0.5)
    peak = max(counts.values())
    for name, (lon, lat) in sorted(located.items()):
        x = 30 + (lon - min(lons)) / span * (width - 80)
        y = height - 30 - (lat - min(lats)) / span * (height - 60)
        figure.shapes.append(Shape("circle", x, y, 3 + 12 * math.sqrt(counts.get(name, 0) / peak), color="#c0392b"))
        figure.shapes.append(Shape("text", x + 6, y + 3, text=f"{name} ({counts.get(name, 0)})"))
    return figure
