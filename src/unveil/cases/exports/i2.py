"""i2 Analyst's Notebook-style import files: an entity CSV and a link CSV."""

from __future__ import annotations

import csv
from pathlib import Path

from unveil.cases.exports.cells import safe_cell
from unveil.cases.exports.graph import EntityGraph

ENTITY_COLUMNS = ["Entity ID", "Entity Type", "Label", "City", "Date", "Platform", "Network", "Evidence SHA-256"]
LINK_COLUMNS = ["Link ID", "From ID", "To ID", "Link Type", "Label", "Direction", "Date", "Weight"]


def write_i2(graph: EntityGraph, out: Path) -> tuple[int, int]:
    """Write ``entities.csv`` and ``links.csv`` into the folder ``out``; return (entities, links)."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / "entities.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ENTITY_COLUMNS)
        for entity in graph.entities.values():
            a = entity.attributes
            writer.writerow(
                [
                    safe_cell(v)
                    for v in (
                        entity.id,
                        entity.type,
                        entity.label,
                        a.get("city"),
                        a.get("posted_at"),
                        a.get("platform"),
                        a.get("network"),
                        a.get("evidence_sha256"),
                    )
                ]
            )
    with (out / "links.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(LINK_COLUMNS)
        for link in graph.links:
            direction = "Directed" if link.directed else "None"
            writer.writerow(
                [
                    safe_cell(v)
                    for v in (
                        link.id,
                        link.source,
                        link.target,
                        link.type,
                        link.label,
                        direction,
                        link.date,
                        f"{link.weight:g}",
                    )
                ]
            )
    return len(graph.entities), len(graph.links)
