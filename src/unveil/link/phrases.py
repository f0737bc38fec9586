"""The rare phrases behind every link without a shared identifier, with where they are in each post.

For each network, its strongest ``LINKS_PER_NETWORK`` template and style links (style first, then
by weight, as ``unveil network`` explains them) get up to ``PHRASES_PER_LINK`` word bigrams that
both posts hold, rarest first (fewest posts holding them; a bigram held by one post only is not
shared). Each phrase carries the character span (Python string offsets, in code points) where it
is written in each post's ``text`` or, if not there, its ``title`` (``field_a``/``field_b``), so a
page can highlight it. Rarity and choice are SQL (``CHOSEN_SQL``, ``SHARED_SQL``); the words and
their spans are per-record work on the few posts involved (``phrase_rows``).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from unveil.link.minhash import shingle_hashes
from unveil.link.normalise import normalised_words
from unveil.link.style import STYLE_KIND

LINKS_PER_NETWORK = 25
PHRASES_PER_LINK = 4

CHOSEN_SQL = f"""
WITH textual AS (
    SELECT network_id, src_post_id AS post_a, dst_post_id AS post_b, kind, weight,
           row_number() OVER (
               PARTITION BY network_id
               ORDER BY CASE WHEN kind = 'style' THEN 0 ELSE 1 END, weight DESC, src_post_id, dst_post_id
           ) AS link_rank
    FROM edges
    WHERE kind IN ('template', 'style')
)
SELECT network_id, post_a, post_b, kind, link_rank FROM textual WHERE link_rank <= {LINKS_PER_NETWORK}
"""

SHARED_BODY = f"""
WITH chosen AS ({CHOSEN_SQL}),
shared AS (
    SELECT c.network_id, c.post_a, c.post_b, c.kind, c.link_rank, a.shingle, a.posts,
           row_number() OVER (
               PARTITION BY c.network_id, c.post_a, c.post_b, c.kind ORDER BY a.posts, a.shingle
           ) AS phrase_rank
    FROM chosen c
    JOIN post_shingles a ON a.post_id = c.post_a AND a.shingle < {STYLE_KIND}
    JOIN post_shingles b ON b.post_id = c.post_b AND b.shingle = a.shingle
)
SELECT network_id, post_a, post_b, kind, link_rank, phrase_rank, shingle, posts
FROM shared WHERE phrase_rank <= {PHRASES_PER_LINK}
"""
SHARED_SQL = f"SELECT * FROM ({SHARED_BODY}) x ORDER BY network_id, link_rank, phrase_rank"
POSTS_SQL = f"""
WITH phrases AS ({SHARED_BODY}),
named AS (SELECT post_a AS post_id FROM phrases UNION SELECT post_b AS post_id FROM phrases)
SELECT p.post_id, p.title, p.text FROM posts p JOIN named n ON n.post_id = p.post_id ORDER BY p.post_id
"""

LINK_PHRASES = pa.schema(
    [
        ("network_id", pa.string()),
        ("post_a", pa.string()),
        ("post_b", pa.string()),
        ("kind", pa.string()),
        ("link_rank", pa.int64()),
        ("phrase_rank", pa.int64()),
        ("phrase", pa.string()),
        ("posts", pa.int64()),
        ("field_a", pa.string()),
        ("start_a", pa.int64()),
        ("end_a", pa.int64()),
        ("field_b", pa.string()),
        ("start_b", pa.int64()),
        ("end_b", pa.int64()),
    ]
)


def bigram_words(texts: pa.Array) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], list[str]]:
    """Every word bigram of every text (a text of one word: the word): its text, its hash (as in
    ``link.post_style``) and its words."""
    words, parents = normalised_words(texts)
    values, counts = shingle_hashes(words, parents, len(texts))
    listed = [str(w) for w in words.to_pylist()]
    owner = np.asarray(parents.to_numpy(zero_copy_only=False), dtype=np.int64)
    lengths = np.bincount(owner, minlength=len(texts))
    pair = np.flatnonzero(owner[:-1] == owner[1:]) if owner.size > 1 else np.zeros(0, dtype=np.int64)
    lone = np.flatnonzero(lengths[owner] == 1)
    phrases = [f"{listed[i]} {listed[i + 1]}" for i in pair.tolist()] + [listed[i] for i in lone.tolist()]
    owners = np.concatenate([owner[pair], owner[lone]])
    order = np.argsort(owners, kind="stable")  # the order of ``shingle_hashes``: by text, bigrams then the lone word
    del counts  # one per shingle, in this order
    return owners[order], values.astype(np.int64), [phrases[i] for i in order.tolist()]


def span(text: str, phrase: str) -> tuple[int, int] | None:
    """Where a normalised phrase is written in ``text`` (code-point offsets), if it can be found."""
    pattern = r"[\W\d_]+".join(re.escape(w) for w in phrase.split())
    found = re.search(pattern, text, re.IGNORECASE)
    return (found.start(), found.end()) if found else None


def phrase_rows(shared: pa.Table, posts: pa.Table) -> pa.Table:
    """``link.link_phrases``: the shared phrases (``SHARED_SQL``) with their words and spans; ``posts``
    holds post_id, title and text of every post they name."""
    if shared.num_rows == 0:
        return LINK_PHRASES.empty_table()
    ids = posts["post_id"].to_pylist()
    titles = [t or "" for t in posts["title"].to_pylist()]
    bodies = [t or "" for t in posts["text"].to_pylist()]
    joined = pc.binary_join_element_wise(pa.array(titles, pa.string()), pa.array(bodies, pa.string()), "\n")
    owner, value, phrases = bigram_words(joined)
    index = {post: i for i, post in enumerate(ids)}
    words: dict[tuple[int, int], str] = {}
    for i, h, phrase in zip(owner.tolist(), value.tolist(), phrases, strict=True):
        words.setdefault((i, h), phrase)
    rows: dict[str, list[Any]] = {name: [] for name in LINK_PHRASES.names}
    for row in shared.to_pylist():
        a, b = index.get(row["post_a"], -1), index.get(row["post_b"], -1)
        found = words.get((a, row["shingle"]))
        if found is None or b < 0:
            continue
        phrase = found
        for name in ("network_id", "post_a", "post_b", "kind", "link_rank", "phrase_rank", "posts"):
            rows[name].append(row[name])
        rows["phrase"].append(phrase)
        for side, post in (("a", a), ("b", b)):
            field, where = _located(bodies[post], titles[post], phrase)
            rows[f"field_{side}"].append(field)
            rows[f"start_{side}"].append(None if where is None else where[0])
            rows[f"end_{side}"].append(None if where is None else where[1])
    return pa.table(rows, schema=LINK_PHRASES)


def _located(text: str, title: str, phrase: str) -> tuple[str | None, tuple[int, int] | None]:
    for field, value in (("text", text), ("title", title)):
        where = span(value, phrase)
        if where is not None:
            return field, where
    return None, None
