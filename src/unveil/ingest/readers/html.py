"""HTML pages (one ad or post per file): visible text, title, metadata and images.

Scripts, styles and other non-text elements are removed before the text is taken, and only
text leaves this module: attributes such as ``onerror`` never reach any table. Links are
recorded, never followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from unveil.ingest.limits import html_depth_exceeds
from unveil.ingest.records import Item, Rejected, Row, Source
from unveil.ingest.text import decode, detect_encoding, normalise_text
from unveil.ingest.values import parse_timestamp

HIDDEN = "script, style, noscript, template, iframe, object, embed, svg, canvas, head"
BLOCKS = "p, div, br, li, tr, td, th, h1, h2, h3, h4, h5, h6, section, article, header, footer, blockquote, pre"
BLANK_RUNS = re.compile(r"[ \t\r\f\v]+")
LINE_RUNS = re.compile(r"\n\s*\n+")
META_DATES = ("article:published_time", "og:published_time", "date", "pubdate", "dc.date", "datepublished", "time")
META_AUTHOR = ("author", "article:author", "og:author", "twitter:creator")


@dataclass
class Page:
    """What an HTML document says, as plain text and fields."""

    title: str | None
    text: str
    meta: dict[str, str] = field(default_factory=dict)
    images: list[str] = field(default_factory=list)
    canonical: str | None = None

    def first_meta(self, names: tuple[str, ...]) -> str | None:
        """The first of these meta names present."""
        return next((self.meta[name] for name in names if self.meta.get(name)), None)


def parse_page(html: str) -> Page:
    """Text, title, ``<meta>`` values, image sources and canonical URL of an HTML document."""
    tree = HTMLParser(html)
    title_node = tree.css_first("title")
    title = normalise_text(title_node.text(strip=True)) if title_node else None
    meta: dict[str, str] = {}
    for node in tree.css("meta"):
        name = (node.attributes.get("name") or node.attributes.get("property") or "").strip().lower()
        content = node.attributes.get("content")
        if name and content and name not in meta and len(meta) < 200:
            meta[name] = normalise_text(content)[:2000]
    images = [src for node in tree.css("img") if (src := (node.attributes.get("src") or "").strip())][:100]
    canonical = next((n.attributes.get("href") for n in tree.css('link[rel="canonical"]')), None)
    time_node = tree.css_first("time[datetime]")
    if time_node is not None and time_node.attributes.get("datetime"):
        meta.setdefault("time", str(time_node.attributes["datetime"]))
    for node in tree.css(HIDDEN):
        node.decompose()
    for node in tree.css(BLOCKS):
        node.insert_before("\n")
        node.insert_after("\n")
    body = tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    text = body.text(separator="") if body is not None else ""
    return Page(title or None, _tidy(text), meta, images, canonical)


def _tidy(text: str) -> str:
    lines = (BLANK_RUNS.sub(" ", line).strip() for line in normalise_text(text).split("\n"))
    return LINE_RUNS.sub("\n", "\n".join(lines)).strip()


def page_values(page: Page, url: str | None, captured_at: datetime | None, region: str | None) -> dict[str, Any]:
    """The post columns of a page."""
    published = parse_timestamp(page.first_meta(META_DATES))
    return {
        "kind": "page",
        "platform": page.meta.get("og:site_name"),
        "url": url or page.canonical or page.meta.get("og:url"),
        "author": page.first_meta(META_AUTHOR),
        "title": page.title or page.meta.get("og:title"),
        "text": page.text or page.meta.get("description") or page.meta.get("og:description") or "",
        "posted_at": published,
        "captured_at": captured_at,
        "region": region,
        "metadata": {"meta": page.meta, "image_sources": page.images},
    }


def read(source: Source) -> Iterator[Item]:
    """One page per file."""
    size = source.blob.stat().st_size
    if size > source.limits.max_document_bytes:
        yield Rejected(1, f"HTML file of {size:,} bytes exceeds {source.limits.max_document_bytes:,}")
        return
    data = source.blob.read_bytes()
    html, _ = decode(data, _declared_or_detected(data))
    if html_depth_exceeds(html, source.limits.max_html_depth):
        yield Rejected(1, f"HTML nests elements deeper than {source.limits.max_html_depth} (checked before parsing)")
        return
    values = page_values(parse_page(html), None, None, source.region)
    values["record_sha256"] = source.sha256
    values["source_id"] = None
    key = f"sha:{source.sha256}"
    yield Row(
        "posts", 1, key, values, image_refs=list(values["metadata"]["image_sources"]), image_base=source.path.parent
    )


def _declared_or_detected(data: bytes) -> str:
    declared = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.IGNORECASE)
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            data[:65536].decode(name)
            return name
        except (LookupError, UnicodeDecodeError):
            pass
    return detect_encoding(data[:65536])
