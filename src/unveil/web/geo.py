"""The network map: posts placed by their city, an offline base map, and the moves in time order, as SVG geometry.

The base map is ``geo/basemap.json`` (Natural Earth lines, public domain, built by
``scripts/build_basemap.py``; see ``geo/SOURCE.md``): coasts and country borders of the world and, in
finer detail, of Europe, and the first-level divisions around Belgium (its provinces). A city's
coordinates come from the extractor's gazetteer (the curated files, then the world's cities), looked
up by the post's own city (``best_city``), never by places named in the text.

Functions return numbers, path strings and labels; ``CityMap.svg`` writes the ``<svg>``, escaping every label
and city name (cheaper than a Jinja expression per element).
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from markupsafe import Markup, escape

WIDTH, HEIGHT, MARGIN = 800, 500, 36
MIN_SPAN = 0.9
"""Degrees of latitude a map shows at least (a network seen in one city shows its province around it)."""
EUROPE = (-12.0, 34.0, 32.0, 62.0)
PROVINCES = (1.0, 48.5, 8.0, 52.5)
Box = tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max


@dataclass(frozen=True)
class MapPoint:
    """A city on the map."""

    x: float
    y: float
    r: float
    city: str
    posts: int
    label: str


@dataclass(frozen=True)
class Arrow:
    """The moves from one city to another: a curved path (A→B and B→A bend apart), numbered by the first move."""

    d: str
    step: int
    moves: int
    width: float
    lx: float
    ly: float
    label: str


@dataclass(frozen=True)
class CityMap:
    """Everything the map's ``<svg>`` draws."""

    points: list[MapPoint]
    arrows: list[Arrow]
    layers: list[tuple[str, str]]  # (css class, path data)
    unplaced: list[str]  # cities without coordinates

    def svg(self, label: str) -> Markup:
        """The map as an ``<svg>`` element titled ``label`` (``ui.city_map``): labels and cities escaped, the
        rest numbers and path data written by this module."""
        parts = [f'<svg class="map" viewBox="0 0 800 500" role="img" aria-label="{escape(label)}">\n{MAP_HEAD}']
        parts += [f'<path class="base {escape(css)}" d="{escape(d)}"></path>' for css, d in self.layers]
        parts += [
            f'<path class="move" d="{escape(a.d)}" stroke-width="{a.width:.1f}" marker-end="url(#arrow)">'
            f"<title>{escape(a.label)}</title></path>"
            for a in self.arrows
        ]
        parts += [
            f'<circle class="city" cx="{p.x:.1f}" cy="{p.y:.1f}" r="{p.r:.1f}"><title>{escape(p.label)}</title>'
            f'</circle>\n  <text class="city-label" x="{p.x + p.r + 2:.1f}" y="{p.y + 4:.1f}">{escape(p.city)} '
            f"({p.posts})</text>"
            for p in self.points
        ]
        parts += [f'<text class="move-step" x="{a.lx:.1f}" y="{a.ly:.1f}">{a.step}</text>' for a in self.arrows[:30]]
        parts.append(MAP_TAIL)
        return Markup("".join(parts))  # labels, cities and paths escaped above, the rest numbers


MAP_HEAD = (
    '  <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" '
    'markerHeight="11" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="arrow-head"></path></marker>'
    '</defs>\n  <rect class="sea" x="0" y="0" width="800" height="500"></rect>\n'
)
MAP_TAIL = (
    '  <text class="credit" x="796" y="494" text-anchor="end">Base map: Natural Earth (public domain)</text>\n</svg>\n'
)


@lru_cache(maxsize=1)
def _basemap() -> dict[str, list[tuple[Box, list[list[float]]]]]:
    """The base map's layers, each line with its bounding box (loaded once per process)."""
    raw = json.loads((resources.files("unveil.web") / "geo" / "basemap.json").read_text(encoding="utf-8"))
    layers: dict[str, list[tuple[Box, list[list[float]]]]] = {}
    for name, lines in raw["layers"].items():
        boxed = []
        for line in lines:
            xs, ys = [p[0] for p in line], [p[1] for p in line]
            boxed.append(((min(xs), min(ys), max(xs), max(ys)), line))
        layers[name] = boxed
    return layers


def _fold(name: str) -> str:
    from unveil.extract.places import fold

    return fold(name.strip())


@lru_cache(maxsize=1)
def _curated() -> dict[str, tuple[float, float]]:
    """Folded name or alias -> (lat, lon) of the curated gazetteer (Belgian municipalities, cities, ...)."""
    from unveil.extract.places import read_gazetteer_rows

    found: dict[str, tuple[float, float]] = {}
    for place, names in read_gazetteer_rows():
        if place.lat is None or place.lon is None or place.kind == "country":
            continue
        for name in names:
            found.setdefault(_fold(name), (place.lat, place.lon))
    return found


@lru_cache(maxsize=1)
def _world() -> dict[str, tuple[float, float]]:
    """Folded name or alias -> (lat, lon) of the world's cities (read only when a city is not curated)."""
    from unveil.extract.places import WORLD_FILE

    found: dict[str, tuple[float, float]] = {}
    raw = (resources.files("unveil.extract") / "gazetteer" / WORLD_FILE).read_bytes()
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line.startswith("#") or not line:
            continue
        _, _, _, lat, lon, _, keys = line.split("\t")  # keys: the folded name and aliases, most populous first
        if lat.strip() and lon.strip():
            at = (float(lat), float(lon))
            for key in keys.split("|"):
                found.setdefault(key, at)
    return found


def city_position(city: str | None) -> tuple[float, float] | None:
    """(lat, lon) of a post's city by name (any case or accents), or None when the gazetteer does not know it."""
    if not city:
        return None
    key = _fold(city)
    return _curated().get(key) or _world().get(key)


def _view(lats: list[float], lons: list[float]) -> tuple[Box, float]:
    """The box shown (the points with a margin, at least ``MIN_SPAN`` high) and the longitude shrink."""
    mid_lat = (max(lats) + min(lats)) / 2
    shrink = max(math.cos(math.radians(mid_lat)), 0.2)
    span_y = max(max(lats) - min(lats), MIN_SPAN) * 1.25
    span_x = max((max(lons) - min(lons)) * shrink * 1.25, span_y * (WIDTH - 2 * MARGIN) / (HEIGHT - 2 * MARGIN))
    span_y = max(span_y, span_x * (HEIGHT - 2 * MARGIN) / (WIDTH - 2 * MARGIN))
    mid_lon = (max(lons) + min(lons)) / 2
    half_x, half_y = span_x / shrink / 2, span_y / 2
    return (mid_lon - half_x, mid_lat - half_y, mid_lon + half_x, mid_lat + half_y), shrink


def _inside(a: Box, b: Box) -> bool:
    return a[0] >= b[0] and a[1] >= b[1] and a[2] <= b[2] and a[3] <= b[3]


def _meets(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


@lru_cache(maxsize=256)
def _layers(view: Box) -> list[tuple[str, str]]:
    """Path data of the base map's lines that cross the view, projected into the box (cached per view)."""
    layers = _basemap()
    if _inside(view, EUROPE):
        chosen = [("coast", "europe_coast"), ("border", "europe_borders")]
        if _meets(view, PROVINCES):
            chosen.insert(0, ("province", "provinces"))
    else:
        chosen = [("province", "world_divisions"), ("coast", "world")]
    xy = _projector(view)
    out = []
    for css, name in chosen:
        parts = []
        for box, line in layers[name]:
            if _meets(box, view):
                points = [xy(lat, lon) for lon, lat in line]
                parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points))
        if parts:
            out.append((css, "".join(parts)))
    return out


def _projector(view: Box) -> Any:
    lon0, lat0, lon1, lat1 = view
    shrink = max(math.cos(math.radians((lat0 + lat1) / 2)), 0.2)
    scale = (HEIGHT - 2 * MARGIN) / (lat1 - lat0) if lat1 > lat0 else 1.0
    mid_lon, mid_lat = (lon0 + lon1) / 2, (lat0 + lat1) / 2

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return WIDTH / 2 + (lon - mid_lon) * shrink * scale, HEIGHT / 2 - (lat - mid_lat) * scale

    return xy


def city_map(posts: list[dict[str, Any]]) -> CityMap | None:
    """The map of a network's posts: one circle per city (sized by posts), arrows for each move in time order.

    ``posts``: rows with ``city`` and ``posted_at``; None when no post has a city.
    """
    counts: dict[str, int] = {}
    for post in posts:
        if post.get("city"):
            counts[post["city"]] = counts.get(post["city"], 0) + 1
    if not counts:
        return None
    placed = {city: city_position(city) for city in counts}
    known = {city: at for city, at in placed.items() if at is not None}
    unplaced = sorted(city for city, at in placed.items() if at is None)
    if not known:
        return CityMap([], [], [], unplaced)
    view, _ = _view([at[0] for at in known.values()], [at[1] for at in known.values()])
    # the view snapped to a grid so that networks in the same area share one cached base map
    snapped = tuple(round(v * 20) / 20 for v in view)
    view = (snapped[0], snapped[1], snapped[2], snapped[3])
    xy = _projector(view)
    biggest = max(counts[c] for c in known)
    points = []
    for city, (lat, lon) in sorted(known.items(), key=lambda item: -counts[item[0]]):
        x, y = xy(lat, lon)
        n = counts[city]
        points.append(MapPoint(x, y, 4 + 10 * math.sqrt(n / biggest), city, n, f"{city}: {n} posts"))
    radius = {point.city: point.r for point in points}
    return CityMap(points, _arrows(posts, known, xy, radius), _layers(view), unplaced)


def moves(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cities in the order the posts were written: one stay per run of posts in the same city."""
    dated = sorted(
        (p for p in posts if p.get("city") and p.get("posted_at") is not None),
        key=lambda p: (p["posted_at"], p["post_id"]),
    )
    stays: list[dict[str, Any]] = []
    for post in dated:
        if stays and stays[-1]["city"] == post["city"]:
            stays[-1]["posts"] += 1
            stays[-1]["until"] = post["posted_at"]
        else:
            stays.append({"city": post["city"], "since": post["posted_at"], "until": post["posted_at"], "posts": 1})
    return stays


MAX_ARROWS = 60


def _arrows(
    posts: list[dict[str, Any]], known: dict[str, tuple[float, float]], xy: Any, radius: dict[str, float]
) -> list[Arrow]:
    """One arrow per pair of cities in the direction travelled, numbered in the order of the first such move."""
    stays = [s for s in moves(posts) if s["city"] in known]
    pairs: dict[tuple[str, str], list[Any]] = {}
    for before, after in itertools.pairwise(stays):
        if before["city"] != after["city"]:
            pairs.setdefault((before["city"], after["city"]), []).append(after["since"])
    arrows: list[Arrow] = []
    most = max((len(times) for times in pairs.values()), default=1)
    for step, ((a, b), times) in enumerate(list(pairs.items())[:MAX_ARROWS], start=1):
        (x1, y1), (x2, y2) = xy(*known[a]), xy(*known[b])
        dx, dy = x2 - x1, y2 - y1
        cx, cy = (x1 + x2) / 2 - dy * 0.2, (y1 + y2) / 2 + dx * 0.2  # bends left of the way travelled
        # the head stops at the destination's circle (pulled back along the curve's last direction)
        tx, ty = x2 - cx, y2 - cy
        length = math.hypot(tx, ty) or 1.0
        x2, y2 = x2 - tx / length * (radius.get(b, 0) + 2), y2 - ty / length * (radius.get(b, 0) + 2)
        first = times[0].date() if isinstance(times[0], datetime) else times[0]
        count = f"{len(times)} moves, first" if len(times) > 1 else "on"
        arrows.append(
            Arrow(
                f"M{x1:.1f} {y1:.1f}Q{cx:.1f} {cy:.1f} {x2:.1f} {y2:.1f}",
                step,
                len(times),
                1.2 + 3 * math.sqrt(len(times) / most),
                (x1 + x2) / 4 + cx / 2,
                (y1 + y2) / 4 + cy / 2,
                f"{step}. {a} → {b}: {count} {first}",
            )
        )
    return arrows
