"""``unveil money DIR`` as a user runs it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from unveil.workspace import Workspace


def test_money_command_summarises_alerts_by_typology_with_reasons(money_world: Workspace) -> None:
    result = run_cli(["money", str(money_world.root), "--top", "1"])
    assert result.returncode == 0, result.stderr
    for typology in ("many_senders", "structuring", "funnel_account", "smuggling_prices", "online_identifiers"):
        assert typology in result.stdout
    assert "FinCEN" in result.stdout and "score" in result.stdout


def test_money_command_on_a_folder_that_is_not_a_workspace_fails_in_one_line(tmp_path: Path) -> None:
    result = run_cli(["money", str(tmp_path)])
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "not a workspace" in result.stderr
