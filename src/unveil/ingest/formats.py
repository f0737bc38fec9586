"""The input formats: one ``Reader`` record per format, the one place a new input format is added.

``--format`` accepts ``auto`` and every name here; under ``auto`` a file's name ending picks its
reader (``suffixes``), except where ``detect_format`` looks at the content or the folder first
(JSON lines that are FollowTheMoney entities, spreadsheets under a ``statistics/`` folder).
docs/ingest.md's "Formats" table lists the same names (tests/core/test_registries.py checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from unveil.ingest.readers import ftm, html, images, jsondoc, jsonl, social, tabular, telegram, warc
from unveil.ingest.records import Item, Source


@dataclass(frozen=True)
class Reader:
    """An input format: its name, its reader (None: handed to another area) and its name endings."""

    name: str
    read: Callable[[Source], Iterator[Item]] | None
    suffixes: tuple[str, ...] = ()


READERS: tuple[Reader, ...] = (
    Reader("jsonl", jsonl.read, (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")),
    Reader("csv", tabular.read, (".csv", ".tsv")),
    Reader("xlsx", tabular.read, (".xlsx", ".xlsm")),
    Reader("json", jsondoc.read, (".json",)),
    Reader("telegram", telegram.read),
    Reader("social", social.read),
    Reader("html", html.read, (".html", ".htm", ".xhtml")),
    Reader("warc", warc.read, (".warc", ".warc.gz", ".arc.gz")),
    Reader("image", images.read, images.IMAGE_SUFFIXES),
    Reader("ftm", ftm.read),
    Reader("statistics", None),  # statistics/*.csv|xlsx: handed to unveil.stats.ingest_statistics
)
FORMATS: tuple[str, ...] = ("auto", *(reader.name for reader in READERS))
BY_NAME: dict[str, Reader] = {reader.name: reader for reader in READERS}
BY_SUFFIX: dict[str, str] = {suffix: reader.name for reader in READERS for suffix in reader.suffixes}
