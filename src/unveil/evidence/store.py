"""The evidence store: every raw input stored once under its SHA-256, never modified."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

from unveil.errors import NotFound
from unveil.workspace import Workspace


class EvidenceStore:
    """Content-addressed blobs at ``evidence/<aa>/<bb>/<sha256>``."""

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
            os.chmod(temporary, 0o444)
            os.replace(temporary, target)
        return sha256

    def get(self, sha256: str) -> bytes:
        """The bytes of a stored blob."""
        path = self.path(sha256)
        if not path.exists():
            raise NotFound("evidence blob", sha256)
        return path.read_bytes()

    def __contains__(self, sha256: str) -> bool:
        return self.path(sha256).exists()
