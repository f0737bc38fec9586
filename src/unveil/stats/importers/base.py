"""What every statistics importer provides, and the result it returns."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pandas as pd

from unveil.errors import InputError
from unveil.manifest import read_manifest
from unveil.stats.schema import MappingReport, Observation, observations_frame


@dataclass
class Rejected:
    """A source row that could not be turned into observations, and why."""

    source: str
    source_row: int
    reason: str


@dataclass
class ImportResult:
    """Observations read from one file, the labels cleaned on the way, and the rows rejected."""

    source: str
    observations: list[Observation]
    mapping: MappingReport
    rejected: list[Rejected] = field(default_factory=list)
    rows_read: int = 0

    def frame(self) -> pd.DataFrame:
        """The observations as a harmonised frame."""
        return observations_frame(self.observations)


class Importer(Protocol):
    """A reader for one source format."""

    name: str
    description: str

    def detect(self, path: Path, header: list[str]) -> bool:
        """True when the file (its name and first row) is in this importer's format."""

    def read(self, path: Path) -> ImportResult:
        """Read the whole file into harmonised observations."""


def normalise_header(names: list[str]) -> list[str]:
    """Header names compared case-insensitively, without spaces."""
    return [name.strip().lower().replace(" ", "_") for name in names]


def read_text(path: Path) -> str:
    """A text file's content, in UTF-8 or, failing that, the encoding detected."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(raw).best()
        if best is None:
            raise InputError(path, "cannot detect the text encoding") from None
        return str(best)


def csv_header(path: Path) -> list[str]:
    """The first non-comment row of a CSV file (empty when unreadable)."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            for line in handle:
                if line.strip() and not line.startswith("#"):
                    return normalise_header(next(csv.reader([line])))
    except OSError:
        return []
    return []


def csv_records(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Records of a CSV file with normalised keys and their row numbers (the header is row 1).

    Lines starting with ``#`` before the header are comments (the synthetic world labels its
    files that way) and are not counted as rows.
    """
    lines = read_text(path).splitlines(keepends=True)
    start = 0
    while start < len(lines) and (lines[start].startswith("#") or not lines[start].strip()):
        start += 1
    reader = csv.reader(io.StringIO("".join(lines[start:])))
    header = normalise_header(next(reader, []))
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        yield number, dict(zip(header, row, strict=False))


def comment_lines(path: Path) -> list[str]:
    """Leading ``#`` comment lines of a text file."""
    found: list[str] = []
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            found.append(line[1:].strip())
    return found


def is_synthetic(path: Path) -> bool:
    """True when the file says it is synthetic (a comment, a ``SYNTHETIC`` marker or a synthetic manifest beside it)."""
    if any("synthetic" in line.lower() for line in comment_lines(path)):
        return True
    folders = (path.parent, path.parent.parent)
    if any(read_manifest(folder).synthetic for folder in folders):
        return True
    return any((folder / marker).exists() for folder in folders for marker in _MARKERS)


_MARKERS = ("SYNTHETIC", "SYNTHETIC.md")
