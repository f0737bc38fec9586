"""Ingestion throughput and memory: JSON-lines posts and a WARC of pages, beside bare-parser baselines.

Inputs are generated in a temporary folder. The baselines do the least possible work on the
same files (``json.loads`` per line; warcio iteration reading each payload), so the ratio says
what evidence storage, normalisation, dedup, Parquet and custody cost on top of parsing.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bench.harness import Metrics, benchmark, timed
from unveil.ingest import ingest
from unveil.workspace import Workspace

POSTS = {"small": 50_000, "full": 1_000_000}
PAGES = {"small": 5_000, "full": 100_000}
WORDS = ("new in town sweet discreet call whatsapp available tonight hotel outcall rooms work visa transport").split()  # noqa: SIM905
CITIES = ["Brussels", "Antwerp", "Ghent", "Liège", "Calais", "Rotterdam"]


@contextmanager
def peak_rss_growth() -> Iterator[dict[str, float]]:
    """Peak resident memory above the starting level while the block runs (sampled every 20 ms)."""
    process = psutil.Process()
    start = process.memory_info().rss
    record = {"peak_mb": 0.0}
    done = threading.Event()

    def sample() -> None:
        peak = start
        while not done.wait(0.02):
            peak = max(peak, process.memory_info().rss)
        record["peak_mb"] = round((peak - start) / 2**20, 1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield record
    finally:
        done.set()
        sampler.join()


def _post(rng: random.Random, number: int) -> dict[str, Any]:
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40)))
    return {
        "id": f"B{number:09d}",
        "text": f"{text} +32 4{rng.randint(10, 99)} {rng.randint(100000, 999999)}",
        "title": text[:40],
        "platform": "bench-ads.example",
        "kind": "ad",
        "posted_at": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00+00:00",
        "city": rng.choice(CITIES),
        "country": "BE",
    }


def write_posts(path: Path, count: int) -> None:
    rng = random.Random(11)
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            handle.write(json.dumps(_post(rng, number), ensure_ascii=False) + "\n")


def write_warc(path: Path, count: int) -> None:
    rng = random.Random(12)
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for number in range(count):
            post = _post(rng, number)
            body = (
                f"<html><head><title>{post['title']}</title><script>track()</script></head>"
                f"<body><nav>Home</nav><article><h1>{post['title']}</h1><p>{post['text']}</p></article></body></html>"
            ).encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"https://bench-ads.example/{number}",
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                length=len(body),
                warc_headers_dict={"WARC-Date": "2024-03-05T10:20:30Z"},
            )
            writer.write_record(record)
            if record.raw_stream is not None:
                record.raw_stream.close()


def baseline_json(path: Path) -> int:
    """Bare parsing: ``json.loads`` on every line."""
    count = 0
    with path.open("rb") as handle:
        for line in handle:
            json.loads(line)
            count += 1
    return count


def baseline_warc(path: Path) -> int:
    """Bare parsing: iterate the archive with warcio and read every response payload."""
    count = 0
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type == "response":
                record.content_stream().read()
                count += 1
    return count


def measure(scratch: Path, source: Path, records: int, baseline: Callable[[Path], int]) -> Metrics:
    """Baseline then ingestion (and a re-ingestion) of one source, with rates and memory."""
    megabytes = source.stat().st_size / 2**20
    with timed() as base_time:
        parsed = baseline(source)
    workspace = Workspace.init(scratch / "ws")
    with peak_rss_growth() as memory, timed() as ingest_time:
        summary = ingest(workspace, [source])
    with timed() as again_time:
        again = ingest(workspace, [source])
    assert parsed == records and summary.stored == records and again.duplicates == records
    return {
        "records": records,
        "input_mb": round(megabytes, 1),
        "ingest_s": round(ingest_time["seconds"], 2),
        "ingest_records_per_s": round(records / ingest_time["seconds"]),
        "ingest_mb_per_s": round(megabytes / ingest_time["seconds"], 2),
        "ingest_peak_rss_growth_mb": memory["peak_mb"],
        "reingest_s": round(again_time["seconds"], 2),
        "baseline_s": round(base_time["seconds"], 2),
        "baseline_records_per_s": round(records / base_time["seconds"]),
        "baseline_over_ingest_speed_ratio": round(base_time["seconds"] / ingest_time["seconds"], 3),
        "quarantined": summary.quarantined,
    }


@benchmark("ingest.jsonl_posts")
def jsonl_posts(scale: str) -> Metrics:
    """1,000,000 JSON-lines posts (full): ingestion vs a bare json.loads loop."""
    with tempfile.TemporaryDirectory(prefix="unveil-bench-ingest-") as folder:
        scratch = Path(folder)
        source = scratch / "posts.jsonl"
        started = time.perf_counter()
        write_posts(source, POSTS[scale])
        metrics = measure(scratch, source, POSTS[scale], baseline_json)
        metrics["generate_s"] = round(time.perf_counter() - started - metrics["ingest_s"] - metrics["baseline_s"], 2)
        return metrics


@benchmark("ingest.warc_pages")
def warc_pages(scale: str) -> Metrics:
    """A WARC of 100,000 HTML pages (full): ingestion vs bare warcio iteration."""
    with tempfile.TemporaryDirectory(prefix="unveil-bench-ingest-") as folder:
        scratch = Path(folder)
        source = scratch / "pages.warc.gz"
        write_warc(source, PAGES[scale])
        return measure(scratch, source, PAGES[scale], baseline_warc)


OVERHEAD_POSTS = {"small": 30_000, "full": 200_000}
OVERHEAD_FILES = {"small": 30, "full": 200}
OVERHEAD_REPEATS = {"small": 5, "full": 5}


@contextmanager
def custody_disabled() -> Iterator[None]:
    """Ingestion without what evidence custody adds on top of storing the blobs.

    Switched off: custody events (their lines, fsyncs and signed heads), the blob intent journal,
    the pending-parts journal and the hashing of every part written. The evidence copy of each
    file stays (it predates custody and the readers parse it).
    """
    from unittest import mock

    from unveil.evidence.custody import CustodyLog
    from unveil.evidence.pending import PendingParts
    from unveil.evidence.store import EvidenceStore

    with (
        mock.patch.object(CustodyLog, "append", lambda self, *args, **kwargs: {}),
        mock.patch.object(EvidenceStore, "_intend", lambda self, sha256, origin: None),
        mock.patch.object(PendingParts, "add", lambda self, table, part: None),
        mock.patch.object(PendingParts, "done", lambda self: None),
        mock.patch("unveil.ingest.run.part_sha256_of", lambda path: ""),
        mock.patch("unveil.evidence.parts.part_sha256", lambda path: ""),
    ):
        yield


def _timed_ingest(scratch: Path, name: str, inputs: Path, custody: bool) -> tuple[float, float]:
    """Process CPU seconds and wall seconds of one ingestion into a fresh workspace."""
    workspace = Workspace.init(scratch / name)
    cpu, wall = time.process_time(), time.perf_counter()
    if custody:
        summary = ingest(workspace, [inputs])
    else:
        with custody_disabled():
            summary = ingest(workspace, [inputs])
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    assert summary.stored > 0 and summary.quarantined == 0
    return cpu, wall


def _spread(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median": round(ordered[len(ordered) // 2], 3), "min": round(ordered[0], 3), "max": round(ordered[-1], 3)}


@benchmark("ingest.custody_overhead")
def custody_overhead(scale: str) -> Metrics:
    """Ingestion with evidence custody vs the same ingestion with it switched off, interleaved in one process.

    Posts split over several files (so per-file custody costs count); each repetition ingests the
    same inputs into fresh workspaces, once each way, in alternating order.
    """
    import os
    import statistics

    with tempfile.TemporaryDirectory(prefix="unveil-bench-custody-") as folder:
        scratch = Path(folder)
        os.environ.setdefault("UNVEIL_HOME", str(scratch / "home"))
        inputs = scratch / "in"
        inputs.mkdir()
        files, posts = OVERHEAD_FILES[scale], OVERHEAD_POSTS[scale]
        rng = random.Random(13)
        for number in range(files):
            lines = (json.dumps(_post(rng, number * posts + n)) + "\n" for n in range(posts // files))
            (inputs / f"posts-{number:03d}.jsonl").write_text("".join(lines), "utf-8")
        _timed_ingest(scratch, "warm", inputs, True)  # imports and caches, not measured
        cpu: dict[bool, list[float]] = {True: [], False: []}
        wall: dict[bool, list[float]] = {True: [], False: []}
        for repeat in range(OVERHEAD_REPEATS[scale]):
            for custody in (True, False) if repeat % 2 == 0 else (False, True):
                spent, elapsed = _timed_ingest(scratch, f"ws-{repeat}-{custody}", inputs, custody)
                cpu[custody].append(spent)
                wall[custody].append(elapsed)
        ratios = [on / off for on, off in zip(cpu[True], cpu[False], strict=True)]
        metrics: Metrics = {"posts": posts, "files": files, "repeats": OVERHEAD_REPEATS[scale]}
        for label, series in (("cpu", cpu), ("wall", wall)):
            for custody, name in ((True, "with"), (False, "without")):
                for key, value in _spread(series[custody]).items():
                    metrics[f"{label}_s_{name}_custody_{key}"] = value
        metrics["overhead_cpu_median_pct"] = round(
            100 * (statistics.median(cpu[True]) / statistics.median(cpu[False]) - 1), 1
        )
        metrics["overhead_wall_median_pct"] = round(
            100 * (statistics.median(wall[True]) / statistics.median(wall[False]) - 1), 1
        )
        for key, value in _spread(ratios).items():
            metrics[f"overhead_cpu_pairwise_pct_{key}"] = round(100 * (value - 1), 1)
        metrics["load_average_1m"] = round(os.getloadavg()[0], 2)
        return metrics
