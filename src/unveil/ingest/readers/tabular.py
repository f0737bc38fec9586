"""Rows of CSV files and Excel workbooks, as dicts keyed by header, with bounded sizes.

Both become posts or transfers through a column mapping (``mapping.detect_mapping`` or
``--mapping``); the routing is in ``read``.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from unveil.ingest.limits import bounded_lines
from unveil.ingest.mapping import ColumnMapping, complete, detect_mapping
from unveil.ingest.readers.posts import post_from_record
from unveil.ingest.readers.transfers import transfer_from_record
from unveil.ingest.records import Item, Rejected, Source, excerpt, record_hash
from unveil.ingest.text import detect_encoding, utf8_stream

Record = tuple[int, dict[str, Any]]
SAMPLE = 64 * 1024
#: a quoted field running over more lines than this is taken for an unbalanced quote
MAX_RECORD_LINES = 100


def read(source: Source) -> Iterator[Item]:
    """Posts or transfers from a CSV file or an Excel workbook."""
    with source.blob.open("rb") as handle:
        is_workbook = handle.read(4) == b"PK\x03\x04"
    rows = excel_rows(source) if is_workbook else csv_rows(source)
    header = next(rows, None)
    if header is None:
        return
    if isinstance(header, Rejected):
        yield header
        yield from (item for item in rows if isinstance(item, Rejected))
        return
    mapping = _mapping_for(source, list(header[1]))
    for item in rows:
        if isinstance(item, Rejected):
            yield item
        elif mapping is None:
            yield Rejected(item[0], f"no column mapping fits the header {list(header[1])[:12]} (use --mapping)")
        elif mapping.kind == "transfers":
            yield transfer_from_record(item[1], mapping, source, item[0])
        else:
            yield post_from_record(item[1], mapping, source, item[0], record_hash(item[1]).encode())


def _mapping_for(source: Source, header: list[str]) -> ColumnMapping | None:
    if isinstance(source.mapping, ColumnMapping):
        return complete(source.mapping, header)
    return detect_mapping(header)


def csv_rows(source: Source) -> Iterator[Record | Rejected]:
    """First the header ``(0, {name: name})``, then each data row keyed by header name."""
    limits = source.limits
    with source.blob.open("rb") as raw:
        handle = utf8_stream(raw)
        sample = handle.read(SAMPLE)
        encoding = "utf-8" if handle is not raw else detect_encoding(sample)
        dialect = _dialect(sample.decode(encoding, "replace"))
        handle = utf8_stream(raw)
        oversized: list[tuple[int, int]] = []
        lines = _decoded_lines(bounded_lines(handle, limits.max_record_bytes), encoding, oversized)
        csv.field_size_limit(limits.max_record_bytes)
        yield from _csv_records(_Lines(lines), dialect, oversized, limits.max_record_bytes)


class _Lines:
    """Physical lines fed to the CSV reader, kept while a record is open so they can be read again.

    A record that runs over ``MAX_RECORD_LINES`` lines (an unbalanced quote swallowing the rows
    after it) is cut: its first line is quarantined and the lines after it are parsed again.
    """

    def __init__(self, lines: Iterator[str]) -> None:
        self.source = lines
        self.replay: list[str] = []
        self.held: list[str] = []
        self.number = 0  # physical lines handed out, re-read ones not counted twice
        self.first = 1  # the line the open record started on

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.replay:
            line = self.replay.pop()
        else:
            line = next(self.source)
            self.number += 1
        if not self.held:
            self.first = self.number - len(self.replay)
        self.held.append(line)
        if len(self.held) > MAX_RECORD_LINES:
            raise _Runaway
        return line

    def record_done(self) -> None:
        self.held = []

    def cut(self) -> tuple[int, str]:
        """Drop the open record's first line; queue the others to be read again."""
        first, rest = self.held[0], self.held[1:]
        self.replay.extend(reversed(rest))
        self.held = []
        return self.first, first


class _Runaway(Exception):
    """A record held more lines than allowed."""


def _csv_records(
    lines: _Lines, dialect: type[csv.Dialect], oversized: list[tuple[int, int]], limit: int
) -> Iterator[Record | Rejected]:
    header: list[str] | None = None
    header_lost = False
    record_no = 0
    reader = csv.reader(lines, dialect)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except _Runaway:
            number, first = lines.cut()
            record_no += 1
            reason = f"unbalanced quote at line {number}: a field runs over {MAX_RECORD_LINES} lines"
            yield Rejected(record_no, reason, excerpt(first))
            reader = csv.reader(lines, dialect)
            continue
        except csv.Error as exc:
            lines.record_done()
            record_no += 1
            yield Rejected(record_no, f"malformed CSV row (line {lines.number}): {exc}")
            continue
        if len(lines.held) > 1 and "".join(lines.held).count(dialect.quotechar or '"') % 2:
            number, first = lines.cut()  # an odd number of quotes: one was never closed
            record_no += 1
            yield Rejected(
                record_no, f"unbalanced quote at line {number}: the lines after it are read again", excerpt(first)
            )
            reader = csv.reader(lines, dialect)
            continue
        lines.record_done()
        while oversized:
            number, size = oversized.pop(0)
            record_no += 1
            yield Rejected(record_no, f"CSV line {number} of {size:,} bytes exceeds {limit:,}")
            header_lost = header_lost or (header is None and number == 1)
        if not cells or not any(cell.strip() for cell in cells):
            continue
        if header_lost:  # without its header no row can be read: each is counted and quarantined
            record_no += 1
            yield Rejected(
                record_no, "the header line is too long to read, so no row can be mapped", excerpt(",".join(cells))
            )
            continue
        if header is None:
            header = [cell.strip().lstrip("\ufeff") for cell in cells]
            yield 0, {name: name for name in header}
            continue
        record_no += 1
        if len(cells) != len(header):
            found = f"{len(cells)} cells where the header has {len(header)}"
            yield Rejected(record_no, f"malformed CSV row (line {lines.number}): {found}", excerpt(",".join(cells)))
            continue
        yield record_no, dict(zip(header, cells, strict=True))


def _decoded_lines(lines: Iterator[Any], encoding: str, oversized: list[tuple[int, int]]) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    for line in lines:
        if line.data is None:
            oversized.append((line.number, line.size))
            yield ""
        else:
            yield decoder.decode(line.data + b"\n").replace("\x00", "")


def _dialect(sample: str) -> type[csv.Dialect]:
    """Excel's quoting with the delimiter the header line uses most (the sniffer misreads quotes)."""
    header = sample.split("\n", 1)[0]
    delimiter = max(",;\t|", key=header.count)

    class Detected(csv.excel):
        pass

    Detected.delimiter = delimiter if header.count(delimiter) else ","
    return Detected


def excel_rows(source: Source) -> Iterator[Record | Rejected]:
    """The first sheet of a workbook: the header, then each row; a zip bomb is refused."""
    from openpyxl import load_workbook

    limits = source.limits
    try:
        with zipfile.ZipFile(source.blob) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        yield Rejected(1, f"not a readable workbook: {exc}")
        return
    if inflated > limits.max_document_bytes:
        yield Rejected(1, f"workbook inflates to {inflated:,} bytes, over {limits.max_document_bytes:,}")
        return
    try:
        book = load_workbook(io.BytesIO(source.blob.read_bytes()), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on corrupt workbooks
        yield Rejected(1, f"not a readable workbook: {type(exc).__name__}: {exc}")
        return
    try:
        yield from _sheet_records(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def _sheet_records(rows: Iterator[tuple[Any, ...]]) -> Iterator[Record | Rejected]:
    header: list[str] | None = None
    unnamed: set[int] = set()
    record_no = 0
    for cells in rows:
        if not any(cell not in (None, "") for cell in cells):
            continue
        if header is None:
            header = [str(cell or f"column_{i}").strip() for i, cell in enumerate(cells)]
            unnamed = {i for i, cell in enumerate(cells) if cell in (None, "")}
            yield 0, {name: name for name in header}
            continue
        record_no += 1
        extra = [i for i, cell in enumerate(cells) if cell not in (None, "") and (i >= len(header) or i in unnamed)]
        if extra:  # cells under no header name would be dropped silently
            where = ", ".join(f"column {i + 1}" for i in extra[:5])
            yield Rejected(record_no, f"row has filled cells where the header names no column ({where})")
            continue
        yield record_no, {name: cell for name, cell in zip(header, cells, strict=False)}
