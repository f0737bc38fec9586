"""Quarantine: records that could not be read, one JSON line each, in ``quarantine/<evidence sha>-<name hash>.jsonl``.

Entries are keyed by file and record: the same bytes under two names (two empty files) are two
files, each with its own entries.

Each line holds ``file``, ``record`` (its number in the file), ``reason``, ``evidence_sha256`` and
a short escaped ``excerpt``. Entries are written to a temporary file and renamed into place when
the source file is done, so a source already quarantined is recognised on re-ingestion and its
rejected records count as duplicates instead of being written twice.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import TracebackType

from unveil.ingest.records import Rejected, short_hash
from unveil.workspace import Workspace


class QuarantineFile:
    """The quarantine entries of one source file (one evidence blob)."""

    def __init__(self, workspace: Workspace, evidence_sha256: str, source_file: str) -> None:
        workspace.quarantine_dir.mkdir(parents=True, exist_ok=True)
        self.path = workspace.quarantine_dir / f"{evidence_sha256}-{short_hash(source_file, length=12)}.jsonl"
        self.already_done = self.path.exists()
        self.sha256 = evidence_sha256
        self.source_file = source_file
        self._temporary: Path | None = None
        self._handle: object = None
        self.count = 0

    def add(self, rejected: Rejected) -> bool:
        """Record one rejected record; False when the source was quarantined before (a duplicate)."""
        if self.already_done:
            return False
        if self._temporary is None:
            self._temporary = self.path.with_name(f".{self.path.name}.tmp")
            self._temporary.unlink(missing_ok=True)
        entry = {
            "file": self.source_file,
            "record": rejected.record_no,
            "reason": rejected.reason,
            "evidence_sha256": self.sha256,
            "excerpt": rejected.excerpt,
        }
        with self._temporary.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.count += 1
        return True

    def close(self) -> None:
        """Move the entries into place."""
        if self._temporary is not None and self._temporary.exists():
            os.replace(self._temporary, self.path)

    def __enter__(self) -> QuarantineFile:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        elif self._temporary is not None:
            self._temporary.unlink(missing_ok=True)
