"""Labels keep their history: a changed label is a new event, the old one stays; old databases migrate."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.cases.conftest import cli
from unveil import db
from unveil.cases import create_case, set_label, show_case
from unveil.cases.labels import clear_label, current_label, label_history, label_item
from unveil.cases.schema import CASES
from unveil.errors import NotFound, UsageError
from unveil.workspace import Workspace


def test_a_changed_label_keeps_the_old_one(case_workspace: Workspace, top_network: str) -> None:
    case = create_case(case_workspace, "History", "bob")
    set_label(case_workspace, case.case_id, "network", top_network, "true_positive", "bob", "phone and template match")
    set_label(case_workspace, case.case_id, "network", top_network, "false_positive", "carol", "a hotel's number")
    history = [e for e in label_history(case_workspace, "network", top_network) if e["case_id"] == case.case_id]
    assert [(e["label"], e["actor"], e["reason"]) for e in history] == [
        ("true_positive", "bob", "phone and template match"),
        ("false_positive", "carol", "a hotel's number"),
    ]
    assert all(e["at"] for e in history)
    labels = show_case(case_workspace, case.case_id).labels
    assert [(row["label"], row["author"]) for row in labels] == [("false_positive", "carol")]


def test_workspace_labels_on_templates_and_posts_can_be_cleared(case_workspace: Workspace) -> None:
    template = case_workspace.table("link.templates").read(["template_id"]).column(0)[0].as_py()
    label_item(case_workspace, "template", template, "not_relevant", "dave", "a salon's price list")
    assert current_label(case_workspace, "template", template)["label"] == "not_relevant"  # type: ignore[index]
    clear_label(case_workspace, "template", template, "dave", "labelled by mistake")
    assert current_label(case_workspace, "template", template) is None
    assert [e["label"] for e in label_history(case_workspace, "template", template)] == ["not_relevant", "cleared"]
    with pytest.raises(NotFound):
        label_item(case_workspace, "template", "T-missing", "true_positive", "dave")
    with pytest.raises(UsageError):
        label_item(case_workspace, "template", template, "maybe", "dave")


def test_an_old_database_with_one_label_per_item_migrates(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "old")
    workspace.database.unlink(missing_ok=True)
    old = sqlite3.connect(workspace.database)
    old.executescript(
        """
        CREATE TABLE cases (case_id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'open', created_at TEXT NOT NULL, created_by TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE case_labels (case_id TEXT NOT NULL REFERENCES cases (case_id), item_kind TEXT NOT NULL,
            item_ref TEXT NOT NULL, label TEXT NOT NULL CHECK (label IN ('true_positive', 'false_positive', 'unsure')),
            reason TEXT NOT NULL DEFAULT '', at TEXT NOT NULL, author TEXT NOT NULL,
            PRIMARY KEY (case_id, item_kind, item_ref));
        INSERT INTO cases VALUES ('C0001', 'Old', '', 'open', '2025-01-01', 'ann', '2025-01-01');
        INSERT INTO case_labels VALUES ('C0001', 'network', 'N00001', 'true_positive', 'checked', '2025-01-02', 'ann');
        """
    )
    old.commit()
    old.close()
    connection = db.connect(workspace, CASES)
    connection.close()
    connection = db.connect(workspace, CASES)  # a second opening changes nothing
    kind = connection.execute("SELECT type FROM sqlite_master WHERE name = 'case_labels'").fetchone()[0]
    connection.close()
    assert kind == "view"
    assert [(e["label"], e["actor"], e["case_id"]) for e in label_history(workspace, "network", "N00001")] == [
        ("true_positive", "ann", "C0001")
    ]
    set_label(workspace, "C0001", "network", "N00001", "not_relevant", "bea", "no longer")
    assert [row["label"] for row in show_case(workspace, "C0001").labels] == ["not_relevant"]
    assert len(label_history(workspace, "network", "N00001")) == 2


def test_label_commands_set_show_history_and_clear(
    case_workspace: Workspace, top_network: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(case_workspace.root)
    code, out, _ = cli(
        ["label", "set", root, "network", top_network, "true_positive", "--reason", "x", "--actor", "f"], capsys
    )
    assert code == 0 and "true_positive" in out
    code, out, _ = cli(["label", "history", root, "network", top_network], capsys)
    assert code == 0 and "true_positive" in out
    code, out, _ = cli(["label", "clear", root, "network", top_network, "--actor", "f"], capsys)
    assert code == 0 and current_label(case_workspace, "network", top_network) is None
