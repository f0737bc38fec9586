"""``unveil ingest`` from the command line: options, summary, status counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer

from tests.ingest.conftest import SAMPLES, rows
from unveil.errors import UsageError
from unveil.ingest.commands import ingest as ingest_command
from unveil.ingest.commands import register
from unveil.workspace import Workspace


def run(args: list[str]) -> None:
    app = typer.Typer()
    register(app)
    app.command()(lambda: None)  # a second command keeps "ingest" a sub-command
    typer.main.get_command(app).main(["ingest", *args], standalone_mode=False)


def test_ingest_prints_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    run([str(workspace.root), str(SAMPLES / "posts.csv"), str(SAMPLES / "mto.csv")])
    out = capsys.readouterr().out
    assert "read 8, stored 4, duplicates 0, quarantined 4" in out
    quarantined = sum(len(p.read_text().splitlines()) for p in workspace.quarantine_dir.glob("*.jsonl"))
    assert quarantined == 4  # what ``unveil status`` counts
    for path in workspace.quarantine_dir.glob("*.jsonl"):
        for line in path.read_text().splitlines():
            assert {"file", "record", "reason"} <= json.loads(line).keys()


def test_format_and_mapping_options(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    source = tmp_path / "export.txt"
    source.write_text("Datum;Bedrag;Tegenpartij\n01/03/2024;-25,00;Shop\n", "utf-8")
    mapping = tmp_path / "bank.yaml"
    mapping.write_text(
        "profile: bank\ncolumns: {executed_at: Datum, amount: Bedrag, counterparty_name: Tegenpartij}\n"
        "defaults: {currency: EUR, account_holder: Me}\ndate_format: '%d/%m/%Y'\n",
        "utf-8",
    )
    run([str(workspace.root), str(source), "--format", "csv", "--mapping", str(mapping), "--actor", "officer-7"])
    transfer = rows(workspace, "transfers")[0]
    assert (transfer["sender_name"], transfer["receiver_name"], transfer["amount"]) == ("Me", "Shop", 25.0)
    assert transfer["currency"] == "EUR"
    assert '"actor": "officer-7"' in workspace.custody_log.read_text()


def test_an_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    with pytest.raises(UsageError):
        ingest_command(workspace.root, [SAMPLES / "posts.csv"], format="pdf")
