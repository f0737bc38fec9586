"""The whole pipeline on a synthetic world, beside a single-process pure-Python baseline."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import phonenumbers

from bench.harness import Metrics, benchmark, timed
from unveil.engine import create_engine
from unveil.ingest import ingest
from unveil.pipeline import run_pipeline
from unveil.stages import all_stages
from unveil.workspace import Workspace
from unveil_synth.world import generate_world

SIZES = {"small": 5_000, "full": 100_000}


def _baseline(posts_dir: Path) -> int:
    """Read every post and match phones with phonenumbers in one process: the naive way."""
    found = 0
    for path in sorted(posts_dir.rglob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                text = json.loads(line)["text"]
                found += sum(1 for _ in phonenumbers.PhoneNumberMatcher(text, "BE"))
    return found


@benchmark("pipeline.end_to_end")
def end_to_end(scale: str) -> Metrics:
    posts = SIZES[scale]
    with tempfile.TemporaryDirectory() as scratch:
        world, root = Path(scratch) / "world", Path(scratch) / "ws"
        with timed() as synth_time:
            generate_world(world, posts, seed=1)
        workspace = Workspace.init(root)
        with timed() as ingest_time:
            ingest(workspace, [world])
        with timed() as run_time, create_engine("duckdb", workspace.settings) as engine:
            results = run_pipeline(workspace, engine, all_stages())
        with timed() as baseline_time:
            _baseline(world)
    metrics: Metrics = {"posts": posts, "synth_s": synth_time["seconds"], "ingest_s": ingest_time["seconds"]}
    metrics.update({f"stage_{r.name}_s": r.seconds for r in results})
    metrics["pipeline_s"] = run_time["seconds"]
    metrics["pipeline_posts_per_s"] = posts / run_time["seconds"]
    metrics["baseline_phonenumbers_only_s"] = baseline_time["seconds"]
    metrics["speed_ratio_vs_baseline"] = baseline_time["seconds"] / run_time["seconds"]
    return metrics
