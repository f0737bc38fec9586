"""Whole JSON documents (chat and social-media exports, arrays of posts), under size and depth limits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from unveil.ingest.mapping import ColumnMapping, complete
from unveil.ingest.readers import social, telegram
from unveil.ingest.readers.document import load_document, record_size
from unveil.ingest.readers.posts import post_from_record
from unveil.ingest.records import Item, Rejected, Source


def is_export_metadata(document: Any) -> bool:
    """A Facebook/Instagram export file that describes the account (``profile_v2``...), not posts."""
    return (
        isinstance(document, dict)
        and bool(document)
        and all(key.startswith(("profile", "account", "settings", "preferences")) for key in document)
    )


def read(source: Source) -> Iterator[Item]:
    """A ``.json`` file: a Telegram export, a Facebook/Instagram export file, or an array of posts."""
    document = load_document(source)
    if isinstance(document, Rejected):
        yield document
    elif telegram.is_telegram_export(document):
        yield from telegram.read_document(document, source)
    elif social.is_social_export(document):
        yield from social.read_document(document, source)
    elif isinstance(document, list):
        yield from _post_array(document, source)
    elif is_export_metadata(document):
        return  # a profile or settings file of an export: kept as evidence, it holds no records
    else:
        yield Rejected(1, "JSON document is neither a Telegram export, a social-media export nor an array of posts")


def _post_array(records: list[Any], source: Source) -> Iterator[Item]:
    base = source.mapping if isinstance(source.mapping, ColumnMapping) else ColumnMapping("posts", "posts")
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            yield Rejected(number, f"an array item must be an object, not {type(record).__name__}")
        elif record_size(record) > source.limits.max_record_bytes:
            yield Rejected(number, f"record exceeds {source.limits.max_record_bytes:,} bytes")
        else:
            yield post_from_record(record, complete(base, list(record)), source, number)
