"""Ingestion: source files in, rows and evidence out, nothing lost.

``ingest(workspace, sources)`` reads files and folders of any supported format (see
``unveil.ingest.detect``), stores each file once in the evidence store, writes rows to
``ingest.posts``, ``ingest.images``, ``ingest.transfers`` and ``ingest.entities``, quarantines
what it cannot read, and logs captures and the ingestion in the custody log.
"""

from __future__ import annotations

from unveil.ingest.run import IngestSummary, ingest

__all__ = ["IngestSummary", "ingest"]
