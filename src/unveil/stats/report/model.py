"""The report as data: sections of sentences, tables and charts, and the references behind numbers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cell:
    """One table cell; ``ref`` names the reference listing the rows behind the number."""

    text: str
    ref: str | None = None


@dataclass
class Table:
    """A table of the report."""

    title: str
    header: list[str]
    rows: list[list[Cell]]


@dataclass
class Chart:
    """A chart: ``kind`` is ``line`` (series over years) or ``bar`` (one value per label)."""

    title: str
    kind: str
    series: dict[str, list[tuple[str, float]]]
    unit: str = ""


@dataclass
class Section:
    """A section: what the numbers say, then the tables and charts that show them."""

    key: str
    title: str
    sentences: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sentence_refs: dict[str, str] = field(default_factory=dict)  # sentence -> reference listing its rows


@dataclass
class Reference:
    """The source rows behind one number."""

    key: str
    label: str
    rows: dict[str, list[int]]


@dataclass
class Report:
    """The figures section of the annual report."""

    title: str
    year: int
    sections: list[Section]
    references: list[Reference]
    sources: list[str]
    synthetic: bool = False


def compress_rows(rows: list[int]) -> str:
    """``[2, 3, 4, 9]`` -> ``2-4, 9``."""
    ordered = sorted(set(rows))
    ranges: list[str] = []
    start = previous = ordered[0] if ordered else 0
    for number in ordered[1:]:
        if number != previous + 1:
            ranges.append(f"{start}-{previous}" if previous != start else f"{start}")
            start = number
        previous = number
    if ordered:
        ranges.append(f"{start}-{previous}" if previous != start else f"{start}")
    return ", ".join(ranges)


class References:
    """Collects references while a report is built and gives each one a short key."""

    def __init__(self) -> None:
        self.items: list[Reference] = []

    def add(self, label: str, refs: list[str]) -> str | None:
        """Register the rows ``source#row`` behind a number; returns the key to link to."""
        if not refs:
            return None
        rows: dict[str, list[int]] = {}
        for ref in refs:
            source, _, row = ref.rpartition("#")
            rows.setdefault(source, []).append(int(row))
        key = f"R{len(self.items) + 1}"
        self.items.append(Reference(key, label, {s: sorted(set(r)) for s, r in sorted(rows.items())}))
        return key
