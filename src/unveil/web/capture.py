"""The raw capture of a post at its own record, not the start of its source file.

Ingestion keeps each post's source file (stored by its SHA-256 in the evidence store), its
``record_no`` (the line of a JSON-lines file, the row of a table) and its ``source_id`` (the
record's own id), but no byte offset. ``locate_record`` reads the file line by line, within
``SCAN_LIMIT`` bytes: the line numbered ``record_no`` if it holds the record's id (JSON lines),
else the first line that holds the id as a whole value (a CSV row, an object in a JSON array...).
A file of one record (a captured page) is that record. What is shown is at most ``RECORD_LIMIT``
bytes, decoded as text; the page escapes it.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO

SCAN_LIMIT = 64 * 1024 * 1024
"""The most bytes read to find a record (a larger file's later records are not located)."""
RECORD_LIMIT = 200_000
"""The most bytes of a record shown."""
CONTEXT_LINES = 1
"""Lines shown before and after a record found in a line-based file."""


@dataclass(frozen=True)
class Capture:
    """What the raw capture page shows."""

    text: str
    found: bool
    how: str
    line: int | None = None
    offset: int | None = None
    cut: bool = False
    before: str = ""
    after: str = ""


def _open(path: Path) -> IO[bytes]:
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _holds_id(line: bytes, pattern: re.Pattern[bytes] | None) -> bool:
    return pattern is not None and pattern.search(line) is not None


def _id_pattern(source_id: str | None) -> re.Pattern[bytes] | None:
    """The record's id as a whole value: not inside a longer id (``W-1`` is not found in ``W-10``)."""
    if not source_id:
        return None
    return re.compile(rb"(?<![\w-])" + re.escape(source_id.encode("utf-8")) + rb"(?![\w-])")


def locate_record(path: Path, record_no: int | None, source_id: str | None) -> Capture:
    """The record of a post in its source file (see the module's docstring)."""
    pattern = _id_pattern(source_id)
    start: bytes | None = None
    previous: list[bytes] = []
    chosen: tuple[int, int, bytes, list[bytes]] | None = None  # line, offset, the line, lines before
    by_id: tuple[int, int, bytes, list[bytes]] | None = None
    lines = 0
    read = 0
    with _open(path) as handle:
        while read < SCAN_LIMIT:
            line = handle.readline(RECORD_LIMIT + 1)
            if not line:
                break
            if len(line) > RECORD_LIMIT and not line.endswith(b"\n"):
                rest = b"x"
                while rest and not rest.endswith(b"\n") and read < SCAN_LIMIT:  # skip the rest of a huge line
                    rest = handle.readline(1 << 20)
                    read += len(rest)
            offset = read
            read += len(line)
            lines += 1
            if start is None:
                start = line
            if lines == record_no and (pattern is None or _holds_id(line, pattern)):
                chosen = (lines, offset, line, previous[-CONTEXT_LINES:])
                break
            if by_id is None and _holds_id(line, pattern):
                by_id = (lines, offset, line, previous[-CONTEXT_LINES:])
                if record_no is None:
                    break
            previous = [*previous[-CONTEXT_LINES:], line]
    found = chosen or by_id
    if found is None:
        with _open(path) as handle:
            data = handle.read(RECORD_LIMIT + 1)
        single = lines <= 1 or record_no in (None, 1)
        return Capture(
            _decode(data[:RECORD_LIMIT]),
            found=single,
            how="the file is this one record" if single else "the record was not found: the start of the file",
            offset=0,
            cut=len(data) > RECORD_LIMIT,
        )
    line_no, offset, line, before = found
    with _open(path) as handle:
        handle.seek(offset + len(line))
        after = b"" if len(line) > RECORD_LIMIT else b"".join(handle.readline(2000) for _ in range(CONTEXT_LINES))
    how = f"line {line_no}" + (" (its record number)" if found is chosen else f", which holds its id {source_id}")
    return Capture(
        _decode(line[:RECORD_LIMIT]),
        found=True,
        how=how,
        line=line_no,
        offset=offset,
        cut=len(line) > RECORD_LIMIT,
        before=_decode(b"".join(before)[-2000:]),
        after=_decode(after[:2000]),
    )
