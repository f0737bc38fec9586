"""The ledger of sources already ingested, so that re-ingesting a file costs a hash, not a re-read.

A source is known by its evidence hash, the reader used and the column mapping: the same bytes
read another way (a corrected ``--mapping``) are read again. An entry is written only after the
file's rows are in the tables, so a crash leaves the file to be read again, never half-counted.
The ledger lives beside the ingest tables (``tables/ingest/_sources.jsonl``): removing the tables
removes it too.

Each ingestion's entries name its run, and one line per run names the parts it wrote: a source
whose run wrote a part that is now missing or changed is not known any more, so re-ingesting it
reads it again and restores its rows (the ledger is checked against the parts it names). Each
entry also says how the file was read (blob, reader, mapping, path), so that ``unveil run`` can
rebuild a lost part from the evidence store alone (``unveil.ingest.rebuild``).
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

    def __init__(self, workspace: Workspace, lost_parts: set[str] | None = None) -> None:
        self.path = workspace.stage_dir("ingest") / LEDGER_FILE
        self._done: dict[str, int] = {}
        self._pending: list[dict[str, Any]] = []
        self.lost: list[dict[str, Any]] = []  # entries of runs that wrote a part now missing or changed
        self.lines: dict[str, list[str]] = {}  # run -> its ledger lines as written (checked against custody)
        entries: list[dict[str, Any]] = []
        lost_runs: set[str] = set()
        for line in (read_text(self.path) or "").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if not isinstance(entry, dict):
                continue
            if "run" in entry:
                self.lines.setdefault(str(entry["run"]), []).append(line)
            if "parts" in entry:
                if lost_parts and lost_parts.intersection(entry["parts"]):
                    lost_runs.add(str(entry.get("run")))
            else:
                entries.append(entry)
        for entry in entries:
            if str(entry.get("run")) not in lost_runs or "run" not in entry:
                self._done[entry["key"]] = int(entry["records"])
            else:
                self.lost.append(entry)

    @staticmethod
    def key(sha256: str, reader: str, mapping: object, name: str = "") -> str:
        """The identity of one way of reading one blob under one file name (quarantine is keyed by file)."""
        return f"{sha256}:{reader}:{short_hash(repr(mapping), length=12)}:{short_hash(name, length=12)}"

    def records(self, key: str) -> int | None:
        """How many records the source held when it was ingested, or None if it was not."""
        return self._done.get(key)

    def add(self, key: str, records: int, name: str, how: dict[str, Any] | None = None) -> None:
        """Note a source as read (written to disk by ``commit``).

        ``how`` is what reading it again from the evidence store takes (``sha256``, ``format``,
        ``path``, ``root``, ``mapping``): ``unveil run`` rebuilds lost ingest parts from it.
        """
        self._done[key] = records
        self._pending.append({"key": key, "records": records, "file": name, **(how or {})})

    def pending_text(self, run: str = "", parts: list[str] | None = None) -> str:
        """The lines ``commit`` will append (their SHA-256 goes into the ingestion's custody event)."""
        if not self._pending:
            return ""
        lines = [json.dumps({"run": run, "parts": sorted(parts or [])})] if run else []
        lines += [json.dumps({**entry, "run": run} if run else entry, ensure_ascii=False) for entry in self._pending]
        return "".join(line + "\n" for line in lines)

    def commit(self, run: str = "", parts: list[str] | None = None) -> None:
        """Append the sources read since the last commit (call after the rows are written).

        Args:
            run: the ingestion's id, written into each entry.
            parts: the part files the ingestion wrote (any table).
        """
        text = self.pending_text(run, parts)
        if text:
            append_text(self.path, text)
        self._pending = []


def ledger_sha256(text: str) -> str:
    """The hash of one ingestion's ledger lines, as recorded in its custody event (``ledger_sha256``)."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()
