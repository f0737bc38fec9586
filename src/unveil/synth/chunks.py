"""Writing one chunk of posts: the JSON lines, their truth rows and the captures of a share of them.

A chunk is a pure function of (seed, posts, chunk number): chunks can be written in any order, by
any number of processes, and the world is the same byte for byte.
"""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from pathlib import Path
from typing import IO, Any

import orjson

from unveil.synth.captures import WarcFile, facebook_post, html_page, telegram_message
from unveil.synth.plan import WorldPlan, make_plan
from unveil.synth.posts import Post, make_post
from unveil.synth.tally import Tally

CHUNK_POSTS = 20_000
HTML_SHARE = 0.015
WARC_SHARE = 0.01
LEGACY_LANGUAGES = ("fr", "nl", "en", "de", "es")
EXPORTED_NETWORKS = 5
EXPORTED_AUTHORS = 3
_PLANS: dict[tuple[int, int], WorldPlan] = {}


def plan_for(posts: int, seed: int) -> WorldPlan:
    """The plan of a world, built once per process."""
    key = (posts, seed)
    if key not in _PLANS:
        _PLANS.clear()
        _PLANS[key] = make_plan(posts, seed)
    return _PLANS[key]


def exported_channel(post: Post) -> str:
    """``telegram`` or ``facebook`` when the post's channel is among the exported ones, else ``""``."""
    actor = post.actor
    if actor.platform != "telegram" and actor.platform != "facebook":
        return ""
    digits = "".join(c for c in actor.actor_id.split("-")[0] if c.isdigit())
    limit = EXPORTED_NETWORKS if actor.is_network else EXPORTED_AUTHORS
    if actor.kind.bank in ("smuggling", "labour", "migration_info", "travel") and int(digits) < limit:
        return actor.platform
    return ""


def channel_folder(post: Post) -> str:
    """The export folder of a post's channel (``ChatExport_<slug>`` or ``facebook-<slug>``)."""
    slug = "".join(c if c.isalnum() else "_" for c in post.actor.channel).strip("_")
    return f"ChatExport_{slug}" if post.actor.platform == "telegram" else f"facebook-{slug}"


def write_chunk(out: Path, posts: int, seed: int, chunk: int) -> Counter[str]:
    """Write chunk ``chunk`` of the world into ``out``; return counts of what it wrote."""
    plan = plan_for(posts, seed)
    rng, capture_rng = random.Random(f"{seed}/chunk/{chunk}"), random.Random(f"{seed}/captures/{chunk}")
    counts: Counter[str] = Counter()
    parts = out / ".parts"
    first, last = chunk * CHUNK_POSTS, min(posts, (chunk + 1) * CHUNK_POSTS)
    warc: WarcFile | None = None
    fragments: dict[str, IO[str]] = {}
    with (
        (out / "posts" / f"posts-{chunk:05d}.jsonl").open("wb") as post_file,
        (parts / f"posts-{chunk:05d}.csv").open("w", encoding="utf-8", newline="") as truth_file,
        (parts / f"identifiers-{chunk:05d}.csv").open("w", encoding="utf-8", newline="") as id_file,
        (parts / f"captures-{chunk:05d}.csv").open("w", encoding="utf-8", newline="") as capture_file,
    ):
        truth, ids, captures = csv.writer(truth_file), csv.writer(id_file), csv.writer(capture_file)
        tally = Tally()
        for number in range(first, last):
            post = make_post(plan, rng, number)
            tally.add(post)
            post_file.write(_json_line(post))
            truth.writerow(_truth_row(post))
            ids.writerows(
                (post.post_id, *row, post.actor.actor_id if post.actor.is_network else "") for row in post.identifiers
            )
            counts[post.actor.kind.name] += 1
            draw = capture_rng.random()
            if post.actor.kind.post_kind in ("ad", "job") and draw < HTML_SHARE:
                legacy = post.language in LEGACY_LANGUAGES and capture_rng.random() < 0.15
                name = f"captures/html/{post.post_id}.html"
                (out / name).write_bytes(html_page(post, legacy))
                captures.writerow((post.post_id, "html", name, post.post_id))
                counts["html"] += 1
            elif post.actor.platform not in ("telegram", "facebook") and draw < HTML_SHARE + WARC_SHARE:
                if warc is None:
                    warc = WarcFile(out / "captures" / f"pages-{chunk:05d}.warc.gz")
                warc.add(post, html_page(post, False))
                captures.writerow((post.post_id, "warc", f"captures/pages-{chunk:05d}.warc.gz", post.url))
                counts["warc"] += 1
            platform = exported_channel(post)
            if platform:
                _export(post, platform, parts, chunk, fragments, captures)
                counts[platform] += 1
    tally.save(parts / f"tally-{chunk:05d}.pkl")
    if warc is not None:
        warc.close()
    for handle in fragments.values():
        handle.close()
    return counts


def _export(post: Post, platform: str, parts: Path, chunk: int, fragments: dict[str, IO[str]], captures: Any) -> None:
    folder = channel_folder(post)
    if folder not in fragments:
        path = parts / platform / folder / f"{chunk:05d}.part"
        path.parent.mkdir(parents=True, exist_ok=True)
        fragments[folder] = path.open("w", encoding="utf-8")
    else:
        fragments[folder].write(",\n")
    if platform == "telegram":
        fragments[folder].write(json.dumps(telegram_message(post), ensure_ascii=False))
        captures.writerow((post.post_id, "telegram", f"telegram/{folder}/result.json", post.number))
    else:
        fragments[folder].write(json.dumps(facebook_post(post)))
        captures.writerow((post.post_id, "facebook", f"social/{folder}", int(post.epoch)))


def _json_line(post: Post) -> bytes:
    record = {
        "id": post.post_id,
        "text": post.text,
        "title": post.title,
        "url": post.url,
        "platform": post.actor.platform,
        "kind": post.actor.kind.post_kind,
        "posted_at": post.posted_at,
        "city": post.city,
        "country": post.country,
        "author": post.author,
        "images": post.images,
    }
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)


TRUTH_POST_COLUMNS = (
    "post_id",
    "network_id",
    "actor_id",
    "kind",
    "label",
    "language",
    "template_id",
    "edit",
    "with_indicators",
    "minor",
    "city",
    "country",
    "posted_at",
    "platform",
    "images",
)


def _truth_row(post: Post) -> tuple[object, ...]:
    actor = post.actor
    return (
        post.post_id,
        actor.actor_id if actor.is_network else "",
        actor.actor_id,
        actor.kind.name,
        actor.kind.label,
        post.language,
        post.template_id,
        post.edit,
        int(post.with_indicators),
        int(post.minor),
        post.city,
        post.country,
        post.posted_at,
        actor.platform,
        len(post.images),
    )
