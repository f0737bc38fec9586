"""Charts drawn on the server as SVG geometry (no script): a weekly timeline with its axes (the map: ``geo.py``).

Functions return numbers and labels; ``Timeline.svg`` writes the ``<svg>`` element, escaping every label
(cheaper than a Jinja expression per bar, tick and label).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Bar:
    """One bar of a bar chart."""

    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass(frozen=True)
class Tick:
    """A labelled tick of an axis (``at``: x for the time axis, y for the count axis)."""

    at: float
    label: str


@dataclass(frozen=True)
class Timeline:
    """A weekly bar chart with its axes: bars, ticks of the time axis (months) and of the count axis."""

    bars: list[Bar]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    left: float
    right: float
    top: float
    bottom: float

    def svg(self) -> Markup:
        """The chart as an ``<svg>`` element: each label escaped, every number written by this code."""
        left, right, top, bottom = self.left, self.right, self.top, self.bottom
        parts = ['<svg class="chart timeline" viewBox="0 0 800 200" role="img" aria-label="Posts per week">\n']
        parts += [
            f'<line class="grid" x1="{left}" x2="{right}" y1="{t.at:.1f}" y2="{t.at:.1f}"></line>'
            f'<text class="axis" x="{left - 6:.1f}" y="{t.at + 4:.1f}" text-anchor="end">{escape(t.label)}</text>'
            for t in self.y_ticks
        ]
        parts += [
            f'<rect class="bar" x="{b.x:.1f}" y="{b.y:.1f}" width="{b.width:.1f}" height="{b.height:.1f}">'
            f"<title>{escape(b.label)}</title></rect>"
            for b in self.bars
        ]
        parts.append(f'    <line class="axis-line" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"></line>\n')
        parts.append(f'    <line class="axis-line" x1="{left}" x2="{left}" y1="{top}" y2="{bottom}"></line>\n')
        parts += [
            f'<line class="axis-line" x1="{t.at:.1f}" x2="{t.at:.1f}" y1="{bottom}" y2="{bottom + 4:.1f}"></line>'
            f'<text class="axis" x="{t.at:.1f}" y="{bottom + 16:.1f}">{escape(t.label)}</text>'
            for t in self.x_ticks
        ]
        parts.append("  </svg>")
        return Markup("".join(parts))  # labels escaped above, the rest numbers


def _nice_step(top: int, ticks: int = 4) -> int:
    """A round step (1, 2, 5 times a power of ten) that splits ``top`` into about ``ticks`` parts."""
    raw = max(top / ticks, 1)
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def timeline_chart(series: list[dict[str, Any]], width: int = 800, height: int = 200) -> Timeline | None:
    """Posts per week with a count axis (round steps, gridlines) and a time axis (first week of each month or year)."""
    if not series:
        return None
    left, right, top, bottom = 44.0, width - 12.0, 12.0, height - 28.0
    peak = max(item["posts"] for item in series) or 1
    step = _nice_step(peak)
    y_max = step * math.ceil(peak / step)
    slot = (right - left) / len(series)

    def y(value: float) -> float:
        return bottom - (bottom - top) * value / y_max

    bars_out = [
        Bar(
            left + i * slot,
            y(item["posts"]),
            max(slot - 1, 1),
            bottom - y(item["posts"]),
            f"week of {item['week']}: {item['posts']} posts",
        )
        for i, item in enumerate(series)
        if item["posts"]
    ]
    y_ticks = [Tick(y(v), str(v)) for v in range(0, y_max + 1, step)]
    months = len({(item["week"].year, item["week"].month) for item in series})
    every = 1 if months <= 12 else 3 if months <= 36 else 12
    x_ticks: list[Tick] = []
    seen: set[tuple[int, int]] = set()
    for i, item in enumerate(series):
        week = item["week"]
        key = (week.year, week.month)
        if key in seen or (week.month - 1) % every:
            continue
        seen.add(key)
        label = week.strftime("%b %Y") if every < 12 else str(week.year)
        x_ticks.append(Tick(left + i * slot, label))
    if len(x_ticks) > 14:  # keep labels apart
        keep = math.ceil(len(x_ticks) / 14)
        x_ticks = x_ticks[::keep]
    return Timeline(bars_out, x_ticks, y_ticks, left, right, top, bottom)
