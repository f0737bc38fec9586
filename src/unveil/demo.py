"""The demo: a synthetic world through the whole pipeline, ready to serve.

The synthetic world is its own distribution (``unveil-synth``, in ``synth/`` of the repository),
not a dependency of ``unveil``: this module is the only one that imports it, lazily, for the
``unveil demo`` and ``unveil synth`` commands.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from unveil.errors import UsageError
from unveil.runner import run_on_terminal
from unveil.workspace import Workspace

if TYPE_CHECKING:
    from unveil_synth.world import WorldSummary

SYNTH_HINT = "pip install -e ./synth in the repository (make demo and make test install it)"


def write_world(out: Path, posts: int, seed: int, workers: int | None = None) -> WorldSummary:
    """Write a synthetic world with its ground truth into ``out`` (needs the ``unveil-synth`` distribution)."""
    try:
        from unveil_synth.world import generate_world
    except ModuleNotFoundError as exc:
        if exc.name is None or not exc.name.startswith("unveil_synth"):
            raise
        raise UsageError(f"the synthetic world is not installed: {SYNTH_HINT}") from exc
    return generate_world(out, posts, seed, workers)


def run_demo(directory: Path, *, posts: int, seed: int, console: Console) -> Workspace:
    """Create (or reuse) the demo workspace, generate and ingest a world, run the pipeline."""
    from unveil.ingest import ingest
    from unveil.progress import RichProgress

    exists = (directory / "unveil.toml").exists()
    workspace = Workspace.open(directory) if exists else Workspace.init(directory, "demo")
    _allow_local_secret(workspace)
    workspace = Workspace.open(directory)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="unveil-synth-") as scratch:
        console.print(f"Generating a synthetic world of {posts:,} posts (seed {seed})...")
        write_world(Path(scratch), posts, seed)
        progress = RichProgress()
        try:
            summary = ingest(workspace, [Path(scratch)], progress)
        finally:
            progress.close()
    console.print(f"Ingested: read {summary.read:,}, stored {summary.stored:,}, duplicates {summary.duplicates:,}")
    run_on_terminal(workspace, workspace.settings.engine, console)
    _print_summary(workspace, time.perf_counter() - started, console)
    from unveil.web.demo_users import create_demo_users

    create_demo_users(workspace, console)
    return workspace


def _allow_local_secret(workspace: Workspace) -> None:
    """The demo workspace is local and synthetic: mark it as development."""
    settings_file = workspace.root / "unveil.toml"
    text = settings_file.read_text("utf-8")
    if 'environment = "production"' in text:
        settings_file.write_text(text.replace('environment = "production"', 'environment = "development"'), "utf-8")


def _print_summary(workspace: Workspace, seconds: float, console: Console) -> None:
    posts = workspace.table("ingest.posts").num_rows()
    identifiers = workspace.table("extract.identifiers").num_rows()
    networks = workspace.table("link.networks").num_rows()
    console.print(
        f"[bold]Demo workspace {workspace.root}[/]: {posts:,} posts, {identifiers:,} identifiers, "
        f"{networks:,} networks, {seconds:.1f} s in all"
    )
