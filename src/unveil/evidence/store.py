"""The evidence store: every raw input stored once under its SHA-256, never modified."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

from unveil.errors import InputError, NotFound
from unveil.workspace import Workspace

CHUNK = 1 << 20
INTENT_FILE = ".intent.jsonl"


class EvidenceStore:
    """Content-addressed blobs at ``evidence/<aa>/<bb>/<sha256>``, read-only once written."""

    def __init__(self, workspace: Workspace) -> None:
        self.root = workspace.evidence_dir

    def path(self, sha256: str) -> Path:
        """Where the blob with this hash lives (whether or not it exists)."""
        return self.root / sha256[:2] / sha256[2:4] / sha256

    @property
    def intent_path(self) -> Path:
        """The write-ahead journal of blobs stored whose capture event may not be written yet."""
        return self.root / INTENT_FILE

    def put(self, data: bytes, origin: str = "") -> str:
        """Store bytes once; return their SHA-256. Writing is atomic (temporary file, rename).

        A new blob is first named in the intent journal with its ``origin``, so that a crash
        before its capture event is written leaves a blob that the next command captures.
        """
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{sha256}.{uuid.uuid4().hex[:8]}.tmp")
            temporary.write_bytes(data)
            self._intend(sha256, origin)
            self._seal(temporary, target)
        return sha256

    def put_file(self, source: Path, origin: str = "") -> tuple[str, bool]:
        """Copy a file into the store while hashing it, in bounded memory.

        Returns:
            The SHA-256 and whether the blob is new to the store.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = self.root / f".incoming-{uuid.uuid4().hex}.tmp"
        digest = hashlib.sha256()
        try:
            reader = source.open("rb")
        except OSError as exc:
            raise InputError(source, f"cannot read: {exc.strerror or exc}") from exc
        try:
            with reader, temporary.open("wb") as writer:
                while True:
                    try:
                        chunk = reader.read(CHUNK)
                    except OSError as exc:
                        raise InputError(source, f"cannot read: {exc.strerror or exc}") from exc
                    if not chunk:
                        break
                    digest.update(chunk)
                    writer.write(chunk)  # a full disk raises OSError here: the ingestion stops
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        sha256 = digest.hexdigest()
        target = self.path(sha256)
        if target.exists():
            temporary.unlink()
            return sha256, False
        target.parent.mkdir(parents=True, exist_ok=True)
        self._intend(sha256, origin or str(source))
        self._seal(temporary, target)
        return sha256, True

    def _intend(self, sha256: str, origin: str) -> None:
        """Name a blob in the intent journal before it appears in the store (see ``recover``)."""
        line = json.dumps({"sha256": sha256, "origin": origin}, ensure_ascii=False) + "\n"
        with self.intent_path.open("a", encoding="utf-8") as handle:
            handle.write(line)

    def intents(self) -> dict[str, str]:
        """Blobs named in the intent journal and their origins (unreadable lines skipped)."""
        found: dict[str, str] = {}
        if not self.intent_path.exists():
            return found
        for line in self.intent_path.read_text("utf-8", "replace").splitlines():
            try:
                entry = json.loads(line)
                found[str(entry["sha256"])] = str(entry.get("origin", ""))
            except (ValueError, KeyError, TypeError):
                continue
        return found

    def clear_intents(self) -> None:
        """Forget the journal once every blob in it has a capture event."""
        self.intent_path.unlink(missing_ok=True)

    def clean_temporaries(self) -> int:
        """Remove temporary files left by interrupted copies; return how many."""
        if not self.root.is_dir():
            return 0
        removed = 0
        for path in [*self.root.glob(".incoming-*.tmp"), *self.root.glob("*/*/.*.tmp")]:
            path.unlink(missing_ok=True)
            removed += 1
        return removed

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
            if path.is_file() and not path.name.startswith(".incoming-") and path.name != INTENT_FILE:
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
