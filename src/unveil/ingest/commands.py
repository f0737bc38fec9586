"""``unveil ingest``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from unveil.workspace import Workspace


def register(app: typer.Typer) -> None:
    """Add the ingestion commands."""
    app.command()(ingest)


def ingest(
    directory: Annotated[Path, typer.Argument(help="Workspace folder.")],
    sources: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
) -> None:
    """Ingest source files into a workspace."""
    from unveil.ingest import ingest as ingest_sources
    from unveil.progress import RichProgress

    workspace = Workspace.open(directory)
    progress = RichProgress()
    try:
        summary = ingest_sources(workspace, sources, progress)
    finally:
        progress.close()
    Console().print(
        f"read {summary.read:,}, stored {summary.stored:,}, duplicates {summary.duplicates:,}, "
        f"quarantined {summary.quarantined:,}"
    )
