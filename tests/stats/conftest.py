"""Fixtures of the statistics tests: the real public files, imported once per session."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import SHARED_DATA
from unveil.stats.importers import ImportResult, detect_importer


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path


@pytest.fixture(scope="session")
def glotip_file() -> Path:
    return _require(SHARED_DATA / "glotip" / "data_glotip.xlsx")


@pytest.fixture(scope="session")
def ucr_file() -> Path:
    return _require(SHARED_DATA / "us_police_offences" / "HT_2013-2020.csv")


@pytest.fixture(scope="session")
def federal_dir() -> Path:
    return _require(SHARED_DATA / "us_federal_cases")


@pytest.fixture(scope="session")
def mse_dir() -> Path:
    return _require(SHARED_DATA / "mse")


@pytest.fixture(scope="session")
def glotip(glotip_file: Path) -> ImportResult:
    """GLOTIP read once (about 15 s: openpyxl reads 46,556 rows)."""
    return detect_importer(glotip_file).read(glotip_file)


@pytest.fixture(scope="session")
def ucr(ucr_file: Path) -> ImportResult:
    return detect_importer(ucr_file).read(ucr_file)


@pytest.fixture(scope="session")
def federal(federal_dir: Path) -> pd.DataFrame:
    frames = [detect_importer(p).read(p).frame() for p in (federal_dir / "defendants.csv", federal_dir / "cases.csv")]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[[list[str]], CliResult]:
    """Run ``unveil`` in this process (starting a Python per command costs seconds on a loaded machine)."""
    from unveil.cli import main

    monkeypatch.setenv("COLUMNS", "200")

    def run(args: list[str]) -> CliResult:
        capsys.readouterr()
        try:
            main(args)
            code = 0
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@dataclass
class CliResult:
    """Exit code and output of one command."""

    returncode: int
    stdout: str
    stderr: str
