"""Fault injection: kill -9 at random points of ingest and of a pipeline run, and a full disk.

Each case ends with ``verify`` telling the truth (intact once recovery has run) and the tables
identical to those of an uninterrupted run. Processes are started in their own process group
and killed with it; the small file system is a tmpfs, skipped where it cannot be mounted.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from unveil.evidence.custody import CustodyLog
from unveil.evidence.recovery import recover
from unveil.evidence.verify import verify_workspace
from unveil.ingest import ingest
from unveil.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]
SEEDS = (1, 2, 3)
INTERRUPTED: list[bool] = []  # per killed ingestion: whether the kill came before its commit


def _inputs(folder: Path, files: int = 12, lines: int = 200) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(files):
        records = [{"id": f"F{number}-{n}", "text": f"ad {number} {n} call +32 470 {n:06d}"} for n in range(lines)]
        (folder / f"part-{number:02d}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    return folder


def _rows(workspace: Workspace) -> list[tuple[object, ...]]:
    table = workspace.table("ingest.posts").read(["post_id", "text", "evidence_sha256", "record_no", "source_file"])
    return sorted(tuple(row.values()) for row in table.to_pylist())


def _spawn(code: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO / "synth"), str(REPO)])}
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        start_new_session=True,  # its own process group, killed whole
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _kill_when_started(process: subprocess.Popen[bytes], marker: Path, rng: random.Random, window: float) -> None:
    deadline = time.monotonic() + 120
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(rng.uniform(0, window))
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[object, ...]], float]:
    """The inputs, the rows of an uninterrupted ingestion, and how long that ingestion took here."""
    base = tmp_path_factory.mktemp("faults")
    inputs = _inputs(base / "in")
    workspace = Workspace.init(base / "reference")
    started = time.monotonic()
    ingest(workspace, [inputs], part_rows=500)
    return inputs, _rows(workspace), time.monotonic() - started


@pytest.mark.parametrize("seed", SEEDS)
def test_kill_9_during_ingest(
    seed: int, tmp_path: Path, reference: tuple[Path, list[tuple[object, ...]], float]
) -> None:
    inputs, expected, duration = reference
    workspace = Workspace.init(tmp_path / "ws")
    code = (
        "from pathlib import Path; from unveil.ingest import ingest; from unveil.workspace import Workspace; "
        f"ingest(Workspace.open(Path({str(workspace.root)!r})), [Path({str(inputs)!r})], part_rows=500)"
    )
    # the kill lands within the time an ingestion takes on this machine, so a fast machine still interrupts one
    _kill_when_started(_spawn(code), workspace.evidence_dir / ".intent.jsonl", random.Random(seed), 0.9 * duration)
    INTERRUPTED.append(not any(event["action"] == "ingest" for event in CustodyLog(workspace).entries()))
    recover(workspace)
    assert verify_workspace(workspace).problems == []  # the truth after a crash: intact, recovered
    ingest(workspace, [inputs], part_rows=500)
    assert verify_workspace(workspace).problems == []
    assert _rows(workspace) == expected


def test_at_least_one_kill_interrupted_an_ingestion() -> None:
    if len(INTERRUPTED) < len(SEEDS):
        pytest.skip("the kill tests did not all run")
    assert any(INTERRUPTED), "every kill came after the ingestion committed: widen the inputs"


RUN_CODE = """
from pathlib import Path
from types import SimpleNamespace
from unveil.pipeline import Stage, run_pipeline
from unveil.tables import write_part
from unveil.workspace import Workspace

def copy(context):
    rows = context.input("ingest.posts").read(["post_id", "text"])
    for number in range(8):
        write_part(context.output("copy"), rows.slice(number * len(rows) // 8, len(rows) // 8 + 1))

STAGE = Stage("mirror", ("ingest.posts",), ("copy",), copy)
workspace = Workspace.open(Path(ROOT))
(workspace.root / "started").touch()
for _ in range(50):
    run_pipeline(workspace, SimpleNamespace(name="none"), [STAGE], force=True)
"""


def _mirror(workspace: Workspace) -> list[tuple[object, ...]]:
    table = workspace.table("mirror.copy").read()
    return sorted(set(tuple(row.values()) for row in table.to_pylist()))


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_kill_9_during_a_pipeline_run(
    seed: int, tmp_path: Path, reference: tuple[Path, list[tuple[object, ...]], float]
) -> None:
    inputs, _, _ = reference
    workspace = Workspace.init(tmp_path / "ws")
    ingest(workspace, [inputs])
    _kill_when_started(
        _spawn(f"ROOT = {str(workspace.root)!r}\n{RUN_CODE}"), workspace.root / "started", random.Random(seed), 3.0
    )
    recover(workspace)
    assert verify_workspace(workspace).problems == []
    expected = sorted(
        set(tuple(r.values()) for r in workspace.table("ingest.posts").read(["post_id", "text"]).to_pylist())
    )
    from types import SimpleNamespace

    from unveil.pipeline import run_pipeline

    namespace: dict[str, object] = {}
    exec(RUN_CODE.split("workspace = Workspace.open")[0], namespace)  # the same stage, run to the end here
    run_pipeline(workspace, SimpleNamespace(name="none"), [namespace["STAGE"]])  # type: ignore[arg-type, list-item]
    assert _mirror(workspace) == expected
    assert verify_workspace(workspace).problems == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Path:
    mount = tmp_path / "disk"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {result.stderr.decode().strip() or 'not permitted'}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_during_ingest_and_verify_leaves_a_workspace_that_verifies(
    small_disk: Path, tmp_path: Path
) -> None:
    workspace = Workspace.init(small_disk / "ws")
    big = tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({"id": f"B{n}", "text": f"{n} " + "x" * 200}) + "\n" for n in range(20_000)))
    small = tmp_path / "small.jsonl"
    small.write_text(json.dumps({"id": "S1", "text": "small"}) + "\n")
    ingest(workspace, [small])
    with pytest.raises(OSError):
        ingest(workspace, [big])  # the copy into the evidence store fills the disk
    recover(workspace)
    assert verify_workspace(workspace).problems == []
    filler = small_disk / "filler"
    with filler.open("wb") as handle:  # fill what is left, so that appending the verification fails
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    with pytest.raises(OSError):
        for _ in range(1000):
            CustodyLog(workspace).append("tester", "verification", [], {"ok": True})
    filler.unlink()
    assert verify_workspace(workspace).problems == []
    assert _rows(workspace)[0][1] == "small"


BIG = {"on": False}


def _mirror_stage() -> object:
    """A stage copying the posts, and (when ``BIG["on"]``) writing megabytes that cannot be compressed."""
    import pyarrow as pa

    from unveil.pipeline import Stage
    from unveil.tables import write_part

    def copy(context: object) -> None:
        rows = context.input("ingest.posts").read(["post_id", "text"])  # type: ignore[attr-defined]
        write_part(context.output("copy"), rows)  # type: ignore[attr-defined]
        for number in range(8 if BIG["on"] else 0):
            noise = pa.table({"post_id": [f"n{number}"], "text": [os.urandom(400_000).hex()]})
            write_part(context.output("copy"), noise)  # type: ignore[attr-defined]

    return Stage("mirror", ("ingest.posts",), ("copy",), copy)


def _run_mirror(workspace: Workspace, force: bool = False) -> list[str]:
    from types import SimpleNamespace

    from unveil.pipeline import run_pipeline

    stage = _mirror_stage()
    return [r.name for r in run_pipeline(workspace, SimpleNamespace(name="none"), [stage], force=force) if r.ran]  # type: ignore[arg-type, list-item]


def test_a_full_disk_during_run_keeps_the_old_tables_and_the_next_run_recovers(
    small_disk: Path, tmp_path: Path
) -> None:
    from unveil.errors import StageError

    workspace = Workspace.init(small_disk / "ws")
    source = tmp_path / "posts.jsonl"
    source.write_text("".join(json.dumps({"id": f"P{n}", "text": f"post {n}"}) + "\n" for n in range(20)))
    ingest(workspace, [source])
    BIG["on"] = False
    assert _run_mirror(workspace) == ["mirror"]
    before = sorted(workspace.table("mirror.copy").read().to_pylist(), key=str)
    BIG["on"] = True
    try:
        with pytest.raises(StageError, match=r"the disk is full.*nothing was committed"):
            _run_mirror(workspace, force=True)
    finally:
        BIG["on"] = False
    assert sorted(workspace.table("mirror.copy").read().to_pylist(), key=str) == before  # the old table, whole
    assert not (workspace.tables_dir / ".staging").exists() or not any((workspace.tables_dir / ".staging").iterdir())
    assert verify_workspace(workspace).problems == []
    assert _run_mirror(workspace) == []  # nothing was committed: the old tables are still fresh
    assert _run_mirror(workspace, force=True) == ["mirror"] and verify_workspace(workspace).problems == []


def test_a_full_disk_when_logging_a_commit_is_completed_by_the_next_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from unveil.errors import StageError

    workspace = Workspace.init(tmp_path / "ws")
    source = tmp_path / "posts.jsonl"
    source.write_text(json.dumps({"id": "P1", "text": "post 1"}) + "\n")
    ingest(workspace, [source])
    real = CustodyLog.append

    def full(self: CustodyLog, actor: str, action: str, *args: object, **kwargs: object) -> object:
        if action == "stage.commit":
            raise OSError(errno.ENOSPC, "No space left on device", str(self.head_temporary))
        return real(self, actor, action, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(CustodyLog, "append", full)
    with pytest.raises(StageError, match=r"after its tables were committed.*next command"):
        _run_mirror(workspace)
    monkeypatch.undo()
    notes = recover(workspace)
    assert any("commit of stage mirror recorded" in note for note in notes)
    assert verify_workspace(workspace).problems == [] and _run_mirror(workspace) == []
