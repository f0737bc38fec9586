"""A corpus of hostile and awkward inputs, generated (never committed), each with its expected accounting.

``write_corpus(folder)`` writes one sub-folder per case and returns the cases. Every case says
what one ``ingest`` of its folder must count (read, stored, duplicates, quarantined), how many
files are skipped, and the most seconds it may take. Run it as a script to write the corpus
somewhere and try it through the command line::

    python -m tests.ingest.hostile_corpus OUT_FOLDER
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Case:
    """One hostile input and what ingesting it must give."""

    name: str
    write: Callable[[Path], None]
    read: int
    stored: int
    duplicates: int
    quarantined: int
    skipped: int = 0
    seconds: float = 30.0


def _lines(records: list[dict[str, object]]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


TWO = [{"id": "E1", "text": "première annonce é"}, {"id": "E2", "text": "second ad"}]


def _encoded(name: str, encoding: str, bom: bytes, text: str) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        (folder / name).write_bytes(bom + text.encode(encoding))

    return write


CSV_TWO = "id,text\nC1,première annonce\nC2,second ad\n"


def _unbalanced_csv(folder: Path) -> None:
    rows = [f'R{n},"ad {n} call +32 470 {n:02d} {n:02d} {n:02d}"' for n in range(50)]
    rows.insert(10, 'BAD,"an open quote that never closes, call +32 470 99 99 99')
    (folder / "unbalanced.csv").write_text("id,text\n" + "\n".join(rows) + "\n", "utf-8")


def _versions(folder: Path) -> None:
    (folder / "a-first.jsonl").write_text(_lines([{"id": "V1", "text": "rooms available", "platform": "ads"}]))
    (folder / "b-edited.jsonl").write_text(
        _lines([{"id": "V1", "text": "rooms available +32 470 11 22 33", "platform": "ads"}])
    )
    (folder / "c-again.jsonl").write_text(_lines([{"id": "V1", "text": "rooms available", "platform": "ads"}]))


def _telegram_without_ids(folder: Path) -> None:
    messages = [{"type": "message", "date": "2024-01-01T10:00:00", "text": "same text"} for _ in range(3)]
    messages += [{"type": "message", "date": "2024-01-01T10:00:00", "text": f"other {n}"} for n in range(2)]
    export = {"name": "chan", "type": "public_channel", "id": 7, "messages": messages}
    (folder / "result.json").write_text(json.dumps(export), "utf-8")


def _document(name: str, document: object) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        (folder / name).write_text(json.dumps(document), "utf-8")

    return write


def _empty_twice(folder: Path) -> None:
    (folder / "one.json").write_bytes(b"")
    (folder / "two.json").write_bytes(b"")


def _deep_html(folder: Path) -> None:
    depth = 200_000
    (folder / "deep.html").write_text("<html><body>" + "<div>" * depth + "x" + "</div>" * depth + "</body></html>")


def _blank_warc(folder: Path) -> None:
    (folder / "blank.warc.gz").write_bytes(gzip.compress(b" " * 8_000_000))


def _warc_response(url: str, body: bytes, number: int) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{number:012d}>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    )
    return head.encode() + http + b"\r\n\r\n"


def _cut_warc(folder: Path) -> None:
    pages = [f"<html><body><p>page {n} {'x' * 2000}</p></body></html>".encode() for n in range(2)]
    data = b"".join(_warc_response(f"http://e.example/{n}", page, n) for n, page in enumerate(pages))
    (folder / "cut.warc").write_bytes(data[:-1500])  # the archive ends inside the second record


def _long_header_csv(folder: Path) -> None:
    header = ",".join(f"column_{n}" for n in range(120_000))  # over the 1 MB record bound
    (folder / "wide.csv").write_text(header + "\n" + "".join(f"{n},row {n}\n" for n in range(5)), "utf-8")


def _xlsx_extra_cells(folder: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(folder / "sheet.xlsx"))
    sheet = book.add_worksheet()
    for row, cells in enumerate([["id", "text"], ["X1", "fine"], ["X2", "more", "+32 470 12 34 56"], ["X3", "ok"]]):
        for column, value in enumerate(cells):
            sheet.write(row, column, value)
    book.close()


def _special_files(folder: Path) -> None:
    (folder / "ok.jsonl").write_text(_lines([{"id": "S1", "text": "a fine post"}]))
    (folder / "dangling.jsonl").symlink_to(folder / "missing.jsonl")
    os.mkfifo(folder / "pipe.jsonl")


def _bad_lines(folder: Path) -> None:
    (folder / "mixed.jsonl").write_text('{"id": "M1", "text": "ok"}\n{bad json\n[1, 2]\n{"id": "M2"}\n')


CASES = [
    Case("utf16le-jsonl", _encoded("p.jsonl", "utf-16-le", b"\xff\xfe", _lines(TWO)), 2, 2, 0, 0),
    Case("utf16be-jsonl", _encoded("p.jsonl", "utf-16-be", b"\xfe\xff", _lines(TWO)), 2, 2, 0, 0),
    Case("utf8bom-jsonl", _encoded("p.jsonl", "utf-8", b"\xef\xbb\xbf", _lines(TWO)), 2, 2, 0, 0),
    Case("utf16le-csv", _encoded("p.csv", "utf-16-le", b"\xff\xfe", CSV_TWO), 2, 2, 0, 0),
    Case("utf16be-csv", _encoded("p.csv", "utf-16-be", b"\xfe\xff", CSV_TWO), 2, 2, 0, 0),
    Case("utf8bom-csv", _encoded("p.csv", "utf-8", b"\xef\xbb\xbf", CSV_TWO), 2, 2, 0, 0),
    Case("utf16le-json", _encoded("p.json", "utf-16-le", b"\xff\xfe", json.dumps(TWO)), 2, 2, 0, 0),
    Case("utf16le-html", _encoded("p.html", "utf-16-le", b"\xff\xfe", "<p>une page é</p>"), 1, 1, 0, 0),
    Case("unbalanced-quote-csv", _unbalanced_csv, 51, 50, 0, 1),
    Case("same-id-other-text", _versions, 3, 2, 1, 0),
    Case("telegram-without-ids", _telegram_without_ids, 5, 5, 0, 0),
    Case("telegram-chats-list-5", _document("result.json", {"chats": {"list": 5}}), 1, 0, 0, 1),
    Case("facebook-data-5", _document("your_posts_1.json", [{"timestamp": 1, "data": 5}]), 1, 0, 0, 1),
    Case("two-empty-files", _empty_twice, 2, 0, 0, 2),
    Case("html-nested-200000", _deep_html, 1, 0, 0, 1, seconds=10),
    Case("warc-8mb-of-blanks", _blank_warc, 1, 0, 0, 1, seconds=10),
    Case("warc-cut-inside-a-record", _cut_warc, 2, 1, 0, 1),
    Case("csv-header-over-1mb", _long_header_csv, 6, 0, 0, 6),
    Case("xlsx-cells-beyond-the-header", _xlsx_extra_cells, 3, 2, 0, 1),
    Case("fifo-and-dangling-link", _special_files, 1, 1, 0, 0, skipped=2),
    Case("bad-json-lines", _bad_lines, 4, 1, 0, 3),
]


def write_corpus(folder: Path) -> list[tuple[Case, Path]]:
    """Write every case into its own sub-folder of ``folder``."""
    written = []
    for case in CASES:
        target = folder / case.name
        target.mkdir(parents=True, exist_ok=True)
        case.write(target)
        written.append((case, target))
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for case, path in write_corpus(out):
        print(
            f"{path}: read {case.read}, stored {case.stored}, duplicates {case.duplicates}, "
            f"quarantined {case.quarantined}, skipped {case.skipped}, under {case.seconds:g} s"
        )
