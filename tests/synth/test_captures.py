"""Captures in real formats, each joinable to its post through the truth."""

from __future__ import annotations

import json
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser
from warcio.archiveiterator import ArchiveIterator

from tests.synth.helpers import read_posts, read_truth


def test_html_pages_carry_the_post_id_and_the_escaped_text(small_world: Path) -> None:
    posts = read_posts(small_world)
    pages = [row for row in read_truth(small_world, "captures") if row["format"] == "html"]
    assert pages
    for row in pages:
        raw = (small_world / row["file"]).read_bytes()
        charset = "cp1252" if b'charset="windows-1252"' in raw else "utf-8"
        tree = LexborHTMLParser(raw.decode(charset))
        meta = tree.css_first('meta[name="synth:post-id"]')
        assert meta is not None and meta.attributes["content"] == row["post_id"]
        text = tree.css_first("div.ad-text")
        assert text is not None
        first_line = posts[row["post_id"]]["text"].split("\n")[0]
        assert first_line.split(" ")[0] in text.text()


def test_warc_records_are_responses_for_the_posts_urls(small_world: Path) -> None:
    posts = read_posts(small_world)
    expected = {row["record"]: row["post_id"] for row in read_truth(small_world, "captures") if row["format"] == "warc"}
    assert expected
    seen = {}
    for path in sorted((small_world / "captures").glob("*.warc.gz")):
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    body = record.content_stream().read().decode("utf-8")
                    seen[url] = body
    assert set(seen) == set(expected)
    for url, post_id in expected.items():
        assert posts[post_id]["url"] == url
        assert f'content="{post_id}"' in seen[url]


def test_telegram_exports_hold_messages_with_entities_that_rebuild_the_text(small_world: Path) -> None:
    posts = read_posts(small_world)
    rows = [row for row in read_truth(small_world, "captures") if row["format"] == "telegram"]
    assert rows
    exports = {row["file"] for row in rows}
    messages = {}
    for file in exports:
        export = json.loads((small_world / file).read_text("utf-8"))
        assert export["type"] == "public_channel" and export["messages"]
        for message in export["messages"]:
            messages[message["id"]] = message
            assert "".join(e["text"] for e in message["text_entities"]) == "".join(
                part if isinstance(part, str) else part["text"] for part in message["text"]
            )
    for row in rows:
        message = messages[int(row["record"])]
        text = "".join(e["text"] for e in message["text_entities"])
        assert text == posts[row["post_id"]]["text"]
        assert posts[row["post_id"]]["url"].endswith(f"/{message['id']}")
    kinds = {e["type"] for m in messages.values() for e in m["text_entities"]}
    assert "phone" in kinds


def test_facebook_exports_use_facebooks_latin1_escaped_utf8(small_world: Path) -> None:
    posts = read_posts(small_world)
    rows = [row for row in read_truth(small_world, "captures") if row["format"] == "facebook"]
    assert rows
    by_time = {}
    for folder in {row["file"] for row in rows}:
        groups = small_world / folder / "your_facebook_activity" / "groups" / "your_posts_in_groups.json"
        for item in json.loads(groups.read_text("utf-8"))["group_posts_v2"]:
            by_time[(folder, item["timestamp"])] = item["data"][0]["post"]
    for row in rows:
        written = by_time[(row["file"], int(row["record"]))]
        assert written.encode("latin-1").decode("utf-8") == posts[row["post_id"]]["text"]
