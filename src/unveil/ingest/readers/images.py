"""Image files: dimensions and format read with Pillow, under a pixel bound (decompression bombs)."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator

from PIL import Image, UnidentifiedImageError

from unveil.ingest.records import Item, Rejected, Row, Source

MAX_PIXELS = 200_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own guard warns at 89.5 megapixels: the documented bound is ours
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff")


def describe(data: bytes) -> tuple[int, int, str] | str:
    """``(width, height, format)`` of an image, or why it cannot be read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return f"image of {width}x{height} pixels exceeds {MAX_PIXELS:,}"
                return width, height, (image.format or "unknown").lower()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return f"not a readable image: {exc}"
    except (OSError, ValueError, SyntaxError) as exc:
        return f"not a readable image: {type(exc).__name__}: {exc}"


def read(source: Source) -> Iterator[Item]:
    """One loose image (no post) per file; the file itself is the evidence blob."""
    size = source.blob.stat().st_size
    if size > source.limits.max_document_bytes:
        yield Rejected(1, f"image file of {size:,} bytes exceeds {source.limits.max_document_bytes:,}")
        return
    yield Row("images", 1, "", {"path": str(source.path)}, image_bytes=source.blob.read_bytes())
