"""Hostile and broken inputs: nothing crashes, memory stays bounded, every record is accounted for."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest

from tests.ingest.conftest import assert_accounted, quarantine_entries, rows
from unveil.ingest import ingest
from unveil.ingest.limits import Limits
from unveil.workspace import Workspace


def test_a_100_mb_single_line_is_quarantined_without_holding_it(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as handle:
        handle.write(json.dumps({"text": "before"}).encode() + b"\n")
        handle.write(b'{"text": "')
        chunk = b"x" * (1 << 20)
        for _ in range(100):
            handle.write(chunk)
        handle.write(b'"}\n')
        handle.write(json.dumps({"text": "after"}).encode() + b"\n")
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    summary = ingest(workspace, [path])
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert (summary.read, summary.stored, summary.quarantined) == (3, 2, 1)
    assert "exceeds" in str(quarantine_entries(workspace)[0]["reason"])
    assert grown_mb < 60  # the 100 MB line was never held (one 1 MB chunk at a time)


def test_nul_bytes_invalid_utf8_and_control_characters(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "dirty.jsonl"
    lines = [
        b'{"text": "nul\\u0000 inside and \\u0007 bell"}',
        b'{"text": "invalid \xff\xfe utf-8 bytes"}',
        b"\x00\x00\x00",
        b'{"text": "fine"}',
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    summary = ingest(workspace, [path])
    assert_accounted(summary, workspace)
    texts = sorted(str(row["text"]) for row in rows(workspace, "posts"))
    assert "nul inside and  bell" in texts and "fine" in texts
    assert any(text.startswith("invalid ") and "\ufffd" in text for text in texts)
    assert summary.quarantined == 1


def test_deeply_nested_json_is_quarantined(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    deep = '{"text": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}"
    shallow = '{"text": "y", "a": ' + "[" * 70 + "]" * 70 + "}"
    path.write_text(deep + "\n" + shallow + "\n" + '{"text": "z"}\n', "utf-8")
    summary = ingest(workspace, [path])
    assert (summary.read, summary.stored, summary.quarantined) == (3, 1, 2)
    assert all("nested deeper" in str(entry["reason"]) for entry in quarantine_entries(workspace))


def test_deeply_nested_json_document_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text('{"chats": ' + "[" * 50_000 + "]" * 50_000 + "}", "utf-8")
    summary = ingest(workspace, [path])
    assert (summary.read, summary.quarantined) == (1, 1)


def test_a_truncated_gzip_keeps_the_lines_before_the_cut(workspace: Workspace, tmp_path: Path) -> None:
    data = gzip.compress(
        b"".join(json.dumps({"text": f"post {n}", "pad": "p" * 200}).encode() + b"\n" for n in range(2000))
    )
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    summary = ingest(workspace, [path])
    assert_accounted(summary, workspace)
    assert summary.stored > 0 and summary.quarantined >= 1
    assert any("unreadable after line" in str(entry["reason"]) for entry in quarantine_entries(workspace))


def test_a_gzip_bomb_stops_at_the_inflation_limit(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write(b'{"text": "first"}\n')
        zeros = b"0" * (1 << 20)
        for _ in range(64):
            handle.write(zeros)
    limits = Limits(inflate_floor_bytes=1 << 20, max_inflate_ratio=100)
    summary = ingest(workspace, [path], limits=limits)
    assert summary.stored == 1 and summary.quarantined == 1
    assert "compression bomb" in str(quarantine_entries(workspace)[0]["reason"])


def test_a_zip_bomb_workbook_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 << 20))
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(buffer.getvalue())
    summary = ingest(workspace, [path], limits=Limits(max_document_bytes=10 << 20))
    assert (summary.read, summary.quarantined) == (1, 1)
    assert "inflates to" in str(quarantine_entries(workspace)[0]["reason"])


def test_malformed_csv_lines_are_quarantined_one_by_one(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes(
        b'id,text\n1,"fine"\n2,"unterminated\x00, quote\n3,ok\n4,a,b,c\n5,"' + b"y" * 3000 + b'"\n6,last\n'
    )
    summary = ingest(workspace, [path], limits=Limits(max_record_bytes=2048))
    assert_accounted(summary, workspace)
    reasons = " ".join(str(entry["reason"]) for entry in quarantine_entries(workspace))
    assert "exceeds 2,048" in reasons or "field larger than field limit" in reasons
    # the unterminated quote would run on to the end: its line is quarantined, the lines after it read again
    assert "unbalanced quote at line 3" in reasons
    assert summary.stored == 3 and {"fine", "ok", "last"} == {row["text"] for row in rows(workspace, "posts")}


def test_html_with_scripts_and_event_handlers_gives_only_text(workspace: Workspace, tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(
        "<html><body onload=\"location='https://evil.example'\"><p>Visible</p>"
        '<img src=x onerror="fetch(\'//evil\')"><a href="javascript:alert(1)">link text</a>'
        "<script>document.cookie</script><style>p{}</style><svg><script>x()</script></svg>"
        "<template><p>hidden template</p></template><p>&lt;script&gt;escaped stays text&lt;/script&gt;</p>"
        "</body></html>",
        "utf-8",
    )
    ingest(workspace, [page])
    text = str(rows(workspace, "posts")[0]["text"])
    assert text == "Visible\nlink text\n<script>escaped stays text</script>"
    for hostile in ("evil", "fetch", "cookie", "hidden template", "x()"):
        assert hostile not in text


@pytest.mark.parametrize("name", ["empty.jsonl", "empty.csv", "empty.json", "empty.html", "empty.warc.gz", "empty.png"])
def test_empty_files_are_accounted_for(workspace: Workspace, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    summary = ingest(workspace, [path])
    assert_accounted(summary, workspace)


def test_unsupported_files_are_quarantined_not_dropped(workspace: Workspace, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.docx").write_bytes(b"PK\x03\x04 something")
    summary = ingest(workspace, [tmp_path / "in"])
    assert (summary.read, summary.quarantined) == (1, 1)
    assert "unsupported file type" in str(quarantine_entries(workspace)[0]["reason"])


def test_a_post_longer_than_the_extraction_reads_is_quarantined_with_its_size(
    workspace: Workspace, tmp_path: Path
) -> None:
    from unveil.text import MAX_ANALYSED_CHARS

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "short.html").write_text("<html><body><p>Call 0470 12 34 56</p></body></html>", "utf-8")
    padding = "word " * (MAX_ANALYSED_CHARS // 5 + 10)
    (tmp_path / "in" / "padded.html").write_text(
        f"<html><body><p>{padding}</p><p>Call 0470 65 43 21</p></body></html>", "utf-8"
    )
    summary = ingest(workspace, [tmp_path / "in"])
    assert (summary.read, summary.stored, summary.quarantined) == (2, 1, 1)
    assert_accounted(summary, workspace)
    (entry,) = quarantine_entries(workspace)
    assert "longer than the 2,000,000 the extraction analyses" in str(entry["reason"])
    assert "padded.html" in json.dumps(entry)
