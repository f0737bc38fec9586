"""Where tables live: a local folder or a Hadoop-compatible URI, reached through ``pyarrow.fs``.

A workspace's tables sit in its ``tables/`` folder unless ``tables_uri`` names another place:
``file:///data/op/tables``, ``hdfs://namenode:8020/unveil/op/tables`` or
``s3a://bucket/unveil/op/tables`` (Hadoop's S3 scheme; pyarrow calls it ``s3://``). Code keeps
passing ``Path`` objects: a remote store is *mounted* at a path that cannot clash with a real
folder (``/@hdfs/namenode:8020/unveil/op/tables``), and every table operation (list parts, write a
part, rename a staging folder into place, hash, read footers) asks :func:`store_for` which file
system holds a path. Spark is given :meth:`TableStore.uri_of`, the Hadoop URI of the same place.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pyarrow.fs as pafs

from unveil.errors import UsageError

#: Hadoop scheme -> pyarrow scheme. Spark writes ``s3a://``; pyarrow's S3 file system reads ``s3://``.
ARROW_SCHEMES = {"file": "file", "hdfs": "hdfs", "s3": "s3", "s3a": "s3", "s3n": "s3"}
#: pyarrow scheme -> the scheme Spark (Hadoop) is given.
HADOOP_SCHEMES = {"file": "file", "hdfs": "hdfs", "s3": "s3a"}
MOUNT_PREFIX = "/@"


@dataclass(frozen=True)
class Location:
    """A parsed table location: the URIs for pyarrow and for Hadoop, and where it is mounted here."""

    arrow_uri: str  # what pyarrow.fs.FileSystem.from_uri is given
    hadoop_uri: str  # what Spark is given (no trailing slash)
    mount: Path  # the local path that stands for the root (the root itself for local stores)
    fs_root: str  # the root in the file system's own path syntax

    @property
    def is_local(self) -> bool:
        return self.arrow_uri.startswith("file:")


@lru_cache(maxsize=256)  # Workspace.tables_dir parses on every table look-up
def parse_location(uri: str, default: Path) -> Location:
    """Parse ``tables_uri`` (empty: ``default``, a local folder) without touching any file system."""
    if not uri:
        return _local(default)
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if not scheme:
        return _local(Path(uri))
    if scheme not in ARROW_SCHEMES:
        raise UsageError(f"tables_uri {uri!r}: unsupported scheme {scheme!r} (use file, hdfs or s3a)")
    arrow_scheme = ARROW_SCHEMES[scheme]
    if arrow_scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise UsageError(f"tables_uri {uri!r}: a file:// URI names no host (file:///absolute/path)")
        return _local(Path(parts.path))
    if not parts.netloc:
        raise UsageError(f"tables_uri {uri!r}: name the {'bucket' if arrow_scheme == 's3' else 'namenode'}")
    path = str(PurePosixPath("/", parts.path.lstrip("/"))).rstrip("/") if parts.path.strip("/") else ""
    query = f"?{parts.query}" if parts.query else ""
    hadoop = f"{HADOOP_SCHEMES[arrow_scheme]}://{parts.netloc}{path}"
    mount = Path(f"{MOUNT_PREFIX}{arrow_scheme}/{parts.netloc}{path}")
    if arrow_scheme == "s3":  # pyarrow's S3 paths are "bucket/key"
        return Location(f"s3://{parts.netloc}{path}{query}", hadoop, mount, f"{parts.netloc}{path}")
    return Location(f"hdfs://{parts.netloc}{query}", hadoop, mount, path or "/")


def _local(folder: Path) -> Location:
    root = folder.resolve()
    return Location(root.as_uri(), root.as_uri().rstrip("/"), root, str(root))


@dataclass(frozen=True)
class TableStore:
    """A table root and the file system that holds it."""

    location: Location
    filesystem: pafs.FileSystem = field(compare=False)

    @property
    def root(self) -> Path:
        """The root as a path in this process (the mount point of a remote store)."""
        return self.location.mount

    def relative(self, path: Path) -> PurePosixPath:
        """``path`` relative to the root."""
        return PurePosixPath(path.relative_to(self.location.mount).as_posix())

    def fs_path(self, path: Path) -> str:
        """``path`` in the file system's own syntax (for pyarrow)."""
        if self.location.is_local:
            return str(path)
        relative = str(self.relative(path))
        root = self.location.fs_root.rstrip("/")
        return root if relative == "." else f"{root}/{relative}"

    def uri_of(self, path: Path) -> str:
        """``path`` as a Hadoop URI (for Spark)."""
        if self.location.is_local:
            return path.resolve().as_uri()
        relative = str(self.relative(path))
        return self.location.hadoop_uri if relative == "." else f"{self.location.hadoop_uri}/{relative}"


LOCAL_STORE = TableStore(_local(Path("/")), pafs.LocalFileSystem())
_MOUNTS: dict[Path, TableStore] = {}
_LOCK = threading.Lock()


def mount(uri: str, default: Path) -> TableStore:
    """The store for ``tables_uri`` (``default``: the workspace's own folder), mounted for store_for."""
    location = parse_location(uri, default)
    if location.is_local:
        return TableStore(location, LOCAL_STORE.filesystem)
    with _LOCK:
        store = _MOUNTS.get(location.mount)
        if store is None or store.location != location:
            filesystem, _ = pafs.FileSystem.from_uri(location.arrow_uri)
            store = TableStore(location, filesystem)
            _MOUNTS[location.mount] = store
    return store


def register_store(uri: str, filesystem: pafs.FileSystem) -> TableStore:
    """Mount a file system built by the caller (credentials, Kerberos, a test double) for ``uri``.

    A later :func:`mount` of the same URI (opening a workspace whose ``tables_uri`` it is) uses it.
    """
    location = parse_location(uri, Path("/"))
    if location.is_local:
        raise UsageError(f"{uri!r} is a local folder: nothing to register")
    store = TableStore(location, filesystem)
    with _LOCK:
        _MOUNTS[location.mount] = store
    return store


def store_for(path: Path) -> TableStore:
    """The store holding ``path``: a mounted remote store, or the local file system."""
    if str(path).startswith(MOUNT_PREFIX):
        for root, store in _MOUNTS.items():
            if path == root or root in path.parents:
                return store
        raise UsageError(f"{path}: no table store is mounted there (open the workspace first)")
    return LOCAL_STORE


def list_files(folder: Path) -> list[Path]:
    """Plain files directly in ``folder``, sorted by name; hidden files (``.x``, ``_SUCCESS``) left out."""
    store = store_for(folder)
    selector = pafs.FileSelector(store.fs_path(folder), allow_not_found=True)
    names = sorted(
        PurePosixPath(info.path).name
        for info in store.filesystem.get_file_info(selector)
        if info.type == pafs.FileType.File
    )
    return [folder / name for name in names if not name.startswith((".", "_"))]


def exists(path: Path) -> bool:
    """True when a file or folder is at ``path``."""
    store = store_for(path)
    return bool(store.filesystem.get_file_info(store.fs_path(path)).type != pafs.FileType.NotFound)


def make_dirs(folder: Path) -> None:
    """Create ``folder`` and its parents (object stores have no folders: a no-op there)."""
    store = store_for(folder)
    store.filesystem.create_dir(store.fs_path(folder), recursive=True)


def move(source: Path, target: Path) -> None:
    """Rename a file or folder within one store, replacing a file at ``target``.

    Atomic on local disks; on HDFS a replaced file is deleted first. Object stores cannot rename
    folders: there the files are copied, a stage's ``_state.json`` last, so a crash leaves a folder
    without state (a stale stage that runs again), then the source is deleted.
    """
    store = store_for(source)
    if store_for(target) is not store:
        raise UsageError(f"cannot move {source} to {target}: they are in different table stores")
    filesystem, source_path, target_path = store.filesystem, store.fs_path(source), store.fs_path(target)
    if store.location.is_local:
        filesystem.move(source_path, target_path)
        return
    if filesystem.get_file_info(source_path).type == pafs.FileType.Directory and filesystem.type_name == "s3":
        _copy_tree(filesystem, source_path, target_path)
        filesystem.delete_dir(source_path)
        return
    if filesystem.get_file_info(target_path).type == pafs.FileType.File:
        filesystem.delete_file(target_path)
    filesystem.move(source_path, target_path)


def _copy_tree(filesystem: pafs.FileSystem, source: str, target: str) -> None:
    infos = filesystem.get_file_info(pafs.FileSelector(source, recursive=True))
    files = sorted((i.path for i in infos if i.type == pafs.FileType.File), key=lambda p: ("_state" in p, p))
    for path in files:
        filesystem.copy_file(path, target + path[len(source) :])


def remove_tree(folder: Path) -> None:
    """Delete a folder and everything in it; nothing happens when it does not exist."""
    store = store_for(folder)
    if exists(folder):
        store.filesystem.delete_dir(store.fs_path(folder))


def remove_file(path: Path) -> None:
    """Delete a file; nothing happens when it does not exist."""
    store = store_for(path)
    with contextlib.suppress(FileNotFoundError):
        store.filesystem.delete_file(store.fs_path(path))


def read_text(path: Path) -> str | None:
    """A small UTF-8 file's text, or None when it does not exist."""
    store = store_for(path)
    try:
        with store.filesystem.open_input_stream(store.fs_path(path)) as handle:
            return bytes(handle.read()).decode("utf-8")
    except FileNotFoundError:
        return None


def write_text(path: Path, text: str) -> None:
    """Write a small UTF-8 file atomically (a temporary name, then a rename)."""
    store = store_for(path)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with store.filesystem.open_output_stream(store.fs_path(temporary)) as handle:
            handle.write(text.encode("utf-8"))
    except BaseException:  # a full disk: no half-written temporary left behind
        remove_file(temporary)
        raise
    move(temporary, path)


def append_text(path: Path, text: str) -> None:
    """Append UTF-8 text to a small file: in place on a local disk, by an atomic rewrite elsewhere.

    Object stores cannot append, and HDFS appends are not atomic; a ledger there is small enough to
    rewrite whole.
    """
    store = store_for(path)
    if store.location.is_local:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text)
        return
    make_dirs(path.parent)
    write_text(path, (read_text(path) or "") + text)
