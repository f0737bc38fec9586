"""The pipeline runner: incremental, atomic, and identical after a crash."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pyarrow as pa

from tests.conftest import run_cli
from unveil.stages import SOURCE_STAGES
from unveil.workspace import Workspace


def _prepare(tmp_path: Path, world: Path, name: str) -> Path:
    root = tmp_path / name
    assert run_cli(["init", str(root)]).returncode == 0
    assert run_cli(["ingest", str(root), str(world)]).returncode == 0
    return root


WALL_CLOCK_COLUMNS = {
    "publish.posts": ("ingested_at",),
    "publish.post_pages": ("ingested_at",),
    "publish.post_facets": ("ingested",),
}
"""When this workspace ingested each post (its ingest part's write time): two workspaces ingested at
different times differ there by design, so comparisons of their tables leave these columns out."""


def without_wall_clock(name: str, table: pa.Table) -> pa.Table:
    """``table`` without the columns that record when its workspace ingested the posts."""
    return table.drop_columns([c for c in WALL_CLOCK_COLUMNS.get(name, ()) if c in table.column_names])


def _tables(root: Path) -> dict[str, pa.Table]:
    workspace = Workspace.open(root)
    tables = {}
    for stage_dir in sorted(workspace.tables_dir.iterdir()):
        if stage_dir.name.startswith(".") or stage_dir.name == "ingest":
            continue
        for table_dir in sorted(p for p in stage_dir.iterdir() if p.is_dir()):
            name = f"{stage_dir.name}.{table_dir.name}"
            table = without_wall_clock(name, workspace.table(name).read())
            tables[f"{stage_dir.name}.{table_dir.name}"] = table.sort_by(
                [(c, "ascending") for c in table.column_names if not pa.types.is_nested(table.schema.field(c).type)]
            )
    return tables


def _group_gone(group: int, timeout: float = 10.0) -> bool:
    """True once no live process is left in the process group (killed orphans are reaped by init)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = []
        for candidate in psutil.process_iter(["status"]):
            try:
                if os.getpgid(candidate.pid) == group and candidate.info["status"] != psutil.STATUS_ZOMBIE:
                    alive.append(candidate.pid)
            except (ProcessLookupError, psutil.Error):
                continue
        if not alive:
            return True
        time.sleep(0.1)
    return False


def test_second_run_does_nothing(tmp_path: Path, small_world: Path) -> None:
    root = _prepare(tmp_path, small_world, "ws")
    first = run_cli(["run", str(root)])
    assert first.returncode == 0, first.stderr
    second = run_cli(["run", str(root)])
    assert second.returncode == 0
    assert "Nothing to do" in second.stdout


def test_new_input_reruns_dependent_stages(tmp_path: Path, small_world: Path) -> None:
    root = _prepare(tmp_path, small_world, "ws")
    run_cli(["run", str(root)])
    extra = tmp_path / "extra.jsonl"
    extra.write_text('{"id": "extra-1", "text": "call 0470 12 34 56"}\n')
    run_cli(["ingest", str(root), str(extra)])
    rerun = run_cli(["run", str(root)])
    assert "extract" in rerun.stdout and "Nothing to do" not in rerun.stdout


def test_status_shows_states_and_rows(tmp_path: Path, small_world: Path) -> None:
    root = _prepare(tmp_path, small_world, "ws")
    before = run_cli(["status", str(root)])
    assert "stale" in before.stdout
    run_cli(["run", str(root)])
    after = run_cli(["status", str(root)])
    assert "fresh" in after.stdout and "stale" not in after.stdout
    posts = Workspace.open(root).table("ingest.posts").num_rows()
    assert f"posts {posts:,}" in " ".join(after.stdout.split())


def test_sigkill_mid_stage_then_rerun_gives_identical_tables(tmp_path: Path, small_world: Path) -> None:
    clean = _prepare(tmp_path, small_world, "clean")
    assert run_cli(["run", str(clean)]).returncode == 0
    crashed = _prepare(tmp_path, small_world, "crashed")
    env = {**os.environ, "UNVEIL_COMMIT_DELAY_SECONDS": "30"}
    process = subprocess.Popen(  # its own process group: the run, its forkserver and its pool workers
        [sys.executable, "-m", "unveil", "run", str(crashed)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        staging = crashed / "tables" / ".staging"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any(staging.glob("*/*/*.parquet")):
            time.sleep(0.05)
        assert any(staging.glob("*/*/*.parquet")), "the stage never started writing"
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # as a crash of the machine would: every process at once
        process.wait()
    assert _group_gone(process.pid), "the killed run's processes outlived it"
    committed = {p.name for p in (crashed / "tables").iterdir() if not p.name.startswith(".")}
    assert committed <= set(SOURCE_STAGES), "a killed stage must leave no committed table"
    assert run_cli(["run", str(crashed)]).returncode == 0
    assert not staging.exists() or not any(staging.iterdir())
    clean_tables, crashed_tables = _tables(clean), _tables(crashed)
    assert clean_tables.keys() == crashed_tables.keys()
    for name, table in clean_tables.items():
        assert table.equals(crashed_tables[name]), name
    shutil.rmtree(tmp_path)
