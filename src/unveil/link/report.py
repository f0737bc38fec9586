"""A network's dossier: its published page (``publish.network_pages``: summary, links, movement,
members, the same row the web's network page shows), and, read from the ``link`` tables, its
templates, hub identifiers and, for links without a shared identifier (near-duplicate text, writing
style), why: the rare phrases both posts share, with their places in each text, and the writing
habits they share."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from unveil.errors import NotComputed, NotFound
from unveil.link.minhash import shingle_hashes
from unveil.link.normalise import normalised_words
from unveil.link.style import style_marks
from unveil.tables import TableRef
from unveil.workspace import Workspace


@dataclass(frozen=True)
class NetworkReport:
    """Everything ``unveil network`` prints about one network."""

    network: dict[str, Any]
    links: list[dict[str, Any]]
    templates: list[dict[str, Any]]
    hubs: list[dict[str, Any]]
    movements: list[dict[str, Any]]
    posts: list[dict[str, Any]]
    explanations: list[PairExplanation] = field(default_factory=list)
    calibration: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Phrase:
    """A phrase two posts share: its words, how many posts hold it, and where it is in each text."""

    words: str
    posts: int
    span_a: tuple[int, int] | None
    span_b: tuple[int, int] | None


@dataclass(frozen=True)
class PairExplanation:
    """Why two posts are linked without a shared identifier."""

    post_a: str
    post_b: str
    kind: str
    reason: str
    phrases: list[Phrase]
    habits: list[str]


EXPLAINED_LINKS = 10
PHRASES = 4
HABITS_SHOWN = 4


def _rows(table: TableRef, condition: ds.Expression | None = None) -> pa.Table:
    if not table.exists():
        return pa.table({})
    return table.dataset().to_table(filter=condition)


def network_report(workspace: Workspace, network_id: str) -> NetworkReport:
    """One network's dossier (NotFound if it does not exist, NotComputed before ``publish`` has run)."""
    in_network = ds.field("network_id") == network_id
    pages = workspace.table("publish.network_pages")
    if not pages.exists():
        raise NotComputed("publish.network_pages")
    found = _rows(pages, in_network).to_pylist()
    if not found:
        raise NotFound("network", network_id)
    page = found[0]
    network = {k: v for k, v in page.items() if not k.startswith("list_")}
    posts = [{k: v for k, v in member.items() if k != "found"} for member in page["list_members"]]
    post_ids = pa.array([post["post_id"] for post in posts], pa.string())
    edges = _rows(workspace.table("link.edges"), in_network)
    template_ids = [link["key"] for link in page["list_links"] if link["kind"] == "template"]
    templates = _rows(workspace.table("link.templates"), ds.field("template_id").isin(template_ids)).to_pylist()
    shared = _rows(workspace.table("link.shared_identifiers"), ds.field("post_id").isin(post_ids))
    hubs = [
        hub
        for hub in _rows(workspace.table("link.hubs")).to_pylist()
        if pc.any(pc.and_(pc.equal(shared["type"], hub["type"]), pc.equal(shared["value"], hub["value"]))).as_py()
    ]
    generic = _generic_templates(workspace, post_ids)
    known = {t["template_id"] for t in templates}
    templates += [t for t in generic if t["template_id"] not in known]
    report = NetworkReport(network, page["list_links"], templates, hubs, page["list_movements"], posts)
    report.calibration.extend(_rows(workspace.table("link.calibration")).to_pylist())
    report.explanations.extend(explain_links(workspace, edges))
    return report


def _generic_templates(workspace: Workspace, post_ids: pa.Array) -> list[dict[str, Any]]:
    """Generic templates that members of the network belong to: shown, with why they link nothing."""
    members = _rows(workspace.table("link.template_members"), ds.field("post_id").isin(post_ids))
    if members.num_rows == 0:
        return []
    ids = pc.unique(members["template_id"])
    table = _rows(workspace.table("link.templates"), ds.field("template_id").isin(ids))
    return [t for t in table.to_pylist() if t.get("generic")]


def explain_links(workspace: Workspace, edges: pa.Table, limit: int = EXPLAINED_LINKS) -> list[PairExplanation]:
    """The strongest template and style links of a network, each with the rare phrases and the
    writing habits its two posts share (rarest first)."""
    if edges.num_rows == 0:
        return []
    textual = edges.filter(pc.is_in(edges["kind"], pa.array(["template", "style"])))
    ranked = sorted(
        textual.to_pylist(), key=lambda e: (e["kind"] != "style", -e["weight"], e["src_post_id"], e["dst_post_id"])
    )
    chosen = ranked[:limit]  # style links first: nothing but the writing joins them
    if not chosen:
        return []
    ids = sorted({e["src_post_id"] for e in chosen} | {e["dst_post_id"] for e in chosen})
    posts = _rows(workspace.table("ingest.posts"), ds.field("post_id").isin(ids)).select(["post_id", "title", "text"])
    text_of = {p["post_id"]: "\n".join(x for x in (p["title"], p["text"]) if x) for p in posts.to_pylist()}
    shingles = {post: _shingles(text_of.get(post, "")) for post in ids}
    marks = {post: style_marks(text_of.get(post, "")) for post in ids}
    wanted = set().union(*(set(s) for s in shingles.values()), *(set(m) for m in marks.values()))
    weights = _rows(workspace.table("link.shingle_weights"), ds.field("shingle").isin(sorted(wanted)))
    held = dict(zip(weights["shingle"].to_pylist(), weights["posts"].to_pylist(), strict=True)) if weights else {}
    explained = []
    for edge in chosen:
        a, b = edge["src_post_id"], edge["dst_post_id"]
        common = sorted(
            (held.get(h, 1), phrase) for h, phrase in shingles[a].items() if h in shingles[b] and held.get(h, 1) >= 2
        )
        phrases = [
            Phrase(words, posts, _span(text_of.get(a, ""), words), _span(text_of.get(b, ""), words))
            for posts, words in common[:PHRASES]
        ]
        shared_marks = sorted((held.get(h, 1), marks[a][h]) for h in marks[a].keys() & marks[b].keys())
        habits = [_habit(m, posts) for posts, m in shared_marks[:HABITS_SHOWN]]
        explained.append(PairExplanation(a, b, edge["kind"], edge["reason"], phrases, habits))
    return explained


def _shingles(text: str) -> dict[int, str]:
    """The word-bigram shingles of a text (as ``unveil.link.style``) and their words."""
    words, parents = normalised_words(pa.array([text], pa.string()))
    values, _ = shingle_hashes(words, parents, 1)
    listed = [str(w) for w in words.to_pylist()]
    phrases = [f"{x} {y}" for x, y in itertools.pairwise(listed)] if len(listed) > 1 else listed
    return {int(h): phrase for h, phrase in zip(values.astype(np.int64).tolist(), phrases, strict=False)}


def _span(text: str, words: str) -> tuple[int, int] | None:
    """Where a normalised phrase is in the original text (characters), if it can be found."""
    pattern = r"[\W\d_]+".join(re.escape(w) for w in words.split())
    found = re.search(pattern, text, re.IGNORECASE)
    return (found.start(), found.end()) if found else None


def _habit(mark: str, posts: int) -> str:
    kind, _, value = mark.partition(":")
    described = {
        "t": f"writes {value!r}",
        "n": f"writes numbers as {value!r}",
        "l": f"starts lines with {value!r}",
        "k": f"punctuation and spacing {value!r}",
    }.get(
        kind, {"caps": "words in capitals", "lower-i": "a lower-case i", "stretch": "stretched words"}.get(mark, mark)
    )
    return f"{described} (in {posts} posts)"


def itinerary(movements: list[dict[str, Any]], phone: str | None) -> str:
    """One line of stays for the network (phone None) or one phone: city (days, posts) -> ..."""
    stays = sorted((m for m in movements if m["phone"] == phone), key=lambda m: m["step"])
    parts = []
    for stay in stays:
        notes = [f"{stay['stay_days']} d", f"{stay['posts']} posts"]
        if stay["new_in_town"]:
            notes.append('"new in town"')
        if stay["revisit"]:
            notes.append("return")
        parts.append(f"{stay['city']} ({', '.join(notes)})")
    return " -> ".join(parts)
