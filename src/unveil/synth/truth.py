"""Ground truth about actors: networks, templates, identifiers (with their roles) and images.

Per-post truth is written by the chunks; this module aggregates it (with DuckDB, out of core, so
memory stays bounded) and adds what only the plan knows.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import duckdb

from unveil.synth.plan import PHOTO_KINDS, WorldPlan, epoch_of


def write_actor_truth(out: Path, plan: WorldPlan, image_rows: list[tuple[str, int, str]]) -> None:
    """Write ``truth/networks.csv``, ``templates.csv``, ``identifiers.csv`` and ``images.csv``."""
    truth = out / "truth"
    _write_networks(truth / "networks_plan.csv", plan)
    connection = duckdb.connect(config={"threads": 2, "memory_limit": "1GB", "preserve_insertion_order": True})
    connection.execute("SET enable_progress_bar = false")  # a library call prints nothing
    try:
        posts, ids, plan_file = (
            str(truth / name) for name in ("posts.csv", "post_identifiers.csv", "networks_plan.csv")
        )
        connection.execute(f"""COPY (
            SELECT n.*, coalesce(p.posts, 0) AS posts, p.cities AS posted_cities, p.languages
            FROM read_csv('{plan_file}', header=true, all_varchar=true) n
            LEFT JOIN (SELECT network_id, count(*) AS posts, string_agg(DISTINCT city, ';' ORDER BY city) AS cities,
                              string_agg(DISTINCT language, ';' ORDER BY language) AS languages
                       FROM read_csv('{posts}', header=true, all_varchar=true) WHERE network_id <> ''
                       GROUP BY network_id) p USING (network_id)
            ORDER BY network_id) TO '{truth / "networks.csv"}' (HEADER, DELIMITER ',')""")
        connection.execute(f"""COPY (
            SELECT template_id, actor_id, any_value(network_id) AS network_id, any_value(kind) AS kind,
                   any_value(label) AS label, any_value(language) AS language,
                   any_value(with_indicators) AS with_indicators, count(*) AS posts,
                   sum(CASE WHEN edit <> '' THEN 1 ELSE 0 END) AS edited_posts
            FROM read_csv('{posts}', header=true, all_varchar=true)
            GROUP BY template_id, actor_id ORDER BY template_id)
            TO '{truth / "templates.csv"}' (HEADER, DELIMITER ',')""")
        connection.execute(f"""COPY (
            SELECT i.type, i.value, min(i.role) AS role, coalesce(min(nullif(i.network_id, '')), '') AS network_id,
                   count(DISTINCT i.post_id) AS posts, count(DISTINCT p.actor_id) AS actors,
                   string_agg(DISTINCT i.obfuscation, ';' ORDER BY i.obfuscation) AS obfuscations
            FROM read_csv('{ids}', header=true, all_varchar=true) i
            JOIN read_csv('{posts}', header=true, all_varchar=true) p USING (post_id)
            GROUP BY i.type, i.value ORDER BY i.type, i.value)
            TO '{truth / "identifiers.csv"}' (HEADER, DELIMITER ',')""")
    finally:
        connection.close()
    (truth / "networks_plan.csv").unlink()
    _write_images(out, plan, image_rows)


def _write_networks(path: Path, plan: WorldPlan) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            (
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
            )
        )
        for pool in plan.pools.values():
            for actor in pool.networks:
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
                    )
                )


def _date(when: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch_of(when), UTC).date().isoformat()


def _write_images(out: Path, plan: WorldPlan, image_rows: list[tuple[str, int, str]]) -> None:
    """``truth/images.csv``: each file's base photo, variant and owner (copies share ``photo_id``)."""
    escort_networks = len(plan.pools["escort_network"].networks)
    with (out / "truth" / "images.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("file", "sha256", "photo_id", "variant", "owner", "network_id"))
        for file, photo, variant in image_rows:
            owner, network = _photo_owner(plan, photo, escort_networks)
            digest = hashlib.sha256((out / file).read_bytes()).hexdigest()
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
