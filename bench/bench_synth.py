"""``unveil synth`` speed and memory, beside a baseline that writes minimal JSON lines.

The baseline writes the same number of posts as ``{"id", "text"}`` JSON lines with ``json.dumps``
in one process: the cost of doing nothing realistic. The issue's bar: 1,000,000 posts (with their
transfers, captures and ground truth) at 20,000 posts/s or more with a peak under 2 GB
(``posts_per_s`` and ``peak_mb`` at ``--scale full``). The machine's load average is recorded,
since a loaded machine slows every figure. The ratio shows what realism (templates,
obfuscation, captures, exports, images, transfers, statistics and the ground truth) costs.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from bench.harness import Metrics, TreeMemorySampler, benchmark, timed
from unveil_synth.world import generate_world

SIZES = {"small": (20_000, 50_000), "full": (100_000, 1_000_000)}


def _baseline(out: Path, posts: int) -> None:
    with (out / "baseline.jsonl").open("w", encoding="utf-8") as handle:
        for number in range(posts):
            handle.write(json.dumps({"id": f"P{number:08d}", "text": f"post number {number}"}) + "\n")


def _size_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)


@benchmark("synth.generate")
def generate(scale: str) -> Metrics:
    """Write worlds of two sizes (memory must not grow with N) and the baseline of the larger one."""
    smaller, larger = SIZES[scale]
    metrics: Metrics = {"cpus": os.cpu_count() or 1, "load_avg_1m_at_start": round(os.getloadavg()[0], 2)}
    scratch = Path(tempfile.mkdtemp(prefix="bench-synth-"))
    try:
        for posts in (smaller, larger):
            world = scratch / f"world-{posts}"
            with TreeMemorySampler() as memory, timed() as clock:
                summary = generate_world(world, posts, seed=1)
            metrics[f"posts_{posts}_s"] = round(clock["seconds"], 2)
            metrics[f"posts_{posts}_per_s"] = round(posts / clock["seconds"])
            metrics[f"posts_{posts}_peak_mb"] = memory.peak_mb
            metrics[f"posts_{posts}_disk_mb"] = _size_mb(world)
            metrics[f"posts_{posts}_transfers"] = sum(
                summary.counts.get(k, 0) for k in ("mto", "bank_csv", "bank_xlsx")
            )
            metrics[f"posts_{posts}_captures"] = summary.counts.get("html", 0) + summary.counts.get("warc", 0)
            shutil.rmtree(world)
        with timed() as baseline:
            _baseline(scratch, larger)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    metrics["posts"] = larger
    metrics["posts_per_s"] = metrics[f"posts_{larger}_per_s"]
    metrics["peak_mb"] = metrics[f"posts_{larger}_peak_mb"]
    metrics["baseline_minimal_json_s"] = round(baseline["seconds"], 2)
    metrics["baseline_posts_per_s"] = round(larger / baseline["seconds"])
    metrics["realism_cost_ratio"] = round(metrics[f"posts_{larger}_s"] / baseline["seconds"], 1)
    metrics["target_posts_per_s"] = 20_000
    metrics["target_peak_mb"] = 2048
    metrics["load_avg_1m_at_end"] = round(os.getloadavg()[0], 2)
    return metrics
