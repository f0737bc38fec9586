"""Where a report's figures come from: a workspace, or a folder of statistics files read in place."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from unveil.config import SETTINGS_FILE
from unveil.errors import InputError
from unveil.stats.importers import detect_importer, statistics_files
from unveil.stats.online import OnlineFigures, online_figures
from unveil.stats.schema import empty_frame
from unveil.stats.store import file_sha256, read_observations
from unveil.workspace import Workspace


def read_folder(folder: Path) -> pd.DataFrame:
    """Every statistics file in a folder, imported in memory.

    Files in no known layout are skipped, and so is a file whose bytes (SHA-256) equal an earlier one's.
    """
    frames = []
    seen: set[str] = set()
    for file in statistics_files(folder):
        digest = file_sha256(file)
        if digest in seen:
            continue
        seen.add(digest)
        try:
            importer = detect_importer(file)
        except InputError:
            continue
        frames.append(importer.read(file).frame())
    return pd.concat(frames, ignore_index=True) if frames else empty_frame()


def load_report_inputs(directory: Path) -> tuple[pd.DataFrame, OnlineFigures | None]:
    """The harmonised table and, for a workspace, its online figures."""
    if (directory / SETTINGS_FILE).exists():
        workspace = Workspace.open(directory)
        return read_observations(workspace), online_figures(workspace)
    if not directory.is_dir():
        raise InputError(directory, "neither a workspace nor a folder of statistics files")
    return read_folder(directory), None
