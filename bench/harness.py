"""Registry, isolation and result files of the benchmarks.

A benchmark is a function ``fn(scale) -> dict[str, float | int | str]`` registered with
``@benchmark("area.name")`` in a ``bench/bench_<area>.py`` module. ``scale`` is ``"small"``
(a quick check) or ``"full"`` (the sizes the issues name). Each benchmark runs in its own process
so that its peak memory is its own. Results merge into ``bench/results.json`` (benchmark ->
metric -> value, plus machine, date and commit) and ``bench/RESULTS.md`` is regenerated from it.
"""

from __future__ import annotations

import fcntl
import importlib
import json
import multiprocessing
import os
import platform
import resource
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

Metrics = dict[str, Any]
BenchFunction = Callable[[str], Metrics]

HERE = Path(__file__).parent
RESULTS_JSON = HERE / "results.json"
RESULTS_MD = HERE / "RESULTS.md"
REGISTRY: dict[str, BenchFunction] = {}


def benchmark(name: str) -> Callable[[BenchFunction], BenchFunction]:
    """Register a benchmark under ``area.name``."""

    def register(fn: BenchFunction) -> BenchFunction:
        REGISTRY[name] = fn
        return fn

    return register


def discover() -> dict[str, BenchFunction]:
    """Import every ``bench/bench_*.py`` module and return the registry."""
    for path in sorted(HERE.glob("bench_*.py")):
        importlib.import_module(f"bench.{path.stem}")
    return REGISTRY


@contextmanager
def timed() -> Iterator[dict[str, float]]:
    """Measure wall time of a block: ``with timed() as t: ...; t["seconds"]``."""
    record: dict[str, float] = {}
    started = time.perf_counter()
    yield record
    record["seconds"] = time.perf_counter() - started


def peak_rss_mb() -> float:
    """Peak resident memory of this process and its finished children, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def _child(name: str, scale: str, queue: Any) -> None:
    discover()
    try:
        metrics = REGISTRY[name](scale)
        metrics.setdefault("peak_rss_mb", peak_rss_mb())
        queue.put(("ok", metrics))
    except BaseException as exc:  # report, do not hang the parent
        queue.put(("error", f"{type(exc).__name__}: {exc}"))


def run_isolated(name: str, scale: str) -> Metrics:
    """Run one benchmark in a fresh process; return its metrics (with wall time)."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    started = time.perf_counter()
    process = context.Process(target=_child, args=(name, scale, queue))
    process.start()
    status, payload = queue.get()
    process.join()
    if status != "ok":
        raise RuntimeError(f"benchmark {name} failed: {payload}")
    metrics: Metrics = payload
    metrics["wall_seconds"] = round(time.perf_counter() - started, 2)
    metrics["scale"] = scale
    return metrics


def machine() -> dict[str, Any]:
    """Where the figures were measured."""
    return {
        "cpu_count": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }


def commit() -> str:
    """Current git commit, or ``unknown``."""
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def save(name: str, metrics: Metrics) -> None:
    """Merge one benchmark's metrics into results.json and rewrite RESULTS.md (under a lock)."""
    with (HERE / ".results.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        results = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {"benchmarks": {}}
        results["benchmarks"][name] = {
            "metrics": metrics,
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": commit(),
        }
        results["machine"] = machine()
        RESULTS_JSON.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
        RESULTS_MD.write_text(render_markdown(results))


def render_markdown(results: dict[str, Any]) -> str:
    """A readable table per benchmark."""
    lines = ["# Benchmark results", "", "Written by `python -m bench`; do not edit by hand.", ""]
    info = results.get("machine", {})
    lines += [f"Machine: {info.get('cpu_count')} cores, {info.get('memory_gib')} GiB, Python {info.get('python')}.", ""]
    for name, entry in sorted(results["benchmarks"].items()):
        lines += [f"## {name}", "", f"Measured {entry['measured_at']} at commit `{entry['commit']}`.", ""]
        lines += ["| metric | value |", "| --- | --- |"]
        lines += [f"| {key} | {_show(value)} |" for key, value in sorted(entry["metrics"].items())]
        lines.append("")
    return "\n".join(lines)


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


class TreeMemorySampler:
    """Peak resident memory of this process and all its descendants (pool workers, a JVM).

    ``with TreeMemorySampler() as sampler: ...`` then ``sampler.peak_mb``; sampled every 0.1 s.
    """

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak_mb = 0.0
        self._stop = False
        self._thread: Any = None

    def _tree_rss(self) -> int:
        import psutil

        root = psutil.Process()
        total = 0
        for process in [root, *root.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.Error:
                continue
        return total

    def _run(self) -> None:
        while not self._stop:
            self.peak_mb = max(self.peak_mb, self._tree_rss() / 2**20)
            time.sleep(self.interval)

    def __enter__(self) -> TreeMemorySampler:
        import threading

        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop = True
        self._thread.join()
        self.peak_mb = round(max(self.peak_mb, self._tree_rss() / 2**20), 1)
