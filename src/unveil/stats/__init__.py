"""Statistics for the national rapporteur: official figures, trends, the hidden number, the report.

Public surface:

- ``ingest_statistics(workspace, path)``: import one statistics file (format auto-detected);
- ``import_statistics(workspace, paths)``: import files or folders under the workspace lock;
- ``read_observations(workspace)``: the harmonised table as a DataFrame.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unveil.errors import InputError
from unveil.workspace import Workspace

if TYPE_CHECKING:
    from unveil.stats.store import ImportSummary, read_observations


def __getattr__(name: str) -> Any:
    """``ImportSummary`` and ``read_observations`` load on first use, so the CLI starts fast."""
    if name not in ("ImportSummary", "read_observations"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module("unveil.stats.store"), name)


def ingest_statistics(workspace: Workspace, path: Path) -> int:
    """Import one statistics file into the workspace and return the rows imported.

    The layout is detected from the file's header (GLOTIP, UCR, US federal cases or defendants,
    or one of the generic layouts). Re-importing the same file replaces its earlier rows. Takes the
    workspace's write lock (``unveil ingest`` calls it outside its own).

    Raises:
        InputError: when the file is in no known layout.
        UsageError: when another process is writing to the workspace.
    """
    from unveil.pipeline import workspace_lock
    from unveil.stats.store import import_file

    with workspace_lock(workspace):
        return import_file(workspace, Path(path)).observations


def import_statistics(workspace: Workspace, paths: Sequence[Path]) -> tuple[list[ImportSummary], list[str]]:
    """Import every statistics file found in ``paths``, holding the workspace lock.

    A file named explicitly must be in a known layout; files found in a folder that are in no
    known layout are skipped and returned with the reason, and so is a file whose bytes (SHA-256)
    were already imported under another name (it is not counted twice).

    Returns:
        The summaries of the files imported, and one line per file skipped.
    """
    from unveil.pipeline import workspace_lock
    from unveil.stats.importers import statistics_files
    from unveil.stats.store import AlreadyImported, import_file

    summaries: list[ImportSummary] = []
    skipped: list[str] = []
    with workspace_lock(workspace):
        for path in map(Path, paths):
            for file in statistics_files(path):
                try:
                    summaries.append(import_file(workspace, file))
                except AlreadyImported as exc:
                    skipped.append(exc.message)
                except InputError as exc:
                    if path.is_file():
                        raise
                    skipped.append(exc.message)
    return summaries, skipped


__all__ = ["ImportSummary", "import_statistics", "ingest_statistics", "read_observations"]
