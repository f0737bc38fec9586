"""The material as an Excel workbook (one sheet per table) or as CSV files (one per table)."""

from __future__ import annotations

import csv
from pathlib import Path

import xlsxwriter

from unveil.cases.data import Row
from unveil.cases.exports.cells import safe_cell
from unveil.cases.material import Material

EXCEL_MAX_ROWS = 1_048_575
EXCEL_MAX_CELL = 32_767


def _columns(found: list[Row]) -> list[str]:
    columns: dict[str, None] = {}
    for row in found[:1000]:
        columns.update(dict.fromkeys(row))
    return list(columns)


def write_xlsx(material: Material, out: Path) -> dict[str, int]:
    """One sheet per non-empty table; every cell written as text (never as a formula)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    counts = {}
    workbook = xlsxwriter.Workbook(str(out), {"strings_to_formulas": False, "strings_to_urls": False})
    try:
        bold = workbook.add_format({"bold": True})
        for name, found in material.tables().items():
            if not found:
                continue
            sheet = workbook.add_worksheet(name[:31])
            columns = _columns(found)
            sheet.write_row(0, 0, columns, bold)
            for number, row in enumerate(found[:EXCEL_MAX_ROWS], start=1):
                for column, key in enumerate(columns):
                    sheet.write_string(number, column, safe_cell(row.get(key))[:EXCEL_MAX_CELL])
            sheet.freeze_panes(1, 0)
            counts[name] = min(len(found), EXCEL_MAX_ROWS)
    finally:
        workbook.close()
    return counts


def write_csv(material: Material, out: Path) -> dict[str, int]:
    """One ``<table>.csv`` per table (empty tables included, with their header when known)."""
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, found in material.tables().items():
        columns = _columns(found)
        with (out / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in found:
                writer.writerow([safe_cell(row.get(key)) for key in columns])
        counts[name] = len(found)
    return counts
