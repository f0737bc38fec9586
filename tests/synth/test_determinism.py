"""Same seed, same world, byte for byte, whatever the number of processes; a re-run replaces the folder."""

from __future__ import annotations

import random
from pathlib import Path

from unveil_synth.plan import make_plan
from unveil_synth.posts import make_post
from unveil_synth.world import generate_world


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_bytes_and_a_rerun_replaces_stale_files(small_world: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    (again / "posts").mkdir(parents=True)
    (again / "posts" / "stale.jsonl").write_text("{}\n", "utf-8")
    generate_world(again, posts=600, seed=3, workers=1)  # the session's small world used the default pool
    first, second = _files(small_world), _files(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert not (again / ".parts").exists()


def test_another_seed_gives_other_posts() -> None:
    texts = []
    for seed in (3, 4):
        plan, rng = make_plan(600, seed), random.Random(seed)
        texts.append([make_post(plan, rng, number).text for number in range(50)])
    assert texts[0] != texts[1]


def test_one_worker_and_two_workers_write_identical_bytes(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    generate_world(one, posts=900, seed=8, workers=1)
    generate_world(two, posts=900, seed=8, workers=2)
    first, second = _files(one), _files(two)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
