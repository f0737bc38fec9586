"""The kinds of posts in the world, their proportions, languages, platforms and labels.

Proportions are design choices informed by the sources listed in docs/synthetic-world.md; they are
kept in this one table so that the tests can check the output against it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One kind of post.

    Attributes:
        name: the ground-truth kind (``escort_network``, ``job`` ...).
        bank: the phrase bank family (``escort``, ``labour`` ...).
        label: ``trafficking``, ``labour_exploitation``, ``smuggling`` or ``benign``.
        post_kind: the ``kind`` field of the post (ad, post, message, job).
        share: the expected share of all posts.
        languages: language -> weight.
        platforms: platform -> weight.
        indicator_rate: share of posts that carry textbook indicators.
        network_run: whether posts come from planted networks (else from independent authors).
        posts_per_author: mean posts per network (network-run) or per independent author.
    """

    name: str
    bank: str
    label: str
    post_kind: str
    share: float
    languages: dict[str, float]
    platforms: dict[str, float]
    indicator_rate: float
    network_run: bool
    posts_per_author: float


AD_SITES = {
    "redlight-ads.example": 0.4,
    "vivastreet-like.example": 0.25,
    "quartier-rouge.example": 0.2,
    "sexlinks.example": 0.15,
}
SOCIAL = {"facebook": 0.55, "telegram": 0.45}
JOB_SITES = {"facebook": 0.45, "jobs-board.example": 0.35, "olx-like.example": 0.2}

KINDS: tuple[Kind, ...] = (
    Kind(
        "escort_network",
        "escort",
        "trafficking",
        "ad",
        0.20,
        {"en": 0.34, "nl": 0.2, "fr": 0.22, "es": 0.05, "ro": 0.08, "bg": 0.06, "de": 0.05},
        AD_SITES,
        0.6,
        True,
        90,
    ),
    Kind(
        "escort_independent",
        "escort",
        "benign",
        "ad",
        0.19,
        {"en": 0.3, "nl": 0.28, "fr": 0.28, "es": 0.04, "ro": 0.03, "bg": 0.02, "de": 0.05},
        AD_SITES,
        0.2,
        False,
        15,
    ),
    Kind(
        "massage",
        "massage",
        "benign",
        "ad",
        0.06,
        {"nl": 0.35, "fr": 0.35, "en": 0.2, "de": 0.1},
        AD_SITES,
        0.15,
        False,
        15,
    ),
    Kind(
        "dating",
        "dating",
        "benign",
        "post",
        0.05,
        {"en": 0.35, "nl": 0.25, "fr": 0.25, "es": 0.08, "ro": 0.07},
        {"dating-app.example": 0.6, "facebook": 0.4},
        0.1,
        False,
        4,
    ),
    Kind(
        "smuggling_offer",
        "smuggling",
        "smuggling",
        "post",
        0.06,
        {"ar": 0.45, "en": 0.25, "fr": 0.15, "fa": 0.15},
        SOCIAL,
        0.85,
        True,
        60,
    ),
    Kind(
        "migration_info",
        "migration_info",
        "benign",
        "post",
        0.04,
        {"ar": 0.35, "en": 0.3, "fr": 0.25, "fa": 0.1},
        SOCIAL,
        0.3,
        False,
        30,
    ),
    Kind(
        "travel",
        "travel",
        "benign",
        "post",
        0.04,
        {"fr": 0.2, "nl": 0.15, "ro": 0.2, "bg": 0.2, "ar": 0.15, "en": 0.1},
        SOCIAL,
        0.25,
        False,
        20,
    ),
    Kind(
        "labour_exploitation",
        "labour",
        "labour_exploitation",
        "job",
        0.07,
        {"ro": 0.25, "bg": 0.15, "pl": 0.1, "en": 0.15, "nl": 0.1, "fr": 0.15, "es": 0.1},
        JOB_SITES,
        0.6,
        True,
        70,
    ),
    Kind(
        "job",
        "job",
        "benign",
        "job",
        0.24,
        {"nl": 0.35, "fr": 0.3, "en": 0.2, "ro": 0.08, "pl": 0.07},
        JOB_SITES,
        0.15,
        False,
        12,
    ),
    Kind("student", "student", "benign", "post", 0.05, {"en": 0.4, "nl": 0.3, "fr": 0.3}, JOB_SITES, 0.1, False, 10),
)
KIND_BY_NAME = {kind.name: kind for kind in KINDS}
NETWORK_PREFIX = {"escort_network": "NE", "smuggling_offer": "NS", "labour_exploitation": "NL"}
