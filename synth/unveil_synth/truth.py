"""Ground truth about actors: networks, templates, identifiers (with their roles) and images.

Per-post truth is written by the chunks, which also keep tallies of it (``tally.py``); this module
writes the merged tallies and adds what only the plan knows.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from unveil_synth.images import photo_digests
from unveil_synth.plan import PHOTO_KINDS, WorldPlan, epoch_of
from unveil_synth.tally import NetworkTally, Tally, write_identifiers, write_templates

NETWORK_COLUMNS = (
    "network_id",
    "kind",
    "label",
    "home_country",
    "phones",
    "emails",
    "handles",
    "templates",
    "personas",
    "minors",
    "circuit",
    "active_from",
    "active_to",
    "posts",
    "posted_cities",
    "languages",
)


def write_actor_truth(out: Path, plan: WorldPlan, tally: Tally) -> None:
    """Write ``truth/networks.csv``, ``templates.csv`` and ``identifiers.csv`` from the posts' tally."""
    truth = out / "truth"
    _write_networks(truth / "networks.csv", plan, tally)
    write_templates(truth / "templates.csv", tally)
    write_identifiers(truth / "identifiers.csv", tally)


def write_image_truth(out: Path, plan: WorldPlan, image_rows: list[tuple[str, int, str]]) -> None:
    """Write ``truth/images.csv`` (once the photo tasks have written the images and their digests)."""
    _write_images(out, plan, image_rows)


def _write_networks(path: Path, plan: WorldPlan, tally: Tally) -> None:
    """``truth/networks.csv``: what the plan gave each network and where and in which languages it posted."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(NETWORK_COLUMNS)
        actors = sorted((actor for pool in plan.pools.values() for actor in pool.networks), key=lambda a: a.actor_id)
        for actor in actors:
            posted = tally.networks.get(actor.actor_id, NetworkTally())
            writer.writerow(
                (
                    actor.actor_id,
                    actor.kind.name,
                    actor.kind.label,
                    actor.home_country,
                    ";".join(p.e164 for p in actor.phones),
                    ";".join(actor.emails),
                    ";".join(f"{s}:{h}" for s, h in actor.handles),
                    ";".join(t.template_id for t in actor.templates),
                    len(actor.personas),
                    sum(1 for p in actor.personas if p.true_age < 18),
                    ";".join(actor.circuit),
                    _date(actor.start),
                    _date(actor.end),
                    posted.posts,
                    ";".join(sorted(posted.cities)),
                    ";".join(sorted(posted.languages)),
                )
            )


def _date(when: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch_of(when), UTC).date().isoformat()


def _write_images(out: Path, plan: WorldPlan, image_rows: list[tuple[str, int, str]]) -> None:
    """``truth/images.csv``: each file's base photo, variant and owner (copies share ``photo_id``)."""
    escort_networks = len(plan.pools["escort_network"].networks)
    digests = photo_digests(out)
    with (out / "truth" / "images.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("file", "sha256", "photo_id", "variant", "owner", "network_id"))
        for file, photo, variant in image_rows:
            owner, network = _photo_owner(plan, photo, escort_networks)
            digest = digests.get(file) or hashlib.sha256((out / file).read_bytes()).hexdigest()
            writer.writerow((file, digest, f"PH{photo:04d}", variant, owner, network))


def _photo_owner(plan: WorldPlan, photo: int, escort_networks: int) -> tuple[str, str]:
    if photo < plan.author_photo_start:
        network = f"NE{photo // 2:05d}" if photo // 2 < escort_networks else ""
        return network, network
    slot = photo - plan.author_photo_start
    kind = PHOTO_KINDS[1 + slot % 3]
    index = slot // 3
    owner = f"A{kind[:3].upper()}{index:06d}" if index < plan.authors[kind] else ""
    return owner, ""
