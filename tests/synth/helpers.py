"""Readers of a synthetic world's files for the tests."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any


def read_truth(world: Path, name: str) -> list[dict[str, str]]:
    """Rows of ``truth/<name>.csv``."""
    with (world / "truth" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_posts(world: Path) -> dict[str, dict[str, Any]]:
    """Every post of ``posts/*.jsonl`` by id."""
    posts: dict[str, dict[str, Any]] = {}
    for path in sorted((world / "posts").glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                post = json.loads(line)
                posts[post["id"]] = post
    return posts
