"""The ledger of sources already ingested, so that re-ingesting a file costs a hash, not a re-read.

A source is known by its evidence hash, the reader used and the column mapping: the same bytes
read another way (a corrected ``--mapping``) are read again. An entry is written only after the
file's rows are in the tables, so a crash leaves the file to be read again, never half-counted.
The ledger lives beside the ingest tables (``tables/ingest/_sources.jsonl``): removing the tables
removes it too.
"""

from __future__ import annotations

import json
from typing import Any

from unveil.ingest.records import short_hash
from unveil.storage import append_text, read_text
from unveil.workspace import Workspace

LEDGER_FILE = "_sources.jsonl"


class SourceLedger:
    """Which (blob, reader, mapping) were fully ingested, and how many records each held."""

    def __init__(self, workspace: Workspace) -> None:
        self.path = workspace.stage_dir("ingest") / LEDGER_FILE
        self._done: dict[str, int] = {}
        self._pending: list[dict[str, Any]] = []
        for line in (read_text(self.path) or "").splitlines():
            entry = json.loads(line)
            self._done[entry["key"]] = int(entry["records"])

    @staticmethod
    def key(sha256: str, reader: str, mapping: object) -> str:
        """The identity of one way of reading one blob."""
        return f"{sha256}:{reader}:{short_hash(repr(mapping), length=12)}"

    def records(self, key: str) -> int | None:
        """How many records the source held when it was ingested, or None if it was not."""
        return self._done.get(key)

    def add(self, key: str, records: int, name: str) -> None:
        """Note a source as read (written to disk by ``commit``)."""
        self._done[key] = records
        self._pending.append({"key": key, "records": records, "file": name})

    def commit(self) -> None:
        """Append the sources read since the last commit (call after the rows are written)."""
        if not self._pending:
            return
        append_text(self.path, "".join(json.dumps(entry, ensure_ascii=False) + "\n" for entry in self._pending))
        self._pending = []
