"""One identifier's profile: its posts (paged, snippets around the hit), first and last seen, cities over
time, the identifiers written beside it, networks, transfers and parties.

The posts of an identifier come from the identifier rows of the lookup file (``search_rows``, one
index range per value, written from ``publish.search_rows``): what a result shows of each post, newest
first, and every identifier of the post (``others``), from which the identifiers written beside it are
counted. Only the page's posts are opened (their text and spans, one query) to cut a snippet around
the hit. Transfers and matched parties are one lookup each in the lookup file's ``identifier_transfers``
and ``identifier_parties`` (see ``lookups.py``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from unveil.errors import NotFound
from unveil.web.lookups import decode, search_row
from unveil.web.readmodel import ReadModel

POSTS_PAGE = 25
TRANSFER_LIMIT = 500
CO_OCCURRING = 30
SNIPPET_SIDE = 90
"""Characters shown on each side of the identifier in a post's snippet."""
TRANSFER_COLUMNS = {"phone": "phone", "email": "email", "iban": "account", "wallet": "wallet"}
"""Identifier type -> the ``money.transfers`` party column that holds the same canonical value."""
ROW_NAMES = ("pos", "type", "value", "post_id", "title", "snippet", "posted_at", "city", "risk", "network_id", "others")
OTHERS_SEPARATOR, TYPE_SEPARATOR = "\x1e", "\x1f"
"""Between the identifiers of ``others``, and between an identifier's type and value (``publish.stage``)."""


@dataclass
class IdentifierDetail:
    """What the identifier page shows."""

    type: str
    value: str
    posts: list[dict[str, Any]] = field(default_factory=list)
    """The page's posts, newest first, each with its snippet around the hit (``before``, ``hit``, ``after``)."""
    post_count: int = 0
    page: int = 1
    pages: int = 1
    first_seen: Any = None
    last_seen: Any = None
    cities: list[dict[str, Any]] = field(default_factory=list)
    """Cities with posts, first and last seen, most posts first."""
    months: list[dict[str, Any]] = field(default_factory=list)
    """Posts per month and city, oldest month first (cities over time)."""
    co_occurring: list[dict[str, Any]] = field(default_factory=list)
    """Identifiers written in the same posts, with how many posts."""
    networks: list[dict[str, Any]] = field(default_factory=list)
    transfers: list[dict[str, Any]] | None = None
    transfer_totals: dict[str, Any] | None = None
    parties: list[dict[str, Any]] | None = None
    all_posts: list[dict[str, Any]] = field(default_factory=list, repr=False)
    """Every post of the identifier (what a result shows), newest first: the map and the moves read it."""


def identifier_posts(tables: ReadModel, kind: str, value: str) -> list[dict[str, Any]]:
    """Every post carrying the identifier, newest first (post id, title, time, city, risk, network)."""
    if not tables.has("publish.posts"):
        return []
    columns, rows = tables.lookup(
        f"SELECT {', '.join(ROW_NAMES)} FROM search_rows WHERE key_kind = 'identifier' AND key = ? AND type = ? "
        "AND value = ? ORDER BY pos",
        [value.lower(), kind, value],
    )
    found = [search_row(columns, row) for row in rows]
    seen: set[str] = set()
    unique = []
    for row in found:
        if row["post_id"] not in seen:
            seen.add(row["post_id"])
            unique.append(row)
    return unique


def identifier_detail(
    tables: ReadModel, kind: str, value: str, page: int = 1, only_posts: set[str] | None = None
) -> IdentifierDetail:
    """The identifier's profile with one page of its posts; ``NotFound`` when no post and no transfer carries it.

    ``only_posts``: the posts the user may see (a magistrate's cases), None for every post.
    """
    tables.require("extract.identifiers")
    detail = IdentifierDetail(kind, value)
    posts = identifier_posts(tables, kind, value)
    if only_posts is not None:
        posts = [post for post in posts if post["post_id"] in only_posts]
    detail.all_posts = posts
    detail.post_count = len(posts)
    detail.pages = max(1, -(-len(posts) // POSTS_PAGE))
    detail.page = min(max(page, 1), detail.pages)
    dated = [post["posted_at"] for post in posts if post["posted_at"] is not None]
    detail.first_seen, detail.last_seen = (min(dated), max(dated)) if dated else (None, None)
    detail.cities = _cities(posts)
    detail.months = _months(posts)
    networks = Counter(post["network_id"] for post in posts if post["network_id"])
    detail.networks = [{"network_id": n, "posts": count} for n, count in networks.most_common()]
    start = (detail.page - 1) * POSTS_PAGE
    detail.posts = _with_hits(tables, kind, value, posts[start : start + POSTS_PAGE])
    detail.co_occurring = co_occurring(posts, kind, value)
    detail.transfers = _transfers(tables, kind, value)
    detail.transfer_totals = _totals(detail.transfers)
    detail.parties = _parties(tables, kind, value)
    if not posts and not detail.transfers:
        raise NotFound("identifier", f"{kind}:{value}")
    return detail


def _cities(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for post in posts:
        if not post["city"]:
            continue
        city = found.setdefault(post["city"], {"city": post["city"], "posts": 0, "first_seen": None, "last_seen": None})
        city["posts"] += 1
        when = post["posted_at"]
        if when is not None:
            city["first_seen"] = when if city["first_seen"] is None else min(city["first_seen"], when)
            city["last_seen"] = when if city["last_seen"] is None else max(city["last_seen"], when)
    return sorted(found.values(), key=lambda c: (-c["posts"], c["city"]))


def _months(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Posts per month, each month with its cities (most posts first). The month is written field by field:
    ``strftime`` took a quarter of a millisecond on an identifier with a hundred posts."""
    months: dict[str, Counter[str]] = {}
    for post in posts:
        when = post["posted_at"]
        if when is not None:
            months.setdefault(f"{when.year:04d}-{when.month:02d}", Counter())[post["city"] or "(no city)"] += 1
    return [
        {"month": month, "posts": sum(cities.values()), "cities": sorted(cities.items(), key=lambda c: (-c[1], c[0]))}
        for month, cities in sorted(months.items())
    ]


def _with_hits(tables: ReadModel, kind: str, value: str, posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The posts with a snippet around the identifier's first span in the text (the start of the text without one).

    One query of the lookup file for the page's posts, reading only the title, the text and the
    identifiers of each post's page (SQLite's ``json_extract`` of the three as one JSON array: each post's
    page parsed once, not three times), not every list of it.
    """
    if not posts:
        return []
    marks = ", ".join("?" for _ in posts)
    _, found = tables.lookup(
        "SELECT post_id, json_extract(page, '$.title', '$.text', '$.\"list:identifiers\"') "
        f"FROM post_pages WHERE post_id IN ({marks})",
        [post["post_id"] for post in posts],
    )
    pages = {post_id: json.loads(fields) for post_id, fields in found}
    out = []
    for post in posts:
        if post["post_id"] not in pages:
            out.append(dict(post, before=post.get("snippet") or "", hit="", after=""))
            continue
        title, text, identifiers = pages[post["post_id"]]
        text = text or ""
        spans = [
            i
            for i in identifiers or []
            if i["type"] == kind and i["value"] == value and i["start"] is not None and i["end"] is not None
        ]
        row = dict(post, title=title)
        if spans:
            start, end = int(spans[0]["start"]), int(spans[0]["end"])
            left, right = max(start - SNIPPET_SIDE, 0), min(end + SNIPPET_SIDE, len(text))
            row.update(
                before=("…" if left > 0 else "") + text[left:start],
                hit=text[start:end],
                after=text[end:right] + ("…" if right < len(text) else ""),
                hit_start=start,
                left=left,
                end=end,
            )
        else:  # in the title only, or no span recorded
            cut = text[: 2 * SNIPPET_SIDE]
            row.update(before=cut + ("…" if len(text) > len(cut) else ""), hit="", after="", left=0)
        out.append(row)
    return out


def co_occurring(posts: list[dict[str, Any]], kind: str, value: str, limit: int = CO_OCCURRING) -> list[dict[str, Any]]:
    """Identifiers written in the same posts (``posts``: the identifier's, as the user may see them), with in
    how many posts, most first."""
    counts: Counter[tuple[str, str]] = Counter()
    for post in posts:
        for item in (post.get("others") or "").split(OTHERS_SEPARATOR):
            other_kind, _, other_value = item.partition(TYPE_SEPARATOR)
            if item and (other_kind, other_value) != (kind, value):
                counts[(other_kind, other_value)] += 1
    ranked = sorted(counts.items(), key=lambda c: (-c[1], c[0]))[:limit]
    return [{"type": k, "value": v, "posts": n} for (k, v), n in ranked]


def _transfers(tables: ReadModel, kind: str, value: str) -> list[dict[str, Any]] | None:
    """The identifier's transfers, newest first: one lookup of ``identifier_transfers`` (a row per side)."""
    if not tables.has("money.transfers") or not tables.has_lookups():
        return None
    column = TRANSFER_COLUMNS.get(kind)
    if column is None:
        return []
    times = tables.lookup_times("identifier_transfers")
    _, pages = tables.lookup("SELECT page FROM identifier_transfers WHERE party = ? AND value = ?", [column, value])
    found: dict[Any, dict[str, Any]] = {}
    for (page,) in pages:
        row = decode(page, times)
        if row["as_sender"] or row["transfer_id"] not in found:  # a transfer to oneself is shown as sent
            found[row["transfer_id"]] = row
    rows = sorted(found.values(), key=lambda t: (t["executed_at"] is not None, t["executed_at"]), reverse=True)
    return rows[:TRANSFER_LIMIT]


def _totals(transfers: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    """Transfers sent and received (count, sum in EUR), first and last."""
    if not transfers:
        return None
    sent = [t for t in transfers if t["as_sender"]]
    received = [t for t in transfers if not t["as_sender"]]
    times = [t["executed_at"] for t in transfers if t["executed_at"] is not None]
    return {
        "sent": len(sent),
        "sent_eur": round(sum(float(t["amount_eur"] or 0) for t in sent), 2),
        "received": len(received),
        "received_eur": round(sum(float(t["amount_eur"] or 0) for t in received), 2),
        "first": min(times) if times else None,
        "last": max(times) if times else None,
        "capped": len(transfers) >= TRANSFER_LIMIT,
    }


def _parties(tables: ReadModel, kind: str, value: str) -> list[dict[str, Any]] | None:
    if not tables.has("money.party_matches") or not tables.has_lookups():
        return None
    _, rows = tables.lookup("SELECT type, party_id, reason FROM identifier_parties WHERE value = ?", [value])
    found = sorted({(party, reason) for matched, party, reason in rows if matched == kind})
    return [{"party_id": party, "reason": reason} for party, reason in found[:100]]
