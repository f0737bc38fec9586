"""Building post rows from records whose columns a mapping names (JSON lines, CSV, spreadsheets)."""

from __future__ import annotations

from typing import Any

from unveil.ingest.mapping import ColumnMapping
from unveil.ingest.records import Rejected, Row, Source, record_hash
from unveil.ingest.text import clean_optional, normalise_text
from unveil.ingest.values import parse_timestamp

KINDS = ("ad", "post", "message", "page", "job")


def post_key(platform: str | None, source_id: str | None, raw_sha: str) -> str:
    """What identifies a post across re-ingestion: its platform and own id, else its content."""
    if source_id:
        return f"id:{platform or ''}:{source_id}"
    return f"sha:{raw_sha}"


def post_from_record(
    record: dict[str, Any], mapping: ColumnMapping, source: Source, record_no: int, raw: bytes | None = None
) -> Row | Rejected:
    """A post row from one mapped record, or the reason it cannot be one."""
    text = mapping.get(record, "text")
    if not isinstance(text, str) or not text.strip():
        wanted = mapping.columns.get("text", "a text column")
        return Rejected(record_no, f"no text (expected in {wanted!r})")
    raw_sha = record_hash(raw if raw is not None else record)
    source_id = clean_optional(mapping.get(record, "source_id"), 256)
    platform = clean_optional(mapping.get(record, "platform"), 128)
    kind = clean_optional(mapping.get(record, "kind"), 32)
    region = clean_optional(mapping.get(record, "region"), 8)
    images = mapping.get(record, "images")
    values = {
        "source_id": source_id,
        "kind": kind if kind in KINDS else "post",
        "platform": platform,
        "url": clean_optional(mapping.get(record, "url")),
        "author": clean_optional(mapping.get(record, "author"), 512),
        "title": clean_optional(mapping.get(record, "title")),
        "text": normalise_text(text),
        "posted_at": parse_timestamp(mapping.get(record, "posted_at"), mapping.date_format),
        "captured_at": parse_timestamp(mapping.get(record, "captured_at"), mapping.date_format),
        "region": region.upper() if region and len(region) == 2 else source.region,
        "city": clean_optional(mapping.get(record, "city"), 256),
        "record_sha256": raw_sha,
    }
    return Row("posts", record_no, post_key(platform, source_id, raw_sha), values, image_refs=image_list(images))


def image_list(value: Any) -> list[str]:
    """Image references from a list, or a single string separated by ``;``, ``|`` or spaces."""
    if isinstance(value, list):
        return [str(item) for item in value if isinstance(item, str | int) and str(item).strip()][:100]
    if isinstance(value, str) and value.strip():
        return [part for part in value.replace("|", ";").replace(" ", ";").split(";") if part][:100]
    return []
