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

import itertools
import re
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from unveil.link.authors import KEY_SHIFT
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
    JOIN post_totals ta ON ta.post_id = c.post_a
    JOIN post_totals tb ON tb.post_id = c.post_b
    JOIN post_shingles a ON a.post_index = ta.post_index AND a.shingle < {STYLE_KIND}
    JOIN post_shingles b ON b.post_key = tb.post_index * {KEY_SHIFT} + a.shingle
)
SELECT network_id, post_a, post_b, kind, link_rank, phrase_rank, shingle, posts
FROM shared WHERE phrase_rank <= {PHRASES_PER_LINK}
"""
SHARED_SQL = f"SELECT * FROM ({SHARED_BODY}) x ORDER BY network_id, link_rank, phrase_rank"
POSTS_SQL = f"""
WITH chosen AS ({CHOSEN_SQL}),
named AS (SELECT post_a AS post_id FROM chosen UNION SELECT post_b AS post_id FROM chosen)
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


def bigram_words(texts: pa.Array, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The words of the word bigrams (a text of one word: the word) that ``wanted`` names as (text,
    hash as in ``link.post_style``)."""
    words, parents = normalised_words(texts)
    values, _ = shingle_hashes(words, parents, len(texts))
    owner = np.asarray(parents.to_numpy(zero_copy_only=False), dtype=np.int64)
    lengths = np.bincount(owner, minlength=len(texts))
    pair = np.flatnonzero(owner[:-1] == owner[1:]) if owner.size > 1 else np.zeros(0, dtype=np.int64)
    lone = np.flatnonzero(lengths[owner] == 1)
    first = np.concatenate([pair, lone])  # a shingle's first word, in the order of ``shingle_hashes``
    single = np.concatenate([np.zeros(pair.size, dtype=np.bool_), np.ones(lone.size, dtype=np.bool_)])
    order = np.argsort(owner[first], kind="stable")
    first, single = first[order], single[order]
    keys = (owner[first] << 33) | values.astype(np.int64)
    wanted_keys = np.fromiter(((i << 33) | h for i, h in wanted), dtype=np.int64, count=len(wanted))
    chosen = np.flatnonzero(np.isin(keys, wanted_keys))
    listed = words.to_pylist()
    found: dict[tuple[int, int], str] = {}
    for k in chosen.tolist():
        at = int(first[k])
        phrase = str(listed[at]) if single[k] else f"{listed[at]} {listed[at + 1]}"
        found.setdefault((int(owner[at]), int(values[k])), phrase)
    return found


WORD = re.compile(r"[^\W\d_]+")  # a run of letters (Python's \w without digits and underscore)


def bigram_spans(text: str) -> dict[str, tuple[int, int]]:
    """Every word bigram of ``text`` (lower case, as normalised) and where it is first written: from
    its first word's first letter to its second word's last letter (a text of one word: that word)."""
    found = [(m.group().lower(), m.start(), m.end()) for m in WORD.finditer(text)]
    if len(found) == 1:
        return {found[0][0]: (found[0][1], found[0][2])}
    spans: dict[str, tuple[int, int]] = {}
    for (first, start, _), (second, _, end) in itertools.pairwise(found):
        spans.setdefault(f"{first} {second}", (start, end))
    return spans


def span(text: str, phrase: str) -> tuple[int, int] | None:
    """Where a normalised phrase is written in ``text`` (code-point offsets), if it can be found."""
    return bigram_spans(text).get(phrase)


def phrase_rows(shared: pa.Table, posts: pa.Table) -> pa.Table:
    """``link.link_phrases``: the shared phrases (``SHARED_SQL``) with their words and spans; ``posts``
    holds post_id, title and text of every post they name."""
    if shared.num_rows == 0:
        return LINK_PHRASES.empty_table()
    ids = posts["post_id"].to_pylist()
    titles = [t or "" for t in posts["title"].to_pylist()]
    bodies = [t or "" for t in posts["text"].to_pylist()]
    joined = pc.binary_join_element_wise(pa.array(titles, pa.string()), pa.array(bodies, pa.string()), "\n")
    index = {post: i for i, post in enumerate(ids)}
    listed = shared.to_pylist()
    wanted = {(index[row["post_a"]], row["shingle"]) for row in listed if row["post_a"] in index}
    words = bigram_words(joined, wanted)
    spans: dict[tuple[int, str], dict[str, tuple[int, int]]] = {}
    rows: dict[str, list[Any]] = {name: [] for name in LINK_PHRASES.names}
    for row in listed:
        a, b = index.get(row["post_a"], -1), index.get(row["post_b"], -1)
        found = words.get((a, row["shingle"]))
        if found is None or b < 0:
            continue
        for name in ("network_id", "post_a", "post_b", "kind", "link_rank", "phrase_rank", "posts"):
            rows[name].append(row[name])
        rows["phrase"].append(found)
        for side, post in (("a", a), ("b", b)):
            field, place = None, None
            for name, value in (("text", bodies[post]), ("title", titles[post])):
                known = spans.get((post, name))
                if known is None:
                    known = spans[(post, name)] = bigram_spans(value)
                if found in known:
                    field, place = name, known[found]
                    break
            rows[f"field_{side}"].append(field)
            rows[f"start_{side}"].append(None if place is None else place[0])
            rows[f"end_{side}"].append(None if place is None else place[1])
    return pa.table(rows, schema=LINK_PHRASES)
