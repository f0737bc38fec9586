"""The evidence store: every raw input stored once under its SHA-256, never modified."""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

from unveil.errors import InputError, NotFound
from unveil.workspace import Workspace

CHUNK = 1 << 20


class EvidenceStore:
    """Content-addressed blobs at ``evidence/<aa>/<bb>/<sha256>``, read-only once written."""

    def __init__(self, workspace: Workspace) -> None:
        self.root = workspace.evidence_dir

    def path(self, sha256: str) -> Path:
        """Where the blob with this hash lives (whether or not it exists)."""
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        """Store bytes once; return their SHA-256. Writing is atomic (temporary file, rename)."""
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{sha256}.{uuid.uuid4().hex[:8]}.tmp")
            temporary.write_bytes(data)
            self._seal(temporary, target)
        return sha256

    def put_file(self, source: Path) -> tuple[str, bool]:
        """Copy a file into the store while hashing it, in bounded memory.

        Returns:
            The SHA-256 and whether the blob is new to the store.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = self.root / f".incoming-{uuid.uuid4().hex}.tmp"
        digest = hashlib.sha256()
        try:
            with source.open("rb") as reader, temporary.open("wb") as writer:
                while chunk := reader.read(CHUNK):
                    digest.update(chunk)
                    writer.write(chunk)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise InputError(source, f"cannot read: {exc.strerror or exc}") from exc
        sha256 = digest.hexdigest()
        target = self.path(sha256)
        if target.exists():
            temporary.unlink()
            return sha256, False
        target.parent.mkdir(parents=True, exist_ok=True)
        self._seal(temporary, target)
        return sha256, True

    @staticmethod
    def _seal(temporary: Path, target: Path) -> None:
        os.chmod(temporary, 0o444)
        os.replace(temporary, target)

    def get(self, sha256: str) -> bytes:
        """The bytes of a stored blob."""
        path = self.path(sha256)
        if not path.exists():
            raise NotFound("evidence blob", sha256)
        return path.read_bytes()

    def export(self, sha256: str, destination: Path) -> Path:
        """Copy a blob out of the store (for bundles), keeping the original untouched."""
        path = self.path(sha256)
        if not path.exists():
            raise NotFound("evidence blob", sha256)
        shutil.copyfile(path, destination)
        return destination

    def blobs(self) -> Iterator[Path]:
        """Every file under the store, in a stable order (blobs and anything else found there)."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith(".incoming-"):
                yield path

    def __contains__(self, sha256: str) -> bool:
        return self.path(sha256).exists()


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
