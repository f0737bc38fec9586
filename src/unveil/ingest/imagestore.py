"""Images that posts refer to: found beside the post (never fetched), described, stored as evidence."""

from __future__ import annotations

import hashlib
from pathlib import Path

from unveil.evidence.store import EvidenceStore
from unveil.ingest.limits import Limits
from unveil.ingest.readers.images import describe

CACHE_ENTRIES = 100_000
Described = tuple[str, int, int, str]


class ImageResolver:
    """Resolves image references to stored, described blobs, remembering files already seen."""

    def __init__(self, store: EvidenceStore, limits: Limits) -> None:
        self.store = store
        self.limits = limits
        self._by_path: dict[Path, Described | None] = {}

    def store_bytes(self, data: bytes, origin: str = "") -> Described | str:
        """Describe and store an image's bytes: ``(sha256, width, height, format)`` or why not."""
        described = describe(data)
        if isinstance(described, str):
            return described
        return (self.store.put(data, origin), *described)

    def resolve(self, reference: str, base: Path, source: Path, root: Path) -> tuple[str, int, int, str, bool] | None:
        """The stored image a reference names, and whether it was new; None when not found locally.

        URLs are never fetched; a relative path is looked for from ``base`` and from each folder
        between the source file and ``root``, and never outside ``root``.
        """
        if "://" in reference or reference.startswith(("data:", "//")) or not reference.strip():
            return None
        path = self._find(reference, base, source, root)
        if path is None:
            return None
        if path in self._by_path:
            cached = self._by_path[path]
            return None if cached is None else (*cached, False)
        if len(self._by_path) >= CACHE_ENTRIES:
            self._by_path.clear()
        new = False
        described: Described | None = None
        if path.stat().st_size <= self.limits.max_document_bytes:
            data = path.read_bytes()
            result = describe(data)
            if not isinstance(result, str):
                new = hashlib.sha256(data).hexdigest() not in self.store
                described = (self.store.put(data, str(path)), *result)
        self._by_path[path] = described
        return None if described is None else (*described, new)

    @staticmethod
    def _find(reference: str, base: Path, source: Path, root: Path) -> Path | None:
        root = root.resolve()
        relative = reference.lstrip("/")
        folders = [base, *(folder for folder in source.parents if folder.resolve().is_relative_to(root))]
        for folder in folders:
            candidate = (folder / relative).resolve()
            if candidate.is_relative_to(root) and candidate.is_file():
                return candidate
        return None
