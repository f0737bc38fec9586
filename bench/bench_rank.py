"""Does the investigators' feedback make the next triage better? A simulated investigator on the synthetic world.

The world's posts are cut, in posting order, into "days" of ``DAY`` posts. Each day's triage queue
is that day's posts in the current ranking. The simulated investigator labels the top ``PER_DAY``
(50) of the day's queue from the ground truth (``truth/posts.csv``: trafficking, smuggling and
labour exploitation are true positives, the rest false positives); the ``rank`` stage of the
pipeline is then re-run with the new labels (the real stage: label events in ``unveil.db``,
exported, features, training, per-record scoring), and the next day begins.

Reported: precision at 100 of the following queues (the mean over the ``FOLLOWING`` days' queues
after the labels counted so far) after 0, 50, 200 and 500 labels, for

- ``lexicon``: the fixed lexicon ranking (what triage does without learning), on the same queues;
- ``learned``: the ranking retrained from the labels;
- ``learned_noisy``: the same with 10 % of the labels wrong (flipped at random, seeded).
"""

from __future__ import annotations

import csv
import random
import tempfile
from pathlib import Path

from bench.harness import Metrics, benchmark, timed
from unveil.cases.labels import label_item
from unveil.engine import Engine, create_engine
from unveil.ingest import ingest
from unveil.pipeline import run_pipeline
from unveil.stages import all_stages
from unveil.workspace import Workspace

SIZES = {"small": 8_000, "full": 40_000}
DAY = {"small": 400, "full": 2_000}
PER_DAY = 50
CHECKPOINTS = (0, 50, 200, 500)
FOLLOWING = 3
NOISE = 0.10
TOP = 100


def _generate(world: Path, posts: int, seed: int) -> None:
    from unveil_synth.world import generate_world

    generate_world(world, posts, seed=seed)


def _truth(workspace: Workspace, world: Path) -> dict[str, bool]:
    """Workspace post id -> True when the world planted it as trafficking, smuggling or labour exploitation."""
    with (world / "truth" / "posts.csv").open(encoding="utf-8") as handle:
        labels = {row["post_id"]: row["label"] != "benign" for row in csv.DictReader(handle)}
    posts = workspace.table("ingest.posts").read(["post_id", "source_id"]).to_pylist()
    return {p["post_id"]: labels[p["source_id"]] for p in posts if p["source_id"] in labels}


def _days(workspace: Workspace, known: dict[str, bool], size: int) -> list[list[str]]:
    facts = workspace.table("link.post_facts").read(["post_id", "posted_at"]).to_pylist()
    ordered = sorted(
        (f for f in facts if f["post_id"] in known),
        key=lambda f: (f["posted_at"] is None, f["posted_at"], f["post_id"]),
    )
    ids = [f["post_id"] for f in ordered]
    return [ids[i : i + size] for i in range(0, len(ids) - size + 1, size)]


def _ranks(workspace: Workspace) -> dict[str, int]:
    table = workspace.table("rank.scores").read(["post_id", "rank"])
    return dict(zip(table.column("post_id").to_pylist(), table.column("rank").to_pylist(), strict=True))


def _queue(day: list[str], ranks: dict[str, int]) -> list[str]:
    return sorted(day, key=lambda post: ranks[post])


def _precision(queue: list[str], truth: dict[str, bool]) -> float:
    top = queue[:TOP]
    return sum(truth[post] for post in top) / len(top)


def _simulate(
    workspace: Workspace, engine: Engine, days: list[list[str]], truth: dict[str, bool], noise: float, seed: int
) -> tuple[dict[int, float], dict[int, float], float]:
    """Label day after day; P@100 of the following queues at each checkpoint (learned, and lexicon)."""
    draw = random.Random(seed)
    lexicon_ranks = _ranks(workspace)  # before any label: the lexicon's order
    learned: dict[int, float] = {}
    lexicon: dict[int, float] = {}
    labels, seconds = 0, 0.0
    for day_index, day in enumerate(days):
        if labels in CHECKPOINTS and labels not in learned:
            following = days[day_index : day_index + FOLLOWING]
            ranks = _ranks(workspace)
            learned[labels] = sum(_precision(_queue(d, ranks), truth) for d in following) / len(following)
            lexicon[labels] = sum(_precision(_queue(d, lexicon_ranks), truth) for d in following) / len(following)
        if labels >= max(CHECKPOINTS):
            break
        for post in _queue(day, _ranks(workspace))[:PER_DAY]:
            correct = truth[post]
            given = (not correct) if draw.random() < noise else correct
            label_item(
                workspace, "post", post, "true_positive" if given else "false_positive", "sim", "simulated", check=False
            )
            labels += 1
        with timed() as retrain:
            run_pipeline(workspace, engine, all_stages(), only=["rank"])
        seconds += retrain["seconds"]
    return learned, lexicon, seconds


@benchmark("rank.feedback")
def feedback(scale: str) -> Metrics:
    """Precision at 100 of the next triage queues, with and without learning from labels (clean and 10 % wrong)."""
    size, day = SIZES[scale], DAY[scale]
    metrics: Metrics = {"posts": size, "day_posts": day, "labels_per_day": PER_DAY, "following_queues": FOLLOWING}
    with tempfile.TemporaryDirectory() as scratch:
        world = Path(scratch) / "world"
        _generate(world, size, seed=23)
        base = Workspace.init(Path(scratch) / "base")
        ingest(base, [world])
        with create_engine("duckdb", base.settings) as engine:
            with timed() as pipeline:
                run_pipeline(base, engine, all_stages())
            truth = _truth(base, world)
            days = _days(base, truth, day)
            metrics["pipeline_s"] = round(pipeline["seconds"], 1)
            metrics["days"] = len(days)
            metrics["positive_share"] = round(sum(truth.values()) / len(truth), 3)
            import shutil

            for arm, noise in (("learned", 0.0), ("learned_noisy", NOISE)):
                root = Path(scratch) / arm
                shutil.copytree(base.root, root)
                workspace = Workspace.open(root)
                learned, lexicon, seconds = _simulate(workspace, engine, days, truth, noise, seed=7)
                for labels in CHECKPOINTS:
                    if labels in learned:
                        metrics[f"{arm}_p100_after_{labels}"] = round(learned[labels], 3)
                        metrics["lexicon_p100_after_" + str(labels)] = round(lexicon[labels], 3)
                metrics[f"{arm}_retrain_s_mean"] = round(seconds / max(1, max(CHECKPOINTS) // PER_DAY), 2)
    for labels in CHECKPOINTS:
        if f"learned_p100_after_{labels}" in metrics:
            gain = metrics[f"learned_p100_after_{labels}"] - metrics[f"lexicon_p100_after_{labels}"]
            metrics[f"gain_points_after_{labels}"] = round(100 * gain, 1)
            noisy = metrics[f"learned_noisy_p100_after_{labels}"] - metrics[f"lexicon_p100_after_{labels}"]
            metrics[f"noisy_gain_points_after_{labels}"] = round(100 * noisy, 1)
    return metrics
