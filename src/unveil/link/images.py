"""Re-used photos: SHA-256 for exact copies, a perceptual hash for near copies.

Every distinct image is read from the evidence store and hashed with the DCT hash of imagehash's
``phash`` (64 bits: grey 32x32 Lanczos thumbnail, low 8x8 DCT frequencies above their median),
computed here as two small matrix products instead of SciPy's FFT routines (same bits, no SciPy
import in every worker). Near copies (re-compressed, resized, lightly cropped) differ in a few bits; the neighbour
search splits each hash into four 16-bit bands: two hashes within 3 bits of each other share at
least one band exactly (pigeonhole), so candidate pairs come from an equality join in SQL instead
of all pairs. Candidates within ``MAX_DISTANCE`` bits are kept; groups are their connected
components, named by their smallest SHA-256.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
from PIL import Image

from unveil.evidence.store import EvidenceStore
from unveil.link.graph import components_of_pairs
from unveil.workspace import Workspace

BAND_BITS = 16
BANDS = 64 // BAND_BITS
MAX_DISTANCE = 4
MAX_IMAGE_BYTES = 30_000_000
MAX_PIXELS = 60_000_000
MAX_BUCKET = 500

IMAGE_FILES_SQL = """
SELECT image_sha256, count(DISTINCT post_id) AS posts
FROM images
WHERE image_sha256 IS NOT NULL
GROUP BY image_sha256
ORDER BY image_sha256
"""

IMAGE_HASHES = pa.schema(
    [
        ("image_sha256", pa.string()),
        ("posts", pa.int64()),
        ("phash", pa.int64()),
        ("bands", pa.list_(pa.int64())),
        ("error", pa.string()),
    ]
)

NEAR_CANDIDATES_SQL = f"""
WITH banded AS (
    SELECT image_sha256, phash, unnest(bands) AS band_key FROM image_hashes WHERE phash IS NOT NULL
),
usable AS (
    SELECT band_key FROM banded GROUP BY band_key HAVING count(*) BETWEEN 2 AND {MAX_BUCKET}
)
SELECT DISTINCT a.image_sha256 AS image_a, b.image_sha256 AS image_b, a.phash AS phash_a, b.phash AS phash_b
FROM banded a
JOIN usable u ON u.band_key = a.band_key
JOIN banded b ON b.band_key = a.band_key AND a.image_sha256 < b.image_sha256
WHERE bit_count(xor(a.phash, b.phash)) <= {MAX_DISTANCE}
ORDER BY image_a, image_b
"""

IMAGES = pa.schema(
    [
        ("image_sha256", pa.string()),
        ("group_id", pa.string()),
        ("phash", pa.string()),
        ("posts", pa.int64()),
        ("nearest_distance", pa.int32()),
        ("error", pa.string()),
    ]
)


def _dct_rows(size: int = 32, rows: int = 8) -> npt.NDArray[np.float64]:
    """The first ``rows`` rows of the unnormalised DCT-II matrix (as ``scipy.fftpack.dct``)."""
    k = np.arange(rows, dtype=np.float64)[:, None]
    n = np.arange(size, dtype=np.float64)[None, :]
    return np.asarray(2.0 * np.cos(np.pi * k * (2 * n + 1) / (2 * size)), dtype=np.float64)


DCT_ROWS = _dct_rows()


def dct_hash_bits(image: Image.Image) -> npt.NDArray[np.bool_]:
    """imagehash's ``phash`` bits of an image: the low 8x8 DCT frequencies above their median."""
    grey = image.convert("L").resize((32, 32), Image.Resampling.LANCZOS)
    pixels = np.asarray(grey, dtype=np.float64)
    low = DCT_ROWS @ pixels @ DCT_ROWS.T
    return np.asarray(low > np.median(low), dtype=np.bool_)


def perceptual_hash(data: bytes) -> int:
    """The 64-bit DCT perceptual hash of an image's bytes, as a signed integer."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ValueError(f"image of {len(data):,} bytes is larger than {MAX_IMAGE_BYTES:,}")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValueError(f"image of {image.width}x{image.height} pixels is too large")
            image.draft("L", (128, 128))
            bits = dct_hash_bits(image).flatten()
    value = int(np.packbits(bits.astype(np.uint8)).view(">u8")[0])
    return value - (1 << 64) if value >= 1 << 63 else value


def hash_bands(phash: int) -> list[int]:
    """The band keys of a hash: band number in the high bits, the band's 16 bits below."""
    unsigned = phash & 0xFFFFFFFFFFFFFFFF
    mask = (1 << BAND_BITS) - 1
    return [(band << BAND_BITS) | ((unsigned >> (band * BAND_BITS)) & mask) for band in range(BANDS)]


def hash_images_batch(batch: pa.RecordBatch, workspace_root: str) -> pa.RecordBatch:
    """Per-record function: distinct images in, their perceptual hash (or why not) out."""
    store = EvidenceStore(Workspace.open(Path(workspace_root)))
    hashes: list[int | None] = []
    errors: list[str | None] = []
    for sha in batch.column("image_sha256").to_pylist():
        try:
            hashes.append(perceptual_hash(store.get(sha)))
            errors.append(None)
        except Exception as exc:  # hostile or broken files: record why, never stop the stage
            hashes.append(None)
            errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
    return pa.RecordBatch.from_arrays(
        [
            batch.column("image_sha256"),
            batch.column("posts"),
            pa.array(hashes, pa.int64()),
            pa.array([hash_bands(h) if h is not None else [] for h in hashes], pa.list_(pa.int64())),
            pa.array(errors, pa.string()),
        ],
        schema=IMAGE_HASHES,
    )


def hamming(left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Bit differences between pairs of 64-bit hashes."""
    xor = (left ^ right).view(np.uint8).reshape(-1, 8)
    return np.asarray(np.unpackbits(xor, axis=1).sum(axis=1), dtype=np.int64)


def image_groups(hashes: pa.Table, candidates: pa.Table) -> pa.Table:
    """Every image with its near-copy group (smallest SHA-256 of the group) and nearest distance."""
    a = candidates.column("phash_a").to_numpy().astype(np.int64)
    b = candidates.column("phash_b").to_numpy().astype(np.int64)
    distance = hamming(a, b)
    close = pa.array(distance <= MAX_DISTANCE)
    near = candidates.filter(close)
    nearest: dict[str, int] = {}
    for x, y, d in zip(
        near.column("image_a").to_pylist(),
        near.column("image_b").to_pylist(),
        distance[distance <= MAX_DISTANCE],
        strict=True,
    ):
        nearest[x] = min(nearest.get(x, 64), int(d))
        nearest[y] = min(nearest.get(y, 64), int(d))
    group_of = _group_names(near)
    shas = hashes.column("image_sha256").to_pylist()
    phashes = hashes.column("phash").to_pylist()
    return pa.table(
        {
            "image_sha256": shas,
            "group_id": [group_of.get(sha, sha) for sha in shas],
            "phash": [None if h is None else f"{h & 0xFFFFFFFFFFFFFFFF:016x}" for h in phashes],
            "posts": hashes.column("posts"),
            "nearest_distance": [nearest.get(sha) for sha in shas],
            "error": hashes.column("error"),
        },
        schema=IMAGES,
    )


def _group_names(near: pa.Table) -> dict[str, str]:
    if near.num_rows == 0:
        return {}
    names, labels = components_of_pairs(near.column("image_a"), near.column("image_b"))
    smallest: dict[int, str] = {}
    for name, label in zip(names.to_pylist(), labels.tolist(), strict=True):
        smallest.setdefault(label, name)  # names are sorted, so the first seen is the smallest
    return {name: smallest[label] for name, label in zip(names.to_pylist(), labels.tolist(), strict=True)}
