"""Networks: the list, and one network's summary, members and why, cities, timeline, places, graph."""

from __future__ import annotations

import copy
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from unveil.errors import NotFound
from unveil.web.lookups import decode
from unveil.web.readmodel import ReadModel

T = TypeVar("T")
PAGE_SIZE = 50
MEMBER_LIMIT = 500
LISTS = ("list_members", "list_identifiers", "list_places", "list_links", "list_movements", "list_graphs")
"""Columns that ``publish.network_pages`` adds to a network's row of ``link.networks`` (``unveil.publish.stage``)."""


def network_list(
    tables: ReadModel, page: int = 1, city: str = "", only: set[str] | None = None
) -> tuple[list[dict[str, Any]], bool]:
    """One page of networks, riskiest then largest first; and whether there is a next page.

    ``only``: the networks a user may see (a magistrate's cases), None for every network.
    """
    tables.require("link.networks")
    conditions, params = (["list_contains(cities, ?)"], [city]) if city else ([], [])
    if only is not None:
        if not only:
            return [], False
        conditions.append(f"network_id IN ({', '.join('?' for _ in only)})")
        params += sorted(only)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = tables.rows(
        "SELECT network_id, posts, identifiers, cities, first_seen, last_seen, risk, summary "
        f"FROM link.networks {where} ORDER BY risk DESC NULLS LAST, posts DESC, network_id LIMIT ? OFFSET ?",
        [*params, PAGE_SIZE + 1, (max(page, 1) - 1) * PAGE_SIZE],
    )
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


@dataclass
class NetworkDetail:
    """A network and what its page shows."""

    network: dict[str, Any]
    members: list[dict[str, Any]] = field(default_factory=list)
    member_count: int = 0
    cities: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    identifiers: list[dict[str, Any]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    """Every post of the network that is stored, oldest first, with why it is linked and its template."""
    links: list[dict[str, Any]] = field(default_factory=list)
    """What links the posts (``link.edges`` per kind and key): pairs, weight and a reason."""


def network_detail(tables: ReadModel, network_id: str) -> NetworkDetail:
    """Everything about one network: its row of ``publish.network_pages`` (one lookup in the lookup file).

    ``NotFound`` when absent.
    """
    tables.require("publish.network_pages")
    _, pages = tables.lookup("SELECT page FROM network_pages WHERE network_id = ?", [network_id])
    if not pages:
        raise NotFound("network", network_id)
    row: dict[str, Any] = decode(pages[0][0], tables.lookup_times("network_pages"))
    detail = NetworkDetail({k: v for k, v in row.items() if k not in LISTS})
    rows = row["list_members"]
    detail.member_count = len(rows)
    posts = [{k: v for k, v in r.items() if k not in ("found", "reason")} for r in rows if r["found"]]
    why = {r["post_id"]: r["reason"] for r in rows}
    detail.posts = [dict(post, reason=why.get(post["post_id"], "")) for post in posts]
    detail.members = detail.posts[:MEMBER_LIMIT]
    detail.links = row["list_links"]
    detail.cities = _cities(posts)
    detail.timeline = timeline(posts)
    detail.identifiers = row["list_identifiers"]
    return detail


def network_graphs(tables: ReadModel, network_id: str) -> list[dict[str, Any]]:
    """A network's graph at each cap (``list_graphs`` of ``publish.network_pages``, kept apart in the lookup
    file: only the graph reads it); ``NotFound`` when absent."""
    tables.require("publish.network_pages")
    _, found = tables.lookup("SELECT extra FROM network_pages WHERE network_id = ?", [network_id])
    if not found:
        raise NotFound("network", network_id)
    graphs: list[dict[str, Any]] = decode(found[0][0], tables.lookup_times("network_pages"))
    return graphs


def _cities(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts = Counter(post["city"] for post in posts if post["city"])
    first: dict[str, Any] = {}
    last: dict[str, Any] = {}
    for post in posts:
        if post["city"] and post["posted_at"] is not None:
            first.setdefault(post["city"], post["posted_at"])
            last[post["city"]] = post["posted_at"]
    return [
        {"city": city, "posts": n, "first_seen": first.get(city), "last_seen": last.get(city)}
        for city, n in counts.most_common()
    ]


def timeline(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Posts per week (weeks start on Monday), every week between the first and the last."""
    # weeks as day numbers of their Monday (``date.toordinal``: day 1 was a Monday)
    weeks = Counter(day - (day - 1) % 7 for day in (p["posted_at"].toordinal() for p in posts if p["posted_at"]))
    if not weeks:
        return []
    first, end = min(weeks), max(weeks)
    return [{"week": date.fromordinal(week), "posts": weeks.get(week, 0)} for week in range(first, end + 1, 7)[:520]]


POSTS_PAGE = 25
"""Posts on one page of a network (grouped by template)."""


def grouped_posts(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A network's posts grouped by template (largest template first, each oldest first), then those in none."""
    sizes = Counter(post.get("template_id") for post in posts if post.get("template_id"))

    def order(post: dict[str, Any]) -> tuple[Any, ...]:
        template = post.get("template_id")
        return (template is None, -sizes.get(template, 0), template or "", str(post.get("posted_at") or ""))

    return sorted(posts, key=order)


def template_groups(ordered: list[dict[str, Any]], page_size: int = POSTS_PAGE) -> list[dict[str, Any]]:
    """One row per template of ``grouped_posts``: its posts, first and last seen, cities, and the page it starts on."""
    groups: dict[str | None, dict[str, Any]] = {}
    for index, post in enumerate(ordered):
        key = post.get("template_id")
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "template_id": key,
                "posts": 0,
                "first_seen": None,
                "last_seen": None,
                "cities": Counter(),
                "page": index // page_size + 1,
            }
        group["posts"] += 1
        when = post.get("posted_at")
        if when is not None:
            group["first_seen"] = when if group["first_seen"] is None else min(group["first_seen"], when)
            group["last_seen"] = when if group["last_seen"] is None else max(group["last_seen"], when)
        if post.get("city"):
            group["cities"][post["city"]] += 1
    return [dict(g, cities=[c for c, _ in g["cities"].most_common(3)]) for g in groups.values()]


def non_identifier_edges(tables: ReadModel, network_id: str, limit: int = 5000) -> list[dict[str, Any]]:
    """Template, style and photo pairs of a network's posts (``link.edges``), strongest first."""
    if not tables.has("link.edges"):
        return []
    return tables.rows(
        "SELECT src_post_id, dst_post_id, kind, key, weight, reason FROM link.edges "
        "WHERE network_id = ? AND kind <> 'identifier' ORDER BY weight DESC, src_post_id, dst_post_id LIMIT ?",
        [network_id, limit],
    )


EXPLAINED = 10
"""Links without a shared identifier explained on a network's page (the strongest; style links first)."""
CONTEXT = 60
"""Characters shown on each side of a shared phrase."""


CACHED_EXPLANATIONS = 256
"""Networks whose explanations a process keeps per snapshot (``ExplanationCache``)."""


class Recent(Generic[T]):
    """The values of the last ``size`` keys asked for, each computed once (outside the lock) when absent; safe
    across threads. Kept per snapshot (``ReadModel.cached``): new tables start a new one."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, T] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, compute: Callable[[], T]) -> T:
        """The value of ``key``: the kept one, else ``compute()`` (then kept, the oldest dropped past ``size``)."""
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
                return found
        found = compute()
        with self.lock:
            self.items[key] = found
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return found


class ExplanationCache:
    """The explanations of the last ``size`` networks asked for, as computed (real values); safe across threads.

    Kept per snapshot (``ReadModel.cached``): new tables start a new cache. Each request gets its own copy,
    which it masks for its user.
    """

    def __init__(self, size: int = CACHED_EXPLANATIONS) -> None:
        self.recent: Recent[list[dict[str, Any]]] = Recent(size)

    def get(self, tables: ReadModel, network_id: str) -> list[dict[str, Any]]:
        """A copy of ``explanations`` of a network, computed when absent."""
        return copy.deepcopy(self.recent.get(network_id, lambda: explanations(tables, network_id)))


def explanations(tables: ReadModel, network_id: str, limit: int = EXPLAINED) -> list[dict[str, Any]]:
    """Why posts without a shared identifier are linked (``unveil network``'s explanations): for the
    strongest template and style links, the rare phrases both posts share with where each stands in
    each text (``link.link_phrases``, written by the link stage), and the writing habits they share
    (rarest first)."""
    import pyarrow as pa

    from unveil.link.report import HABITS_SHOWN, PHRASES
    from unveil.link.report import _habit as habit
    from unveil.link.style import batch_marks
    from unveil.web.queries.posts import post_detail

    edges = [e for e in non_identifier_edges(tables, network_id, 2000) if e["kind"] in ("template", "style")]
    chosen = sorted(edges, key=lambda e: (e["kind"] != "style", -e["weight"], e["src_post_id"], e["dst_post_id"]))
    chosen = chosen[:limit]
    if not chosen:
        return []
    ids = sorted({e["src_post_id"] for e in chosen} | {e["dst_post_id"] for e in chosen})
    posts: dict[str, dict[str, Any]] = {}
    for post_id in ids:
        try:
            detail = post_detail(tables, post_id)
        except NotFound:
            continue
        posts[post_id] = {**detail.post, "identifiers": detail.identifiers}
    stored = _stored_phrases(tables, network_id)
    text_of = {p: "\n".join(x for x in (row.get("title"), row.get("text")) if x) for p, row in posts.items()}
    texts = pa.array([text_of.get(p, "") for p in ids], pa.string())
    marks: dict[str, dict[int, str]] = {p: {} for p in ids}
    found = batch_marks(texts, labels=True)  # one pass over every text (Arrow's regex kernels cost per call)
    for index, value, label in zip(found.text.tolist(), found.value.tolist(), found.label or [], strict=True):
        marks[ids[index]][value] = label
    held = _shingle_posts(tables, sorted(set().union(*(set(m) for m in marks.values()))))
    out = []
    for edge in chosen:
        a, b = edge["src_post_id"], edge["dst_post_id"]
        phrases = [
            {
                "words": row["phrase"],
                "posts": row["posts"],
                "a": _in_context(posts.get(a), row["field_a"], row["start_a"], row["end_a"]),
                "b": _in_context(posts.get(b), row["field_b"], row["start_b"], row["end_b"]),
            }
            for row in stored.get((a, b, edge["kind"]), [])[:PHRASES]
        ]
        shared = sorted((held.get(h, 1), marks[a][h]) for h in marks[a].keys() & marks[b].keys())
        out.append(
            {
                "post_a": a,
                "post_b": b,
                "title_a": (posts.get(a) or {}).get("title"),
                "title_b": (posts.get(b) or {}).get("title"),
                "kind": edge["kind"],
                "weight": edge["weight"],
                "reason": edge["reason"],
                "phrases": phrases,
                "habits": [habit(m, n) for n, m in shared[:HABITS_SHOWN]],
                "identifiers_a": (posts.get(a) or {}).get("identifiers") or [],
                "identifiers_b": (posts.get(b) or {}).get("identifiers") or [],
            }
        )
    return out


def _stored_phrases(tables: ReadModel, network_id: str) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """The shared phrases the link stage wrote for a network's links (``link.link_phrases``), rarest first,
    by (post a, post b, kind) of the link; empty when the table was not computed."""
    if not tables.has("link.link_phrases"):
        return {}
    found: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for row in tables.rows(
        "SELECT post_a, post_b, kind, phrase, posts, field_a, start_a, end_a, field_b, start_b, end_b "
        "FROM link.link_phrases WHERE network_id = ? ORDER BY link_rank, phrase_rank",
        [network_id],
    ):
        found.setdefault((row["post_a"], row["post_b"], row["kind"]), []).append(row)
    return found


def _shingle_posts(tables: ReadModel, wanted: list[int]) -> dict[int, int]:
    """How many posts hold each of these shingles (``link.shingle_weights``): the rarity of a habit."""
    held: dict[int, int] = {}
    if not wanted or not tables.has("link.shingle_weights"):
        return held
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        marks_sql = ", ".join("?" for _ in chunk)
        for row in tables.rows(
            f"SELECT shingle, posts FROM link.shingle_weights WHERE shingle IN ({marks_sql})", chunk
        ):
            held[int(row["shingle"])] = int(row["posts"])
    return held


def _in_context(
    post: dict[str, Any] | None, field: str | None, start: int | None, end: int | None
) -> dict[str, Any] | None:
    """The phrase where the link stage found it in the post's ``field`` (text or title), with ``CONTEXT``
    characters each side: before, the phrase, after, which field, and offsets (None when not found)."""
    if post is None or field not in ("text", "title") or start is None or end is None:
        return None
    text = post.get(field) or ""
    if not 0 <= start < end <= len(text):
        return None
    left = max(start - CONTEXT, 0)
    right = min(end + CONTEXT, len(text))
    return {
        "field": field,
        "before": text[left:start],
        "match": text[start:end],
        "after": text[end:right],
        "left": left,
        "start": start,
        "end": end,
        "cut_left": left > 0,
        "cut_right": right < len(text),
    }
