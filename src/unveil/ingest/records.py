"""What readers yield: rows for a table, or a record that could not be read.

A reader knows its format; it does not know the workspace. It yields ``Row`` items (a table
name, a dedup key and the row's columns) and ``Rejected`` items (a record number and a reason).
The ingestion run adds provenance, ids and evidence hashes, and routes each item to its table.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unveil.ingest.limits import Limits


@dataclass(frozen=True)
class Source:
    """One source file as a reader sees it.

    Attributes:
        path: the original file (for resolving relative references such as images).
        blob: the stored evidence copy, which is what readers parse.
        name: the file's name relative to the folder it was found in (``source_file``).
        sha256: the evidence hash of the file.
        limits: size bounds.
        region: the ISO country code every record of the source is from, or None (each record's own, if it names one).
        mapping: an explicit column mapping (``--mapping``), or None.
    """

    path: Path
    blob: Path
    name: str
    sha256: str
    limits: Limits
    region: str | None
    mapping: Any = None


@dataclass
class Row:
    """A row for an ingest table.

    Attributes:
        table: ``posts``, ``transfers``, ``images`` or ``entities``.
        record_no: position of the record in its source (1-based).
        key: what makes the record the same record on re-ingestion (hashed into its id).
        values: the row's columns (provenance and id columns are added by the run).
        image_refs: images the record refers to (paths relative to ``image_base``, or URLs).
        image_base: folder that relative image references start from.
        image_bytes: an image held inside the source (a WARC response), stored as its own blob.
    """

    table: str
    record_no: int
    key: str
    values: dict[str, Any]
    image_refs: list[str] = field(default_factory=list)
    image_base: Path | None = None
    image_bytes: bytes | None = None


@dataclass(frozen=True)
class Rejected:
    """A record that could not be read: it goes to quarantine with the reason."""

    record_no: int
    reason: str
    excerpt: str = ""


Item = Row | Rejected


def short_hash(*parts: str, length: int = 20) -> str:
    """A stable hex id from the given parts."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:length]


def record_hash(data: bytes | str | dict[str, Any] | list[Any]) -> str:
    """SHA-256 of a record's raw bytes (or of its canonical JSON)."""
    if isinstance(data, dict | list):
        data = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


def excerpt(data: bytes | str, limit: int = 200) -> str:
    """The start of a bad record, printable and bounded, for the quarantine file."""
    text = data[:limit].decode("utf-8", "replace") if isinstance(data, bytes) else data[:limit]
    return text.encode("unicode_escape").decode("ascii")[: limit * 2]
