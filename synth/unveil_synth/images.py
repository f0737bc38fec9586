"""A bounded set of synthetic "photos" (Pillow), each with re-used variants: cropped, re-compressed, recoloured.

The photos are abstract (gradients, a silhouette, shapes): no real person is depicted. Variants are
what re-posted photos look like after a site crops, re-compresses or filters them, so perceptual
hashing can be benchmarked against ``truth/images.csv``.
"""

from __future__ import annotations

import hashlib
import io
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance

from unveil_synth.plan import VARIANTS

WIDTH, HEIGHT = 240, 300


def base_photo(seed: int, photo: int) -> Image.Image:
    """Base photo ``photo``: a room-like gradient, a silhouette and a few objects, from the seed."""
    rng = random.Random(f"{seed}/photo/{photo}")
    top = np.array([rng.randrange(40, 220) for _ in range(3)], dtype=np.float32)
    bottom = np.array([rng.randrange(20, 200) for _ in range(3)], dtype=np.float32)
    ramp = np.linspace(0.0, 1.0, HEIGHT, dtype=np.float32)[:, None, None]
    pixels = (top * (1 - ramp) + bottom * ramp).repeat(WIDTH, axis=1)
    # sensor-like grain in 2x2 cells: a quarter of the normal draws (they were most of a photo's cost)
    grain = np.random.default_rng(rng.randrange(2**32)).standard_normal((HEIGHT // 2, WIDTH // 2, 3), np.float32)
    noise = (grain * 6).repeat(2, axis=0).repeat(2, axis=1)
    image = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(3, 7)):
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        size = rng.randrange(15, 70)
        colour = tuple(rng.randrange(256) for _ in range(3))
        box = (x, y, x + size, y + size // 2 + rng.randrange(size))
        (draw.rectangle if rng.random() < 0.5 else draw.ellipse)(box, fill=colour)
    skin = (rng.randrange(120, 240), rng.randrange(90, 200), rng.randrange(70, 170))
    cx = WIDTH // 2 + rng.randrange(-40, 40)
    draw.ellipse((cx - 28, 50, cx + 28, 120), fill=skin)
    draw.polygon(
        [(cx - 55, 300), (cx - 35, 130), (cx + 35, 130), (cx + 55, 300)],
        fill=tuple(rng.randrange(256) for _ in range(3)),
    )
    return image


def variant(image: Image.Image, name: str, seed: int, photo: int) -> bytes:
    """The JPEG bytes of one variant of a base photo."""
    rng = random.Random(f"{seed}/variant/{photo}/{name}")
    quality = 90
    if name == "crop":
        left, top = rng.randrange(8, 30), rng.randrange(8, 36)
        image = image.crop((left, top, WIDTH - rng.randrange(8, 30), HEIGHT - rng.randrange(8, 36)))
    elif name == "jpeg":
        quality = rng.randrange(30, 55)
        image = image.resize((WIDTH * 3 // 4, HEIGHT * 3 // 4))
    elif name == "tint":
        image = ImageEnhance.Color(image).enhance(rng.uniform(0.3, 1.6))
        image = ImageEnhance.Brightness(image).enhance(rng.uniform(0.8, 1.2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


PHOTOS_PER_TASK = 40


def photo_rows(photos: int) -> list[tuple[str, int, str]]:
    """(file, photo, variant) of every image file of a world with ``photos`` base photos."""
    return [(f"images/{photo:04d}-{name}.jpg", photo, name) for photo in range(photos) for name in VARIANTS]


def write_photos(out: Path, seed: int, first: int, end: int) -> int:
    """Write every variant of base photos ``first`` to ``end`` into ``out/images``; return files written.

    Each file's SHA-256 goes to ``out/.parts/images-<first>.tsv`` for the truth (hashed here, from
    the bytes in hand, rather than read back at the end of the run).
    """
    folder = out / "images"
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for photo in range(first, end):
        image = base_photo(seed, photo)
        for name in VARIANTS:
            file = f"images/{photo:04d}-{name}.jpg"
            data = variant(image, name, seed, photo)
            (out / file).write_bytes(data)
            rows.append(f"{file}\t{hashlib.sha256(data).hexdigest()}\n")
    (out / ".parts" / f"images-{first:05d}.tsv").write_text("".join(rows), encoding="utf-8")
    return len(rows)


def photo_digests(out: Path) -> dict[str, str]:
    """The SHA-256 of each image file, from the lists ``write_photos`` left in ``out/.parts``."""
    digests = {}
    for part in sorted((out / ".parts").glob("images-*.tsv")):
        for line in part.read_text(encoding="utf-8").splitlines():
            file, digest = line.split("\t")
            digests[file] = digest
    return digests
