"""MinHash signatures of word shingles, vectorised with NumPy, and their LSH band keys.

A post's text becomes a set of word bigrams (unigrams for texts of one word); each shingle is
hashed once with CRC-32 and then by ``SIGNATURE_SIZE`` multiply-shift hash functions at once (a
NumPy matrix); the signature is the column-wise minimum per post (``np.minimum.reduceat``). Bands
of ``ROWS_PER_BAND`` rows are folded into one 64-bit key that also encodes the band's number, so
that LSH banding is a plain equality join in SQL.
"""

from __future__ import annotations

import itertools
import zlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from unveil.link.normalise import announces_arrival, normalise_words

SIGNATURE_SIZE = 64
ROWS_PER_BAND = 4
BANDS = SIGNATURE_SIZE // ROWS_PER_BAND
SEED = 20231
EMPTY = np.uint32(0xFFFFFFFF)

SIGNATURES = pa.schema(
    [
        ("post_id", pa.string()),
        ("shingles", pa.int32()),
        ("new_in_town", pa.bool_()),
        ("signature", pa.binary()),
        ("bands", pa.list_(pa.int64())),
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

    def apply(self, values: U32) -> U32:
        """Every hash function on every value: a (size, len(values)) matrix of 32-bit hashes.

        One function at a time with in-place operations: contiguous 1-D work, no large temporaries.
        """
        wide = values.astype(np.uint64)
        result = np.empty((self.multipliers.size, values.size), dtype=np.uint32)
        scratch = np.empty(values.size, dtype=np.uint64)
        shift = np.uint64(32)
        for row, (multiplier, offset) in enumerate(zip(self.multipliers, self.offsets, strict=True)):
            np.multiply(wide, multiplier, out=scratch)
            scratch += offset
            scratch >>= shift
            result[row] = scratch
        return result


FAMILY = HashFamily.create()


def shingle_hashes(words: list[str]) -> list[int]:
    """32-bit hashes of a text's word bigrams (of its single word when it has only one)."""
    if len(words) < 2:
        return [zlib.crc32(word.encode()) for word in words]
    return [zlib.crc32(f"{a} {b}".encode()) for a, b in itertools.pairwise(words)]


def signatures(texts: list[str], family: HashFamily = FAMILY) -> tuple[U32, npt.NDArray[np.int32]]:
    """MinHash signature matrix (one row per text) and the shingle count of each text.

    A text without words gets a signature of all ``EMPTY`` and a count of 0.
    """
    shingles = [shingle_hashes(normalise_words(text)) for text in texts]
    counts = np.array([len(s) for s in shingles], dtype=np.int32)
    result = np.full((len(texts), family.multipliers.size), EMPTY, dtype=np.uint32)
    present = np.flatnonzero(counts)
    if present.size == 0:
        return result, counts
    flat = np.fromiter((h for i in present for h in shingles[i]), dtype=np.uint32, count=int(counts.sum()))
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
    titles = batch.column("title").to_pylist()
    texts = [f"{t or ''} {x or ''}" for t, x in zip(titles, batch.column("text").to_pylist(), strict=True)]
    matrix, counts = signatures(texts)
    keys = band_keys(matrix)
    band_lists = [keys[i].tolist() if counts[i] else [] for i in range(len(texts))]
    return pa.RecordBatch.from_arrays(
        [
            batch.column("post_id"),
            pa.array(counts, pa.int32()),
            pa.array([announces_arrival(text) for text in texts], pa.bool_()),
            pa.array([row.tobytes() for row in matrix], pa.binary()),
            pa.array(band_lists, pa.list_(pa.int64())),
        ],
        schema=SIGNATURES,
    )


def agreement(left: list[bytes], right: list[bytes]) -> npt.NDArray[np.float64]:
    """Fraction of equal MinHash values for each pair of signatures: estimated Jaccard similarity."""
    if not left:
        return np.zeros(0)
    a = np.frombuffer(b"".join(left), dtype=np.uint32).reshape(len(left), -1)
    b = np.frombuffer(b"".join(right), dtype=np.uint32).reshape(len(right), -1)
    return np.asarray((a == b).mean(axis=1), dtype=np.float64)
