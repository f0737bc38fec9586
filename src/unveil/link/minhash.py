"""MinHash signatures of word shingles, vectorised with NumPy, and their LSH band keys.

A post's text becomes a set of word bigrams (unigrams for texts of one word); each shingle is
hashed once with CRC-32 and then by ``SIGNATURE_SIZE`` multiply-shift hash functions at once (a
NumPy matrix); the signature is the column-wise minimum per post (``np.minimum.reduceat``). Bands
of ``ROWS_PER_BAND`` rows are folded into one 64-bit key that also encodes the band's number, so
that LSH banding is a plain equality join in SQL. The signature is also stored as one integer
column per value (``m00`` ... ``m63``, the 32-bit values reinterpreted as signed), so that candidate
verification is plain SQL too (a sum of equalities), with no bytes shipped to Python.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from unveil.link.normalise import NEW_IN_TOWN_PATTERN, normalised_words

SIGNATURE_SIZE = 64
ROWS_PER_BAND = 4
BANDS = SIGNATURE_SIZE // ROWS_PER_BAND
SEED = 20231
EMPTY = np.uint32(0xFFFFFFFF)

VALUE_COLUMNS = [f"m{i:02d}" for i in range(SIGNATURE_SIZE)]

SIGNATURES = pa.schema(
    [
        ("post_id", pa.string()),
        ("shingles", pa.int32()),
        ("new_in_town", pa.bool_()),
        ("bands", pa.list_(pa.int64())),
        *((name, pa.int32()) for name in VALUE_COLUMNS),
    ]
)

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]


@dataclass(frozen=True)
class HashFamily:
    """Multiply-shift hash functions h(x) = (a * x + b) >> 32 over 64-bit words, a odd."""

    multipliers: U64
    offsets: U64

    @classmethod
    def create(cls, size: int = SIGNATURE_SIZE, seed: int = SEED) -> HashFamily:
        """``size`` hash functions drawn from a fixed seed (signatures are comparable across runs)."""
        rng = np.random.default_rng(seed)
        multipliers = rng.integers(1, 2**63, size=size, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        offsets = rng.integers(0, 2**63, size=size, dtype=np.uint64)
        return cls(multipliers, offsets)

    def apply(self, values: U32, chunk: int = 8192) -> U32:
        """Every hash function on every value: a (size, len(values)) matrix of 32-bit hashes.

        All functions at once on cache-sized chunks of values (a (size, chunk) block of 64-bit
        products, updated in place): few NumPy calls, no large temporaries.
        """
        wide = values.astype(np.uint64)
        result = np.empty((self.multipliers.size, values.size), dtype=np.uint32)
        multipliers, offsets = self.multipliers[:, None], self.offsets[:, None]
        shift = np.uint64(32)
        for start in range(0, values.size, chunk):
            block = wide[None, start : start + chunk] * multipliers
            block += offsets
            block >>= shift
            result[:, start : start + block.shape[1]] = block
        return result


FAMILY = HashFamily.create()


def shingle_hashes(words: pa.Array, parents: pa.Array, texts: int) -> tuple[U32, npt.NDArray[np.int32]]:
    """Hashes of every text's word bigrams (a text of one word: that word), grouped by text in order,
    and the number of shingles per text.

    Each distinct word is hashed once (CRC-32); a bigram's hash mixes its two words' hashes in NumPy.
    """
    encoded = pc.dictionary_encode(words)
    dictionary = encoded.dictionary.to_pylist()
    word_hash = np.fromiter((zlib.crc32(w.encode()) for w in dictionary), dtype=np.uint32, count=len(dictionary))
    tokens = word_hash[encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)]
    text_of = parents.to_numpy(zero_copy_only=False).astype(np.int64)
    lengths = np.bincount(text_of, minlength=texts)
    same_text = text_of[:-1] == text_of[1:]
    with np.errstate(over="ignore"):
        bigrams = (tokens[:-1] * np.uint32(0x9E3779B1)) ^ (tokens[1:] + np.uint32(0x7F4A7C15))
    lone = lengths[text_of] == 1
    values = np.concatenate([bigrams[same_text], tokens[lone]])
    owners = np.concatenate([text_of[:-1][same_text], text_of[lone]])
    order = np.argsort(owners, kind="stable")
    return values[order].astype(np.uint32), np.bincount(owners, minlength=texts).astype(np.int32)


def signatures(texts: list[str] | pa.Array, family: HashFamily = FAMILY) -> tuple[U32, npt.NDArray[np.int32]]:
    """MinHash signature matrix (one row per text) and the shingle count of each text.

    A text without words gets a signature of all ``EMPTY`` and a count of 0.
    """
    array = texts if isinstance(texts, pa.Array) else pa.array(texts, pa.string())
    words, parents = normalised_words(array)
    flat, counts = shingle_hashes(words, parents, len(array))
    result = np.full((len(array), family.multipliers.size), EMPTY, dtype=np.uint32)
    present = np.flatnonzero(counts)
    if present.size == 0:
        return result, counts
    starts = np.concatenate(([0], np.cumsum(counts[present])[:-1]))
    result[present] = np.minimum.reduceat(family.apply(flat), starts, axis=1).T
    return result, counts


def band_keys(signature_matrix: U32, rows_per_band: int = ROWS_PER_BAND) -> npt.NDArray[np.int64]:
    """One 64-bit key per (text, band): FNV-style fold of the band's rows and its number."""
    count, size = signature_matrix.shape
    bands = size // rows_per_band
    keys = np.tile(np.arange(bands, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15), (count, 1))
    prime = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        for row in range(rows_per_band):
            keys = (keys ^ signature_matrix[:, row::rows_per_band][:, :bands].astype(np.uint64)) * prime
    return keys.view(np.int64)


def signature_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Per-record function: posts (post_id, title, text) in, one signature row per post out."""
    texts = pc.binary_join_element_wise(
        pc.fill_null(batch.column("title").cast(pa.string()), ""),
        pc.fill_null(batch.column("text").cast(pa.string()), ""),
        " ",
    )
    matrix, counts = signatures(texts)
    keys = band_keys(matrix)
    offsets = np.concatenate(([0], np.cumsum(np.where(counts > 0, keys.shape[1], 0))))
    bands = pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pa.array(keys[counts > 0].ravel(), pa.int64()))
    values = np.ascontiguousarray(matrix.T).view(np.int32)
    return pa.RecordBatch.from_arrays(
        [
            batch.column("post_id"),
            pa.array(counts, pa.int32()),
            pc.fill_null(pc.match_substring_regex(texts, NEW_IN_TOWN_PATTERN, ignore_case=True), False),
            bands,
            *(pa.array(column) for column in values),
        ],
        schema=SIGNATURES,
    )
