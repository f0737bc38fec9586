"""Buffered, deduplicating writers of the ingest tables.

Rows are buffered and written as a new Parquet part every ``part_rows`` rows, so memory stays
flat whatever the input size. Deduplication does not hold every key in memory: at each flush the
buffered keys (a few tens of thousands) are checked against the key column of the table's
existing parts, one part at a time, with Arrow's vectorised ``is_in``; keys repeated inside the
buffer are dropped first. Work grows with (rows / part_rows) × parts, which stays small for the
tables one machine ingests; memory holds one buffer and one part's key column.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from unveil.ingest.records import short_hash
from unveil.ingest.schema import INGEST_TABLES, KEY_COLUMNS
from unveil.ingest.text import content_sha256
from unveil.tables import write_part
from unveil.workspace import Workspace

PART_ROWS = 50_000


class TableSink:
    """Appends deduplicated rows to one ingest table.

    Args:
        workspace: the workspace written to.
        table: ``posts``, ``images``, ``transfers`` or ``entities``.
        on_flush: called with (stored, duplicates) after each flush.
        part_rows: rows per written part.
        on_part: called with (table, part name) before a part is written.
    """

    def __init__(
        self,
        workspace: Workspace,
        table: str,
        on_flush: Callable[[int, int], None],
        part_rows: int = PART_ROWS,
        on_part: Callable[[str, str], None] | None = None,
    ) -> None:
        self.table = table
        self.on_part = on_part
        self.ref = workspace.table(f"ingest.{table}")
        self.schema = INGEST_TABLES[table]
        self.key = KEY_COLUMNS[table]
        self.on_flush = on_flush
        self.part_rows = part_rows
        self.rows: list[dict[str, Any]] = []
        self.written: list[str] = []
        self.stored = 0

    def add(self, row: dict[str, Any], counted: bool = True) -> None:
        """Buffer one row; write a part when the buffer is full.

        Args:
            row: the row's columns.
            counted: whether the row is an input record (counted in the summary) rather than a
                by-product such as an image a post refers to.
        """
        row["__counted"] = counted
        if "metadata" in row and not isinstance(row["metadata"], str | None):
            row["metadata"] = json.dumps(row["metadata"], ensure_ascii=False, default=str, sort_keys=True)
        self.rows.append(row)
        if len(self.rows) >= self.part_rows:
            self.flush()

    def flush(self) -> None:
        """Write the buffered rows that are new to the table as one part."""
        if not self.rows:
            return
        if self.table == "posts":
            self._version_posts()
        counted = pa.array([row.pop("__counted") for row in self.rows], pa.bool_())
        table = pa.Table.from_pylist(self.rows, schema=self.schema).append_column("__counted", counted)
        self.rows = []
        total = pc.sum(counted).as_py() or 0
        table = self._new_rows(_first_of_each_key(table, self.key))
        stored = pc.sum(table.column("__counted")).as_py() or 0
        table = table.drop_columns(["__counted"])
        if table.num_rows:
            name = f"part-{uuid.uuid4().hex}.parquet"
            if self.on_part is not None:
                self.on_part(self.table, name)
            self.written.append(write_part(self.ref.path, table, name=name).name)
        self.stored += table.num_rows
        self.on_flush(stored, total - stored)

    def _version_posts(self) -> None:
        """A post whose id is known but whose title or text differs becomes a new version, linked to the first.

        Its ``post_id`` is derived from the first's and its content, so that reading it again is a
        duplicate; ``version_of`` names the first version. Contents are compared only for ids
        met twice (in the buffer, or in the table already), so the common case costs a set look-up.
        """
        versionable = [row for row in self.rows if row.pop("__versionable", False)]
        if not versionable:
            return
        ids: set[str] = set()
        candidates: set[str] = set()
        for row in versionable:
            (candidates if row["post_id"] in ids else ids).add(row["post_id"])
        stored = self._stored_contents(ids)
        candidates |= set(stored)
        if not candidates:
            return
        for row in versionable:
            base = row["post_id"]
            if base not in candidates:
                continue
            content = content_sha256(row.get("title"), row.get("text"))
            first = stored.setdefault(base, content)
            if first != content:
                row["post_id"] = "p" + short_hash(base, content)
                row["version_of"] = base

    def _stored_contents(self, ids: set[str]) -> dict[str, str]:
        """The content hash (title and text) stored under each of these post ids that the table holds."""
        found: dict[str, str] = {}
        wanted = pa.array(sorted(ids), pa.string())
        for part in self.ref.parts():
            keys = self.ref.read_part(part, ["post_id"]).column(0)
            if not pc.any(pc.is_in(keys, value_set=wanted)).as_py():
                continue
            existing = self.ref.read_part(part, ["post_id", "title", "text"])
            existing = existing.filter(pc.is_in(existing.column("post_id"), value_set=wanted))
            for post_id, title, text in zip(
                *(existing.column(c).to_pylist() for c in existing.column_names), strict=True
            ):
                found.setdefault(post_id, content_sha256(title, text))
        return found

    def _new_rows(self, table: pa.Table) -> pa.Table:
        keys = table.column(self.key)
        known = pa.array([], pa.string())
        for part in self.ref.parts():
            existing = self.ref.read_part(part, [self.key]).column(0)
            found = pc.filter(keys, pc.is_in(keys, value_set=existing))
            if len(found):
                known = pa.concat_arrays([known, found.combine_chunks()])
        if not len(known):
            return table
        return table.filter(pc.invert(pc.is_in(keys, value_set=known)))


def _first_of_each_key(table: pa.Table, key: str) -> pa.Table:
    """Keep the first row of each key (input order), dropping repeats within the buffer."""
    indexed = table.append_column("__row", pa.array(range(table.num_rows), pa.int64()))
    firsts = indexed.group_by(key, use_threads=False).aggregate([("__row", "min")]).column("__row_min")
    return table.take(pc.sort_indices(firsts))
