"""Tables on disk: a table is a folder of Parquet part files.

A folder of parts is what both engines read and write natively (DuckDB through a glob, Spark as a
directory). Every table has at least one part, possibly empty, so that its schema is always known.
Parts are written to a temporary name and renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

PART_GLOB = "*.parquet"


@dataclass(frozen=True)
class TableRef:
    """A table: a name such as ``extract.identifiers`` and the folder that holds it."""

    name: str
    path: Path

    @property
    def glob(self) -> str:
        """Glob pattern matching every part file of the table."""
        return str(self.path / PART_GLOB)

    def parts(self) -> list[Path]:
        """Part files in a stable order."""
        return sorted(self.path.glob(PART_GLOB)) if self.path.is_dir() else []

    def exists(self) -> bool:
        """True when the table has at least one part file."""
        return bool(self.parts())

    def num_rows(self) -> int:
        """Row count read from the Parquet footers (no data is scanned)."""
        return sum(pq.ParquetFile(part).metadata.num_rows for part in self.parts())

    def schema(self) -> pa.Schema:
        """Schema of the first part."""
        return pq.read_schema(self.parts()[0])

    def read(self, columns: list[str] | None = None) -> pa.Table:
        """The whole table in memory: for small tables and tests only."""
        parts = self.parts()
        tables = [pq.read_table(part, columns=columns) for part in parts]
        return pa.concat_tables(tables) if tables else pa.table({})

    def content_hash(self) -> str:
        """SHA-256 over the part files' names and bytes."""
        digest = hashlib.sha256()
        for part in self.parts():
            digest.update(part.name.encode())
            with part.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
        return digest.hexdigest()


def write_part(folder: Path, table: pa.Table, name: str | None = None) -> Path:
    """Write one Parquet part into ``folder`` atomically and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / (name or f"part-{uuid.uuid4().hex}.parquet")
    temporary = folder / f".{final.name}.tmp"
    pq.write_table(table, temporary, compression="zstd")
    os.replace(temporary, final)
    return final


def write_batches(
    folder: Path, schema: pa.Schema, batches: Iterable[pa.RecordBatch], name: str = "part-0.parquet"
) -> int:
    """Stream record batches into one part file atomically; return the row count written."""
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{name}.tmp"
    rows = 0
    with pq.ParquetWriter(temporary, schema, compression="zstd") as writer:
        for batch in batches:
            writer.write_batch(batch)
            rows += batch.num_rows
    os.replace(temporary, folder / name)
    return rows
