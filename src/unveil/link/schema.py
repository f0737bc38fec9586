"""Arrow schemas of the tables the ``link`` stage writes: checked when the stage commits.

The tables written from Python or through per-record functions use their writers' schemas
(``minhash.SIGNATURES``, ``networks.EDGES``...); those written by SQL are declared here, as both
engines write them. A change to what a step writes changes its schema here in the same commit.
"""

from __future__ import annotations

import pyarrow as pa

from unveil.link import authors, images, minhash, neardup, networks, phrases, style, templates

POST_FACTS = pa.schema(
    [
        ("post_id", pa.string()),
        ("posted_at", pa.timestamp("us", tz="UTC")),
        ("city", pa.string()),
        ("language", pa.string()),
        ("risk", pa.float64()),
        ("new_in_town", pa.bool_()),
    ]
)

IMAGE_FILES = pa.schema(
    [
        ("image_sha256", pa.string()),
        ("posts", pa.int64()),
    ]
)

SHARED_IDENTIFIERS = pa.schema(
    [
        ("post_id", pa.string()),
        ("type", pa.string()),
        ("value", pa.string()),
        ("city", pa.string()),
        ("post_identifiers", pa.int64()),
    ]
)

SHINGLE_WEIGHTS = pa.schema(
    [
        ("shingle", pa.int64()),
        ("posts", pa.int64()),
        ("weight", pa.int64()),
    ]
)

POST_SHINGLES = pa.schema(
    [
        ("post_id", pa.string()),
        ("shingle", pa.int64()),
        ("posts", pa.int64()),
        ("weight", pa.int64()),
        ("post_index", pa.int64()),
        ("post_key", pa.int64()),
    ]
)

POST_TOTALS = pa.schema(
    [
        ("post_id", pa.string()),
        ("post_index", pa.int64()),
        ("text_total", pa.int64()),
        ("style_total", pa.int64()),
        ("upper_share", pa.float64()),
        ("emoji_share", pa.float64()),
        ("punct_share", pa.float64()),
        ("exclaim_rate", pa.float64()),
        ("line_rate", pa.float64()),
        ("word_length", pa.float64()),
        ("length", pa.float64()),
    ]
)

PAIR_FEATURES = pa.schema(
    [
        ("post_a", pa.string()),
        ("post_b", pa.string()),
        ("minhash", pa.float64()),
        ("text_similarity", pa.float64()),
        ("style_similarity", pa.float64()),
        ("rare_shared", pa.int64()),
        ("personal_shared", pa.int64()),
        ("d_upper_share", pa.float64()),
        ("d_emoji_share", pa.float64()),
        ("d_punct_share", pa.float64()),
        ("d_exclaim_rate", pa.float64()),
        ("d_line_rate", pa.float64()),
        ("d_word_length", pa.float64()),
        ("d_length", pa.float64()),
    ]
)

MOVEMENTS = pa.schema(
    [
        ("network_id", pa.string()),
        ("phone", pa.string()),
        ("step", pa.int64()),
        ("city", pa.string()),
        ("from_city", pa.string()),
        ("arrived", pa.timestamp("us", tz="UTC")),
        ("departed", pa.timestamp("us", tz="UTC")),
        ("stay_days", pa.int64()),
        ("posts", pa.int64()),
        ("new_in_town", pa.bool_()),
        ("revisit", pa.bool_()),
    ]
)

NETWORKS = pa.schema(
    [
        ("network_id", pa.string()),
        ("posts", pa.int64()),
        ("identifiers", pa.int64()),
        ("phones", pa.int64()),
        ("templates", pa.int64()),
        ("images", pa.int64()),
        ("cities", pa.list_(pa.string())),
        ("languages", pa.list_(pa.string())),
        ("first_seen", pa.timestamp("us", tz="UTC")),
        ("last_seen", pa.timestamp("us", tz="UTC")),
        ("risk", pa.float64()),
        ("profile", pa.string()),
        ("stays", pa.int64()),
        ("returns", pa.int64()),
        ("arrivals", pa.int64()),
        ("summary", pa.string()),
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "signatures": minhash.SIGNATURES,
    "post_style": style.POST_STYLE,
    "post_facts": POST_FACTS,
    "candidates": neardup.PAIRS,
    "near_pairs": neardup.PAIRS,
    "template_members": neardup.TEMPLATE_MEMBERS,
    "image_files": IMAGE_FILES,
    "image_hashes": images.IMAGE_HASHES,
    "images": images.IMAGES,
    "shared_identifiers": SHARED_IDENTIFIERS,
    "vendors": authors.VENDORS,
    "shingle_weights": SHINGLE_WEIGHTS,
    "post_shingles": POST_SHINGLES,
    "post_totals": POST_TOTALS,
    "pairs": PAIR_FEATURES,
    "templates": templates.TEMPLATES,
    "calibration": authors.CALIBRATION,
    "style_links": authors.STYLE_LINKS,
    "network_posts": networks.NETWORK_POSTS,
    "edges": networks.EDGES,
    "hubs": networks.HUBS,
    "movements": MOVEMENTS,
    "networks": NETWORKS,
    "link_phrases": phrases.LINK_PHRASES,
}
