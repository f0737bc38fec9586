"""Exports to the investigators' tools: FollowTheMoney (Aleph), GEXF (Gephi), i2 CSV, Excel, CSV.

``export_workspace`` exports the whole workspace or one case's material, optionally pseudonymised,
and records the export in the custody log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from unveil.cases.exports.ftm import write_ftm
from unveil.cases.exports.gexf import write_gexf
from unveil.cases.exports.graph import build_graph
from unveil.cases.exports.i2 import write_i2
from unveil.cases.exports.pseudonymise import pseudonymise as pseudonymise_material
from unveil.cases.exports.tabular import write_csv, write_xlsx
from unveil.cases.material import Material, gather_case, gather_workspace
from unveil.cases.store import show_case
from unveil.errors import UsageError
from unveil.evidence.custody import CustodyLog
from unveil.workspace import Workspace


def _ftm(material: Material, out: Path, region: str) -> dict[str, int]:
    return dict(write_ftm(material, out, region))


def _gexf(material: Material, out: Path, region: str) -> dict[str, int]:
    nodes, links = write_gexf(build_graph(material, region), out)
    return {"nodes": nodes, "links": links}


def _i2(material: Material, out: Path, region: str) -> dict[str, int]:
    nodes, links = write_i2(build_graph(material, region), out)
    return {"nodes": nodes, "links": links}


@dataclass(frozen=True)
class Export:
    """An export format: its name, what it is for, and the writer (material, out, region) -> counts."""

    name: str
    description: str
    write: Callable[[Material, Path, str], dict[str, int]]


# The one place an export format is added (docs/cases.md lists them; tests/core/test_registries.py checks).
EXPORTS: tuple[Export, ...] = (
    Export("ftm", "FollowTheMoney JSON lines (Aleph)", _ftm),
    Export("gexf", "GEXF graph (Gephi)", _gexf),
    Export("i2", "i2 Analyst's Notebook CSV (entities and links)", _i2),
    Export("xlsx", "Excel workbook, one sheet per kind", lambda material, out, _region: write_xlsx(material, out)),
    Export("csv", "CSV files, one per kind", lambda material, out, _region: write_csv(material, out)),
)
FORMATS = tuple(export.name for export in EXPORTS)


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    counts: Mapping[str, int]

    @property
    def summary(self) -> str:
        """Counts in one line."""
        return ", ".join(f"{name} {count:,}" for name, count in self.counts.items()) or "nothing"


def write_format(material: Material, format_name: str, out: Path, region: str) -> dict[str, int]:
    """Write material in one format; return counts of what was written."""
    for export in EXPORTS:
        if export.name == format_name:
            return export.write(material, out, region)
    raise UsageError(f"unknown export format {format_name!r}: use one of {', '.join(FORMATS)}")


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    for part in sorted(path.rglob("*")) if path.is_dir() else [path]:
        if part.is_file():
            digest.update(part.name.encode())
            digest.update(part.read_bytes())
    return digest.hexdigest()


def export_workspace(
    workspace: Workspace,
    format_name: str,
    out: Path,
    actor: str,
    *,
    case_id: str | None = None,
    pseudonymise: bool = False,
) -> ExportResult:
    """Export the workspace (or one case) in a format; record it in the custody log."""
    if format_name not in FORMATS:
        raise UsageError(f"unknown export format {format_name!r}: use one of {', '.join(FORMATS)}")
    material = gather_case(workspace, show_case(workspace, case_id)) if case_id else gather_workspace(workspace)
    region = workspace.settings.default_region
    if pseudonymise:
        material = pseudonymise_material(material, workspace.settings.secret_key, region)
    counts = write_format(material, format_name, out, region)
    CustodyLog(workspace).append(
        actor,
        f"export.{format_name}",
        [case_id or workspace.settings.name, _digest(out)],
        {"file": out.name, "case": case_id, "pseudonymised": pseudonymise, "counts": counts},
    )
    return ExportResult(out, counts)
