"""Size limits on every input, and readers that enforce them while streaming.

Hostile or broken inputs must not exhaust memory: a line is read in bounded chunks (a 100 MB
line is skipped, never held), a compressed stream stops when it inflates beyond a ratio (a zip
bomb), a whole-document format refuses files beyond a size, and JSON nesting is bounded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """The bounds applied to one ingestion.

    Attributes:
        max_record_bytes: largest record (a JSON line, a CSV row, a message, a page).
        max_document_bytes: largest file read as one document (JSON export, HTML page, spreadsheet).
        max_depth: deepest JSON nesting accepted.
        max_inflate_ratio: largest decompressed / compressed size of a compressed file...
        inflate_floor_bytes: ...once it has inflated beyond this many bytes.
        max_inflated_bytes: largest decompressed size of any one compressed file, whatever its ratio.
        max_html_depth: deepest element nesting of an HTML page, counted before it is parsed.
        max_file_seconds: longest time reading one file may take (``unveil.ingest.deadline``).
    """

    max_record_bytes: int = 1_000_000
    max_document_bytes: int = 256 * 1024 * 1024
    max_depth: int = 64
    max_inflate_ratio: int = 200
    inflate_floor_bytes: int = 64 * 1024 * 1024
    max_inflated_bytes: int = 4 * 1024 * 1024 * 1024
    max_html_depth: int = 512
    max_file_seconds: float = 600.0


class TooLarge(Exception):
    """A bounded read went past its limit."""


class Truncated(Exception):
    """A compressed stream ended in the middle (raised instead of ``EOFError``, which some readers swallow)."""


@dataclass(frozen=True)
class Line:
    """One line of a file: its 1-based number and bytes (None when it was longer than allowed)."""

    number: int
    data: bytes | None
    size: int


def bounded_lines(stream: IO[bytes], max_bytes: int) -> Iterator[Line]:
    """Lines of a binary stream, never holding more than ``max_bytes`` plus one chunk.

    A line longer than ``max_bytes`` is yielded with ``data=None`` and its size, after being
    skipped to its end. The last line may lack a newline.
    """
    number, buffer, size, overflow = 0, bytearray(), 0, False
    while chunk := stream.read(CHUNK):
        start = 0
        while (end := chunk.find(b"\n", start)) != -1:
            number += 1
            size += end - start
            if not overflow:
                buffer += chunk[start:end]
            yield Line(number, None if overflow or size > max_bytes else bytes(buffer), size)
            buffer, size, overflow, start = bytearray(), 0, False, end + 1
        size += len(chunk) - start
        if not overflow:
            buffer += chunk[start:]
            if len(buffer) > max_bytes:
                buffer, overflow = bytearray(), True
    if size or buffer:
        yield Line(number + 1, None if overflow or size > max_bytes else bytes(buffer), size)


class InflateGuard:
    """A file-like wrapper that stops a decompressing stream that inflates like a bomb."""

    def __init__(self, stream: IO[bytes], compressed_size: int, limits: Limits) -> None:
        self._stream = stream
        allowed = max(limits.inflate_floor_bytes, compressed_size * limits.max_inflate_ratio)
        self._allowed = min(allowed, limits.max_inflated_bytes)
        self.inflated = 0

    def read(self, size: int = -1) -> bytes:
        """Read like the wrapped stream; raise ``TooLarge`` past the allowed inflation.

        A short read (``read1``) hands over the data before a cut; the cut itself raises ``Truncated``.
        """
        reader = getattr(self._stream, "read1", self._stream.read)
        try:
            data: bytes = reader(size)
        except EOFError as exc:
            raise Truncated(str(exc) or "compressed data ends early") from exc
        self.inflated += len(data)
        if self.inflated > self._allowed:
            raise TooLarge(f"decompressed data exceeds {self._allowed:,} bytes (a compression bomb?)")
        return data

    def readline(self, size: int = -1) -> bytes:
        """Read a line like the wrapped stream, under the same guard."""
        try:
            data = self._stream.readline(size)
        except EOFError as exc:
            raise Truncated(str(exc) or "compressed data ends early") from exc
        self.inflated += len(data)
        if self.inflated > self._allowed:
            raise TooLarge(f"decompressed data exceeds {self._allowed:,} bytes (a compression bomb?)")
        return data


def json_depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value, computed without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values() if isinstance(child, dict | list))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item if isinstance(child, dict | list))
    return deepest


BLANKS = b" \t\r\x0b\x0c"


class BlankRunGuard:
    """A stream wrapper that stops at a run of blanks (spaces, tabs...) without a newline longer than allowed.

    Some parsers (warcio's line reader) take time growing with the square of a line's length; a
    run of blanks is where hostile archives hide such lines. The scan is linear.
    """

    def __init__(self, stream: IO[bytes], max_run: int) -> None:
        self._stream = stream
        self._max_run = max_run
        self._run = 0
        self._pattern = re.compile(rb"[ \t\r\x0b\x0c]{%d,}" % (max_run + 1))

    def _scan(self, data: bytes) -> bytes:
        if not data:
            return data
        stripped = data.lstrip(BLANKS)
        if not stripped:
            self._run += len(data)
        else:
            self._run += len(data) - len(stripped)
            if self._run <= self._max_run and self._pattern.search(data) is None:
                self._run = len(data) - len(data.rstrip(BLANKS))
            else:
                self._run = self._max_run + 1
        if self._run > self._max_run:
            raise TooLarge(f"a run of more than {self._max_run:,} blank bytes without a newline")
        return data

    def read(self, size: int = -1) -> bytes:
        """Read like the wrapped stream, under the guard."""
        return self._scan(self._stream.read(size))

    def readline(self, size: int = -1) -> bytes:
        """Read a line like the wrapped stream, under the guard."""
        return self._scan(self._stream.readline(size))


TAGS = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*?(/?)>")
VOID = "area base br col embed hr img input link meta param source track wbr"
OPTIONAL_END = "p li dt dd option optgroup tr td th thead tbody tfoot colgroup rt rp caption"
NOT_NESTING = frozenset(f"{VOID} {OPTIONAL_END}".split())


def html_depth_exceeds(html: str, limit: int) -> bool:
    """Whether an HTML document nests elements deeper than ``limit``, counted by one linear scan of its tags."""
    depth = 0
    for match in TAGS.finditer(html):
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in NOT_NESTING:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > limit:
                return True
    return False
