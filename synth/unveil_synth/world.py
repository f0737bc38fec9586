"""``generate_world``: a whole synthetic world, streamed to disk chunk by chunk, with its ground truth.

Layout (see docs/synthetic-world.md for every column)::

    posts/posts-NNNNN.jsonl      captures/html/*.html   captures/pages-NNNNN.warc.gz
    telegram/ChatExport_*/result.json                   social/facebook-*/your_facebook_activity/...
    images/*.jpg   transfers/*.csv|xlsx   statistics/*.csv   truth/*.csv
    manifest.json                the world is synthetic; truth/ is not evidence (read by ingestion)
"""

from __future__ import annotations

import csv
import gc
import json
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from unveil_synth.captures import TELEGRAM_FOOTER, facebook_profile_json, telegram_header
from unveil_synth.chunks import CHUNK_POSTS, TRUTH_POST_COLUMNS, plan_for, write_chunk
from unveil_synth.images import PHOTOS_PER_TASK, photo_rows, write_photos
from unveil_synth.ledger import BANK_CSV_COLUMNS, MTO_COLUMNS, TRUTH_COLUMNS
from unveil_synth.plan import WorldPlan
from unveil_synth.statistics import write_statistics
from unveil_synth.tally import Tally, merged
from unveil_synth.transfers import PARTY_COLUMNS, money_parts, write_money_part
from unveil_synth.truth import write_actor_truth, write_image_truth

FOLDERS = ("posts", "captures/html", "telegram", "social", "images", "transfers", "statistics", "truth", ".parts")


@dataclass(frozen=True)
class WorldSummary:
    """What a synth run wrote."""

    posts: int
    networks: int
    counts: dict[str, int] = field(default_factory=dict)


def generate_world(out: Path, posts: int, seed: int, workers: int | None = None) -> WorldSummary:
    """Write a world of ``posts`` posts for ``seed`` into ``out`` (same seed, same bytes).

    Args:
        out: the folder to write (created; files of an earlier world there are replaced).
        posts: the number of posts.
        seed: the random seed.
        workers: processes writing chunks (default: up to the CPU count); the output does not depend on it.
    """
    for folder in FOLDERS:
        target = out / folder
        if target.exists() and folder in ("posts", "captures/html", "telegram", "social", ".parts"):
            shutil.rmtree(target)
        target.mkdir(parents=True, exist_ok=True)
    with collector_off():
        return _generate(out, posts, seed, workers)


def _generate(out: Path, posts: int, seed: int, workers: int | None) -> WorldSummary:
    plan = plan_for(posts, seed)
    counts = _run_tasks(out, posts, seed, workers)
    write_image_truth(out, plan, photo_rows(plan.photo_bases))
    _concatenate(out, "money-*-mto.csv", MTO_COLUMNS, "transfers/mto_transactions.csv")
    _concatenate(out, "money-*-bank.csv", BANK_CSV_COLUMNS, "transfers/bank_statement.csv", delimiter=";")
    _concatenate(out, "money-*-transfers.csv", TRUTH_COLUMNS, "truth/transfers.csv")
    _concatenate(out, "money-*-parties.csv", PARTY_COLUMNS, "truth/parties.csv")
    _concatenate(
        out,
        "money-*-typologies.csv",
        ("instance_id", "typology", "network_id", "party_id", "description"),
        "truth/typologies.csv",
    )
    write_statistics(out, seed)
    _write_manifest(out, posts, seed)
    shutil.rmtree(out / ".parts")
    networks = sum(len(pool.networks) for pool in plan.pools.values())
    return WorldSummary(posts, networks, dict(counts))


def _write_manifest(out: Path, posts: int, seed: int) -> None:
    """``manifest.json``: tells ingestion that the world is synthetic and that ``truth/`` is not evidence."""
    manifest = {
        "manifest": 1,
        "producer": "unveil-synth",
        "synthetic": True,
        "posts": posts,
        "seed": seed,
        "not_evidence": {"truth/": "ground truth of a synthetic world, not evidence"},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")


def _finish_posts(out: Path, plan: WorldPlan, tally: Tally) -> None:
    """Once every chunk is written: join the per-post truth parts, the channel exports and the actors' truth."""
    _concatenate(out, "posts", TRUTH_POST_COLUMNS, "truth/posts.csv")
    _concatenate(
        out,
        "identifiers",
        ("post_id", "type", "value", "written", "obfuscation", "role", "network_id"),
        "truth/post_identifiers.csv",
    )
    _concatenate(out, "captures", ("post_id", "format", "file", "record"), "truth/captures.csv")
    _assemble_exports(out)
    write_actor_truth(out, plan, tally)


def _run_tasks(out: Path, posts: int, seed: int, workers: int | None) -> Counter[str]:
    """Write the post chunks, the money parts and the photos, in a pool of processes when there is more than one task.

    In a pool, this process merges each finished posts task's tally and, once the last one is in,
    joins the posts' truth while the workers go on with the money parts and photos.
    """
    chunks = (posts + CHUNK_POSTS - 1) // CHUNK_POSTS
    plan = plan_for(posts, seed)
    processes = max(1, workers if workers is not None else min(4, os.cpu_count() or 1))
    # consecutive chunks in one task share the authors and templates they build (caches), so each process
    # gets about two long runs of chunks, first; the money parts and photos then fill the gaps
    per_task = max(1, -(-chunks // (2 * processes)))
    tasks = [("posts", first) for first in range(0, chunks, per_task)]
    tasks += [("money", part) for part in range(money_parts(plan))]
    tasks += [("photos", first) for first in range(0, plan.photo_bases, PHOTOS_PER_TASK)]
    processes = min(len(tasks), processes)
    counts: Counter[str] = Counter()
    tally, pending = Tally(), sum(1 for task, _ in tasks if task == "posts")
    if processes <= 1:
        for task, index in tasks:
            counts.update(_task(out, posts, seed, task, index, per_task))
        _finish_posts(out, plan, merged(sorted((out / ".parts").glob("tally-*.pkl"))))
        return counts
    with ProcessPoolExecutor(processes, mp_context=get_context("forkserver")) as pool:
        futures = {pool.submit(_task, out, posts, seed, task, index, per_task): (task, index) for task, index in tasks}
        for future in as_completed(futures):
            counts.update(future.result())
            task, index = futures[future]
            if task == "posts":  # tallies merge in any order: sums, unions and minimums
                tally.merge(Tally.load(out / ".parts" / f"tally-{index:05d}.pkl"))
                pending -= 1
                if not pending:
                    _finish_posts(out, plan, tally)
    return counts


def _task(out: Path, posts: int, seed: int, task: str, index: int, per_task: int) -> Counter[str]:
    """Run one task: a money part, a batch of photos or ``per_task`` chunks of posts from chunk ``index``.

    The cyclic garbage collector is off while a task runs: the generator makes no reference cycles (a
    test checks it), and each collection only re-scanned the long-lived plan, caches and tallies.
    """
    with collector_off():
        return _run_task(out, posts, seed, task, index, per_task)


def _run_task(out: Path, posts: int, seed: int, task: str, index: int, per_task: int) -> Counter[str]:
    if task == "money":
        return write_money_part(out, plan_for(posts, seed), index)
    if task == "photos":
        end = min(plan_for(posts, seed).photo_bases, index + PHOTOS_PER_TASK)
        return Counter(images=write_photos(out, seed, index, end))
    counts: Counter[str] = Counter()
    tally = Tally()  # one tally for the task's chunks: saving and merging it per chunk cost more than its counting
    for chunk in range(index, min(index + per_task, (posts + CHUNK_POSTS - 1) // CHUNK_POSTS)):
        counts.update(write_chunk(out, posts, seed, chunk, tally))
    tally.save(out / ".parts" / f"tally-{index:05d}.pkl")
    return counts


def _concatenate(out: Path, pattern: str, header: tuple[str, ...], target: str, delimiter: str = ",") -> None:
    """Join the parts written by the tasks, in part order, under one header."""
    with (out / target).open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerow(header)
    with (out / target).open("ab") as raw:  # the parts are UTF-8 already: copy bytes, no decoding
        for part in sorted((out / ".parts").glob(pattern if "*" in pattern else f"{pattern}-*.csv")):
            with part.open("rb") as source:
                shutil.copyfileobj(source, raw, 1 << 20)


def _assemble_exports(out: Path) -> None:
    """Join each exported channel's fragments into a Telegram ``result.json`` or a Facebook export."""
    for folder in sorted((out / ".parts" / "telegram").glob("*")):
        fragments = sorted(folder.glob("*.part"))
        channel = _first_author(fragments[0])
        target = out / "telegram" / folder.name / "result.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        _join_fragments(target, telegram_header(channel), fragments, TELEGRAM_FOOTER)
    for folder in sorted((out / ".parts" / "facebook").glob("*")):
        fragments = sorted(folder.glob("*.part"))
        root = out / "social" / folder.name / "your_facebook_activity"
        (root / "groups").mkdir(parents=True, exist_ok=True)
        (root / "profile_information").mkdir(parents=True, exist_ok=True)
        _join_fragments(root / "groups" / "your_posts_in_groups.json", '{"group_posts_v2": [\n', fragments, "\n]}\n")
        name = folder.name.removeprefix("facebook-").replace("_", " ")
        (root / "profile_information" / "profile_information.json").write_text(
            facebook_profile_json(name), encoding="utf-8"
        )


def _first_author(fragment: Path) -> str:
    with fragment.open(encoding="utf-8") as handle:
        first = handle.readline().rstrip(",\n")
    return str(json.loads(first)["from"])


def _join_fragments(target: Path, header: str, fragments: list[Path], footer: str) -> None:
    with target.open("w", encoding="utf-8") as handle:
        handle.write(header)
        for index, fragment in enumerate(fragments):
            if index:
                handle.write(",\n")
            with fragment.open(encoding="utf-8") as source:
                shutil.copyfileobj(source, handle)
        handle.write(footer)


@contextmanager
def collector_off() -> Iterator[None]:
    """The cyclic garbage collector off for a block (the world's many small objects make no cycles)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
