"""Tables on disk: a table is a folder of Parquet part files, on a local path or a Hadoop-style URI.

A folder of parts is what both engines read and write natively (DuckDB through a list of parts,
Spark as a directory). Every table has at least one part, possibly empty, so that its schema is
always known. Parts are written to a temporary name and renamed into place, so a reader never sees
half a file.

Where a workspace keeps its tables is a :class:`~unveil.storage.TableStore` (its local
``tables/`` folder by default, or ``tables_uri``: ``file://``, ``hdfs://``, ``s3a://``). Every
table operation here goes through the store's ``pyarrow.fs`` file system, found from the table's
path (see :func:`unveil.storage.store_for`), so stage code keeps passing plain paths.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from unveil.storage import TableStore, list_files, make_dirs, move, remove_file, store_for

PART_SUFFIX = ".parquet"
PART_GLOB = f"*{PART_SUFFIX}"


@dataclass(frozen=True)
class TableRef:
    """A table: a name such as ``extract.identifiers`` and the folder that holds it.

    ``path`` is the folder in its store's file system: a local path, or for a remote store a path
    under the store's mount point (``/@hdfs/namenode:8020/...``); ``uri`` is what Spark reads.
    """

    name: str
    path: Path

    @property
    def store(self) -> TableStore:
        """The store (file system) that holds the table."""
        return store_for(self.path)

    @property
    def uri(self) -> str:
        """The table folder as a Hadoop-style URI (``file:///...``, ``hdfs://...``, ``s3a://...``)."""
        return self.store.uri_of(self.path)

    @property
    def glob(self) -> str:
        """Glob pattern matching every part file of the table (local stores)."""
        return str(self.path / PART_GLOB)

    def parts(self) -> list[Path]:
        """Part files in a stable order (hidden and temporary files excluded)."""
        return [part for part in list_files(self.path) if part.name.endswith(PART_SUFFIX)]

    def exists(self) -> bool:
        """True when the table has at least one part file."""
        return bool(self.parts())

    def num_rows(self) -> int:
        """Row count read from the Parquet footers (no data is scanned)."""
        store = self.store
        total = 0
        for part in self.parts():
            with store.filesystem.open_input_file(store.fs_path(part)) as handle:
                total += pq.ParquetFile(handle).metadata.num_rows
        return total

    def schema(self) -> pa.Schema:
        """Schema of the first part."""
        return self.part_schema(self.parts()[0])

    def part_schema(self, part: Path) -> pa.Schema:
        """Schema of one part file (read from its footer)."""
        store = self.store
        with store.filesystem.open_input_file(store.fs_path(part)) as handle:
            return pq.ParquetFile(handle).schema_arrow

    def read_part(self, part: Path, columns: list[str] | None = None) -> pa.Table:
        """One part file in memory."""
        store = self.store
        return pq.read_table(store.fs_path(part), columns=columns, filesystem=store.filesystem)

    def dataset(self, unify_schemas: bool = False) -> ds.Dataset:
        """The table's parts as a pyarrow dataset (lazy: filters and column choices are pushed down).

        The dataset's schema is the first part's, or with ``unify_schemas`` the union of every
        part's columns (as DuckDB's ``union_by_name``; it reads every footer).
        """
        store, parts = self.store, self.parts()
        schema = pa.unify_schemas([self.part_schema(part) for part in parts]) if unify_schemas and parts else None
        paths = [store.fs_path(part) for part in parts]
        return ds.dataset(paths, schema=schema, format="parquet", filesystem=store.filesystem)

    def read(self, columns: list[str] | None = None) -> pa.Table:
        """The whole table in memory: for small tables and tests only."""
        tables = [self.read_part(part, columns) for part in self.parts()]
        return pa.concat_tables(tables) if tables else pa.table({})

    def content_hash(self) -> str:
        """SHA-256 over the part files' names and SHA-256 values (see ``hash_of_parts``)."""
        return hash_of_parts(self.part_hashes())

    def part_hashes(self) -> dict[str, str]:
        """SHA-256 of every part file, by part name (every byte read)."""
        return {part.name: part_sha256(part) for part in self.parts()}

    def part_stats(self) -> dict[str, tuple[int, int]]:
        """Size and modification time (ns) of every part, from the file system only (no data read)."""
        store = self.store
        found: dict[str, tuple[int, int]] = {}
        for part in self.parts():
            info = store.filesystem.get_file_info(store.fs_path(part))
            found[part.name] = (int(info.size or 0), int(info.mtime_ns or 0))
        return found


def part_sha256(part: Path) -> str:
    """SHA-256 of one part file's bytes."""
    store = store_for(part)
    digest = hashlib.sha256()
    with store.filesystem.open_input_stream(store.fs_path(part)) as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def hash_of_parts(hashes: dict[str, str]) -> str:
    """A table's content hash: SHA-256 over its parts' names and hashes, in name order."""
    digest = hashlib.sha256()
    for name, sha256 in sorted(hashes.items()):
        digest.update(f"{name}\0{sha256}\n".encode())
    return digest.hexdigest()


def write_part(folder: Path, table: pa.Table, name: str | None = None) -> Path:
    """Write one Parquet part into ``folder`` atomically and return its path."""
    store = store_for(folder)
    make_dirs(folder)
    final = folder / (name or f"part-{uuid.uuid4().hex}{PART_SUFFIX}")
    temporary = folder / f".{final.name}.tmp"
    try:
        pq.write_table(table, store.fs_path(temporary), compression="zstd", filesystem=store.filesystem)
    except BaseException:  # a full disk: no half-written temporary left behind
        remove_file(temporary)
        raise
    move(temporary, final)
    return final


def write_batches(
    folder: Path, schema: pa.Schema, batches: Iterable[pa.RecordBatch], name: str = "part-0.parquet"
) -> int:
    """Stream record batches into one part file atomically; return the row count written."""
    store = store_for(folder)
    make_dirs(folder)
    temporary = folder / f".{name}.tmp"
    rows = 0
    with pq.ParquetWriter(store.fs_path(temporary), schema, compression="zstd", filesystem=store.filesystem) as writer:
        for batch in batches:
            writer.write_batch(batch)
            rows += batch.num_rows
    move(temporary, folder / name)
    return rows
