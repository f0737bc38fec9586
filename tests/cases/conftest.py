"""Fixtures of the cases tests: a writable copy of the small workspace with one case of its top network."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from unveil.cases import add_item, add_note, create_case, make_bundle, set_label
from unveil.cases.bundles import BundleResult
from unveil.cli import main
from unveil.workspace import Workspace


@pytest.fixture(scope="session")
def case_workspace(small_workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A copy of ``small_workspace`` (which stays read-only) that the cases tests may write to."""
    target = tmp_path_factory.mktemp("cases") / "ws"
    shutil.copytree(small_workspace.root, target)
    return Workspace.open(target)


@pytest.fixture(scope="session")
def top_network(case_workspace: Workspace) -> str:
    """Id of the network with the most posts among those the indicators flag (a case is opened on a flagged
    network; an unflagged one of the same size, e.g. in a language no lexicon covers, has no indicators to show)."""
    networks = case_workspace.table("link.networks").read(columns=["network_id", "posts", "risk"]).to_pylist()
    return str(max(networks, key=lambda n: ((n["risk"] or 0) > 0, n["posts"], n["network_id"]))["network_id"])


@pytest.fixture(scope="session")
def top_alert(case_workspace: Workspace, top_network: str) -> str:
    """Id of the money alert about the top network (else the one with the most transfers)."""
    alerts = case_workspace.table("money.alerts").read(columns=["alert_id", "network_ids", "transfer_ids"]).to_pylist()
    chosen = max(alerts, key=lambda a: (top_network in (a["network_ids"] or []), len(a["transfer_ids"] or [])))
    return str(chosen["alert_id"])


@pytest.fixture(scope="session")
def top_case(case_workspace: Workspace, top_network: str, top_alert: str) -> str:
    """A case holding the top network and one money alert, with a note and a label."""
    case = create_case(case_workspace, "Opération Тест — شبكة", "alice", "The demo's top network.")
    add_item(case_workspace, case.case_id, "network", top_network, "alice")
    add_item(case_workspace, case.case_id, "alert", top_alert, "alice")
    add_note(case_workspace, case.case_id, "Same phone in <b>many</b> cities", "alice")
    set_label(case_workspace, case.case_id, "network", top_network, "true_positive", "alice", "checked by hand")
    return case.case_id


@pytest.fixture(scope="session")
def bundle(case_workspace: Workspace, top_case: str, tmp_path_factory: pytest.TempPathFactory) -> BundleResult:
    """The court bundle of the top network's case."""
    return make_bundle(case_workspace, top_case, tmp_path_factory.mktemp("bundle") / "bundle.zip", "alice")


def bundle_copy(bundle: BundleResult, folder: Path) -> Path:
    """A copy of the bundle that a test may tamper with."""
    target = folder / "bundle.zip"
    shutil.copyfile(bundle.path, target)
    return target


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the ``unveil`` command line in this process (a subprocess costs seconds of imports)."""
    code = 0
    try:
        main(args)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
