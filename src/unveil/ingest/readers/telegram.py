"""Telegram Desktop exports (``result.json``): channels and chats, their messages and entities.

An export holds one chat (``{"name", "type", "id", "messages"}``) or many
(``{"chats": {"list": [...]}, "left_chats": {"list": [...]}}``). A message's ``text`` is a string
or a list of strings and entity objects (``{"type": "phone", "text": "+32..."}``); the entities
(links, mentions, phone numbers, e-mail addresses, hashtags) are kept in ``metadata``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from unveil.ingest.readers.document import load_document, record_size
from unveil.ingest.records import Item, Rejected, Row, Source, record_hash
from unveil.ingest.text import clean_optional, normalise_text
from unveil.ingest.values import parse_timestamp

ENTITY_GROUPS = {
    "link": "links",
    "text_link": "links",
    "mention": "mentions",
    "mention_name": "mentions",
    "phone": "phones",
    "email": "emails",
    "hashtag": "hashtags",
}
MEDIA_FIELDS = ("photo", "file", "thumbnail")


def is_telegram_export(document: Any) -> bool:
    """Whether a parsed JSON document looks like a Telegram Desktop export."""
    if not isinstance(document, dict):
        return False
    return isinstance(document.get("chats"), dict) or (
        isinstance(document.get("messages"), list) and "type" in document and "id" in document
    )


def chats_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every chat in an export (a single-chat export is its own chat)."""
    if "messages" in document:
        return [document]
    chats: list[dict[str, Any]] = []
    for group in ("chats", "left_chats"):
        listed = (document.get(group) or {}).get("list") or []
        chats.extend(chat for chat in listed if isinstance(chat, dict))
    return chats


def read(source: Source) -> Iterator[Item]:
    """One post (kind ``message``) per message of every chat."""
    document = load_document(source)
    if isinstance(document, Rejected):
        yield document
        return
    yield from read_document(document, source)


def read_document(document: Any, source: Source) -> Iterator[Item]:
    """Messages of a parsed export."""
    if not is_telegram_export(document):
        yield Rejected(1, "not a Telegram Desktop export (no 'chats' or 'messages')")
        return
    number = 0
    for chat in chats_of(document):
        for message in chat.get("messages") or []:
            number += 1
            yield _message(message, chat, number, source)


def _message(message: Any, chat: dict[str, Any], number: int, source: Source) -> Item:
    if not isinstance(message, dict):
        return Rejected(number, f"a message must be an object, not {type(message).__name__}")
    if record_size(message) > source.limits.max_record_bytes:
        return Rejected(number, f"message exceeds {source.limits.max_record_bytes:,} bytes")
    text, entities = message_text(message)
    media = [str(message[f]) for f in MEDIA_FIELDS if isinstance(message.get(f), str) and message.get(f)]
    if not text and not media and message.get("type") != "service":
        return Rejected(number, "message has neither text nor media")
    chat_id, message_id = str(chat.get("id", "")), str(message.get("id", ""))
    service = message.get("type") == "service"
    values: dict[str, Any] = {
        "source_id": f"{chat_id}/{message_id}",
        "kind": "message",
        "platform": "telegram",
        "url": _public_link(chat, message_id),
        "author": clean_optional(message.get("from") or message.get("actor")),
        "title": clean_optional(chat.get("name")),
        "text": normalise_text(text or (str(message.get("action", "")) if service else "")),
        "posted_at": parse_timestamp(message.get("date_unixtime") or message.get("date")),
        "captured_at": None,
        "region": source.region,
        "record_sha256": record_hash(message),
        "metadata": {
            "chat_type": chat.get("type"),
            "chat_id": chat_id,
            "forwarded_from": message.get("forwarded_from"),
            "reply_to": message.get("reply_to_message_id"),
            "service_action": message.get("action") if service else None,
            "media": media,
            "media_type": message.get("media_type"),
            **entities,
        },
    }
    # a message without an id is known by its content only (never merged with another, see the run)
    key = f"id:telegram:{chat_id}:{message_id}" if message_id else f"sha:telegram:{chat_id}:{values['record_sha256']}"
    images = [ref for ref in media if ref.lower().endswith((".jpg", ".jpeg", ".png", ".gif", ".webp"))]
    return Row("posts", number, key, values, image_refs=images, image_base=source.path.parent)


def message_text(message: dict[str, Any]) -> tuple[str, dict[str, list[str]]]:
    """The plain text of a message and its entities grouped (links, mentions, phones...)."""
    parts = message.get("text_entities")
    if not isinstance(parts, list):
        raw = message.get("text")
        parts = raw if isinstance(raw, list) else [raw] if isinstance(raw, str) else []
    pieces: list[str] = []
    groups: dict[str, list[str]] = {}
    for part in parts:
        if isinstance(part, str):
            pieces.append(part)
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            pieces.append(part["text"])
            group = ENTITY_GROUPS.get(str(part.get("type")))
            if group:
                groups.setdefault(group, []).append(str(part.get("href") or part["text"]))
    return "".join(pieces), groups


def _public_link(chat: dict[str, Any], message_id: str) -> str | None:
    username = chat.get("username")
    return f"https://t.me/{username}/{message_id}" if isinstance(username, str) and username else None
