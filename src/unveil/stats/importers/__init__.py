"""Statistics importers, one per source format, and the detection of a file's format."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from unveil.errors import InputError
from unveil.stats.importers.base import Importer, ImportResult, Rejected, csv_header, normalise_header
from unveil.stats.importers.generic import LAYOUTS, GenericImporter
from unveil.stats.importers.glotip import GlotipImporter
from unveil.stats.importers.ucr import UcrImporter
from unveil.stats.importers.us_federal import UsFederalCasesImporter, UsFederalDefendantsImporter

IMPORTERS: tuple[Importer, ...] = (
    GlotipImporter(),
    UcrImporter(),
    UsFederalDefendantsImporter(),
    UsFederalCasesImporter(),
    *(GenericImporter(layout) for layout in LAYOUTS),
)
SUFFIXES = (".csv", ".xlsx")


def file_header(path: Path) -> list[str]:
    """The normalised first row of a CSV file or of an xlsx file's first sheet."""
    if path.suffix.lower() != ".xlsx":
        return csv_header(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise InputError(path, f"not a readable spreadsheet: {exc}") from exc
    try:
        first = next(workbook.worksheets[0].iter_rows(max_row=1, values_only=True), ())
    finally:
        workbook.close()
    return normalise_header([str(cell) if cell is not None else "" for cell in first])


def detect_importer(path: Path) -> Importer:
    """The importer whose format the file is in.

    Raises:
        InputError: when no importer recognises the file.
    """
    header = file_header(path)
    for importer in IMPORTERS:
        if importer.detect(path, header):
            return importer
    known = "; ".join(f"{i.name} ({i.description})" for i in IMPORTERS)
    raise InputError(path, f"not a known statistics layout (header {header[:8]}); known layouts: {known}")


def statistics_files(path: Path) -> list[Path]:
    """The files a path stands for: itself, or the statistics files in a folder (recursively)."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputError(path, "no such file or folder")
    found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    return [p for p in found if not any(part.startswith(".") for part in p.relative_to(path).parts)]


__all__ = [
    "IMPORTERS",
    "ImportResult",
    "Importer",
    "Rejected",
    "detect_importer",
    "file_header",
    "statistics_files",
]
