"""``unveil synth``: write a synthetic world with its ground truth."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console


def register(app: typer.Typer) -> None:
    """Add the synthetic-world commands."""
    app.command()(synth)


def synth(
    out: Annotated[Path, typer.Argument(help="Folder to write the synthetic world into.")],
    posts: Annotated[int, typer.Option(min=1, help="Number of posts.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same world, byte for byte).")] = 7,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Processes writing in parallel (the output does not depend on it).")
    ] = None,
) -> None:
    """Generate a synthetic world (posts, captures, exports, images, transfers, statistics) with its ground truth."""
    from unveil.synth.world import generate_world

    started = time.perf_counter()
    summary = generate_world(out, posts, seed, workers)
    seconds = time.perf_counter() - started
    counts = summary.counts
    Console().print(
        f"Wrote {summary.posts:,} posts of {summary.networks:,} planted networks, "
        f"{counts.get('html', 0) + counts.get('warc', 0):,} page captures, "
        f"{counts.get('mto', 0) + counts.get('bank_csv', 0) + counts.get('bank_xlsx', 0):,} transfers "
        f"to {out} in {seconds:.1f} s ({summary.posts / seconds:,.0f} posts/s)"
    )
