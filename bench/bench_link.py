"""Linking benchmarks on a world of planted networks with lightly edited template copies.

The world (``LinkWorld``) is generated here, with its ground truth: each network posts lightly
edited copies of its own templates (slots filled with names, cities, ages, prices; a few words
substituted, deleted, inserted or swapped), rotates its phones, re-uses photos (some as near
copies) and moves on a circuit of cities. Unrelated advertisers post their own texts; some use a
generic stock text. Hotel switchboards and a platform address appear across unrelated posts
(hubs). Upstream tables (ingest, extract) are written directly so that only linking is measured.
"""

from __future__ import annotations

import csv
import hashlib
import io
import multiprocessing
import os
import random
import resource
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from queue import Empty
from typing import Any

import numpy as np
import psutil
import pyarrow as pa
import pyarrow.compute as pc
from PIL import Image, ImageDraw

from bench.harness import Metrics, benchmark, timed
from bench.vendorworld import VendorWorld, VendorWorldBuilder
from unveil.engine import Engine, create_engine
from unveil.evidence.store import EvidenceStore
from unveil.ingest.sinks import PART_ROWS
from unveil.link import neardup, networks
from unveil.link import stage as link_stage
from unveil.link.minhash import SIGNATURES, signature_batch
from unveil.link.normalise import normalised_words
from unveil.link.stage import LINK, MEMBERS_SQL, TEMPLATE_PAIRS_SQL
from unveil.pipeline import run_pipeline
from unveil.tables import TableRef, write_part
from unveil.workspace import Workspace

SIZES = {"small": 20_000, "full": 200_000}  # quality and the hub guard; link.scale runs 1M posts
SCALE_SIZES = {"small": 50_000, "full": 1_000_000}
NEARDUP_SIZES = {"small": 20_000, "full": 100_000}
CITIES = ["Brussels", "Antwerp", "Ghent", "Bruges", "Liège", "Charleroi", "Namur", "Mons", "Leuven", "Ostend"]
NAMES = ["Anna", "Maria", "Elena", "Ioana", "Sofia", "Lina", "Nadia", "Eva", "Mila", "Daria", "Lola", "Vera"]
START = datetime(2023, 1, 1, tzinfo=UTC)
TIMESTAMP = pa.timestamp("us", tz="UTC")
POSTS = pa.schema(
    [
        ("post_id", pa.string()),
        ("source_id", pa.string()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("posted_at", TIMESTAMP),
        ("city", pa.string()),
    ]
)
IMAGES = pa.schema([("image_sha256", pa.string()), ("post_id", pa.string()), ("evidence_sha256", pa.string())])
IDENTIFIERS = pa.schema([("post_id", pa.string()), ("type", pa.string()), ("value", pa.string())])


@dataclass
class LinkWorld:
    """Generated posts, identifiers, photos and the truth (template and network of each post)."""

    posts: dict[str, list[Any]] = field(default_factory=lambda: {name: [] for name in POSTS.names})
    identifiers: dict[str, list[str]] = field(default_factory=lambda: {"post_id": [], "type": [], "value": []})
    photos: dict[str, list[int]] = field(default_factory=dict)
    template: list[str] = field(default_factory=list)
    network: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)


class WorldBuilder:
    """Deterministic generator of a ``LinkWorld``."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocabulary = sorted({self._word() for _ in range(6000)})
        self.world = LinkWorld()
        self.hubs = [f"+3222{n:06d}" for n in range(5)]

    def _word(self) -> str:
        return "".join(self.rng.choice("abcdefghijklmnoprstuvwyz") for _ in range(self.rng.randint(3, 9)))

    def template_text(self) -> list[str]:
        words = [self.rng.choice(self.vocabulary) for _ in range(self.rng.randint(28, 45))]
        for slot in ("{name}", "{city}", "{age} jaar", "{price} euro"):
            words.insert(self.rng.randrange(len(words)), slot)
        return words

    def edited(self, words: list[str], city: str, phone: str) -> str:
        """A lightly edited copy: slots filled, then up to three word edits."""
        rng = self.rng
        copy = list(words)
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            i = rng.randrange(len(copy))
            if "{" in copy[i]:
                continue
            edit = rng.randrange(4)
            if edit == 0:
                copy[i] = rng.choice(self.vocabulary)
            elif edit == 1:
                del copy[i]
            elif edit == 2:
                copy.insert(i, rng.choice(self.vocabulary))
            elif i + 1 < len(copy) and "{" not in copy[i + 1]:
                copy[i], copy[i + 1] = copy[i + 1], copy[i]
        text = " ".join(copy).format(
            name=rng.choice(NAMES), city=city, age=rng.randint(19, 31), price=rng.choice((100, 120, 150, 200))
        )
        return f"{text} Bel {phone}"

    def add(self, text: str, city: str, when: datetime, template: str, network: str, ids: list[tuple[str, str]]) -> str:
        post_id = f"P{len(self.world.template):08d}"
        posts = self.world.posts
        for name, value in zip(POSTS.names, (post_id, post_id, None, text, when, city), strict=True):
            posts[name].append(value)
        for kind, value in ids:
            self.world.identifiers["post_id"].append(post_id)
            self.world.identifiers["type"].append(kind)
            self.world.identifiers["value"].append(value)
        self.world.template.append(template)
        self.world.network.append(network)
        self.world.language.append(self.rng.choice(("nl", "fr", "en")))
        return post_id

    def network(self, n: int, size: int) -> None:
        rng = self.rng
        templates = [self.template_text() for _ in range(rng.choice((1, 1, 2, 3)))]
        phones = [f"+3247{n:04d}{k:03d}" for k in range(rng.randint(1, 12))]
        email = [("email", f"agency{n}@example.org")] if rng.random() < 0.3 else []
        circuit = rng.sample(CITIES, rng.randint(2, 5))
        photos = [n * 4 + k for k in range(rng.randint(0, 3))]
        when = START + timedelta(days=rng.randrange(900))
        for k in range(size):
            city = circuit[(k * len(circuit)) // size]
            phone = phones[(k * len(phones)) // size]
            t = rng.randrange(len(templates))
            ids = [("phone", phone), *email]
            if rng.random() < 0.01:
                ids.append(("phone", rng.choice(self.hubs)))
            post = self.add(self.edited(templates[t], city, phone), city, when, f"T{n}-{t}", f"N{n}", ids)
            if photos:
                self.world.photos[post] = [rng.choice(photos)]
            when += timedelta(hours=rng.randint(2, 30))

    def independent(self, k: int, stock: list[list[str]]) -> None:
        rng = self.rng
        city, phone = rng.choice(CITIES), f"+3249{k:07d}"
        ids = [("phone", phone)]
        if rng.random() < 0.05:
            ids.append(("phone", rng.choice(self.hubs)))
        if rng.random() < 0.1:
            s = rng.randrange(len(stock))
            text, template = self.edited(stock[s], city, phone), f"G{s}"
        else:
            words = [rng.choice(self.vocabulary) for _ in range(rng.randint(15, 45))]
            text, template = " ".join(words) + f" Bel {phone}", ""
        if rng.random() < 0.02:
            ids.append(("email", "support@adsplatform.example"))
        when = START + timedelta(days=rng.randrange(900), hours=rng.randrange(24))
        self.add(text, city, when, template, "", ids)

    def build(self, posts: int) -> LinkWorld:
        stock = [self.template_text() for _ in range(3)]
        n = 0
        while len(self.world.template) < posts * 0.6:
            self.network(n, min(self.rng.randint(5, 100), posts - len(self.world.template)))
            n += 1
        k = 0
        while len(self.world.template) < posts:
            self.independent(k, stock)
            k += 1
        return self.world


def picture(seed: int, near: bool) -> bytes:
    """A small picture of shapes; ``near`` gives a watermarked, re-encoded copy."""
    rng = random.Random(seed)
    image = Image.new("RGB", (96, 96), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(5):
        x, y = rng.randrange(60), rng.randrange(60)
        draw.ellipse((x, y, x + rng.randrange(12, 36), y + rng.randrange(12, 36)), fill=(rng.randrange(256), 40, 90))
    out = io.BytesIO()
    if near:
        draw.rectangle((2, 2, 10, 6), fill=(255, 255, 255))
        image.save(out, format="JPEG", quality=85)
    else:
        image.save(out, format="PNG")
    return out.getvalue()


def write_world(root: Path, world: LinkWorld) -> Workspace:
    """A workspace whose ingest and extract tables hold the world (no ingestion measured)."""
    workspace = Workspace.init(root)
    store = EvidenceStore(workspace)
    rng = random.Random(5)
    cache: dict[tuple[int, bool], str] = {}
    image_rows: dict[str, list[str]] = {"image_sha256": [], "post_id": [], "evidence_sha256": []}
    for post_id, seeds in world.photos.items():
        for seed in seeds:
            variant = (seed, rng.random() < 0.3)
            if variant not in cache:
                cache[variant] = store.put(picture(*variant))
            for name, value in zip(image_rows, (cache[variant], post_id, cache[variant]), strict=True):
                image_rows[name].append(value)
    _write(workspace, "ingest", {"posts": pa.table(world.posts, schema=POSTS), "images": pa.table(image_rows, IMAGES)})
    extracted = {"post_id": world.posts["post_id"], "language": world.language, "city": world.posts["city"]}
    _write(
        workspace,
        "extract",
        {"identifiers": pa.table(world.identifiers, schema=IDENTIFIERS), "posts": pa.table(extracted)},
    )
    flagged = [i for i, network in enumerate(world.network) if network]
    scores = {
        "post_id": [world.posts["post_id"][i] for i in flagged],
        "domain": ["sexual_exploitation"] * len(flagged),
        "score": [0.6] * len(flagged),
        "risk": [0.6] * len(flagged),
    }
    _write(workspace, "score", {"scores": pa.table(scores)})
    return workspace


def _write(workspace: Workspace, stage: str, tables: dict[str, pa.Table]) -> None:
    """Write upstream tables as ingestion does: parts of ``PART_ROWS`` rows (one row group each)."""
    outputs = {}
    for name, table in tables.items():
        ref = workspace.table(f"{stage}.{name}")
        for number, start in enumerate(range(0, max(table.num_rows, 1), PART_ROWS)):
            write_part(ref.path, table.slice(start, PART_ROWS), name=f"part-{number:05d}.parquet")
        outputs[name] = {"rows": table.num_rows, "hash": ref.content_hash()}
    workspace.write_state(stage, {"outputs": outputs})


def pairwise(predicted: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    """Pairwise precision, recall and adjusted Rand index of two labelings (-1: a cluster of its own)."""
    n = predicted.size
    pred = np.where(predicted < 0, np.arange(n) + predicted.max() + 1, predicted)
    true = np.where(truth < 0, np.arange(n) + truth.max() + 1, truth)
    _, joint = np.unique(np.stack([pred, true]), axis=1, return_counts=True)
    pairs = lambda counts: float((counts.astype(np.float64) * (counts - 1) / 2).sum())  # noqa: E731
    both, in_pred, in_true = (
        pairs(joint),
        pairs(np.unique(pred, return_counts=True)[1]),
        pairs(np.unique(true, return_counts=True)[1]),
    )
    total = n * (n - 1) / 2
    expected = in_pred * in_true / total
    ari = (both - expected) / ((in_pred + in_true) / 2 - expected) if in_pred + in_true else 1.0
    return {
        "precision": both / in_pred if in_pred else 1.0,
        "recall": both / in_true if in_true else 1.0,
        "ari": ari,
    }


def _labels(values: list[str]) -> np.ndarray:
    """Integer codes of string labels; the empty string and None become -1 (a cluster of its own)."""
    codes: dict[str, int] = {}
    return np.array([codes.setdefault(v, len(codes)) if v else -1 for v in values], dtype=np.int64)


def _predicted(post_ids: list[str], table: pa.Table, column: str) -> np.ndarray:
    found = dict(zip(table["post_id"].to_pylist(), table[column].to_pylist(), strict=True))
    return _labels([found.get(p, "") for p in post_ids])


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the engine's worker pool, once closed)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _warm_up(engine: Engine, scratch: Path) -> None:
    """Start the engine's worker pool and load the signature code in its workers (not timed).

    In a pipeline run the pool is started once, by the first stage, and shared by all of them.
    """
    fields = {"post_id": ["w"], "source_id": ["w"], "title": [None], "text": ["warm up the worker pool"]}
    tiny = pa.table(fields | {"posted_at": [START], "city": [None]}, schema=POSTS)
    source = scratch / "warm-up"
    for part in range(4 * engine.settings.worker_count):
        write_part(source, tiny, name=f"part-{part}.parquet")
    engine.map_batches(TableRef("warm", source), signature_batch, SIGNATURES, scratch / "warm-up-out")


def _cluster_texts(workspace: Workspace, scratch: Path) -> tuple[pa.Table, Metrics]:
    """Near-duplicate clustering alone: signatures, LSH banding and verification, components.

    Returns the clusters and the timings: wall seconds with the engine already started, with its
    start-up, and CPU seconds of this process and of the engine's worker processes.
    """
    posts = workspace.table("ingest.posts")
    signatures, candidates, pairs = (TableRef(n, scratch / n) for n in ("signatures", "candidates", "pairs"))
    with timed() as total, create_engine("duckdb", workspace.settings) as engine:
        _warm_up(engine, scratch)
        cpu = _tree_cpu_seconds()
        with timed() as warm:
            engine.map_batches(
                posts, signature_batch, SIGNATURES, signatures.path, columns=["post_id", "title", "text"]
            )
            engine.sql_to_table(neardup.CANDIDATES_SQL, {"signatures": signatures}, candidates.path)
            engine.sql_to_table(neardup.NEAR_PAIRS_SQL, {"candidates": candidates}, pairs.path)
            found = engine.query("SELECT post_a, post_b FROM pairs ORDER BY post_a, post_b", {"pairs": pairs})
            clusters = neardup.template_clusters(found)
        cpu = _tree_cpu_seconds() - cpu
    return clusters, {"seconds": warm["seconds"], "seconds_with_engine_start": total["seconds"], "cpu": cpu}


def _tree_cpu_seconds() -> float:
    """CPU seconds of this process and of all its living descendants (the engine's workers)."""
    me = psutil.Process()
    total = 0.0
    for process in [me, *me.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _exact_baseline(texts: list[str]) -> np.ndarray:
    """Exact-duplicate hashing of the normalised text (same normalisation, one SHA-1 per text)."""
    words, parents = normalised_words(pa.array(texts, pa.string()))
    joined = pa.ListArray.from_arrays(
        pa.array(np.searchsorted(parents.to_numpy(), np.arange(len(texts) + 1)), pa.int32()), words
    )
    normalised = pc.binary_join(joined, " ").to_pylist()
    groups: dict[bytes, int] = {}
    labels = [groups.setdefault(hashlib.sha1(t.encode()).digest(), len(groups)) for t in normalised]
    counts = np.bincount(labels)
    result = np.array(labels, dtype=np.int64)
    result[counts[result] < 2] = -1
    return result


@benchmark("link.neardup")
def neardup_clustering(scale: str) -> Metrics:
    """Near-duplicate clusters against planted templates, beside exact-duplicate hashing."""
    size = NEARDUP_SIZES[scale]
    world = WorldBuilder(seed=11).build(size)
    truth = _labels(world.template)
    with tempfile.TemporaryDirectory() as scratch:
        workspace = write_world(
            Path(scratch) / "ws", LinkWorld(world.posts, world.identifiers, language=world.language)
        )
        clusters, ours = _cluster_texts(workspace, Path(scratch) / "steps")
        cpu = cpu_seconds()
        with timed() as baseline:
            exact = _exact_baseline(world.posts["text"])
        baseline_cpu = cpu_seconds() - cpu
    quality = pairwise(_predicted(world.posts["post_id"], clusters, "template_id"), truth)
    exact_quality = pairwise(exact, truth)
    metrics: Metrics = {"posts": size, "clusters": len(set(clusters["template_id"].to_pylist()))}
    metrics |= {f"pairwise_{k}": round(v, 4) for k, v in quality.items()}
    metrics["docs_per_s"] = round(size / ours["seconds"], 1)
    metrics["seconds"] = round(ours["seconds"], 2)
    metrics["seconds_with_engine_start"] = round(ours["seconds_with_engine_start"], 2)
    metrics["docs_per_s_with_engine_start"] = round(size / ours["seconds_with_engine_start"], 1)
    metrics["target_docs_per_s"] = 3600
    metrics["exact_hash_docs_per_s"] = round(size / baseline["seconds"], 1)
    metrics |= {f"exact_hash_{k}": round(v, 4) for k, v in exact_quality.items()}
    metrics["speed_ratio_vs_exact_hash"] = round(baseline["seconds"] / ours["seconds"], 3)
    metrics["docs_per_cpu_s"] = round(size / ours["cpu"], 1)
    metrics["exact_hash_docs_per_cpu_s"] = round(size / baseline_cpu, 1)
    metrics["speed_ratio_vs_infoshield_36_docs_per_s_published"] = round(size / ours["seconds"] / 36, 1)
    return metrics


def _identifier_only_baseline(workspace: Workspace) -> tuple[float, np.ndarray, list[str]]:
    """The first, thin linking: components of posts sharing any identifier, no guard, no text."""
    with create_engine("duckdb", workspace.settings) as engine:
        started = time.perf_counter()
        rows = engine.query(
            "SELECT DISTINCT a.post_id AS post_a, b.post_id AS post_b FROM identifiers a "
            "JOIN (SELECT type, value, min(post_id) AS post_id FROM identifiers GROUP BY type, value) b "
            "ON a.type = b.type AND a.value = b.value WHERE a.post_id <> b.post_id ORDER BY post_a, post_b",
            {"identifiers": workspace.table("extract.identifiers")},
        )
        clusters = neardup.template_clusters(rows)
        seconds = time.perf_counter() - started
    return seconds, clusters["post_id"].to_numpy(zero_copy_only=False), clusters["template_id"].to_pylist()


@benchmark("link.networks")
def network_recovery(scale: str) -> Metrics:
    """All linking steps on the world: speed, network recovery, near-duplicates, hub guard on and off."""
    size = SIZES[scale]
    with timed() as generation:
        world = WorldBuilder(seed=3).build(size)
    truth, post_ids = _labels(world.network), world.posts["post_id"]
    metrics: Metrics = {"posts": size, "planted_networks": len(set(world.network)) - 1}
    with tempfile.TemporaryDirectory() as scratch:
        workspace = write_world(Path(scratch) / "ws", world)
        metrics["world_s"] = round(generation["seconds"], 1)
        metrics["images"] = workspace.table("ingest.images").num_rows()
        with timed() as linking, create_engine("duckdb", workspace.settings) as engine:
            run_pipeline(workspace, engine, [LINK])
        metrics["link_stage_s"] = round(linking["seconds"], 1)
        metrics["link_posts_per_s"] = round(size / linking["seconds"], 1)
        members = workspace.table("link.network_posts").read(["network_id", "post_id"])
        metrics |= {
            f"network_{k}": round(v, 4) for k, v in pairwise(_predicted(post_ids, members, "network_id"), truth).items()
        }
        metrics["networks_found"] = len(set(members["network_id"].to_pylist()))
        templates = workspace.table("link.template_members").read(["template_id", "post_id"])
        text_truth = _labels(world.template)
        metrics |= {
            f"neardup_{k}": round(v, 4)
            for k, v in pairwise(_predicted(post_ids, templates, "template_id"), text_truth).items()
        }
        metrics["hubs_found"] = workspace.table("link.hubs").num_rows()
        metrics |= _hub_guard_off(workspace, post_ids, truth)
        seconds, baseline_posts, baseline_ids = _identifier_only_baseline(workspace)
        found = dict(zip(baseline_posts.tolist(), baseline_ids, strict=True))
        baseline = pairwise(_labels([found.get(p, "") for p in post_ids]), truth)
        metrics["identifier_only_baseline_s"] = round(seconds, 2)
        metrics |= {f"identifier_only_baseline_{k}": round(v, 4) for k, v in baseline.items()}
    return metrics


def _hub_guard_off(workspace: Workspace, post_ids: list[str], truth: np.ndarray) -> Metrics:
    """Rebuild the networks from the same tables with the guard off: what the guard prevents."""
    tables = {n: workspace.table(f"link.{n}") for n in ("near_pairs", "template_members", "templates")}
    with create_engine("duckdb", workspace.settings) as engine:
        shared = engine.query(
            "SELECT post_id, type, value, city, post_identifiers FROM s ORDER BY type, value, post_id",
            {"s": workspace.table("link.shared_identifiers")},
        )
        pairs, members = engine.query(TEMPLATE_PAIRS_SQL, tables), engine.query(MEMBERS_SQL, tables)
    metrics: Metrics = {}
    for label, guard in (("on", True), ("off", False)):
        result = networks.build_networks(shared, pairs, members, workspace.settings.hub_max_posts, hub_guard=guard)
        labels = _predicted(post_ids, result.network_posts, "network_id")
        quality = pairwise(labels, truth)
        sizes = np.bincount(labels[labels >= 0]) if (labels >= 0).any() else np.zeros(1, dtype=np.int64)
        metrics[f"hub_guard_{label}_precision"] = round(quality["precision"], 4)
        metrics[f"hub_guard_{label}_ari"] = round(quality["ari"], 4)
        metrics[f"hub_guard_{label}_largest_network_posts"] = int(sizes.max())
        metrics[f"hub_guard_{label}_networks"] = int((sizes > 0).sum())
    return metrics


LINK_STEPS = (
    "_signatures_and_facts",
    "_near_duplicates",
    "_images",
    "_vendors",
    "_pairs",
    "_templates",
    "_authors",
    "_networks",
    "_movements_and_summary",
    "_phrases",
)


def _own_cpu_seconds() -> float:
    """CPU seconds of this process (all its threads, DuckDB's included) and of its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + _pool_cpu_seconds()


def _pool_cpu_seconds() -> float:
    """CPU seconds of this process's live children (the engine's worker pool)."""
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _link_child(root: str, queue: Any) -> None:
    """Run the link stage on a prepared workspace; report wall seconds per step and peak memory."""
    steps: dict[str, float] = {}
    for name in LINK_STEPS:
        original = getattr(link_stage, name)

        def step(*args: Any, _name: str = name, _fn: Any = original) -> Any:
            started, cpu_started = time.perf_counter(), _own_cpu_seconds()
            result = _fn(*args)
            steps[_name.strip("_")] = round(time.perf_counter() - started, 2)
            steps[f"{_name.strip('_')}_cpu"] = round(_own_cpu_seconds() - cpu_started, 2)
            steps[f"{_name.strip('_')}_peak_rss_mb"] = round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
            )
            return result

        setattr(link_stage, name, step)
    workspace = Workspace.open(Path(root))
    with timed() as linking, create_engine("duckdb", workspace.settings) as engine:
        run_pipeline(workspace, engine, [LINK])
    cpu = cpu_seconds()
    queue.put((linking["seconds"], cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, steps))


def link_in_child(workspace: Workspace) -> Metrics:
    """The link stage in a fresh process, so that its time and peak memory are its own."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_link_child, args=(str(workspace.root), queue))
    process.start()
    while True:
        try:
            seconds, cpu, peak_mb, steps = queue.get(timeout=5)
            break
        except Empty:
            if not process.is_alive():
                raise RuntimeError(f"the link stage process ended with exit code {process.exitcode}") from None
    process.join()
    metrics: Metrics = {"link_stage_s": round(seconds, 1), "link_stage_main_process_cpu_s": round(cpu, 1)}
    metrics["link_peak_rss_mb"] = round(peak_mb, 1)
    metrics |= {f"step_{name}" if name.endswith("_mb") else f"step_{name}_s": value for name, value in steps.items()}
    metrics["link_stage_cpu_s"] = round(sum(v for k, v in steps.items() if k.endswith("_cpu")), 1)
    return metrics


@benchmark("link.scale")
def link_at_scale(scale: str) -> Metrics:
    """1,000,000 posts (full) through every linking step: wall time, CPU time and peak memory of the stage.

    The world's inputs (posts, identifiers, photos in the evidence store) are written first and not
    timed; the link stage then runs in a process of its own (with its worker pool), so that
    ``link_peak_rss_mb`` is the stage's own peak (main process; workers hold one batch each).
    ``step_*_s`` (wall), ``step_*_cpu_s`` (CPU of the stage's process, DuckDB's threads and the worker
    pool) and ``step_*_peak_rss_mb`` (the peak up to the end of the step) split it by step. At full
    scale the same world at ``GROWTH_BASE`` posts is linked first, and ``growth_over_100k`` is the
    ratio of the two link times (the issue's bar: at most 12).
    """
    size = SCALE_SIZES[scale]
    metrics = _linked_at(size)
    if scale == "full":
        base = _linked_at(GROWTH_BASE)
        metrics["link_stage_s_at_100k"] = base["link_stage_s"]
        metrics["link_stage_cpu_s_at_100k"] = base["link_stage_cpu_s"]
        metrics["link_peak_rss_mb_at_100k"] = base["link_peak_rss_mb"]
        metrics["growth_over_100k"] = round(metrics["link_stage_s"] / base["link_stage_s"], 2)
        metrics["growth_over_100k_cpu"] = round(metrics["link_stage_cpu_s"] / base["link_stage_cpu_s"], 2)
    return metrics


GROWTH_BASE = 100_000


def _linked_at(size: int) -> Metrics:
    """The standard link world of ``size`` posts through the link stage in a process of its own."""
    metrics: Metrics = {"posts": size, "cpu_count": os.cpu_count() or 1, "load_average_1m": os.getloadavg()[0]}
    with timed() as generation:
        world = WorldBuilder(seed=3).build(size)
    truth, post_ids = _labels(world.network), world.posts["post_id"]
    with tempfile.TemporaryDirectory() as scratch:
        workspace = write_world(Path(scratch) / "ws", world)
        metrics["world_s"] = round(generation["seconds"], 1)
        metrics["images"] = workspace.table("ingest.images").num_rows()
        metrics["identifiers"] = workspace.table("extract.identifiers").num_rows()
        del world
        metrics |= link_in_child(workspace)
        metrics["link_posts_per_s"] = round(size / metrics["link_stage_s"], 1)
        metrics["link_s_per_100k_posts"] = round(metrics["link_stage_s"] * 100_000 / size, 2)
        metrics["target_s"] = 600
        members = workspace.table("link.network_posts").read(["network_id", "post_id"])
        quality = pairwise(_predicted(post_ids, members, "network_id"), truth)
        metrics |= {f"network_{k}": round(v, 4) for k, v in quality.items()}
        metrics["networks_found"] = workspace.table("link.networks").num_rows()
        metrics["templates_found"] = workspace.table("link.templates").num_rows()
        metrics["hubs_found"] = workspace.table("link.hubs").num_rows()
        metrics["load_average_1m_after"] = os.getloadavg()[0]
    return metrics


SYNTH_SIZES = {"small": 1_000, "full": 3_000}
# Worlds of several seeds: one world holds a handful of rewriters (about 7 with 63 rewritten posts at
# 1,000 posts), and whether one of them is joined moved the single-world rewriter figure by 0.25.
SYNTH_SEEDS = (5, 6, 7, 8)
SYNTH_STAGES = ("extract", "score", "link")  # what linking reads; money, rank and publish are not measured


def _synth_truth(workspace: Workspace, world: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Post ids of the workspace that the synthetic world's truth knows, and their truth rows."""
    with (world / "truth" / "posts.csv").open(encoding="utf-8") as handle:
        truth = {row["post_id"]: row for row in csv.DictReader(handle)}
    posts = workspace.table("ingest.posts").read(["post_id", "source_id"]).to_pylist()
    known = [p for p in posts if p["source_id"] in truth]
    return [p["post_id"] for p in known], [truth[p["source_id"]] for p in known]


@dataclass
class SynthWorldResult:
    """One seed's world: its metrics, each rewriter's (pairs, joined by networks, joined without
    identifiers) and the style links' pairs with both posts known to the truth (links, same actor)."""

    metrics: Metrics
    rewriters: list[tuple[int, int, int]]
    style_pairs: tuple[int, int]


def _synth_world(size: int, seed: int) -> SynthWorldResult:
    from unveil.ingest import ingest
    from unveil.stages import all_stages
    from unveil_synth.world import generate_world

    with tempfile.TemporaryDirectory() as scratch:
        world, workspace = Path(scratch) / "world", Workspace.init(Path(scratch) / "ws")
        generate_world(world, size, seed=seed)
        ingest(workspace, [world])
        with create_engine("duckdb", workspace.settings) as engine:
            ran = run_pipeline(workspace, engine, all_stages(), only=SYNTH_STAGES)
        results = {r.name: r.seconds for r in ran}
        post_ids, truth = _synth_truth(workspace, world)
        templates = workspace.table("link.template_members").read(["template_id", "post_id"])
        members = workspace.table("link.network_posts").read(["network_id", "post_id"])
        metrics: Metrics = {"posts": len(post_ids), "link_stage_s": results.get("link", 0.0)}
        metrics["edited_copies"] = sum(1 for row in truth if row["edit"])
        text = pairwise(_predicted(post_ids, templates, "template_id"), _labels([r["template_id"] for r in truth]))
        planted = pairwise(_predicted(post_ids, members, "network_id"), _labels([r["network_id"] for r in truth]))
        actor_of = [r["network_id"] or r["actor_id"] for r in truth]
        actors = _labels(actor_of)
        by_actor = pairwise(_predicted(post_ids, members, "network_id"), actors)
        metrics["hubs_found"] = workspace.table("link.hubs").num_rows()
        metrics["rewritten_posts"] = sum(1 for row in truth if row.get("rewritten") == "1")
        metrics["agency_posts"] = sum(1 for row in truth if "AGENCY" in row.get("boilerplate", ""))
        metrics["footer_posts"] = sum(1 for row in truth if "footer" in row.get("boilerplate", ""))
        _, style, _, text_only = _text_links(workspace)
        metrics["style_links"] = style.num_rows
        by_text = pairwise(_predicted(post_ids, text_only, "network_id"), actors)
        metrics |= {f"networks_without_identifiers_vs_actor_{k}": round(v, 4) for k, v in by_text.items()}
        by_networks = _rewrite_pairs(post_ids, truth, members, "network_id")
        without = _rewrite_pairs(post_ids, truth, text_only, "network_id")
        rewriters = [(n, a, b) for (n, a), (_, b) in zip(by_networks, without, strict=True)]
        style_pairs = _same_actor_pairs(post_ids, actor_of, style)
    metrics |= {f"neardup_{k}": round(v, 4) for k, v in text.items()}
    metrics |= {f"network_vs_planted_{k}": round(v, 4) for k, v in planted.items()}
    metrics |= {f"network_vs_planted_or_actor_{k}": round(v, 4) for k, v in by_actor.items()}
    return SynthWorldResult(metrics, rewriters, style_pairs)


@benchmark("link.synth")
def synthetic_world(scale: str) -> Metrics:
    """The synthetic world (unveil synth) of several seeds, ingested and linked: linking against its truth.

    Counts are totals over the seeds' worlds and ratios their means (``*_by_seed`` lists some per
    seed). Rewriter figures pool the seeds' rewriters: the share of their (before, after) post pairs
    that one network joins (``rewrite_pairs_joined_*``), and the mean over rewriters of each one's
    share, so that a prolific rewriter counts once (``rewriter_recall_*``, with its standard error)."""
    size = SYNTH_SIZES[scale]
    worlds = [_synth_world(size, seed) for seed in SYNTH_SEEDS]
    metrics: Metrics = {"seeds": len(SYNTH_SEEDS)}
    for key, first in worlds[0].metrics.items():
        values = [w.metrics[key] for w in worlds]
        metrics[key] = sum(values) if isinstance(first, int) else round(float(np.mean(values)), 4)
    metrics["posts_per_world"] = size
    rewriters = [r for w in worlds for r in w.rewriters]
    metrics["rewriters"] = len(rewriters)
    metrics["rewrite_pairs"] = sum(r[0] for r in rewriters)
    for index, name in ((1, "by_networks"), (2, "without_identifiers")):
        metrics[f"rewrite_pairs_joined_{name}"] = round(
            sum(r[index] for r in rewriters) / max(1, metrics["rewrite_pairs"]), 4
        )
        shares = np.array([r[index] / r[0] for r in rewriters]) if rewriters else np.zeros(1)
        metrics[f"rewriter_recall_{name}"] = round(float(shares.mean()), 4)
        metrics[f"rewriter_recall_{name}_se"] = round(
            float(shares.std(ddof=1) / np.sqrt(shares.size)) if shares.size > 1 else 0.0, 4
        )
        metrics[f"rewriter_recall_{name}_by_seed"] = ", ".join(
            f"{seed}: {np.mean([r[index] / r[0] for r in w.rewriters]):.3f} ({len(w.rewriters)})"
            for seed, w in zip(SYNTH_SEEDS, worlds, strict=True)
        )
    links, same = (sum(w.style_pairs[i] for w in worlds) for i in (0, 1))
    metrics["style_links_precision_vs_actor"] = round(same / links, 4) if links else 0.0
    for key in ("networks_without_identifiers_vs_actor_precision", "networks_without_identifiers_vs_actor_recall"):
        metrics[f"{key}_by_seed"] = ", ".join(
            f"{s}: {w.metrics[key]:.3f}" for s, w in zip(SYNTH_SEEDS, worlds, strict=True)
        )
    return metrics


VENDOR_SIZES = {"small": 4_000, "full": 20_000}


def write_vendor_world(root: Path, world: VendorWorld) -> Workspace:
    """A workspace whose ingest and extract tables hold the vendor world (no photos, no scores)."""
    workspace = Workspace.init(root)
    empty_images = pa.table({"image_sha256": [], "post_id": [], "evidence_sha256": []}, schema=IMAGES)
    _write(workspace, "ingest", {"posts": pa.table(world.posts, schema=POSTS), "images": empty_images})
    extracted = {"post_id": world.posts["post_id"], "language": world.language, "city": world.posts["city"]}
    _write(
        workspace,
        "extract",
        {"identifiers": pa.table(world.identifiers, schema=IDENTIFIERS), "posts": pa.table(extracted)},
    )
    scores = pa.table(
        {"post_id": [], "domain": [], "score": [], "risk": []},
        schema=pa.schema(
            [("post_id", pa.string()), ("domain", pa.string()), ("score", pa.float64()), ("risk", pa.float64())]
        ),
    )
    _write(workspace, "score", {"scores": scores})
    return workspace


def _components_of(table: pa.Table) -> pa.Table:
    """post_id -> cluster id of the connected components of a pair table (post_a, post_b)."""
    clusters = neardup.template_clusters(table.select(["post_a", "post_b"]))
    return clusters.rename_columns(["cluster", "post_id", "posts"])


def _quality(name: str, post_ids: list[str], clusters: pa.Table, truth: np.ndarray, column: str) -> Metrics:
    quality = pairwise(_predicted(post_ids, clusters, column), truth)
    return {f"{name}_{k}": round(v, 4) for k, v in quality.items() if k in ("precision", "recall")}


def _text_links(workspace: Workspace) -> tuple[pa.Table, pa.Table, pa.Table, pa.Table]:
    """A linked workspace's template pairs (calibrated, generic guard), style links, template members,
    and the networks they make without any identifier edge (network_id, post_id)."""
    table = workspace.table
    thresholds = {row["method"]: row["threshold"] for row in table("link.calibration").read().to_pylist()}
    with create_engine("duckdb", workspace.settings) as engine:
        text_inputs = {n: table(f"link.{n}") for n in ("near_pairs", "template_members", "templates", "pairs")}
        template_pairs = engine.query(link_stage.template_pairs_sql(thresholds.get("text")), text_inputs)
        style = engine.query(
            "SELECT post_a, post_b, probability, reason FROM s ORDER BY post_a, post_b",
            {"s": table("link.style_links")},
        )
        members_all = engine.query(MEMBERS_SQL, text_inputs)
    no_ids = pa.table(
        {"post_id": [], "type": [], "value": [], "city": [], "post_identifiers": []},
        schema=pa.schema(
            [
                ("post_id", pa.string()),
                ("type", pa.string()),
                ("value", pa.string()),
                ("city", pa.string()),
                ("post_identifiers", pa.int64()),
            ]
        ),
    )
    text_only = networks.build_networks(
        no_ids, template_pairs, members_all, workspace.settings.hub_max_posts, style_links=style
    )
    return template_pairs, style, members_all, text_only.network_posts


def _rewrite_pairs(
    post_ids: list[str], truth: list[dict[str, str]], clusters: pa.Table, column: str
) -> list[tuple[int, int]]:
    """Each rewriter's (pairs, joined): her (post before her rewrite, post after it) pairs, and how many
    of them ``clusters`` puts in one cluster."""
    labels = _predicted(post_ids, clusters, column)
    phases: dict[str, tuple[list[int], list[int]]] = {}
    for i, row in enumerate(truth):
        if row.get("rewritten") is not None and row["actor_id"].startswith("A"):
            phases.setdefault(row["actor_id"], ([], []))[int(row["rewritten"] or 0)].append(i)
    counts = []
    for _, (before, after) in sorted(phases.items()):
        if before and after:
            joined = sum(int(labels[a] >= 0 and labels[a] == labels[b]) for a in before for b in after)
            counts.append((len(before) * len(after), joined))
    return counts


def _same_actor_pairs(post_ids: list[str], actor_of: list[str], links: pa.Table) -> tuple[int, int]:
    """How many of ``links`` (post_a, post_b) join two posts known to the truth, and how many of those
    join one actor (or one planted network)."""
    actor = dict(zip(post_ids, actor_of, strict=True))
    known = same = 0
    for a, b in zip(links["post_a"].to_pylist(), links["post_b"].to_pylist(), strict=True):
        if a in actor and b in actor:
            known += 1
            same += int(actor[a] == actor[b])
    return known, same


@benchmark("link.vendors")
def vendor_linking(scale: str) -> Metrics:
    """Linking ads that share no identifier, on a world of vendors with boilerplate, rewrites and
    phone changes (texts without identifiers): pairwise precision and recall against the true vendor
    of templates, style links and networks, beside exact-duplicate and plain MinHash baselines."""
    size = VENDOR_SIZES[scale]
    world = VendorWorldBuilder(seed=13).build(size)
    truth, post_ids = _labels(world.vendor), world.posts["post_id"]
    metrics: Metrics = {"posts": size, "vendors": len(set(world.vendor))}
    for kind in ("copy", "light", "heavy", "rewrite", "agency"):
        metrics[f"posts_{kind}"] = world.kind.count(kind)
    metrics["posts_with_identifiers"] = len(set(world.identifiers["post_id"]))
    with tempfile.TemporaryDirectory() as scratch:
        workspace = write_vendor_world(Path(scratch) / "ws", world)
        with timed() as linking, create_engine("duckdb", workspace.settings) as engine:
            run_pipeline(workspace, engine, [LINK])
        metrics["link_stage_s"] = round(linking["seconds"], 1)
        table = workspace.table
        exact = _exact_baseline(
            [f"{t or ''} {x or ''}" for t, x in zip(world.posts["title"], world.posts["text"], strict=True)]
        )
        metrics |= {f"exact_duplicate_{k}": round(v, 4) for k, v in pairwise(exact, truth).items() if k != "ari"}
        members = table("link.template_members").read(["template_id", "post_id"])
        metrics |= _quality("minhash_templates", post_ids, members, truth, "template_id")
        calibration = {row["method"]: row for row in table("link.calibration").read().to_pylist()}
        for method, row in calibration.items():
            metrics[f"{method}_threshold"] = row["threshold"]
            metrics[f"{method}_threshold_precision_on_labels"] = row["precision"]
            metrics[f"{method}_labelled_same_pairs"] = row["same_pairs"]
            metrics[f"{method}_labelled_different_pairs"] = row["different_pairs"]
        templates = table("link.templates").read(["template_id", "generic"]).to_pylist()
        metrics["templates"] = len(templates)
        metrics["templates_generic"] = sum(1 for t in templates if t["generic"])
        template_pairs, style, members_all, text_only = _text_links(workspace)
        metrics |= _quality("templates", post_ids, _components_of(template_pairs), truth, "cluster")
        metrics["style_links"] = style.num_rows
        metrics |= _quality("style_links", post_ids, _components_of(style), truth, "cluster")
        metrics |= _quality("networks_without_identifiers", post_ids, text_only, truth, "network_id")
        full = table("link.network_posts").read(["network_id", "post_id"])
        metrics |= _quality("networks", post_ids, full, truth, "network_id")
        identifier_only = networks.build_networks(
            table("link.shared_identifiers")
            .read()
            .sort_by([("type", "ascending"), ("value", "ascending"), ("post_id", "ascending")]),
            template_pairs.slice(0, 0),
            members_all.slice(0, 0),
            workspace.settings.hub_max_posts,
        )
        metrics |= _quality("identifiers_only", post_ids, identifier_only.network_posts, truth, "network_id")
    metrics["goal"] = "networks without identifiers: precision >= 0.90 at recall >= 0.40"
    return metrics
