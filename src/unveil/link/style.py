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

import zlib
from dataclasses import dataclass
from typing import Any

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

STRETCH = "(?:" + "|".join(c * 3 for c in "abcdefghijklmnopqrstuvwxyz") + ")"
SHORT_WORD = 6
NEAR_STRIP = ".,;:!?()"
SKELETON_MIX = np.uint64(0x9E3779B97F4A7C15)

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Marks:
    """The style marks of a batch of texts: one row per (text, distinct mark), sorted by text."""

    text: I64
    value: I64  # STYLE_KIND | 32-bit hash
    label: list[str] | None = None  # the marks as words, when asked for (explanations)


def batch_marks(texts: pa.Array, labels: bool = False) -> Marks:
    """Style marks of every text (see the module docstring), vectorised with Arrow and NumPy."""
    texts = pc.fill_null(texts.cast(pa.string()), "")
    token_lists = pc.utf8_split_whitespace(texts)
    tokens, owner = pc.list_flatten(token_lists), _owners(token_lists)
    present = pc.not_equal(tokens, "")  # splitting leaves an empty token at a text's leading or trailing space
    tokens, owner = tokens.filter(present), owner[_np(present)]
    lower = pc.utf8_lower(tokens)
    word = pc.match_substring_regex(tokens, r"^\pL+$")
    shape = pc.replace_substring_regex(pc.replace_substring_regex(lower, r"\d+", "9"), r"\pL{7,}", "w")
    strings: list[pa.Array] = [pc.binary_join_element_wise("t:", shape, "").filter(pc.invert(word))]
    owners: list[I64] = [owner[~_np(word)]]
    stripped = pc.utf8_trim(lower, NEAR_STRIP)
    has_digit = pc.match_substring_regex(tokens, r"\d")
    near_word = pc.and_(
        pc.match_substring_regex(stripped, r"^\pL+$"), pc.less_equal(pc.utf8_length(stripped), SHORT_WORD)
    )
    near = pc.if_else(near_word, stripped, pc.if_else(pc.match_substring_regex(stripped, r"\d"), "9", "w"))
    numbered = np.flatnonzero(_np(has_digit))
    if numbered.size:
        first = np.r_[True, owner[1:] != owner[:-1]]
        last = np.r_[owner[1:] != owner[:-1], True]
        before = pc.if_else(pa.array(first[numbered]), "^", near.take(pa.array(np.maximum(numbered - 1, 0))))
        after = pc.if_else(
            pa.array(last[numbered]), "$", near.take(pa.array(np.minimum(numbered + 1, len(tokens) - 1)))
        )
        strings.append(pc.binary_join_element_wise("n:", before, " ", shape.take(pa.array(numbered)), " ", after, ""))
        owners.append(owner[numbered])
    letters = _np(pc.utf8_length(pc.replace_substring_regex(tokens, r"[^\pL]+", "")))
    caps = (letters >= 2) & ~_np(pc.match_substring_regex(tokens, r"\p{Ll}"))
    flags = (
        ("caps", caps),
        ("lower-i", _np(pc.equal(tokens, "i"))),
        ("stretch", _np(pc.match_substring_regex(lower, STRETCH))),
    )
    for name, chosen in flags:
        strings.append(pa.array([name] * int(chosen.sum()), pa.string()))
        owners.append(owner[chosen])
    line_lists = pc.split_pattern(texts, "\n")
    starts = pc.utf8_slice_codeunits(pc.utf8_trim_whitespace(pc.list_flatten(line_lists)), 0, 1)
    bullet = _np(pc.and_(pc.greater(pc.utf8_length(starts), 0), pc.invert(pc.utf8_is_alnum(starts))))
    strings.append(pc.binary_join_element_wise("l:", starts, "").filter(pa.array(bullet)))
    owners.append(_owners(line_lists)[bullet])
    named = pa.concat_arrays(strings)
    encoded = pc.dictionary_encode(named)
    crc = np.fromiter(
        (zlib.crc32(str(m).encode()) for m in encoded.dictionary.to_pylist()),
        dtype=np.int64,
        count=len(encoded.dictionary),
    )
    values = [crc[_np(encoded.indices).astype(np.int64)] if len(named) else np.zeros(0, dtype=np.int64)]
    owned = [np.concatenate(owners)]
    skeleton_owner, skeleton_value, trigrams = _skeleton_trigrams(texts, labels)
    values.append(skeleton_value)
    owned.append(skeleton_owner)
    text = np.concatenate(owned)
    value = STYLE_KIND | np.concatenate(values)
    order = np.lexsort((value, text))
    text, value = text[order], value[order]
    keep = np.r_[True, (text[1:] != text[:-1]) | (value[1:] != value[:-1])][: text.size]
    label = None
    if labels:
        words = [str(m) for m in named.to_pylist()] + trigrams
        label = [words[i] for i in order[keep].tolist()]
    return Marks(text[keep], value[keep], label)


def _np(values: pa.Array | pa.ChunkedArray) -> npt.NDArray[Any]:
    return np.asarray(values.to_numpy(zero_copy_only=False))


def _owners(lists: pa.Array) -> I64:
    return np.asarray(pc.list_parent_indices(lists).to_numpy(zero_copy_only=False), dtype=np.int64)


def _skeleton_trigrams(texts: pa.Array, labels: bool) -> tuple[I64, I64, list[str]]:
    """Trigrams of every text's skeleton (letters -> a, digits -> 9, spaces collapsed), hashed from
    their three code points (multiply-shift to 32 bits)."""
    skeleton = pc.replace_substring_regex(texts, r"\pL+", "a")
    skeleton = pc.replace_substring_regex(pc.replace_substring_regex(skeleton, r"\d+", "9"), r"[ \t]+", " ")
    joined = "".join(str(x) for x in skeleton.to_pylist())
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lengths = _np(pc.utf8_length(skeleton)).astype(np.int64)
    owner = np.repeat(np.arange(lengths.size, dtype=np.int64), lengths)
    position = np.arange(codes.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    valid = np.flatnonzero(position < np.repeat(lengths, lengths) - 2)
    key = (codes[valid] << 42) | (codes[valid + 1] << 21) | codes[valid + 2]
    hashed = ((key.astype(np.uint64) * SKELETON_MIX) >> np.uint64(32)).astype(np.int64)
    trigrams = ["k:" + joined[i : i + 3] for i in valid.tolist()] if labels else []
    return owner[valid], hashed, trigrams


def style_marks(text: str) -> dict[int, str]:
    """The style marks of one text: their hash (as stored in ``link.post_style``) and their words."""
    marks = batch_marks(pa.array([text], pa.string()), labels=True)
    return dict(zip(marks.value.tolist(), marks.label or [], strict=True))


def _removed(texts: pa.Array, pattern: str, chars: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """How many characters of each text match ``pattern`` (the length lost when its runs are removed:
    much faster than counting single-character matches)."""
    kept = pc.utf8_length(pc.replace_substring_regex(texts, pattern, ""))
    return chars - np.asarray(kept.to_numpy(zero_copy_only=False), dtype=np.float64)


def habits(texts: pa.Array) -> dict[str, npt.NDArray[np.float64]]:
    """The numeric habits of every text, vectorised with Arrow's string kernels."""
    chars = np.asarray(pc.utf8_length(texts).to_numpy(zero_copy_only=False), dtype=np.float64)
    letters, upper = _removed(texts, r"\pL+", chars), _removed(texts, r"\p{Lu}+", chars)
    emoji = _removed(texts, r"[\x{1F000}-\x{1FAFF}\x{2600}-\x{27BF}\x{2B00}-\x{2BFF}]+", chars)
    punct = _removed(texts, r"\pP+", chars)
    exclaim = np.asarray(pc.count_substring(texts, "!").to_numpy(zero_copy_only=False), dtype=np.float64)
    lines = np.asarray(pc.count_substring(texts, "\n").to_numpy(zero_copy_only=False), dtype=np.float64) + 1
    words = np.asarray(pc.count_substring_regex(texts, r"\S+").to_numpy(zero_copy_only=False), dtype=np.float64)
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
    marks = batch_marks(texts)
    mark_counts = np.bincount(marks.text, minlength=count)
    owner_all = np.concatenate([text_owner, marks.text])
    order = np.argsort(owner_all, kind="stable")  # per post: its text shingles, then its marks
    flat_values = np.concatenate([text_values, marks.value])[order]
    offsets = np.r_[0, np.cumsum(text_counts + mark_counts)].astype(np.int32)
    shingles = pa.ListArray.from_arrays(pa.array(offsets), pa.array(flat_values, pa.int64()))
    columns = habits(texts)
    return pa.RecordBatch.from_arrays(
        [
            batch.column("post_id"),
            shingles,
            pa.array(text_counts, pa.int32()),
            pa.array(mark_counts, pa.int32()),
            *(pa.array(columns[name], pa.float64()) for name in HABITS),
        ],
        schema=POST_STYLE,
    )
