"""Shared fixtures: workspaces built once per session from a small synthetic world."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from unveil.engine import create_engine
from unveil.ingest import ingest
from unveil.pipeline import run_pipeline
from unveil.stages import all_stages
from unveil.workspace import Workspace
from unveil_synth.world import generate_world

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def run_cli(
    args: Sequence[str], env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the ``unveil`` command in a subprocess, as a user would.

    The command runs in its own process group, ended whole when it exits or outlives ``timeout``
    (whatever of its pool workers or forkserver is left), and the timeout is raised as
    ``subprocess.TimeoutExpired``.
    """
    environment = {**os.environ, **(env or {})}
    command = [sys.executable, "-m", "unveil", *args]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment, start_new_session=True
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        finally:
            with contextlib.suppress(ProcessLookupError):  # the group is gone: nothing was left
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


@pytest.fixture(scope="session", autouse=True)
def signing_key_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every test signs with a key in a temporary folder, never the real home's (``UNVEIL_HOME``)."""
    home = tmp_path_factory.mktemp("unveil-home")
    os.environ["UNVEIL_HOME"] = str(home)
    os.environ.pop("UNVEIL_SIGNING_KEY", None)
    return home


@pytest.fixture(scope="session")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic world of 600 posts, written once per test session."""
    out = tmp_path_factory.mktemp("world")
    generate_world(out, posts=600, seed=3)
    return out


@pytest.fixture(scope="session")
def small_workspace(tmp_path_factory: pytest.TempPathFactory, small_world: Path) -> Workspace:
    """The small world ingested and run through the whole pipeline (treat as read-only)."""
    workspace = Workspace.init(tmp_path_factory.mktemp("ws") / "small")
    ingest(workspace, [small_world])
    with create_engine("duckdb", workspace.settings) as engine:
        run_pipeline(workspace, engine, all_stages())
    return workspace
