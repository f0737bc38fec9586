"""``unveil ingest``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from unveil.ingest.formats import FORMATS
from unveil.workspace import Workspace


def register(app: typer.Typer) -> None:
    """Add the ingestion commands."""
    app.command()(ingest)


def ingest(
    directory: Annotated[Path, typer.Argument(help="Workspace folder.")],
    sources: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    format: Annotated[str, typer.Option("--format", help=f"Reader for every file: {'|'.join(FORMATS)}.")] = "auto",
    mapping: Annotated[
        str | None, typer.Option("--mapping", help="Column mapping: a YAML/JSON file, or a profile (posts, mto, bank).")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Who ingests, for the custody log (default: the OS user).")] = None,
) -> None:
    """Ingest files and folders (posts, pages, archives, exports, images, transfers) into a workspace."""
    from unveil.errors import UsageError
    from unveil.ingest import ingest as ingest_sources
    from unveil.ingest.mapping import load_mapping
    from unveil.progress import RichProgress

    if format not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {format!r}")
    workspace = Workspace.open(directory)
    column_mapping = load_mapping(mapping) if mapping else None
    progress = RichProgress()
    try:
        summary = ingest_sources(workspace, sources, progress, format=format, mapping=column_mapping, actor=actor)
    finally:
        progress.close()
    console = Console()
    console.print(
        f"read {summary.read:,}, stored {summary.stored:,}, duplicates {summary.duplicates:,}, "
        f"quarantined {summary.quarantined:,}"
    )
    tables = ", ".join(f"{name} +{rows:,}" for name, rows in summary.tables.items() if rows)
    console.print(
        f"{summary.files:,} files ({summary.new_evidence:,} new evidence blobs); tables: {tables or 'unchanged'}"
    )
    if summary.statistics:
        console.print(f"statistics rows: {summary.statistics:,}")
    reasons = Counter(item.rpartition(": ")[2] for item in summary.skipped)
    skipped = [f"skipped {count:,} file(s): {reason}" for reason, count in sorted(reasons.items())]
    for line in [*summary.notes, *skipped]:
        console.print(line, markup=False, highlight=False)
    if summary.quarantined:
        console.print(f"see {workspace.quarantine_dir} for the reasons")
