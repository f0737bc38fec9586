"""Cases in the workspace database: items checked, every change audited."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cases.conftest import cli
from unveil.cases import (
    add_item,
    add_note,
    case_audit,
    create_case,
    list_cases,
    remove_item,
    set_label,
    set_status,
    show_case,
)
from unveil.errors import NotFound, UsageError
from unveil.workspace import Workspace


def test_a_case_keeps_items_notes_labels_and_status(case_workspace: Workspace, top_network: str) -> None:
    case = create_case(case_workspace, "Store test", "bob")
    add_item(case_workspace, case.case_id, "network", top_network, "bob")
    add_item(case_workspace, case.case_id, "network", top_network, "bob")
    add_note(case_workspace, case.case_id, "first note", "bob")
    set_label(case_workspace, case.case_id, "network", top_network, "false_positive", "bob", "a hotel number")
    set_status(case_workspace, case.case_id, "review", "carol")
    detail = show_case(case_workspace, case.case_id)
    assert detail.refs("network") == [top_network]
    assert [n["text"] for n in detail.notes] == ["first note"]
    assert detail.labels[0]["label"] == "false_positive"
    assert detail.case.status == "review"
    assert [(h["old_status"], h["new_status"]) for h in detail.history] == [(None, "open"), ("open", "review")]
    assert case.case_id in {c.case_id for c in list_cases(case_workspace)}


def test_every_change_is_audited_with_actor_and_action(case_workspace: Workspace, top_network: str) -> None:
    case = create_case(case_workspace, "Audit test", "dave")
    add_item(case_workspace, case.case_id, "network", top_network, "dave")
    set_label(case_workspace, case.case_id, "network", top_network, "true_positive", "erin")
    remove_item(case_workspace, case.case_id, "network", top_network, "erin")
    audit = case_audit(case_workspace, case.case_id)
    assert [(a["actor"], a["action"]) for a in audit] == [
        ("dave", "case.create"),
        ("dave", "case.add_item"),
        ("erin", "case.set_label"),
        ("erin", "case.remove_item"),
    ]
    assert all(a["object_kind"] == "case" and a["object_id"] == case.case_id for a in audit)


def test_an_item_missing_from_the_tables_is_refused(case_workspace: Workspace) -> None:
    case = create_case(case_workspace, "Missing items", "bob")
    with pytest.raises(NotFound):
        add_item(case_workspace, case.case_id, "post", "p-does-not-exist", "bob")
    with pytest.raises(NotFound):
        add_item(case_workspace, case.case_id, "alert", "A1", "bob")
    with pytest.raises(UsageError):
        add_item(case_workspace, case.case_id, "spaceship", "x", "bob")
    with pytest.raises(NotFound):
        add_note(case_workspace, "C9999", "text", "bob")


def test_an_identifier_item_is_found_by_type_and_value(case_workspace: Workspace) -> None:
    row = case_workspace.table("extract.identifiers").read(columns=["type", "value"]).to_pylist()[0]
    case = create_case(case_workspace, "Identifier", "bob")
    add_item(case_workspace, case.case_id, "identifier", f"{row['type']}:{row['value']}", "bob")
    with pytest.raises(NotFound):
        add_item(case_workspace, case.case_id, "identifier", f"email:{row['value']}", "bob")
    with pytest.raises(UsageError):
        add_item(case_workspace, case.case_id, "identifier", "no-type", "bob")


def test_case_commands_create_add_show_and_list(
    small_workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(small_workspace.root, root)
    network = small_workspace.table("link.networks").read(columns=["network_id"]).column(0)[0].as_py()
    code, out, err = cli(["case", "new", str(root), "CLI case", "--actor", "frank"], capsys)
    assert code == 0, err
    case_id = out.strip()
    code, out, err = cli(["case", "add", str(root), case_id, "network", network, "--actor", "frank"], capsys)
    assert code == 0, err
    code, out, _ = cli(["case", "show", str(root), case_id], capsys)
    assert network in out and "CLI case" in out
    assert case_id in cli(["case", "list", str(root)], capsys)[1]
    code, _, err = cli(["case", "add", str(root), case_id, "post", "nope"], capsys)
    assert code == 2 and err.startswith("error:")
    bundle = tmp_path / "bundle.zip"
    code, out, err = cli(["case", "export", str(root), case_id, "--out", str(bundle), "--actor", "frank"], capsys)
    assert code == 0, err
    assert cli(["verify-bundle", str(bundle)], capsys)[0] == 0


def test_an_archived_case_refuses_labels_and_removals_also_from_the_cli(
    case_workspace: Workspace, top_network: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from unveil.cases import CaseReadOnly, item_history

    case = create_case(case_workspace, "To archive", "frank")
    add_item(case_workspace, case.case_id, "network", top_network, "frank")
    set_status(case_workspace, case.case_id, "archived", "frank")
    root = str(case_workspace.root)
    code, _, err = cli(["case", "label", root, case.case_id, "network", top_network, "true_positive"], capsys)
    assert code != 0 and "archived" in err
    with pytest.raises(CaseReadOnly):
        remove_item(case_workspace, case.case_id, "network", top_network, "frank", "wrong case")
    set_status(case_workspace, case.case_id, "open", "frank")
    remove_item(case_workspace, case.case_id, "network", top_network, "frank", "wrong case")
    history = item_history(case_workspace, case.case_id)
    assert [(h["action"], h["reason"]) for h in history] == [("added", ""), ("removed", "wrong case")]
