"""HTML pages and WARC web archives."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.ingest.conftest import assert_accounted, quarantine_entries, rows
from unveil.ingest import ingest
from unveil.workspace import Workspace

PAGE = "<html><head><title>Ad {n}</title></head><body><p>Ad number {n}, call 0470 00 00 {n:02d}</p></body></html>"


def write_warc(path: Path, pages: int, extra: list[tuple[str, str, bytes]] = ()) -> Path:  # type: ignore[assignment]
    """A gzipped WARC with ``pages`` HTML responses, a request record, and extra responses."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        responses = [
            (f"https://ads.example/{n}", "text/html; charset=utf-8", PAGE.format(n=n).encode()) for n in range(pages)
        ]
        for url, content_type, body in [*responses, *extra]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-03-05T10:20:30Z"},
            )
            writer.write_record(record)
            record.raw_stream.close()  # warcio spools the payload to a temporary file it leaves open
        request = writer.create_warc_record("https://ads.example/0", "request", payload=io.BytesIO(b"GET /"))
        writer.write_record(request)
        request.raw_stream.close()
    return path


def test_html_page_text_title_metadata_and_images(workspace: Workspace, samples: Path) -> None:
    summary = ingest(workspace, [samples / "page.html"])
    assert (summary.read, summary.stored) == (1, 1)
    post = rows(workspace, "posts")[0]
    assert post["title"] == "Sweet Anna - Brussels" and post["kind"] == "page"
    assert post["url"] == "https://adsboard.example/ads/123" and post["platform"] == "adsboard.example"
    assert "New in Brussels, call 0470 12 34 56\nAvailable 24/7" in str(post["text"])
    assert post["posted_at"].isoformat() == "2024-03-01T20:00:00+00:00"
    for hostile in ("INJECTED", "SCRIPT TEXT", "STYLE TEXT", "NOSCRIPT", "alert", "steal", "onerror", "18+ only"):
        assert hostile not in str(post["text"])
    assert len(post["images"]) == 1 and post["image_refs"] == ["photos/anna.png", "https://cdn.example/remote.jpg"]
    image = rows(workspace, "images")[0]
    assert (image["width"], image["height"], image["format"], image["post_id"]) == (4, 3, "png", post["post_id"])
    assert post["evidence_sha256"] != image["evidence_sha256"] == image["image_sha256"]


def test_a_legacy_windows_1252_page_is_decoded(workspace: Workspace, tmp_path: Path) -> None:
    page = tmp_path / "legacy.html"
    page.write_bytes(
        '<html><head><meta charset="windows-1252"></head><body>Très discrète à Liège</body></html>'.encode("cp1252")
    )
    ingest(workspace, [page])
    assert rows(workspace, "posts")[0]["text"] == "Très discrète à Liège"


def test_warc_responses_become_pages_with_url_and_capture_time(workspace: Workspace, tmp_path: Path) -> None:
    png = (Path(__file__).parent / "samples" / "photos" / "anna.png").read_bytes()
    extra = [("https://ads.example/a.png", "image/png", png), ("https://ads.example/site.css", "text/css", b"b{}")]
    archive = write_warc(tmp_path / "crawl.warc.gz", 5, extra)
    summary = ingest(workspace, [archive])
    assert_accounted(summary, workspace)
    assert (summary.read, summary.stored, summary.quarantined) == (7, 6, 1)
    pages = sorted(rows(workspace, "posts"), key=lambda row: str(row["url"]))
    assert pages[0]["url"] == "https://ads.example/0" and pages[0]["text"] == "Ad number 0, call 0470 00 00 00"
    assert pages[0]["captured_at"].isoformat() == "2024-03-05T10:20:30+00:00"
    assert [row["record_no"] for row in pages] == [1, 2, 3, 4, 5]
    assert rows(workspace, "images")[0]["reference"] == "https://ads.example/a.png"
    assert "text/css" in str(quarantine_entries(workspace)[0]["reason"])


def test_a_truncated_warc_keeps_what_it_read_and_says_where_it_stopped(workspace: Workspace, tmp_path: Path) -> None:
    whole = write_warc(tmp_path / "whole.warc.gz", 20).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    summary = ingest(workspace, [cut])
    assert_accounted(summary, workspace)
    assert 5 <= summary.stored < 20 and summary.quarantined == 1
    assert "unreadable after record" in str(quarantine_entries(workspace)[0]["reason"])


def test_an_uncompressed_warc_is_read(workspace: Workspace, tmp_path: Path) -> None:
    compressed = write_warc(tmp_path / "a.warc.gz", 3)
    plain = tmp_path / "a.warc"
    with gzip.open(compressed, "rb") as handle:
        plain.write_bytes(handle.read())
    assert ingest(workspace, [plain]).stored == 3
