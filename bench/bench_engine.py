"""DuckDB and Spark (local mode) on the same workspace: wall time and peak memory per stage.

Each engine is started once (its start-up time is measured on its own), then runs the whole
pipeline on two sizes. Spark's fixed overhead and its per-record cost show up by comparing the
sizes: cost per record = (time at N2 - time at N1) / (N2 - N1); fixed cost per run = time at N1
minus N1 times that, plus the session start.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from bench.harness import Metrics, TreeMemorySampler, benchmark, timed
from unveil.engine import Engine, create_engine
from unveil.ingest import ingest
from unveil.pipeline import run_pipeline
from unveil.stages import all_stages
from unveil.workspace import Workspace
from unveil_synth.world import generate_world

SIZES = {"small": (2_000, 10_000), "full": (100_000, 1_000_000)}
SKIPPED_FOLDERS = {"truth", "statistics", ".parts"}


def _ingested(scratch: Path, posts: int, metrics: Metrics) -> Workspace:
    """A synthetic world of ``posts`` posts ingested once (shared by both engines); times recorded."""
    world = scratch / f"world-{posts}"
    with timed() as synth:
        generate_world(world, posts, seed=11)
    workspace = Workspace.init(scratch / f"ws-{posts}")
    # The world's answer key (truth/) and official statistics (read by `unveil stats import`) are no
    # pipeline input: ingesting them only quarantines rows, and took half the build time.
    evidence = [path for path in sorted(world.iterdir()) if path.name not in SKIPPED_FOLDERS]
    with timed() as took:
        ingest(workspace, evidence)
    shutil.rmtree(world)
    metrics[f"build_{posts}_synth_s"] = round(synth["seconds"], 2)
    metrics[f"build_{posts}_ingest_s"] = round(took["seconds"], 2)
    print(
        f"built {posts} posts: synth {synth['seconds']:.1f} s, ingest {took['seconds']:.1f} s",
        file=sys.stderr,
        flush=True,
    )
    return workspace


def _run_engine(workspace: Workspace, engine: Engine, prefix: str) -> Metrics:
    metrics: Metrics = {}
    for stage in all_stages():
        shutil.rmtree(workspace.stage_dir(stage.name), ignore_errors=True)
    with timed() as whole:
        for stage in all_stages():
            with TreeMemorySampler() as memory, timed() as took:
                run_pipeline(workspace, engine, all_stages(), only=[stage.name])
            metrics[f"{prefix}_{stage.name}_s"] = round(took["seconds"], 2)
            metrics[f"{prefix}_{stage.name}_peak_mb"] = memory.peak_mb
            # Progress on stderr: a full run takes the better part of an hour, and a failure late in
            # it should not lose the stages already measured.
            print(
                f"{prefix} {stage.name}: {took['seconds']:.1f} s, peak {memory.peak_mb} MB", file=sys.stderr, flush=True
            )
    metrics[f"{prefix}_total_s"] = round(whole["seconds"], 2)
    return metrics


@benchmark("engine.duckdb_vs_spark")
def duckdb_vs_spark(scale: str) -> Metrics:
    small, large = SIZES[scale]
    metrics: Metrics = {"posts_small": small, "posts_large": large}
    with tempfile.TemporaryDirectory() as scratch:
        workspaces = {posts: _ingested(Path(scratch), posts, metrics) for posts in (small, large)}
        # DuckDB first: once started, Spark's JVM stays in the process tree and would count.
        for engine_name in ("duckdb", "spark"):
            settings = next(iter(workspaces.values())).settings
            with create_engine(engine_name, settings) as engine:
                with timed() as start:
                    engine.start()
                metrics[f"{engine_name}_start_s"] = round(start["seconds"], 2)
                for posts, workspace in workspaces.items():
                    metrics.update(_run_engine(workspace, engine, f"{engine_name}_{posts}"))
    for engine_name in ("duckdb", "spark"):
        t_small, t_large = metrics[f"{engine_name}_{small}_total_s"], metrics[f"{engine_name}_{large}_total_s"]
        per_record = (t_large - t_small) / (large - small)
        metrics[f"{engine_name}_us_per_post"] = round(per_record * 1e6, 2)
        metrics[f"{engine_name}_fixed_overhead_per_run_s"] = round(max(0.0, t_small - per_record * small), 2)
    metrics["spark_over_duckdb_time_ratio_large"] = round(
        metrics[f"spark_{large}_total_s"] / metrics[f"duckdb_{large}_total_s"], 2
    )
    return metrics
