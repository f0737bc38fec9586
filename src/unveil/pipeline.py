"""The pipeline runner: stages with declared tables, re-run only when their inputs change.

A stage's fingerprint hashes its name and version, the tool version, the settings that change
results and the content hashes of its input tables. ``run`` executes, in order, the stages whose
fingerprint differs from the one recorded at their last commit. Each stage writes into a staging
folder that is renamed into place only when complete (see ``Workspace.commit_stage``).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa

from unveil import __version__
from unveil.engine import Engine
from unveil.errors import StageError, UnveilError, UsageError
from unveil.evidence.parts import COMMIT_INTENT, write_commit_intent
from unveil.progress import Progress, SilentProgress
from unveil.storage import remove_file, remove_tree, store_for
from unveil.tables import TableRef, hash_of_parts
from unveil.workspace import Workspace

StageState = Literal["fresh", "stale", "waiting"]


@dataclass
class StageContext:
    """What a running stage may use: its workspace, engine, inputs and staging folder."""

    workspace: Workspace
    engine: Engine
    staging: Path
    progress: Progress
    stage: Stage

    def input(self, name: str) -> TableRef:
        """A declared input table."""
        if name not in self.stage.inputs:
            raise StageError(self.stage.name, f"reads {name!r}, which it does not declare")
        return self.workspace.table(name)

    def output(self, table: str) -> Path:
        """Folder in which to write a declared output table."""
        if table not in self.stage.outputs:
            raise StageError(self.stage.name, f"writes {table!r}, which it does not declare")
        return self.staging / table

    def staged(self, table: str) -> TableRef:
        """An output already written by this run (for a later step of the same stage)."""
        return TableRef(f"{self.stage.name}.{table}", self.output(table))


@dataclass(frozen=True)
class Stage:
    """A step of the pipeline: reads tables, writes tables, runs on an engine."""

    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    run: Callable[[StageContext], None]
    description: str = ""
    version: str = "1"
    # Refreshes a source table the stage reads that no stage computes (``rank``: the label events of
    # unveil.db) before the run looks at input hashes; must write nothing when the source is unchanged.
    prepare: Callable[[Workspace], object] | None = None
    # The Arrow schema of each output that declares one: checked when the stage commits (column
    # names, order and types; nullability aside), so a table never changes shape unannounced.
    schemas: Mapping[str, pa.Schema] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class StageStatus:
    """What ``unveil status`` shows for one stage."""

    name: str
    state: StageState
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float | None = None
    finished_at: str | None = None


@dataclass(frozen=True)
class StageResult:
    """The outcome of one stage in one run."""

    name: str
    ran: bool
    seconds: float
    rows: dict[str, int]


def input_hashes(workspace: Workspace, stage: Stage) -> dict[str, str] | None:
    """Content hashes of the stage's inputs as recorded by their producers, or None if missing."""
    hashes: dict[str, str] = {}
    for name in stage.inputs:
        producer, _, table = name.partition(".")
        state = workspace.read_state(producer)
        recorded = (state or {}).get("outputs", {}).get(table)
        if recorded is None:
            return None
        hashes[name] = recorded["hash"]
    return hashes


def fingerprint(workspace: Workspace, stage: Stage, hashes: dict[str, str]) -> str:
    """Hash of everything that determines a stage's outputs."""
    material = {
        "stage": stage.name,
        "version": stage.version,
        "tool": __version__,
        "settings": workspace.settings.fingerprint_items(),
        "inputs": hashes,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def stage_status(workspace: Workspace, stage: Stage) -> StageStatus:
    """Whether a stage is fresh, stale or waiting for its inputs, with its row counts."""
    state = workspace.read_state(stage.name) or {}
    rows = {name: out["rows"] for name, out in state.get("outputs", {}).items()}
    hashes = input_hashes(workspace, stage)
    if hashes is None:
        kind: StageState = "waiting"
    elif state.get("fingerprint") == fingerprint(workspace, stage, hashes) and not _outputs_changed(workspace, stage):
        kind = "fresh"
    else:
        kind = "stale"
    return StageStatus(stage.name, kind, rows, state.get("seconds"), state.get("finished_at"))


def run_pipeline(
    workspace: Workspace,
    engine: Engine,
    stages: Sequence[Stage],
    *,
    only: Sequence[str] | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> list[StageResult]:
    """Run, in order, every stage that is stale (or all of them with ``force``)."""
    unknown = sorted(set(only or ()) - {stage.name for stage in stages})
    if unknown:
        raise UsageError(f"unknown stage(s): {', '.join(unknown)}")
    report = progress or SilentProgress()
    results: list[StageResult] = []
    with workspace_lock(workspace):
        _refuse_changed_sources(workspace)
        workspace.clean_leftovers()
        for stage in stages:
            if only and stage.name not in only:
                continue
            if stage.prepare is not None:
                stage.prepare(workspace)
            results.append(_run_if_stale(workspace, engine, stage, force, report))
    return results


def _run_if_stale(workspace: Workspace, engine: Engine, stage: Stage, force: bool, progress: Progress) -> StageResult:
    hashes = input_hashes(workspace, stage)
    if hashes is None:
        return StageResult(stage.name, False, 0.0, {})
    print_ = fingerprint(workspace, stage, hashes)
    state = workspace.read_state(stage.name) or {}
    if not force and state.get("fingerprint") == print_ and not _outputs_changed(workspace, stage):
        rows = {name: out["rows"] for name, out in state.get("outputs", {}).items()}
        return StageResult(stage.name, False, 0.0, rows)
    return _execute(workspace, engine, stage, hashes, print_, progress)


def _execute(
    workspace: Workspace,
    engine: Engine,
    stage: Stage,
    hashes: dict[str, str],
    print_: str,
    progress: Progress,
) -> StageResult:
    staging = workspace.new_staging_dir(stage.name)
    started = time.perf_counter()
    try:
        stage.run(StageContext(workspace, engine, staging, progress, stage))
    except UnveilError:
        remove_tree(staging)
        raise
    except Exception as exc:
        remove_tree(staging)  # what it wrote is never a table, and a full disk needs the space back
        if _disk_full(exc):
            raise StageError(stage.name, f"{DISK_FULL} while writing its tables: {NOTHING_COMMITTED}") from exc
        raise StageError(stage.name, f"{type(exc).__name__}: {exc}") from exc
    outputs, parts = _describe_outputs(stage, staging)
    seconds = round(time.perf_counter() - started, 3)
    state: dict[str, Any] = {
        "fingerprint": print_,
        "inputs": hashes,
        "outputs": outputs,
        "parts": parts,
        "seconds": seconds,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": engine.name,
        "tool": __version__,
    }
    if workspace.settings.commit_delay_seconds:
        time.sleep(workspace.settings.commit_delay_seconds)
    _commit_authenticated(workspace, stage, staging, state)
    return StageResult(stage.name, True, seconds, {k: v["rows"] for k, v in outputs.items()})


def _commit_authenticated(workspace: Workspace, stage: Stage, staging: Path, state: dict[str, Any]) -> None:
    """Swap the stage's tables into place and record their parts' hashes in the custody log.

    A commit intent names the hashes first, so that a crash after the swap but before the custody
    event is completed by the next command (``unveil.evidence.recovery``).
    """
    from unveil.evidence.custody import CustodyLog, default_actor
    from unveil.evidence.parts import hashes_of

    part_sha256 = {table: hashes_of(parts) for table, parts in state["parts"].items()}
    detail = {
        "stage": stage.name,
        "fingerprint": state["fingerprint"],
        "inputs": state["inputs"],
        "rows": {table: out["rows"] for table, out in state["outputs"].items()},
        "part_sha256": part_sha256,
    }
    intent = workspace.tables_dir / COMMIT_INTENT
    try:
        write_commit_intent(workspace, detail)  # signed: recovery replays no intent written by hand
        workspace.commit_stage(stage.name, staging, state)
    except OSError as exc:
        remove_file(intent)
        remove_tree(staging)
        reason = DISK_FULL if _disk_full(exc) else f"{type(exc).__name__}: {exc}"
        raise StageError(stage.name, f"{reason} while committing: {NOTHING_COMMITTED}") from exc
    objects = sorted({sha for parts in part_sha256.values() for sha in parts.values()})
    try:
        CustodyLog(workspace).append(default_actor(), "stage.commit", objects, detail)
    except OSError as exc:  # the tables are in place; the signed intent lets the next command log them
        reason = DISK_FULL if _disk_full(exc) else f"{type(exc).__name__}: {exc}"
        raise StageError(
            stage.name,
            f"{reason} after its tables were committed: their custody event is written by the next command "
            "(from tables/.commit-intent.json) once there is space",
        ) from exc
    remove_file(intent)


DISK_FULL = "the disk is full (No space left on device)"
NOTHING_COMMITTED = "nothing was committed, its tables are as they were; free some space and run again"


def _disk_full(exc: BaseException) -> bool:
    """Whether an error (an OSError, or an engine's own I/O error) says the disk is full."""
    return getattr(exc, "errno", None) == errno.ENOSPC or "No space left on device" in str(exc)


def _outputs_changed(workspace: Workspace, stage: Stage) -> bool:
    from unveil.evidence.parts import stage_problems

    return bool(stage_problems(workspace, stage.name))


def _refuse_changed_sources(workspace: Workspace) -> None:
    """Source tables (ingest) cannot be rebuilt by the pipeline: a changed part stops it, named.

    Every ingest part is hashed (not only those whose size or time changed): a doctored text never
    reaches a later stage, however carefully its file's size and time were kept.
    """
    from unveil.errors import IntegrityError
    from unveil.evidence.parts import stage_problems

    problems = stage_problems(workspace, "ingest", full=True)
    if problems:
        advice = "re-ingest the sources (`unveil ingest`) to restore them from the evidence, then run again"
        raise IntegrityError(str(workspace.root), [*problems, advice])


def _describe_outputs(stage: Stage, staging: Path) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    from unveil.evidence.parts import describe_parts, hashes_of

    outputs: dict[str, dict[str, Any]] = {}
    parts: dict[str, Any] = {}
    for table in stage.outputs:
        ref = TableRef(f"{stage.name}.{table}", staging / table)
        if not ref.exists():
            raise StageError(stage.name, f"did not write its declared table {table!r}")
        if table in stage.schemas:
            check_schema(stage.name, table, ref.schema(), stage.schemas[table])
        parts[table] = describe_parts(ref)
        outputs[table] = {"rows": ref.num_rows(), "hash": hash_of_parts(hashes_of(parts[table]))}
    return outputs, parts


def check_schema(stage: str, table: str, written: pa.Schema, declared: pa.Schema) -> None:
    """Refuse a table whose columns (names, order, types) differ from its declared schema.

    Nullability is left aside, nested fields' included: Spark marks list elements and some struct
    fields "not null" where DuckDB does not, and neither says more about the values than the other.
    """
    got = [(f.name, _nullable(f.type)) for f in written]
    want = [(f.name, _nullable(f.type)) for f in declared]
    if got != want:
        differ = [f"{n}: {t}" for n, t in got if (n, t) not in want] or ["columns in another order"]
        missing = [f"{n}: {t}" for n, t in want if (n, t) not in got]
        raise StageError(stage, f"wrote {table!r} unlike its declared schema (unexpected {differ}, missing {missing})")


def _nullable(kind: pa.DataType) -> pa.DataType:
    """``kind`` with every nested field nullable (list elements, struct fields, at any depth)."""
    if pa.types.is_list(kind):
        return pa.list_(_nullable(kind.value_type))
    if pa.types.is_large_list(kind):
        return pa.large_list(_nullable(kind.value_type))
    if pa.types.is_struct(kind):
        return pa.struct([(field.name, _nullable(field.type)) for field in kind])
    return kind


@contextmanager
def workspace_lock(workspace: Workspace, *, recover: bool = True) -> Iterator[None]:
    """Hold the workspace's write lock: one pipeline run or ingestion at a time.

    Once the lock is held, what an interrupted command left half done is finished or undone
    (``unveil.evidence.recovery.recover``) unless ``recover`` is False (the caller does it).
    """
    local = store_for(workspace.tables_dir).location.is_local
    folder = workspace.tables_dir if local else workspace.root  # a lock needs a local file
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise UsageError(f"{workspace.root}: another unveil process is writing to it") from exc
        try:
            if recover:
                from unveil.evidence.recovery import recover as recover_workspace

                recover_workspace(workspace)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
