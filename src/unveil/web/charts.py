"""Charts drawn on the server as SVG geometry (no script, no tiles): a weekly timeline and a city map.

Functions return numbers and labels; templates write the ``<svg>`` elements, escaping every label.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart."""

    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass(frozen=True)
class Point:
    """A city on the map."""

    x: float
    y: float
    r: float
    label: str


@dataclass(frozen=True)
class Line:
    """A move between two cities, in time order."""

    x1: float
    y1: float
    x2: float
    y2: float
    label: str


def bars(series: list[dict[str, Any]], width: int = 800, height: int = 160, margin: int = 24) -> list[Bar]:
    """Bars for ``[{"week": date, "posts": n}, ...]`` scaled into the box (weeks without posts: no bar)."""
    if not series:
        return []
    top = max(item["posts"] for item in series) or 1
    step = (width - 2 * margin) / len(series)
    out = []
    for i, item in enumerate(series):
        if not item["posts"]:
            continue  # a timeline over months is mostly empty weeks: no label to format for them
        h = (height - 2 * margin) * item["posts"] / top
        label = f"week of {item['week']}: {item['posts']} posts"
        out.append(Bar(margin + i * step, height - margin - h, max(step - 1, 1), h, label))
    return out


def project(
    places: list[dict[str, Any]], route: list[dict[str, Any]], width: int = 800, height: int = 500, margin: int = 40
) -> tuple[list[Point], list[Line]]:
    """Equirectangular projection (longitudes shrunk by the cosine of the mean latitude) fitted to the box."""
    if not places:
        return [], []
    lats = [p["lat"] for p in places]
    lons = [p["lon"] for p in places]
    shrink = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(lons) - min(lons)) * shrink, 0.5)
    span_y = max(max(lats) - min(lats), 0.5)
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    mid_lon, mid_lat = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return width / 2 + (lon - mid_lon) * shrink * scale, height / 2 - (lat - mid_lat) * scale

    biggest = max(p["posts"] for p in places) or 1
    points = [
        Point(*xy(p["lat"], p["lon"]), 4 + 10 * math.sqrt(p["posts"] / biggest), f"{p['name']}: {p['posts']} posts")
        for p in places
    ]
    lines = []
    for a, b in itertools.pairwise(route):
        (x1, y1), (x2, y2) = xy(a["lat"], a["lon"]), xy(b["lat"], b["lon"])
        lines.append(Line(x1, y1, x2, y2, f"{a['name']} → {b['name']} ({str(b['at'])[:10]})"))
    return points, lines
