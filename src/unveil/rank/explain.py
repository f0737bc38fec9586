"""Why a post ranks where it does, the labelled posts nearest to it, and "more like this".

Read from the ``rank`` stage's tables (and ``score.indicators`` for the lexicon's own reasons):

- ``explain_post``: the score split into the lexicon part (log-odds of the lexicon risk, with the
  indicators behind it) and the learned part (each feature the labels moved: value x weight), and
  the labelled posts most like it;
- ``more_like_this``: from a confirmed post or network, the unlabelled posts and networks closest
  to it, by what they share: a network, a text template, identifiers, indicators.

Similarity is a weighted Jaccard over a post's *descriptors*: its network, template, shared
identifiers and style links (the ``rank.groups``; weight 3, 3, 2 and 2), its indicators (1) and
indicator categories (0.5).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from unveil.errors import NotFound, UsageError
from unveil.workspace import Workspace

GROUP_WEIGHTS = {"network": 3.0, "template": 3.0, "identifier": 2.0, "style": 2.0}
FEATURE_WEIGHTS = {"indicator": 1.0, "category": 0.5}
NEAREST = 5
SEED_SHARE = 0.25  # a network's descriptors: those of at least a quarter of its posts


@dataclass(frozen=True)
class FeatureEffect:
    """One feature of a post that the labels moved."""

    feature: str
    value: float
    weight: float
    contribution: float


@dataclass(frozen=True)
class NearExample:
    """A labelled post close to the explained one."""

    post_id: str
    y: float
    source: str
    similarity: float
    shared: list[str]


@dataclass(frozen=True)
class Explanation:
    """A post's rank and score, split into its lexicon and learned parts, and why."""

    post_id: str
    rank: int
    score: float
    lexicon_risk: float
    lexicon_part: float
    learned_part: float
    indicators: list[dict[str, Any]] = field(default_factory=list)
    features: list[FeatureEffect] = field(default_factory=list)
    nearest: list[NearExample] = field(default_factory=list)


@dataclass(frozen=True)
class LikePost:
    """An unlabelled post like the seed."""

    post_id: str
    similarity: float
    network_id: str | None
    reasons: list[str]


@dataclass(frozen=True)
class LikeNetwork:
    """An unlabelled network whose posts are like the seed."""

    network_id: str
    similarity: float
    posts: int


@dataclass(frozen=True)
class Alike:
    """What ``more_like_this`` found."""

    posts: list[LikePost]
    networks: list[LikeNetwork]


def _table(workspace: Workspace, name: str) -> Any:
    table = workspace.table(name)
    if not table.exists():
        raise UsageError(f"{workspace.root}: no ranking yet (run `unveil run {workspace.root}` first)")
    return table


def _read(
    workspace: Workspace, name: str, columns: list[str], where: tuple[str, Iterable[str]] | None = None
) -> pa.Table:
    dataset = _table(workspace, name).dataset()
    if where is None:
        return dataset.to_table(columns=columns)
    import pyarrow.compute as pc

    column, values = where
    return dataset.to_table(columns=columns, filter=pc.field(column).isin(pa.array(sorted(set(values)), pa.string())))


def labelled_posts(workspace: Workspace) -> dict[str, dict[str, Any]]:
    """The posts the labels stand for (``rank.examples``): post id -> ``{y, weight, source}``."""
    rows = _read(workspace, "rank.examples", ["post_id", "y", "weight", "source"]).to_pylist()
    return {row["post_id"]: row for row in rows}


def ranked_posts(workspace: Workspace, limit: int, *, unlabelled: bool = True) -> list[dict[str, Any]]:
    """The top of the triage queue (``rank.scores`` in rank order)."""
    scores = _read(
        workspace, "rank.scores", ["post_id", "rank", "score", "lexicon_risk", "lexicon_part", "learned_part"]
    )
    skip = set(labelled_posts(workspace)) if unlabelled else set()
    found: list[dict[str, Any]] = []
    for row in sorted(scores.to_pylist(), key=lambda r: int(r["rank"])):
        if row["post_id"] in skip:
            continue
        found.append(row)
        if len(found) >= limit:
            break
    return found


def descriptors(workspace: Workspace, post_ids: Iterable[str]) -> dict[str, dict[str, float]]:
    """Each post's descriptors with their weights: groups (network, template, identifiers), indicators, categories."""
    wanted = sorted(set(post_ids))
    found: dict[str, dict[str, float]] = {post: {} for post in wanted}
    for row in _read(workspace, "rank.groups", ["post_id", "kind", "grp"], ("post_id", wanted)).to_pylist():
        found[row["post_id"]][f"{row['kind']}:{row['grp']}"] = GROUP_WEIGHTS[row["kind"]]
    for row in _read(workspace, "rank.features", ["post_id", "feature"], ("post_id", wanted)).to_pylist():
        weight = FEATURE_WEIGHTS.get(str(row["feature"]).partition(":")[0])
        if weight is not None:
            found[row["post_id"]][row["feature"]] = weight
    return found


def similarity(a: dict[str, float], b: dict[str, float]) -> tuple[float, list[str]]:
    """Weighted Jaccard of two descriptor sets, and what they share (heaviest first)."""
    shared = sorted(set(a) & set(b), key=lambda d: (-a[d], d))
    union = sum(max(a.get(d, 0.0), b.get(d, 0.0)) for d in set(a) | set(b))
    return (sum(a[d] for d in shared) / union if union else 0.0), shared


def explain_post(workspace: Workspace, post_id: str) -> Explanation:
    """Why ``post_id`` ranks where it does (see the module docstring)."""
    found = _read(
        workspace,
        "rank.scores",
        ["post_id", "rank", "score", "lexicon_risk", "lexicon_part", "learned_part"],
        ("post_id", [post_id]),
    ).to_pylist()
    if not found:
        raise NotFound("post", post_id)
    row = found[0]
    effects = [
        FeatureEffect(r["feature"], r["value"], r["weight"], r["contribution"])
        for r in _read(
            workspace, "rank.contributions", ["feature", "value", "weight", "contribution"], ("post_id", [post_id])
        ).to_pylist()
    ]
    effects.sort(key=lambda e: (-abs(e.contribution), e.feature))
    indicators: list[dict[str, Any]] = []
    if workspace.table("score.indicators").exists():
        indicators = _read(
            workspace,
            "score.indicators",
            ["indicator_id", "domain", "category", "matched", "weight"],
            ("post_id", [post_id]),
        ).to_pylist()
    return Explanation(
        post_id=post_id,
        rank=int(row["rank"]),
        score=float(row["score"]),
        lexicon_risk=float(row["lexicon_risk"]),
        lexicon_part=float(row["lexicon_part"]),
        learned_part=float(row["learned_part"]),
        indicators=indicators,
        features=effects,
        nearest=nearest_labelled(workspace, post_id),
    )


def nearest_labelled(workspace: Workspace, post_id: str, limit: int = NEAREST) -> list[NearExample]:
    """The labelled posts most like ``post_id`` (itself left out)."""
    examples = labelled_posts(workspace)
    examples.pop(post_id, None)
    if not examples:
        return []
    described = descriptors(workspace, [post_id, *examples])
    own = described.pop(post_id)
    near: list[NearExample] = []
    for other, items in described.items():
        score, shared = similarity(own, items)
        if score > 0:
            example = examples[other]
            near.append(NearExample(other, float(example["y"]), str(example["source"]), round(score, 4), shared[:4]))
    near.sort(key=lambda e: (-e.similarity, e.post_id))
    return near[:limit]


def _seed_posts(workspace: Workspace, kind: str, ref: str) -> list[str]:
    if kind == "post":
        if not _read(workspace, "rank.scores", ["post_id"], ("post_id", [ref])).num_rows:
            raise NotFound("post", ref)
        return [ref]
    if kind == "network":
        rows = _read(workspace, "rank.groups", ["post_id", "kind"], ("grp", [ref])).to_pylist()
        found = [row["post_id"] for row in rows if row["kind"] == "network"]
        if not found:
            raise NotFound("network", ref)
        return sorted(set(found))
    raise UsageError(f"more like this starts from a post or a network, not {kind!r}")


def more_like_this(workspace: Workspace, kind: str, ref: str, limit: int = 20) -> Alike:
    """The unlabelled posts and networks closest to a confirmed post or network, most similar first."""
    seeds = _seed_posts(workspace, kind, ref)
    seed_descriptors = descriptors(workspace, seeds)
    counts: dict[str, int] = defaultdict(int)
    weights: dict[str, float] = {}
    for items in seed_descriptors.values():
        for name, weight in items.items():
            counts[name] += 1
            weights[name] = weight
    profile = {name: weights[name] for name, n in counts.items() if n >= max(1, SEED_SHARE * len(seeds))}
    groups = [name.partition(":")[2] for name in profile if name.partition(":")[0] in GROUP_WEIGHTS]
    candidates = set(_read(workspace, "rank.groups", ["post_id"], ("grp", groups)).column("post_id").to_pylist())
    indicators = [name for name in profile if name.startswith("indicator:")]
    candidates |= set(
        _read(workspace, "rank.features", ["post_id"], ("feature", indicators)).column("post_id").to_pylist()
    )
    candidates -= set(seeds) | set(labelled_posts(workspace))
    described = descriptors(workspace, candidates)
    posts: list[LikePost] = []
    for post_id, items in described.items():
        score, shared = similarity(profile, items)
        if score > 0:
            network = next((name.partition(":")[2] for name in items if name.startswith("network:")), None)
            posts.append(LikePost(post_id, round(score, 4), network, shared[:4]))
    posts.sort(key=lambda p: (-p.similarity, p.post_id))
    seed_networks = {
        name.partition(":")[2] for items in seed_descriptors.values() for name in items if name.startswith("network:")
    }
    by_network: dict[str, list[float]] = defaultdict(list)
    for post in posts:
        if post.network_id and post.network_id not in seed_networks:
            by_network[post.network_id].append(post.similarity)
    networks = [LikeNetwork(n, round(max(s), 4), len(s)) for n, s in by_network.items()]
    networks.sort(key=lambda n: (-n.similarity, -n.posts, n.network_id))
    return Alike(posts[:limit], networks[:limit])


def alert_feedback_rows(workspace: Workspace) -> list[dict[str, Any]]:
    """``rank.alert_feedback``: alerts labelled false positive, suppressed or back."""
    return list(_table(workspace, "rank.alert_feedback").read().to_pylist())


def suppressed_alerts(workspace: Workspace) -> set[str]:
    """Ids of the money alerts currently suppressed by a false-positive label (empty before ``rank`` ran)."""
    if not workspace.table("rank.alert_feedback").exists():
        return set()
    return {row["alert_id"] for row in alert_feedback_rows(workspace) if row["suppressed"]}
