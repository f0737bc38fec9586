"""Posts as JSON lines (``.jsonl``, ``.ndjson``, optionally gzip-compressed): one object per line."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from contextlib import ExitStack
from typing import IO, Any

from unveil.ingest.limits import InflateGuard, TooLarge, Truncated, bounded_lines, json_depth
from unveil.ingest.mapping import ColumnMapping, complete
from unveil.ingest.readers.posts import post_from_record
from unveil.ingest.records import Item, Rejected, Source, excerpt
from unveil.ingest.text import decode, detect_encoding, utf8_stream


def open_stream(source: Source, stack: ExitStack) -> IO[bytes]:
    """The blob as a binary stream, decompressed under a bomb guard when it is gzip."""
    raw = stack.enter_context(source.blob.open("rb"))
    if raw.read(2) == b"\x1f\x8b":
        raw.seek(0)
        compressed = source.blob.stat().st_size
        inflating: IO[bytes] = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]
        return InflateGuard(inflating, compressed, source.limits)  # type: ignore[return-value]
    return utf8_stream(raw)


def read_json_lines(source: Source) -> Iterator[tuple[int, dict[str, Any], bytes] | Rejected]:
    """Each line parsed as a JSON object with its number and bytes, or the reason it cannot be."""
    limits = source.limits
    with ExitStack() as stack:
        stream = open_stream(source, stack)
        encoding: str | None = None
        number = 0
        try:
            for line in bounded_lines(stream, limits.max_record_bytes):
                number = line.number
                if line.data is None:
                    yield Rejected(line.number, f"line of {line.size:,} bytes exceeds {limits.max_record_bytes:,}")
                    continue
                if not line.data.strip():
                    continue
                encoding = encoding or detect_encoding(line.data)
                yield _parse(line.number, line.data, encoding, limits.max_depth)
        except (TooLarge, Truncated, EOFError, OSError, zlib.error) as exc:
            yield Rejected(number + 1, f"file unreadable after line {number}: {exc or type(exc).__name__}")


def _parse(number: int, data: bytes, encoding: str, max_depth: int) -> tuple[int, dict[str, Any], bytes] | Rejected:
    text, _ = decode(data.rstrip(b"\r"), encoding)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return Rejected(number, f"not valid JSON: {exc.msg} at column {exc.colno}", excerpt(data))
    except RecursionError:
        return Rejected(number, f"JSON nested deeper than {max_depth} levels", excerpt(data))
    if not isinstance(value, dict):
        return Rejected(number, f"a line must hold a JSON object, not {type(value).__name__}", excerpt(data))
    if data.count(b"[") + data.count(b"{") > max_depth and json_depth(value) > max_depth:
        return Rejected(number, f"JSON nested deeper than {max_depth} levels", excerpt(data))
    return number, value, data


def read(source: Source) -> Iterator[Item]:
    """Post rows from a JSON-lines file; unreadable lines become rejections."""
    base = source.mapping if isinstance(source.mapping, ColumnMapping) and source.mapping.kind == "posts" else None
    base = base or ColumnMapping("posts", "posts")
    mappings: dict[tuple[str, ...], ColumnMapping] = {}
    for parsed in read_json_lines(source):
        if isinstance(parsed, Rejected):
            yield parsed
            continue
        number, record, data = parsed
        keys = tuple(record)
        mapping = mappings.get(keys)
        if mapping is None:
            mapping = complete(base, list(keys))
            if len(mappings) < 256:  # lines usually share a few key layouts; bound the cache anyway
                mappings[keys] = mapping
        yield post_from_record(record, mapping, source, number, data)
