"""Facebook and Instagram "download your information" JSON exports: posts, group posts, messages.

These exports write every UTF-8 byte of a text as its own ``\\u00XX`` escape, so ``é`` arrives
as ``Ã©``; every string is re-read as UTF-8 when that is strictly possible
(``repair_latin1_escapes``). Attachments' ``uri`` are paths inside the export; they are resolved
as image references.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from unveil.ingest.readers.document import load_document, record_size
from unveil.ingest.records import Item, Rejected, Row, Source, record_hash
from unveil.ingest.text import clean_optional, normalise_text, repair_latin1_escapes
from unveil.ingest.values import parse_timestamp


def is_social_export(document: Any) -> bool:
    """Whether a parsed JSON document has the shape of a Facebook/Instagram export file."""
    return bool(_records(document))


def _records(document: Any) -> list[dict[str, Any]]:
    """The post or message objects of an export file, or [] when it has none."""
    if isinstance(document, dict):
        if isinstance(document.get("messages"), list) and isinstance(document.get("participants"), list):
            return [m for m in document["messages"] if isinstance(m, dict)] or [{}]
        lists = [value for value in document.values() if isinstance(value, list)]
        document = lists[0] if len(lists) == 1 else None
    if (
        isinstance(document, list)
        and all(isinstance(item, dict) for item in document)
        and any(_looks_like_post(item) for item in document[:20])
    ):
        return document
    return []


def _looks_like_post(item: dict[str, Any]) -> bool:
    return ("timestamp" in item and ("data" in item or "attachments" in item or "title" in item)) or (
        isinstance(item.get("media"), list) and any(isinstance(m, dict) and "uri" in m for m in item["media"])
    )


def fix_strings(value: Any) -> Any:
    """Every string of an export, repaired from Facebook's Latin-1 escapes."""
    if isinstance(value, str):
        return repair_latin1_escapes(value)
    if isinstance(value, list):
        return [fix_strings(item) for item in value]
    if isinstance(value, dict):
        return {key: fix_strings(item) for key, item in value.items()}
    return value


def read(source: Source) -> Iterator[Item]:
    """One post per post or message of the export file."""
    document = load_document(source)
    if isinstance(document, Rejected):
        yield document
        return
    yield from read_document(document, source)


def read_document(document: Any, source: Source) -> Iterator[Item]:
    """Posts and messages of a parsed export file."""
    records = _records(document)
    if not records:
        yield Rejected(1, "not a Facebook/Instagram export file (no posts or messages found)")
        return
    platform = _platform(source, document)
    thread = fix_strings(document.get("title")) if isinstance(document, dict) else None
    for number, record in enumerate(records, start=1):
        yield _record(record, number, source, platform, thread)


def _platform(source: Source, document: Any) -> str:
    path = str(source.path).lower()
    if "instagram" in path:
        return "instagram"
    if "facebook" in path:
        return "facebook"
    records = _records(document)
    return "instagram" if records and "data" not in records[0] and "media" in records[0] else "facebook"


def _record(raw: dict[str, Any], number: int, source: Source, platform: str, thread: str | None) -> Item:
    if record_size(raw) > source.limits.max_record_bytes:
        return Rejected(number, f"record exceeds {source.limits.max_record_bytes:,} bytes")
    record = fix_strings(raw)
    text = _text(record)
    media = _uris(record)
    if not text and not media:
        return Rejected(number, "record has neither text nor media")
    is_message = "sender_name" in record
    values: dict[str, Any] = {
        "source_id": None,
        "kind": "message" if is_message else "post",
        "platform": platform,
        "url": _external_url(record),
        "author": clean_optional(record.get("sender_name") or record.get("author")),
        "title": clean_optional(thread or record.get("title")),
        "text": normalise_text(text),
        "posted_at": parse_timestamp(record.get("timestamp_ms") or record.get("timestamp") or _media_time(record)),
        "captured_at": None,
        "region": source.region,
        "record_sha256": record_hash(raw),
        "metadata": {"media": media},
    }
    key = f"sha:{platform}:{values['record_sha256']}"
    return Row("posts", number, key, values, image_refs=media, image_base=source.path.parent)


def _text(record: dict[str, Any]) -> str:
    if isinstance(record.get("content"), str):
        return str(record["content"])
    parts = [
        item["post"]
        for item in record.get("data") or []
        if isinstance(item, dict) and isinstance(item.get("post"), str)
    ]
    if not parts and "data" not in record and isinstance(record.get("title"), str):
        parts = [record["title"]]
    if not any(parts):
        parts = [
            m["title"] for m in record.get("media") or [] if isinstance(m, dict) and isinstance(m.get("title"), str)
        ]
    return "\n".join(part for part in parts if part)


def _uris(record: Any) -> list[str]:
    """Every ``uri`` in the record (attachments, photos, media), in order."""
    found: list[str] = []
    stack = [record]
    while stack and len(found) < 100:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("uri"), str):
                found.append(item["uri"])
            stack.extend(reversed([v for v in item.values() if isinstance(v, dict | list)]))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return found


def _external_url(record: dict[str, Any]) -> str | None:
    share = record.get("share")
    if isinstance(share, dict) and isinstance(share.get("link"), str):
        return str(share["link"])
    for attachment in record.get("attachments") or []:
        for data in (attachment or {}).get("data") or [] if isinstance(attachment, dict) else []:
            context = data.get("external_context") if isinstance(data, dict) else None
            if isinstance(context, dict) and isinstance(context.get("url"), str):
                return str(context["url"])
    return None


def _media_time(record: dict[str, Any]) -> Any:
    media = record.get("media")
    if isinstance(media, list) and media and isinstance(media[0], dict):
        return media[0].get("creation_timestamp")
    return record.get("creation_timestamp")
