"""One ingestion: files found, stored as evidence, read, routed to tables or quarantine, logged.

Every file is first copied into the evidence store (hashing as it goes); the reader parses that
stored copy, so what the tables hold comes from exactly the bytes kept as evidence. Each record
read ends as a stored row, a duplicate of a row already there, or a quarantine entry:
``read = stored + duplicates + quarantined``.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unveil.errors import InputError, UnveilError
from unveil.evidence.custody import CustodyLog, default_actor
from unveil.evidence.parts import stage_problems
from unveil.evidence.pending import PendingParts
from unveil.evidence.recovery import captured_blobs
from unveil.evidence.store import EvidenceStore
from unveil.ingest.deadline import FileTimeout, file_deadline
from unveil.ingest.detect import detect_format, is_skipped
from unveil.ingest.formats import BY_NAME, FORMATS
from unveil.ingest.imagestore import ImageResolver
from unveil.ingest.ledger import SourceLedger, ledger_sha256
from unveil.ingest.limits import Limits
from unveil.ingest.mapping import ColumnMapping
from unveil.ingest.quarantine import QuarantineFile
from unveil.ingest.records import Item, Rejected, Row, Source, short_hash
from unveil.ingest.sinks import PART_ROWS, TableSink
from unveil.ingest.store import STAGE, ensure_ingest_tables, record_ingest_state, set_aside
from unveil.manifest import Manifest, read_manifest
from unveil.pipeline import workspace_lock
from unveil.progress import Progress, SilentProgress
from unveil.tables import part_sha256 as part_sha256_of
from unveil.text import MAX_ANALYSED_CHARS
from unveil.workspace import Workspace

CAPTURE_BATCH = 1000


@dataclass
class IngestSummary:
    """Counts of one ingestion: read = stored + duplicates + quarantined.

    ``statistics`` counts rows of official statistics handed to the stats module; ``tables`` the
    rows stored per table (images a post refers to included); ``skipped`` files not ingested and why.
    """

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    statistics: int = 0
    files: int = 0
    new_evidence: int = 0
    tables: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def ingest(
    workspace: Workspace,
    sources: Sequence[Path],
    progress: Progress | None = None,
    *,
    format: str = "auto",
    mapping: ColumnMapping | None = None,
    actor: str | None = None,
    limits: Limits | None = None,
    part_rows: int = PART_ROWS,
) -> IngestSummary:
    """Ingest files and folders into the workspace's ingest tables, evidence store and custody log.

    Args:
        workspace: the workspace written to (its write lock is held throughout).
        sources: files and folders (read recursively).
        progress: receives progress per file.
        format: ``auto`` (by name and content) or one reader for every file (see ``FORMATS``).
        mapping: a column mapping for CSV, Excel and JSON-lines files.
        actor: who ingests, for the custody log (default: the OS user).
        limits: size bounds (default: from the workspace settings).
        part_rows: rows per Parquet part written.
    """
    if format not in FORMATS:
        raise InputError(format, f"unknown format (one of {', '.join(FORMATS)})")
    files = list(_expand(sources))
    limits = limits or Limits(
        max_record_bytes=workspace.settings.max_record_bytes, max_file_seconds=workspace.settings.max_file_seconds
    )
    run = _Run(workspace, progress or SilentProgress(), limits, mapping, actor or default_actor(), part_rows)
    with workspace_lock(workspace):
        ensure_ingest_tables(workspace, run.actor)
        run.start()
        run.progress.start("ingest", len(files))
        for path, root in files:
            run.ingest_file(path, root, format)
            run.progress.advance(1)
        run.progress.finish()
        run.finish()
    run.ingest_statistics()
    return run.summary


def _expand(sources: Sequence[Path]) -> Iterator[tuple[Path, Path]]:
    """Each file with the folder its name is taken relative to."""
    for source in sources:
        source = Path(source)
        if source.is_dir():
            yield from ((path, source) for path in sorted(source.rglob("*")) if not path.is_dir())
        elif source.exists() or source.is_symlink():
            yield source, source.parent
        else:
            raise InputError(source, "no such file or folder")


def _why_not_readable(path: Path) -> str | None:
    """Why a path found is not a file that can be ingested (a FIFO, a dangling link...), or None."""
    if path.is_symlink() and not path.exists():
        return "dangling symbolic link"
    if not path.is_file():
        return "not a regular file (FIFO, socket or device)"
    return None


def origin_of(path: Path) -> tuple[str, str | None]:
    """The resolved path recorded as a capture's origin, and the link followed to it (or None)."""
    given = Path(os.path.abspath(path))
    resolved = path.resolve()
    return str(resolved), (str(given) if given != resolved else None)


class _Run:
    """State of one ingestion: sinks, image cache, pending custody captures, the summary."""

    def __init__(
        self,
        workspace: Workspace,
        progress: Progress,
        limits: Limits,
        mapping: ColumnMapping | None,
        actor: str,
        part_rows: int,
    ) -> None:
        self.workspace = workspace
        self.progress = progress
        self.limits = limits
        self.mapping = mapping
        self.actor = actor
        self.store = EvidenceStore(workspace)
        self.custody = CustodyLog(workspace)
        self.summary = IngestSummary()
        self.run_id = uuid.uuid4().hex
        self.pending = PendingParts(workspace, STAGE, self.run_id)
        self.sinks = {
            t: TableSink(workspace, t, self._count, part_rows, self.pending.add)
            for t in ("posts", "images", "transfers", "entities")
        }
        self.images = ImageResolver(self.store, limits)
        self.captures: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.aliases: list[list[str]] = []
        self.captured: set[str] = set()
        self.origins: set[str] = set()
        self.sources: list[str] = []
        self.occurrences: dict[str, int] = {}
        self.statistics: list[tuple[Path, str]] = []
        self.manifests: dict[Path, Manifest] = {}  # per source folder: what its producer says is not evidence
        self.ledger = SourceLedger(workspace)
        self.extra_detail: dict[str, Any] = {}  # added to the ``ingest`` custody event

    def start(self) -> None:
        """Under the lock: set aside ingest parts changed outside the tool, load the ledger and custody."""
        problems = stage_problems(self.workspace, "ingest", full=True)
        lost = set_aside(self.workspace, problems, self.actor) if problems else set()
        if lost:
            self.summary.notes.append(
                f"{len(lost)} ingest part(s) changed or removed outside the tool: recorded in the custody log; "
                "their sources are read again"
            )
        self.ledger = SourceLedger(self.workspace, lost)
        self.load_custody()

    def load_custody(self) -> None:
        """The blobs already captured and the file names already recorded for them (aliases included)."""
        self.captured = captured_blobs(self.custody)
        for event in self.custody.entries():
            detail = event.get("detail") if isinstance(event, dict) else None
            if not isinstance(detail, dict):
                continue
            if event.get("action") == "capture" and isinstance(detail.get("sources"), dict):
                self.origins.update(short_hash(sha, str(origin)) for sha, origin in detail["sources"].items())
            elif event.get("action") == "alias" and isinstance(detail.get("aliases"), list):
                self.origins.update(short_hash(*map(str, pair[:2])) for pair in detail["aliases"] if len(pair) >= 2)

    def _count(self, stored: int, duplicates: int) -> None:
        self.summary.stored += stored
        self.summary.duplicates += duplicates

    def ingest_file(self, path: Path, root: Path, format: str) -> None:
        """Store one file as evidence, read it, route its records."""
        relative = path.relative_to(root)
        if root not in self.manifests:
            self.manifests[root] = read_manifest(root)
        reason = is_skipped(relative, self.manifests[root]) or _why_not_readable(path)
        if reason:
            self.summary.skipped.append(f"{path}: {reason}")
            return
        origin, link = origin_of(path)
        try:
            sha256, _ = self.store.put_file(path, origin)
        except InputError as exc:
            self.summary.skipped.append(f"{path}: {exc.reason}")
            return
        self.summary.files += 1
        self.sources.append(sha256)
        if sha256 not in self.captured:
            self._capture(sha256, origin, link)
        elif short_hash(sha256, origin) not in self.origins:  # known bytes under a new name
            self.origins.add(short_hash(sha256, origin))
            self.aliases.append([sha256, origin] + ([link] if link else []))
        fmt = detect_format(path, relative) if format == "auto" else format
        if fmt == "statistics":
            self.statistics.append((path, sha256))
            return
        self.read_source(path, root, relative.as_posix(), sha256, fmt)

    def read_source(self, path: Path, root: Path, name: str, sha256: str, fmt: str | None) -> None:
        """Read one stored blob (unless the ledger knows it was read this way) and route its records.

        Args:
            path: the file's path when ingested (image references and platform hints start from it;
                the bytes read are the evidence copy).
            root: the folder the file was found in.
            name: its name relative to ``root`` (``source_file``).
            sha256: its evidence blob.
            fmt: the reader (None: unsupported).
        """
        key = self.ledger.key(sha256, fmt or "unsupported", self.mapping, name)
        known = self.ledger.records(key)
        if known is not None:  # read before in the same way: every record is a duplicate
            self.summary.read += known
            self.summary.duplicates += known
            return
        read_before = self.summary.read
        source = Source(
            path,
            self.store.path(sha256),
            name,
            sha256,
            self.limits,
            None,  # a record that names no country keeps none (extraction weighs the post's own evidence)
            self.mapping,
        )
        items = (
            read(source) if (read := _reader(fmt)) else iter([Rejected(1, f"unsupported file type {path.suffix!r}")])
        )
        self.occurrences = {}
        seconds = self.limits.max_file_seconds
        with QuarantineFile(self.workspace, sha256, source.name) as quarantine, file_deadline(seconds) as deadline:
            number = 0
            while True:
                try:
                    item = deadline.next_item(items)
                except StopIteration:
                    break
                except FileTimeout:  # a slow (hostile) file costs its rest, not the batch nor the lock
                    reason = f"time limit of {seconds:g} s per file reached after record {number}: the rest not read"
                    self._route(Rejected(number + 1, reason), source, root, quarantine)
                    break
                except Exception as exc:  # a reader's bug on a hostile file costs that file, not the batch
                    reason = f"file unreadable after record {number}: {type(exc).__name__}: {exc}"
                    self._route(Rejected(number + 1, reason), source, root, quarantine)
                    break
                number = max(number, item.record_no)
                try:
                    self._route(item, source, root, quarantine)
                except OSError:
                    raise  # a full disk or a failing device stops the ingestion (recovered on the next command)
                except Exception as exc:  # a value no row can hold: that file's rest, as for a reader's bug
                    reason = f"file unreadable at record {item.record_no}: {type(exc).__name__}: {exc}"
                    self.summary.read -= 1  # the record is counted once, as quarantined
                    self._route(Rejected(item.record_no, reason), source, root, quarantine)
                    break
        mapping = dataclasses.asdict(self.mapping) if self.mapping is not None else None
        where = {"path": os.path.abspath(path), "root": os.path.abspath(root)}
        how = {"sha256": sha256, "format": fmt, **where, "mapping": mapping}
        self.ledger.add(key, self.summary.read - read_before, source.name, how)

    def _route(self, item: Item, source: Source, root: Path, quarantine: QuarantineFile) -> None:
        self.summary.read += 1
        if isinstance(item, Row) and item.image_bytes is not None:
            item = self._image_row(item, source)
        if isinstance(item, Row) and item.table == "posts":
            item = _within_analysed(item)
        if isinstance(item, Rejected):
            if quarantine.add(item):
                self.summary.quarantined += 1
            else:
                self.summary.duplicates += 1
            return
        row = self._with_provenance(item, source)
        if item.table == "posts":
            row["images"] = self._post_images(item, row["post_id"], source, root)
        self.sinks[item.table].add(row)

    def _with_provenance(self, item: Row, source: Source) -> dict[str, Any]:
        row = {**item.values, "source_file": source.name, "record_no": item.record_no}
        row.setdefault("evidence_sha256", source.sha256)
        key = item.key
        if key.startswith("sha:"):  # no id: the n-th identical record of a file is its own record
            seen = self.occurrences[key] = self.occurrences.get(key, 0) + 1
            key = key if seen == 1 else f"{key}#{seen}"
        if item.table == "posts":
            row["post_id"] = "p" + short_hash(key)
            row["image_refs"] = item.image_refs
            if key.startswith("id:"):  # an id: another title or text under it is a new version
                row["__versionable"] = True
        elif item.table == "transfers":
            row["transfer_id"] = "t" + short_hash(key)
        return row

    def _image_row(self, item: Row, source: Source) -> Row | Rejected:
        described = self.images.store_bytes(item.image_bytes or b"", f"{source.sha256}#record{item.record_no}")
        if isinstance(described, str):
            return Rejected(item.record_no, described)
        sha256, width, height, kind = described
        if sha256 not in self.captured:
            self._capture(sha256, f"{origin_of(source.path)[0]}#record{item.record_no}")
        reference = item.values.get("url") or source.name
        values = {"image_sha256": sha256, "post_id": None, "evidence_sha256": sha256, "width": width, "height": height}
        values.update({"format": kind, "image_id": "i" + short_hash(sha256, ""), "reference": reference})
        return Row("images", item.record_no, "", values)

    def _post_images(self, item: Row, post_id: str, source: Source, root: Path) -> list[str]:
        found: list[str] = []
        for reference in item.image_refs:
            image = self.images.resolve(reference, item.image_base or source.path.parent, source.path, root)
            if image is None:
                continue
            sha256, width, height, kind, _ = image
            if sha256 not in self.captured:
                self._capture(sha256, reference)
            found.append(sha256)
            row: dict[str, Any] = {
                "image_sha256": sha256,
                "post_id": post_id,
                "source_file": source.name,
                "evidence_sha256": sha256,
            }
            row.update({"width": width, "height": height, "format": kind, "record_no": item.record_no})
            row.update({"image_id": "i" + short_hash(sha256, post_id), "reference": reference})
            self.sinks["images"].add(row, counted=False)
        return found

    def _capture(self, sha256: str, origin: str, link: str | None = None) -> None:
        self.summary.new_evidence += 1
        self.captured.add(sha256)
        self.origins.add(short_hash(sha256, origin))
        self.captures[sha256] = origin
        if link:
            self.links[sha256] = link
        if len(self.captures) >= CAPTURE_BATCH:
            self._flush_captures()

    def _flush_captures(self) -> None:
        if self.captures:
            detail: dict[str, Any] = {"sources": self.captures}
            if self.links:
                detail["links"] = self.links
            self.custody.append(self.actor, "capture", list(self.captures), detail)
            self.captures, self.links = {}, {}
        if self.aliases:
            objects = sorted({pair[0] for pair in self.aliases})
            self.custody.append(self.actor, "alias", objects, {"aliases": self.aliases})
            self.aliases = []

    def finish(self) -> None:
        """Write what is buffered, log the ingestion, record the tables' new hashes."""
        for sink in self.sinks.values():
            sink.flush()
        self._flush_captures()
        self.store.clear_intents()  # every blob stored has its capture event now
        summary = self.summary
        summary.tables = {name: sink.stored for name, sink in self.sinks.items()}
        counts = {k: getattr(summary, k) for k in ("read", "stored", "duplicates", "quarantined", "files")}
        parts = {name: sink.written for name, sink in self.sinks.items() if sink.written}
        part_sha256 = {
            name: {part: part_sha256_of(sink.ref.path / part) for part in sink.written}
            for name, sink in self.sinks.items()
            if sink.written
        }
        detail: dict[str, Any] = {**counts, "parts": parts, "part_sha256": part_sha256, "run": self.run_id}
        detail.update(self.extra_detail)
        if summary.skipped:
            detail["skipped"] = summary.skipped[:1000]
        written = [part for names in parts.values() for part in names]
        ledger_text = self.ledger.pending_text(self.run_id, written)
        if ledger_text:  # the ledger lines are authenticated too: a rebuild trusts only these
            detail["ledger_sha256"] = ledger_sha256(ledger_text)
        self.custody.append(self.actor, "ingest", sorted(set(self.sources)), detail)  # the commit point
        self.ledger.commit(self.run_id, written)
        record_ingest_state(self.workspace, parts)
        self.pending.done()

    def ingest_statistics(self) -> None:
        """Hand statistics files to the stats module (outside the ingest lock, which it may take)."""
        from unveil.stats import ingest_statistics

        for path, _ in self.statistics:
            try:
                self.summary.statistics += int(ingest_statistics(self.workspace, path))
            except UnveilError as exc:
                self.summary.notes.append(f"{path}: statistics not read: {exc}")


def _reader(fmt: str | None) -> Callable[[Source], Iterator[Item]] | None:
    reader = BY_NAME.get(fmt) if fmt else None
    return reader.read if reader else None


def _within_analysed(row: Row) -> Item:
    """A post whose text is longer than the extraction analyses goes to quarantine, never half read."""
    size = len(row.values.get("text") or "")
    if size <= MAX_ANALYSED_CHARS:
        return row
    return Rejected(
        row.record_no,
        f"text of {size:,} characters: longer than the {MAX_ANALYSED_CHARS:,} the extraction analyses "
        "(the file stays in evidence)",
    )
