"""Which reader a file needs: from ``--format`` or, with ``auto``, from its name and first bytes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from unveil.ingest.formats import BY_SUFFIX
from unveil.manifest import Manifest


def suffixes(path: Path) -> str:
    """The lower-cased name ending that decides the format (``.warc.gz``, ``.jsonl``...)."""
    name = path.name.lower()
    for double in (".warc.gz", ".jsonl.gz", ".ndjson.gz", ".arc.gz"):
        if name.endswith(double):
            return double
    return path.suffix.lower()


def is_skipped(relative: Path, manifest: Manifest) -> str | None:
    """Why a file found inside a source folder is not ingested (hidden, or not evidence by the folder's manifest)."""
    if any(part.startswith(".") for part in relative.parts):
        return "hidden file"
    return manifest.why_not_evidence(relative)


def detect_format(path: Path, relative: Path) -> str | None:
    """The reader for a file, or None when no reader fits (the file is then quarantined)."""
    suffix = suffixes(path)
    if suffix in (".csv", ".tsv", ".xlsx") and "statistics" in relative.parts[:-1]:
        return "statistics"
    name = BY_SUFFIX.get(suffix)
    if name == "jsonl" and _first_line_is_ftm(path):
        return "ftm"
    return name


def _first_line_is_ftm(path: Path) -> bool:
    try:
        opener = gzip.open if path.name.lower().endswith(".gz") else open
        with opener(path, "rb") as handle:
            line = handle.readline(1_000_000)
        first = json.loads(line)
    except (OSError, ValueError, EOFError, RecursionError):
        return False
    return (
        isinstance(first, dict) and isinstance(first.get("schema"), str) and isinstance(first.get("properties"), dict)
    )
