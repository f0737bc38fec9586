"""Captures of posts in real formats: saved HTML pages, WARC files, Telegram Desktop and Facebook exports.

Every capture repeats a post of ``posts/*.jsonl``; ``truth/captures.csv`` says which. HTML pages
carry the post id in ``<meta name="synth:post-id">``; Telegram messages keep the post's number as
their id (so ``https://t.me/<channel>/<id>`` is the post's url).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from unveil_synth.posts import Post, post_time

PLAIN_PHONE_RULES = ("plain", "compact", "international", "dotted")


def html_page(post: Post, legacy_encoding: bool) -> bytes:
    """A saved ad page: site chrome, tracking script, the escaped ad text, photos, the post id in a meta tag."""
    charset = "windows-1252" if legacy_encoding else "utf-8"
    when = post_time(post)
    body = html.escape(post.text).replace("\n", "<br>\n")
    images = "".join(f'<img class="ad-photo" src="../../{html.escape(i)}" alt="photo">' for i in post.images)
    page = (
        f'<!DOCTYPE html>\n<html lang="{post.language}"><head><meta charset="{charset}">\n'
        f"<title>{html.escape(post.title or post.author)} - {html.escape(post.city)}</title>\n"
        f'<meta name="synth:post-id" content="{post.post_id}">\n'
        f'<link rel="canonical" href="{html.escape(post.url)}">\n'
        f'<meta property="og:url" content="{html.escape(post.url)}">\n'
        "<script>window.dataLayer=window.dataLayer||[];function track(){dataLayer.push(arguments)}</script>\n"
        '</head><body><header><nav><a href="/">Home</a> | <a href="/post-ad">Post an ad</a> | '
        '<a href="https://tracker.example/click?id=1">Partners</a></nav></header>\n'
        f'<main><article class="ad" data-city="{html.escape(post.city)}">\n'
        f"<h1>{html.escape(post.title or post.author)}</h1>\n"
        f'<p class="meta">{html.escape(post.city)} · <time datetime="{when.isoformat()}">'
        f"{when.strftime('%d/%m/%Y %H:%M')}</time> · {html.escape(post.author)}</p>\n"
        f'<div class="ad-text">{body}</div>\n<div class="photos">{images}</div>\n'
        "</article></main><footer>18+ only. All advertisers declare they are adults.</footer></body></html>\n"
    )
    if legacy_encoding:
        try:
            return page.encode("cp1252")
        except UnicodeEncodeError:
            return page.replace(f'charset="{charset}"', 'charset="utf-8"').encode("utf-8")
    return page.encode("utf-8")


class WarcFile:
    """A gzipped WARC/1.0 file of HTTP responses, with deterministic record ids and dates.

    Each record is its own gzip member (as warcio and wget write them), with SHA-1 payload and block
    digests. The records are put together here rather than with warcio's writer, which made a
    record cost about as much as three posts; ``tests/synth`` reads them back with warcio.
    """

    def __init__(self, path: Path) -> None:
        self._handle: IO[bytes] = path.open("wb")

    def add(self, post: Post, page: bytes) -> None:
        """Append the response that served ``page`` for ``post``."""
        block = (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(page)
        ) + page
        captured = datetime.fromtimestamp(int(post.epoch) + 3600, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        head = (
            "WARC/1.0\r\n"
            f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{post.number:012d}>\r\n"
            f"WARC-Date: {captured}\r\n"
            "WARC-Type: response\r\n"
            f"WARC-Target-URI: {post.url}\r\n"
            f"WARC-Payload-Digest: sha1:{_sha1_base32(page)}\r\n"
            f"WARC-Block-Digest: sha1:{_sha1_base32(block)}\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(block)}\r\n\r\n"
        )
        self._handle.write(zlib.compress(head.encode("utf-8") + block + b"\r\n\r\n", 9, 31))

    def close(self) -> None:
        """Close the file."""
        self._handle.close()


def _sha1_base32(data: bytes) -> str:
    return base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def telegram_message(post: Post) -> dict[str, Any]:
    """A message of a Telegram Desktop channel export, with its text entities."""
    when = post_time(post)
    entities = text_entities(post)
    message: dict[str, Any] = {
        "id": post.number,
        "type": "message",
        "date": when.strftime("%Y-%m-%dT%H:%M:%S"),
        "date_unixtime": str(int(post.epoch)),
        "from": post.author,
        "from_id": f"channel{_channel_id(post.author)}",
        "text": [e["text"] if e["type"] == "plain" else e for e in entities],
        "text_entities": entities,
    }
    if post.images:
        message["photo"] = f"photos/photo_{post.number}@{when.strftime('%d-%m-%Y_%H-%M-%S')}.jpg"
        message["width"], message["height"] = 480, 600
    return message


def text_entities(post: Post) -> list[dict[str, str]]:
    """Split the text into Telegram entities: phones, emails, mentions and links Telegram would recognise."""
    marks: list[tuple[int, int, str]] = []
    for kind, _value, written, rule, _role in post.identifiers:
        entity = _entity_type(kind, written, rule)
        start = post.text.find(written) if entity else -1
        if start >= 0 and not any(s < start + len(written) and start < e for s, e, _ in marks):
            marks.append((start, start + len(written), entity))
    entities, cursor = [], 0
    for start, end, entity in sorted(marks):
        if start > cursor:
            entities.append({"type": "plain", "text": post.text[cursor:start]})
        entities.append({"type": entity, "text": post.text[start:end]})
        cursor = end
    if cursor < len(post.text):
        entities.append({"type": "plain", "text": post.text[cursor:]})
    return entities


def _entity_type(kind: str, written: str, rule: str) -> str:
    if kind == "phone" and rule in PLAIN_PHONE_RULES:
        return "phone"
    if kind == "email" and rule == "plain":
        return "email"
    if kind == "handle":
        return "mention" if written.startswith("@") else "link" if "/" in written else ""
    return ""


def _channel_id(name: str) -> int:
    return 1_000_000_000 + sum((i + 1) * ord(c) for i, c in enumerate(name)) % 999_999_999


def telegram_header(channel: str) -> str:
    """The opening of a ``result.json`` (messages follow, then ``telegram_footer``)."""
    head = json.dumps({"name": channel, "type": "public_channel", "id": _channel_id(channel)}, ensure_ascii=False)
    return head[:-1] + ',\n "messages": [\n'


TELEGRAM_FOOTER = "\n ]\n}\n"


def facebook_post(post: Post) -> dict[str, Any]:
    """A post of a Facebook "download your information" export (text in Facebook's mojibake encoding)."""
    item: dict[str, Any] = {
        "timestamp": int(post.epoch),
        "data": [{"post": _facebook_mojibake(post.text)}, {"update_timestamp": int(post.epoch)}],
        "title": _facebook_mojibake(f"{post.author} posted in {post.url.split('/groups/')[-1].split('/')[0]}."),
    }
    if post.images:
        item["attachments"] = [
            {
                "data": [
                    {
                        "media": {
                            "uri": f"your_facebook_activity/posts/media/{Path(i).name}",
                            "creation_timestamp": int(post.epoch),
                            "title": "",
                        }
                    }
                ]
            }
            for i in post.images
        ]
    return item


def _facebook_mojibake(text: str) -> str:
    """Facebook exports escape UTF-8 bytes as Latin-1 code points (``é`` becomes ``\\u00c3\\u00a9``)."""
    return text.encode("utf-8").decode("latin-1")


def facebook_profile_json(author: str) -> str:
    """``facebook_profile`` as Facebook writes it: indented, non-ASCII as ``\\u`` escapes.

    Laid out by hand: ``json``'s indenting encoder is pure Python and leaves reference cycles
    (closures) behind, and the generator runs with the cyclic garbage collector off.
    """
    name = json.dumps(facebook_profile(author)["profile_v2"]["name"]["full_name"])
    return (
        '{\n  "profile_v2": {\n    "name": {\n      "full_name": '
        f'{name}\n    }},\n    "registration_timestamp": 1514764800\n  }}\n}}\n'
    )


def facebook_profile(author: str) -> dict[str, Any]:
    """``profile_information/profile_information.json`` of an export."""
    return {"profile_v2": {"name": {"full_name": _facebook_mojibake(author)}, "registration_timestamp": 1514764800}}
