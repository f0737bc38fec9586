"""``unveil synth``."""

from __future__ import annotations

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
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same world).")] = 7,
) -> None:
    """Generate a synthetic world with its ground truth."""
    from unveil.synth.world import generate_world

    summary = generate_world(out, posts, seed)
    Console().print(f"Wrote {summary.posts:,} posts in {summary.networks:,} planted networks to {out}")
