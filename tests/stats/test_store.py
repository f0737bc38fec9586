"""The harmonised table in a workspace: import, re-import, ingestion hook, quarantine, CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.stats.conftest import CliResult
from unveil.errors import InputError
from unveil.stats import import_statistics, ingest_statistics, read_observations
from unveil.stats.store import imported_sources, read_mappings
from unveil.workspace import Workspace

POLICE = """year,judicial_district,region,offence_type,count
2012,Gent,Flanders,smuggling,10
2016,Gent,Flanders,smuggling,31
2016,Brugge,Flanders,smuggling,<5
2016,LIÈGE,Wallonia,trafficking,7
2017,Gent,Flanders,smuggling,oops
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace.init(tmp_path / "ws")


@pytest.fixture
def police_file(tmp_path: Path) -> Path:
    path = tmp_path / "stats" / "police_offences.csv"
    path.parent.mkdir()
    path.write_text(POLICE, "utf-8")
    return path


def test_ingest_statistics_stores_the_rows_and_quarantines_bad_ones(workspace: Workspace, police_file: Path) -> None:
    assert ingest_statistics(workspace, police_file) == 4
    frame = read_observations(workspace)
    assert len(frame) == 4 and set(frame["place"]) == {"Gent", "Brugge", "Liège"}
    quarantined = list(workspace.quarantine_dir.glob("statistics-*.jsonl"))
    assert len(quarantined) == 1 and '"source_row": 6' in quarantined[0].read_text("utf-8")
    state = workspace.read_state("statistics")
    assert state is not None and state["outputs"]["observations"]["rows"] == 4
    assert ("LIÈGE", "Liège") in set(
        zip(read_mappings(workspace)["raw"], read_mappings(workspace)["cleaned"], strict=True)
    )


def test_importing_the_same_file_twice_keeps_one_copy(workspace: Workspace, police_file: Path) -> None:
    ingest_statistics(workspace, police_file)
    ingest_statistics(workspace, police_file)
    assert len(read_observations(workspace)) == 4
    police_file.write_text(POLICE.replace("31", "32"), "utf-8")
    ingest_statistics(workspace, police_file)
    frame = read_observations(workspace)
    assert len(frame) == 4 and 32.0 in set(frame["value"])
    assert len(imported_sources(workspace)) == 1


def test_a_folder_import_skips_unknown_files_but_a_named_file_must_be_known(
    workspace: Workspace, police_file: Path
) -> None:
    other = police_file.parent / "notes.csv"
    other.write_text("a,b\n1,2\n", "utf-8")
    summaries, skipped = import_statistics(workspace, [police_file.parent])
    assert [s.importer for s in summaries] == ["police_offences"] and len(skipped) == 1
    with pytest.raises(InputError):
        import_statistics(workspace, [other])


def test_cli_imports_and_shows_a_series(
    workspace: Workspace, police_file: Path, cli: Callable[[list[str]], CliResult]
) -> None:
    done = cli(["stats", "import", str(workspace.root), str(police_file)])
    assert done.returncode == 0, done.stderr
    assert "police_offences" in done.stdout
    shown = cli(["stats", "show", str(workspace.root), "--indicator", "offences_recorded", "--by", "place"])
    assert shown.returncode == 0, shown.stderr
    assert "Gent" in shown.stdout and "31" in shown.stdout
    wrong = cli(["stats", "show", str(workspace.root), "--indicator", "nothing"])
    assert wrong.returncode == 2 and "no rows for indicator" in wrong.stderr
