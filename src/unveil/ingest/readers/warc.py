"""WARC / WARC.gz web archives: each HTML response becomes a page post, each image response an image.

The post keeps the archived URL (``WARC-Target-URI``) and capture time (``WARC-Date``). A
truncated or corrupt archive yields the records read so far and one rejection saying where
reading stopped.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from unveil.ingest.limits import BlankRunGuard, InflateGuard, TooLarge, Truncated, html_depth_exceeds
from unveil.ingest.readers.html import page_values, parse_page
from unveil.ingest.records import Item, Rejected, Row, Source, record_hash
from unveil.ingest.text import decode, detect_encoding
from unveil.ingest.values import parse_timestamp

IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp")


def read(source: Source) -> Iterator[Item]:
    """Posts and images from the archive's response records."""
    number = 0
    with source.blob.open("rb") as raw:
        compressed = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        # decompress with gzip (multi-member) rather than warcio's reader, which stops silently at a cut
        inner: IO[bytes] = gzip.GzipFile(fileobj=raw) if compressed else raw  # type: ignore[assignment]
        inflating = InflateGuard(inner, source.blob.stat().st_size, source.limits)
        guarded = BlankRunGuard(inflating, source.limits.max_record_bytes)  # type: ignore[arg-type]
        try:
            for record in ArchiveIterator(guarded):
                if record.rec_type != "response":
                    continue
                number += 1
                yield _item(record, number, source)
        except (ArchiveLoadFailed, TooLarge, Truncated, EOFError, OSError, zlib.error, ValueError) as exc:
            yield Rejected(number + 1, f"archive unreadable after record {number}: {exc or type(exc).__name__}")


def _item(record: Any, number: int, source: Source) -> Item:
    url = record.rec_headers.get_header("WARC-Target-URI")
    captured = parse_timestamp(record.rec_headers.get_header("WARC-Date"))
    content_type = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
    mime = content_type.split(";")[0].strip().lower()
    if mime not in ("text/html", "application/xhtml+xml", *IMAGE_TYPES):
        return Rejected(number, f"response of type {mime or 'unknown'!r} at {url} is neither a page nor an image")
    body = record.content_stream().read(source.limits.max_record_bytes + 1)
    if len(body) > source.limits.max_record_bytes:
        return Rejected(number, f"response body at {url} exceeds {source.limits.max_record_bytes:,} bytes")
    missing = getattr(record.raw_stream, "limit", 0)
    if isinstance(missing, int) and missing > 0:  # the archive ends inside this record
        return Rejected(number, f"record at {url} is cut: {missing:,} of its declared bytes are missing")
    if mime in IMAGE_TYPES:
        return Row("images", number, "", {"url": url}, image_bytes=body)
    charset = content_type.partition("charset=")[2].strip(" \"'") or detect_encoding(body[:65536])
    html, _ = decode(body, charset)
    if html_depth_exceeds(html, source.limits.max_html_depth):
        return Rejected(number, f"page at {url} nests elements deeper than {source.limits.max_html_depth}")
    values = page_values(parse_page(html), url, captured, source.region)
    values["record_sha256"] = record_hash(body)
    values["source_id"] = record.rec_headers.get_header("WARC-Record-ID")
    key = f"url:{url}:{captured.isoformat() if captured else ''}:{values['record_sha256']}"
    return Row("posts", number, key, values)
