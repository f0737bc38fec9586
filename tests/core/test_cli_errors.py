"""Every user mistake gives a one-line error and exit code 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli


def assert_clean_error(result: object, needle: str) -> None:
    stderr = result.stderr.strip()  # type: ignore[attr-defined]
    assert result.returncode == 2, stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    assert stderr.startswith("error:")
    assert len(stderr.splitlines()) == 1
    assert needle in stderr


@pytest.mark.parametrize("command", [["run"], ["status"], ["ingest"], ["serve"]])
def test_missing_workspace_is_a_one_line_error(tmp_path: Path, command: list[str]) -> None:
    args = [*command, str(tmp_path / "nowhere")]
    if command == ["ingest"]:
        args.append(str(tmp_path))
    assert_clean_error(run_cli(args), "no such workspace folder")


def test_folder_that_is_not_a_workspace(tmp_path: Path) -> None:
    assert_clean_error(run_cli(["run", str(tmp_path)]), "not a workspace")


def test_unknown_option(tmp_path: Path) -> None:
    assert_clean_error(run_cli(["run", str(tmp_path), "--no-such-option"]), "No such option")


def test_unreadable_source_file(tmp_path: Path) -> None:
    run_cli(["init", str(tmp_path / "ws")])
    assert_clean_error(run_cli(["ingest", str(tmp_path / "ws"), str(tmp_path / "missing.jsonl")]), "missing.jsonl")


def test_init_twice(tmp_path: Path) -> None:
    assert run_cli(["init", str(tmp_path / "ws")]).returncode == 0
    assert_clean_error(run_cli(["init", str(tmp_path / "ws")]), "already a workspace")


def test_invalid_setting_names_the_field(tmp_path: Path) -> None:
    run_cli(["init", str(tmp_path / "ws")])
    assert_clean_error(
        run_cli(["status", str(tmp_path / "ws")], env={"UNVEIL_DEFAULT_REGION": "Belgium"}), "default_region"
    )


def test_unknown_engine(tmp_path: Path) -> None:
    run_cli(["init", str(tmp_path / "ws")])
    assert_clean_error(run_cli(["run", str(tmp_path / "ws"), "--engine", "oracle"]), "unknown engine")


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = run_cli(["--debug", "run", str(tmp_path / "nowhere")])
    assert result.returncode != 0
    assert "Traceback" in result.stderr
