"""A first synthetic world: posts grouped in planted networks that share phones and emails.

Deterministic for a seed, streamed to disk, with a ground-truth file of post -> network.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

CITIES = ["Brussels", "Antwerp", "Ghent", "Bruges", "Ostend", "Liège", "Charleroi", "Namur", "Lille", "Rotterdam"]
NAMES = ["Anna", "Maria", "Elena", "Ioana", "Sofia", "Lina", "Nadia", "Eva", "Mila", "Daria"]
TEMPLATES = [
    "New in {city}! {name}, {age} years, sweet and discreet. Call {phone}",
    "Nieuw in {city}: {name} ({age}). Bel of WhatsApp {phone}",
    "Nouvelle à {city}, {name} {age} ans, disponible 24/7 au {phone}",
]
INDEPENDENT = [
    "Massage salon in {city}, appointment only: {phone}",
    "Looking for a cleaner in {city}, contact {phone}",
    "Room for rent in {city}, call {phone} after 6pm",
]
START = datetime(2023, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class WorldSummary:
    """What a synth run wrote."""

    posts: int
    networks: int
    posts_file: Path
    truth_file: Path


def generate_world(out: Path, posts: int, seed: int) -> WorldSummary:
    """Write ``posts.jsonl`` and ``truth/post_networks.csv`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(exist_ok=True)
    rng = random.Random(seed)
    networks = max(1, posts // 50)
    posts_file, truth_file = out / "posts.jsonl", out / "truth" / "post_networks.csv"
    with posts_file.open("w", encoding="utf-8") as post_out, truth_file.open("w", newline="") as truth_out:
        truth = csv.writer(truth_out)
        truth.writerow(["post_id", "network_id"])
        for post in _posts(rng, posts, networks):
            truth.writerow([post["id"], post.pop("network_id")])
            post_out.write(json.dumps(post, ensure_ascii=False) + "\n")
    return WorldSummary(posts, networks, posts_file, truth_file)


def _posts(rng: random.Random, count: int, networks: int) -> Iterator[dict[str, Any]]:
    phones = {n: [_phone(rng) for _ in range(rng.randint(1, 3))] for n in range(networks)}
    for number in range(count):
        network = rng.randrange(networks) if rng.random() < 0.6 else None
        city = rng.choice(CITIES)
        if network is None:
            text = rng.choice(INDEPENDENT).format(city=city, phone=_phone(rng))
        else:
            template = TEMPLATES[network % len(TEMPLATES)]
            text = template.format(
                city=city, name=rng.choice(NAMES), age=rng.randint(19, 29), phone=rng.choice(phones[network])
            )
        posted = START + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        yield {
            "id": f"S{number:08d}",
            "text": text,
            "city": city,
            "posted_at": posted.isoformat(),
            "platform": "synthetic-ads",
            "network_id": "" if network is None else f"T{network:05d}",
        }


def _phone(rng: random.Random) -> str:
    digits = f"{rng.randint(0, 99):02d} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"
    return f"04{rng.choice('789')}{rng.randint(0, 9)} {digits}"
