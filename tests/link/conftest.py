"""Workspaces whose upstream tables (ingest, extract) are written directly, to test linking alone."""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pytest
from PIL import Image, ImageDraw

from unveil.engine import create_engine
from unveil.evidence.store import EvidenceStore
from unveil.extract.schema import AGES, IDENTIFIERS, PLACES, PRICES
from unveil.indicators.schema import INDICATORS
from unveil.ingest.schema import IMAGES, POSTS
from unveil.link.stage import LINK
from unveil.pipeline import run_pipeline
from unveil.publish.stage import PUBLISH
from unveil.tables import write_part
from unveil.workspace import Workspace

TIMESTAMP = pa.timestamp("us", tz="UTC")
EXTRACTED = pa.schema([("post_id", pa.string()), ("language", pa.string()), ("city", pa.string())])
SCORES = pa.schema([("post_id", pa.string()), ("domain", pa.string()), ("score", pa.float64()), ("risk", pa.float64())])


@dataclass
class Post:
    """One post of a hand-built world."""

    post_id: str
    text: str
    city: str | None = None
    posted_at: datetime = datetime(2024, 1, 1, tzinfo=UTC)
    identifiers: Sequence[tuple[str, str]] = ()
    photos: Sequence[bytes] = field(default_factory=list)
    language: str | None = "en"
    scores: Sequence[tuple[str, float]] = ()


def photo(seed: int, size: int = 160, shift: int = 0) -> bytes:
    """A deterministic picture of shapes; ``shift`` > 0 gives a near copy (resized, re-encoded as JPEG)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (size, size), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(size - 40), rng.randrange(size - 40)
        box = (x, y, x + rng.randrange(20, 40), y + rng.randrange(20, 40))
        draw.ellipse(box, fill=tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    if shift:
        draw.rectangle((2, 2, 2 + 6 * shift, 8), fill=(255, 255, 255))  # a watermark
        image = image.resize((size - 4 * shift, size - 4 * shift))
        image.save(out, format="JPEG", quality=90 - 5 * shift)
    else:
        image.save(out, format="PNG")
    return out.getvalue()


def seed_workspace(root: Path, posts: Sequence[Post]) -> Workspace:
    """A workspace whose ingest and extract tables hold exactly these posts."""
    workspace = Workspace.init(root)
    with (root / "unveil.toml").open("a", encoding="utf-8") as settings:
        settings.write("workers = 1\n")  # small tables: no process pool to start
    workspace = Workspace.open(root)
    store = EvidenceStore(workspace)
    image_rows: list[dict[str, object]] = []
    post_rows: list[dict[str, object]] = []
    for post in posts:
        shas = [store.put(data) for data in post.photos]
        image_rows += [{"image_sha256": sha, "post_id": post.post_id, "evidence_sha256": sha} for sha in shas]
        post_rows.append(
            {
                "post_id": post.post_id,
                "source_id": post.post_id,
                "title": None,
                "text": post.text,
                "posted_at": post.posted_at,
                "region": "BE",
                "city": post.city,
                "images": shas,
            }
        )
    ids = [{"post_id": p.post_id, "type": t, "value": v} for p in posts for t, v in p.identifiers]
    _write_source(workspace, "ingest", {"posts": (post_rows, POSTS), "images": (image_rows, IMAGES)})
    extracted = [{"post_id": p.post_id, "language": p.language, "city": p.city} for p in posts]
    scores = [
        {"post_id": p.post_id, "domain": d, "score": v, "risk": max(s for _, s in p.scores)}
        for p in posts
        for d, v in p.scores
    ]
    found = {"identifiers": (ids, IDENTIFIERS), "posts": (extracted, EXTRACTED)}
    empty: list[dict[str, object]] = []  # read by the publish stage only
    found |= {"places": (empty, PLACES), "prices": (empty, PRICES), "ages": (empty, AGES)}
    _write_source(workspace, "extract", found)
    _write_source(workspace, "score", {"scores": (scores, SCORES), "indicators": (empty, INDICATORS)})
    return workspace


def _write_source(
    workspace: Workspace, stage: str, tables: dict[str, tuple[list[dict[str, object]], pa.Schema]]
) -> None:
    outputs = {}
    for name, (rows, schema) in tables.items():
        table = workspace.table(f"{stage}.{name}")
        write_part(table.path, pa.Table.from_pylist(rows, schema=schema), name="part-0.parquet")
        digest = hashlib.sha256(table.parts()[0].read_bytes()).hexdigest()
        outputs[name] = {"rows": len(rows), "hash": digest}
    workspace.write_state(stage, {"outputs": outputs})


def run_link(workspace: Workspace) -> Workspace:
    """Run the link stage on a seeded workspace, then ``publish`` (the dossier ``unveil network`` reads)."""
    with create_engine("duckdb", workspace.settings) as engine:
        run_pipeline(workspace, engine, [LINK, PUBLISH])
    return workspace


def run_publish(workspace: Workspace) -> Workspace:
    """Run the publish stage on a linked workspace (the dossier ``unveil network`` reads)."""
    with create_engine("duckdb", workspace.settings) as engine:
        run_pipeline(workspace, engine, [PUBLISH])
    return workspace


@pytest.fixture
def linked(tmp_path: Path) -> Callable[[Sequence[Post]], Workspace]:
    """Seed a workspace with posts and run linking on it."""

    def build(posts: Sequence[Post]) -> Workspace:
        return run_link(seed_workspace(tmp_path / "ws", posts))

    return build
