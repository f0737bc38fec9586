"""The plan of a world: how many networks and authors of each kind, their photos, the hub identifiers.

Everything here is bounded (networks and photos are capped), so the plan's memory does not grow
with the number of posts beyond the caps.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from unveil_synth.actors import Actor, build_network, cached_author
from unveil_synth.identifiers import Phone, make_landline, make_phone
from unveil_synth.kinds import AD_SITES, KINDS, Kind

START = datetime(2019, 1, 1, tzinfo=UTC)
END = datetime(2025, 1, 1, tzinfo=UTC)
BUCKETS = 72  # months between START and END
NETWORK_CAPS = {"escort_network": 1500, "smuggling_offer": 400, "labour_exploitation": 600}
PHOTO_KINDS = ("escort_network", "escort_independent", "massage", "dating")
VARIANTS = ("orig", "crop", "jpeg", "tint")


@dataclass(frozen=True)
class Hub:
    """An identifier that joins unrelated posts: a hotel switchboard, a support address, an agency line."""

    type: str
    value: str
    phone: Phone | None
    label: str


@dataclass
class NetworkPool:
    """The planted networks of one kind and, per month, the cumulative weights of those active then."""

    networks: list[Actor]
    buckets: list[tuple[list[int], list[float]]] = field(default_factory=list)

    def pick(self, rng: random.Random, when: float) -> Actor:
        """A network active at ``when`` (0..1 of the world's span), larger networks more often."""
        members, cumulative = self.buckets[min(BUCKETS - 1, int(when * BUCKETS))]
        return self.networks[members[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]]


@dataclass
class WorldPlan:
    """Counts, networks, photo allocation and hubs of one world."""

    seed: int
    posts: int
    kind_cumulative: list[float]
    pools: dict[str, NetworkPool]
    authors: dict[str, int]
    photo_bases: int
    author_photo_start: int
    hubs: dict[str, list[Hub]]
    _authors: dict[tuple[str, int], Actor] = field(default_factory=dict, repr=False)

    def pick_author(self, rng: random.Random, kind: Kind, when: float) -> Actor:
        """An independent author of ``kind`` active around ``when`` (a sliding pool of authors)."""
        total = self.authors[kind.name]
        pool = max(1, total // 40)  # authors re-post within a few weeks
        index = min(total - 1, int(when * (total - pool)) + int(rng.random() * pool))
        actor = self._authors.get((kind.name, index))
        if actor is None:
            if len(self._authors) > 20_000:  # bounded: authors are asked for within a few weeks of each other
                self._authors.clear()
            span = max(1, total - pool)  # author ``index`` posts while int(when * span) is in index - pool + 1 .. index
            actor = self._authors[(kind.name, index)] = cached_author(
                self.seed,
                kind.name,
                index,
                self.author_photo(kind.name, index),
                (index - pool + 1) / span,
                (index + 1) / span,
            )
        return actor

    def author_photo(self, kind_name: str, index: int) -> int:
        """The base photo of an independent author, or -1 (photos are a bounded set)."""
        if kind_name not in PHOTO_KINDS[1:]:
            return -1
        slot = PHOTO_KINDS.index(kind_name) - 1 + 3 * index
        photo = self.author_photo_start + slot
        return photo if photo < self.photo_bases else -1


def make_plan(posts: int, seed: int) -> WorldPlan:
    """Plan a world of ``posts`` posts for ``seed``."""
    cumulative, total = [], 0.0
    for kind in KINDS:
        total += kind.share
        cumulative.append(total)
    cumulative[-1] = 1.0
    photo_bases = max(24, min(240, posts // 400))
    network_photos = photo_bases * 3 // 5
    pools: dict[str, NetworkPool] = {}
    authors: dict[str, int] = {}
    for kind in KINDS:
        count = max(1, round(posts * kind.share / kind.posts_per_author))
        if kind.network_run:
            count = max(3, min(NETWORK_CAPS[kind.name], count))
            pools[kind.name] = _pool(seed, kind, count, network_photos)
        else:
            authors[kind.name] = count
    return WorldPlan(seed, posts, cumulative, pools, authors, photo_bases, network_photos, _hubs(seed))


def _pool(seed: int, kind: Kind, count: int, network_photos: int) -> NetworkPool:
    networks = []
    for index in range(count):
        photos = tuple(p for p in (2 * index, 2 * index + 1) if p < network_photos) if kind.bank == "escort" else ()
        networks.append(build_network(seed, kind.name, index, photos))
    rng = random.Random(f"{seed}/sizes/{kind.name}")
    sizes = [rng.paretovariate(1.6) for _ in networks]  # a few large networks, many small ones
    pool = NetworkPool(networks)
    for bucket in range(BUCKETS):
        middle = (bucket + 0.5) / BUCKETS
        members = [i for i, n in enumerate(networks) if n.start <= middle <= n.end] or list(range(len(networks)))
        running, cumulative = 0.0, []
        for member in members:
            running += sizes[member]
            cumulative.append(running)
        pool.buckets.append((members, cumulative))
    return pool


def _hubs(seed: int) -> dict[str, list[Hub]]:
    rng = random.Random(f"{seed}/hubs")
    hotels = [make_landline(rng) for _ in range(4)]
    agencies = [make_landline(rng) for _ in range(3)]
    helplines = [make_phone(rng, "BE") for _ in range(2)]
    return {
        "hotel": [Hub("phone", p.e164, p, "hotel switchboard") for p in hotels],
        "support": [Hub("email", f"support@{site}", None, "ad platform support") for site in AD_SITES],
        "agency": [Hub("phone", p.e164, p, "temporary work agency") for p in agencies],
        "helpline": [Hub("phone", p.e164, p, "NGO helpline") for p in helplines],
    }


_START_SECONDS = START.timestamp()
_SPAN_SECONDS = END.timestamp() - START.timestamp()


def epoch_of(when: float) -> float:
    """Seconds since 1970 of ``when`` (0..1 of the world's span)."""
    return _START_SECONDS + when * _SPAN_SECONDS
