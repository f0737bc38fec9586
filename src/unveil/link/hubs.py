"""The hub guard: identifiers that join unrelated posts are shown as hubs instead of linking.

A hotel switchboard, a platform's support address or a stock photo appears in the posts of many
unrelated advertisers. Counting posts catches the largest (``hub_max_posts``), but a switchboard
shared by three networks has few posts. The guard therefore asks what the identifier *joins*:

1. an identifier is *suspicious* when its posts span ``HUB_MIN_GROUPS`` or more text groups
   (a near-duplicate template counts once, every other post counts on its own);
2. the *safe* graph links posts through templates and the identifiers that are not suspicious;
3. a suspicious identifier is a hub when its posts fall into ``HUB_MIN_GROUPS`` or more safe
   components that each carry an identifier of their own (a phone, e-mail ... that is not
   suspicious, shared with other posts or not): it would merge separate advertisers and networks
   that are known by their own contacts.

A *role address* (``support@``, ``info@``, ``booking@``, ``reception@`` ...) is the address of a
desk, not of a person: for it two unrelated groups are enough.

A network or a person that rotates texts but keeps one phone is not a hub (its posts carry no
other identifier), nor is a phone and an e-mail that always appear together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

HUB_MIN_GROUPS = 3
ROLE_MIN_GROUPS = 2
ROLE_LOCAL_PARTS = frozenset(
    [
        "abuse",
        "admin",
        "administrator",
        "billing",
        "booking",
        "bookings",
        "contact",
        "customerservice",
        "desk",
        "frontdesk",
        "help",
        "helpdesk",
        "hotel",
        "info",
        "information",
        "mail",
        "moderation",
        "moderator",
        "noreply",
        "no-reply",
        "office",
        "postmaster",
        "privacy",
        "reception",
        "reservations",
        "sales",
        "service",
        "support",
        "team",
        "webmaster",
    ]
)

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class IdentifierRows:
    """Rows (post, identifier key) with integer codes: ``post`` indexes posts, ``key`` identifiers."""

    post: I64
    key: I64
    keys: int


def min_groups(key_names: list[str]) -> I64:
    """How many unrelated groups make each identifier (``type:value``) a hub: fewer for role addresses."""
    return np.array(
        [ROLE_MIN_GROUPS if _is_role_address(name) else HUB_MIN_GROUPS for name in key_names], dtype=np.int64
    )


def _is_role_address(key_name: str) -> bool:
    kind, _, value = key_name.partition(":")
    return kind == "email" and value.partition("@")[0].replace(".", "").replace("_", "") in ROLE_LOCAL_PARTS


def distinct_per_key(key: I64, other: I64, keys: int) -> I64:
    """For each key, the number of distinct values of ``other`` on its rows."""
    if key.size == 0:
        return np.zeros(keys, dtype=np.int64)
    span = int(other.max()) + 1
    pairs = np.unique(key * span + other)
    return np.bincount(pairs // span, minlength=keys).astype(np.int64)


def suspicious_keys(rows: IdentifierRows, text_group: I64, hub_max_posts: int, needed: I64) -> npt.NDArray[np.bool_]:
    """Identifiers whose posts span many text groups (or too many posts): step 1 of the guard."""
    posts = np.bincount(rows.key, minlength=rows.keys)
    groups = distinct_per_key(rows.key, text_group[rows.post], rows.keys)
    return np.asarray((posts > hub_max_posts) | (groups >= needed), dtype=np.bool_)


def unrelated_groups(
    rows: IdentifierRows, suspicious: npt.NDArray[np.bool_], safe_component: I64, post_identifiers: I64
) -> I64:
    """For each identifier, the safe components among its posts that carry an identifier of their own.

    A post owns an identifier when it lists one that is not suspicious, shared or not
    (``post_identifiers`` counts all its identifiers); a component owns one when any of its posts does.
    """
    suspicious_on_post = np.bincount(rows.post[suspicious[rows.key]], minlength=safe_component.size)
    owns_identifier = post_identifiers > suspicious_on_post
    component_has_id = np.bincount(safe_component, weights=owns_identifier.astype(np.float64)) > 0
    component = safe_component[rows.post]
    counted = suspicious[rows.key] & component_has_id[component]
    return distinct_per_key(rows.key[counted], component[counted], rows.keys)


def hub_keys(
    rows: IdentifierRows, suspicious: npt.NDArray[np.bool_], unrelated: I64, hub_max_posts: int, needed: I64
) -> npt.NDArray[np.bool_]:
    """Step 3: too many posts, or joins ``needed`` networks that stand on their own."""
    posts = np.bincount(rows.key, minlength=rows.keys)
    return np.asarray(suspicious & ((posts > hub_max_posts) | (unrelated >= needed)), dtype=np.bool_)
