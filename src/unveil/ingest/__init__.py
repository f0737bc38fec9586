"""Ingestion: source files in, rows and evidence out, nothing lost.

``ingest(workspace, sources)`` reads files and folders of any supported format (see
``unveil.ingest.detect``), stores each file once in the evidence store, writes rows to
``ingest.posts``, ``ingest.images``, ``ingest.transfers`` and ``ingest.entities``, quarantines
what it cannot read, and logs captures and the ingestion in the custody log.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from unveil.ingest.run import IngestSummary, ingest


def __getattr__(name: str) -> Any:
    """``ingest`` and ``IngestSummary`` are imported on first use, so the CLI starts fast."""
    if name not in ("IngestSummary", "ingest"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module("unveil.ingest.run"), name)


__all__ = ["IngestSummary", "ingest"]
