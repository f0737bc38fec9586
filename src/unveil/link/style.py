"""How a post is written: its shingles for rarity-weighted similarity, and its style habits.

Per-record work (``engine.map_batches``), one row per post:

- ``shingles``: the distinct hashes of the post's word bigrams (the MinHash shingles, kind 0) and
  of its *style marks* (kind 1, ``STYLE_KIND`` in the upper 32 bits): what an author keeps when
  rewriting an ad. Marks are the shapes of tokens that hold digits, punctuation or emoji
  (``$150/hr`` -> ``$9/hr``, ``22yo`` -> ``9yo``) with the short words beside numbers (``9 roses``,
  ``age 9``), character trigrams of the text's *skeleton* (letters -> ``a``, digits -> ``9``, runs
  collapsed, punctuation, emoji and line breaks kept), what lines start with (bullets, emoji),
  stretched words (``sooo``), words in capitals and a lower-case ``i``;
- a few habits as numbers (rounded, so both engines compare the same values): the share of
  capitals among letters, of emoji and of punctuation among characters, exclamation marks per
  word, lines per word, mean word length and the text's length (log of words).

Pairs, weights and the author model that reads these are in ``unveil.link.authors``.
"""

from __future__ import annotations

import re
import zlib

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from unveil.link.minhash import shingle_hashes
from unveil.link.normalise import normalised_words

STYLE_KIND = 1 << 32
HABITS = ("upper_share", "emoji_share", "punct_share", "exclaim_rate", "line_rate", "word_length", "length")
HABIT_DIGITS = 4

POST_STYLE = pa.schema(
    [
        ("post_id", pa.string()),
        ("shingles", pa.list_(pa.int64())),
        ("text_shingles", pa.int32()),
        ("style_marks", pa.int32()),
        *((name, pa.float64()) for name in HABITS),
    ]
)

EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F]")
TOKEN = re.compile(r"\S+")
DIGITS = re.compile(r"\d+")
LETTERS = re.compile(r"[^\W\d_]+")
STRETCHED = re.compile(r"([^\W\d_])\1\1")
SKELETON_LETTERS = re.compile(r"[^\W\d_]+")
SKELETON_DIGITS = re.compile(r"\d+")
SKELETON_SPACES = re.compile(r"[ \t]+")
SHORT_WORD = 6


def style_marks(text: str) -> set[str]:
    """The style marks of one text (see the module docstring)."""
    marks: set[str] = set()
    tokens = TOKEN.findall(text)
    shapes = [_shape(token) for token in tokens]
    for i, token in enumerate(tokens):
        if shapes[i] is not None:
            marks.add("t:" + str(shapes[i]))
        if any(ch.isdigit() for ch in token):
            before = _near_word(tokens[i - 1]) if i else "^"
            after = _near_word(tokens[i + 1]) if i + 1 < len(tokens) else "$"
            marks.add(f"n:{before} {shapes[i]} {after}")
        letters = "".join(LETTERS.findall(token))
        if len(letters) >= 2 and letters.isupper():
            marks.add("caps")
        if token == "i":
            marks.add("lower-i")
        if STRETCHED.search(token):
            marks.add("stretch")
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped[0].isalnum():
            marks.add("l:" + stripped[0])
    skeleton = _skeleton(text)
    marks.update("k:" + skeleton[i : i + 3] for i in range(max(0, len(skeleton) - 2)))
    return marks


def _shape(token: str) -> str | None:
    """A token with digits, punctuation or emoji, digits folded (``$150/hr`` -> ``$9/hr``); None for a word."""
    if token.isalpha():
        return None
    folded = DIGITS.sub("9", token.casefold())
    return LETTERS.sub(lambda m: m.group(0) if len(m.group(0)) <= SHORT_WORD else "w", folded)


def _near_word(token: str) -> str:
    word = token.casefold().strip(".,;:!?()")
    return word if word.isalpha() and len(word) <= SHORT_WORD else ("9" if any(c.isdigit() for c in word) else "w")


def _skeleton(text: str) -> str:
    text = SKELETON_LETTERS.sub("a", text)
    text = SKELETON_DIGITS.sub("9", text)
    return SKELETON_SPACES.sub(" ", text)


def _hash_marks(marks: set[str]) -> list[int]:
    return [STYLE_KIND | zlib.crc32(mark.encode()) for mark in marks]


def _count(texts: pa.Array, pattern: str) -> npt.NDArray[np.float64]:
    return np.asarray(pc.count_substring_regex(texts, pattern).to_numpy(zero_copy_only=False), dtype=np.float64)


def habits(texts: pa.Array) -> dict[str, npt.NDArray[np.float64]]:
    """The numeric habits of every text, vectorised with Arrow's string kernels."""
    chars = np.asarray(pc.utf8_length(texts).to_numpy(zero_copy_only=False), dtype=np.float64)
    letters, upper = _count(texts, r"\pL"), _count(texts, r"\p{Lu}")
    emoji = _count(texts, r"[\x{1F000}-\x{1FAFF}\x{2600}-\x{27BF}\x{2B00}-\x{2BFF}]")
    punct, exclaim = _count(texts, r"\pP"), _count(texts, "!")
    words, lines = _count(texts, r"\S+"), _count(texts, "\n") + 1
    values = {
        "upper_share": upper / np.maximum(letters, 1.0),
        "emoji_share": emoji / np.maximum(chars, 1.0),
        "punct_share": punct / np.maximum(chars, 1.0),
        "exclaim_rate": exclaim / np.maximum(words, 1.0),
        "line_rate": lines / np.maximum(words, 1.0),
        "word_length": letters / np.maximum(words, 1.0),
        "length": np.log1p(words),
    }
    return {name: np.round(value, HABIT_DIGITS) for name, value in values.items()}


def post_style_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Per-record function: posts (post_id, title, text) in, one row of shingles and habits per post out."""
    titles = pc.fill_null(batch.column("title").cast(pa.string()), "")
    bodies = pc.fill_null(batch.column("text").cast(pa.string()), "")
    texts = pc.binary_join_element_wise(titles, bodies, "\n")
    count = len(texts)
    words, parents = normalised_words(texts)
    flat, counts = shingle_hashes(words, parents, count)
    owner = np.repeat(np.arange(count, dtype=np.int64), counts)
    keyed = np.unique((owner << 32) | flat.astype(np.int64))
    text_owner, text_values = keyed >> 32, keyed & 0xFFFFFFFF
    text_counts = np.bincount(text_owner, minlength=count)
    text_starts = np.r_[0, np.cumsum(text_counts)]
    lists: list[list[int]] = []
    mark_counts = np.zeros(count, dtype=np.int32)
    for i, text in enumerate(texts.to_pylist()):
        marks = _hash_marks(style_marks(text or "")) if text else []
        mark_counts[i] = len(marks)
        lists.append(text_values[text_starts[i] : text_starts[i + 1]].tolist() + sorted(marks))
    columns = habits(texts)
    return pa.RecordBatch.from_arrays(
        [
            batch.column("post_id"),
            pa.array(lists, pa.list_(pa.int64())),
            pa.array(text_counts, pa.int32()),
            pa.array(mark_counts, pa.int32()),
            *(pa.array(columns[name], pa.float64()) for name in HABITS),
        ],
        schema=POST_STYLE,
    )
