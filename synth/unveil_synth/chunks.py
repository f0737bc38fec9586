"""Writing one chunk of posts: the JSON lines, their truth rows and the captures of a share of them.

A chunk is a pure function of (seed, posts, chunk number): chunks can be written in any order, by
any number of processes, and the world is the same byte for byte.
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import IO, Any

import orjson

from unveil_synth.captures import WarcFile, facebook_post, html_page, telegram_message
from unveil_synth.plan import WorldPlan, make_plan
from unveil_synth.posts import Post, make_post
from unveil_synth.rand import FastRandom
from unveil_synth.tally import IdentifierKey, PostKey, Tally

CHUNK_POSTS = 20_000
HTML_SHARE = 0.015
# pages saved one by one are what an analyst saves by hand: a few thousand in a large world (creating a file
# costs about a millisecond here); past the cap, the capture is a crawl's record in the chunk's WARC file
HTML_PER_CHUNK = 60
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
    if actor.kind.bank not in ("smuggling", "labour", "migration_info", "travel"):
        return ""
    number = _ACTOR_NUMBERS.get(actor.actor_id)
    if number is None:
        number = _ACTOR_NUMBERS[actor.actor_id] = int("".join(c for c in actor.actor_id.split("-")[0] if c.isdigit()))
    return actor.platform if number < (EXPORTED_NETWORKS if actor.is_network else EXPORTED_AUTHORS) else ""


_ACTOR_NUMBERS: dict[str, int] = {}  # the number in an actor id (the same in every world)


def channel_folder(post: Post) -> str:
    """The export folder of a post's channel (``ChatExport_<slug>`` or ``facebook-<slug>``)."""
    slug = "".join(c if c.isalnum() else "_" for c in post.actor.channel).strip("_")
    return f"ChatExport_{slug}" if post.actor.platform == "telegram" else f"facebook-{slug}"


def write_chunk(out: Path, posts: int, seed: int, chunk: int, tally: Tally | None = None) -> Counter[str]:
    """Write chunk ``chunk`` of the world into ``out``; return counts of what it wrote.

    The chunk's truth is counted into ``tally`` (a task's tally, saved once by the task for its
    chunks); without one, the chunk saves a tally of its own.
    """
    plan = plan_for(posts, seed)
    rng = FastRandom(f"{seed}/chunk/{chunk}")
    counts: Counter[str] = Counter()
    parts = out / ".parts"
    own = tally is None
    if tally is None:
        tally = Tally()
    with (
        (out / "posts" / f"posts-{chunk:05d}.jsonl").open("wb", buffering=1 << 20) as post_file,
        (parts / f"posts-{chunk:05d}.csv").open("w", encoding="utf-8", newline="", buffering=1 << 20) as truth_file,
        (parts / f"identifiers-{chunk:05d}.csv").open("w", encoding="utf-8", newline="", buffering=1 << 20) as id_file,
        _Captures(out, chunk, FastRandom(f"{seed}/captures/{chunk}"), counts) as captures,
    ):
        write_post, write_truth, write_ids = post_file.write, truth_file.write, id_file.write
        # tally keys, counted in C once the chunk is written (far cheaper than counting post by post)
        post_keys: list[PostKey] = []
        identifier_keys: list[IdentifierKey] = []
        add_post, add_identifier = post_keys.append, identifier_keys.append
        for number in range(chunk * CHUNK_POSTS, min(posts, (chunk + 1) * CHUNK_POSTS)):
            post = make_post(plan, rng, number)
            write_post(_json_line(post))
            write_truth(_truth_line(post))
            who = post.form.who
            add_post((who, post.city, post.edit != ""))
            if post.identifiers:
                write_ids(_identifier_lines(post))
                for kind, value, _written, rule, role in post.identifiers:
                    add_identifier((kind, value, rule, role, who[0], who[1]))
            captures.add(post)
    counted = Counter(post_keys)
    for (who, _city, _edited), count in counted.items():
        counts[who[2]] += count  # posts by kind
    tally.add_counted(counted, Counter(identifier_keys))
    if own:
        tally.save(parts / f"tally-{chunk:05d}.pkl")
    return counts


class _Captures:
    """The captures of one chunk: HTML pages and WARC records for a share of web posts, channel exports."""

    def __init__(self, out: Path, chunk: int, rng: random.Random, counts: Counter[str]) -> None:
        self.out, self.chunk, self.rng, self.counts = out, chunk, rng, counts
        self.parts = out / ".parts"
        self.handle = (self.parts / f"captures-{chunk:05d}.csv").open("w", encoding="utf-8", newline="")
        self.rows = csv.writer(self.handle)
        self.warc: WarcFile | None = None
        self.fragments: dict[str, IO[str]] = {}
        self.pages = 0  # HTML pages saved in this chunk (past ``HTML_PER_CHUNK``, a capture goes to the WARC)

    def __enter__(self) -> _Captures:
        return self

    def __exit__(self, *_: object) -> None:
        self.handle.close()
        if self.warc is not None:
            self.warc.close()
        for handle in self.fragments.values():
            handle.close()

    def add(self, post: Post) -> None:
        """Capture ``post`` when its draw says so (the draw is made for every post, so captures are stable)."""
        draw = self.rng.random()
        platform = post.actor.platform
        if draw < HTML_SHARE and self.pages < HTML_PER_CHUNK and post.actor.kind.post_kind in ("ad", "job"):
            self.pages += 1
            legacy = post.language in LEGACY_LANGUAGES and self.rng.random() < 0.15
            name = f"captures/html/{post.post_id}.html"
            (self.out / name).write_bytes(html_page(post, legacy))
            self.rows.writerow((post.post_id, "html", name, post.post_id))
            self.counts["html"] += 1
        elif draw < HTML_SHARE + WARC_SHARE and platform != "telegram" and platform != "facebook":
            if self.warc is None:
                self.warc = WarcFile(self.out / "captures" / f"pages-{self.chunk:05d}.warc.gz")
            self.warc.add(post, html_page(post, False))
            self.rows.writerow((post.post_id, "warc", f"captures/pages-{self.chunk:05d}.warc.gz", post.url))
            self.counts["warc"] += 1
        if platform == "telegram" or platform == "facebook":
            exported = exported_channel(post)
            if exported:
                _export(post, exported, self.parts, self.chunk, self.fragments, self.rows)
                self.counts[exported] += 1


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


# One post in NO_COUNTRY_EVERY is written without its country (sites that give none; the extractor must
# infer the phone's region from the text): the ground truth keeps it.
NO_COUNTRY_EVERY = 4


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
    if post.number % NO_COUNTRY_EVERY == NO_COUNTRY_EVERY - 1:
        del record["country"]
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
    "boilerplate",
    "rewritten",
)


def _truth_line(post: Post) -> str:
    """The post's row of ``truth/posts.csv`` (every field is an id, a code or a city name: nothing to quote)."""
    return (
        f"{post.post_id},{post.form.truth},{post.edit},{int(post.with_indicators)},{int(post.minor)},"
        f"{post.city},{post.country},{post.posted_at},{post.actor.platform},{len(post.images)},{post.boilerplate},"
        f"{int(post.rewritten)}\r\n"
    )


_SPECIAL = re.compile(r'[,"\r\n]')


def _identifier_lines(post: Post) -> str:
    """The post's rows of ``truth/post_identifiers.csv``, quoted as the csv module would."""
    network = post.actor.actor_id if post.actor.is_network else ""
    lines = []
    for kind, value, written, rule, role in post.identifiers:
        if _SPECIAL.search(written):
            written = '"' + written.replace('"', '""') + '"'
        lines.append(f"{post.post_id},{kind},{value},{written},{rule},{role},{network}\r\n")
    return "".join(lines)
