"""The custody log: append-only JSON lines, each carrying the SHA-256 of the line before it."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from unveil import __version__
from unveil.workspace import Workspace

GENESIS = "0" * 64


class CustodyLog:
    """Events (capture, ingest, export, verification) in ``custody.log``, hash-chained."""

    def __init__(self, workspace: Workspace) -> None:
        self.path = workspace.custody_log

    def append(
        self, actor: str, action: str, objects: Sequence[str], detail: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Append one event under an exclusive lock and return it."""
        self.path.touch(exist_ok=True)
        with self.path.open("r+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            lines = handle.read().splitlines()
            previous = hashlib.sha256(lines[-1]).hexdigest() if lines else GENESIS
            event = {
                "seq": len(lines) + 1,
                "at": datetime.now(UTC).isoformat(timespec="microseconds"),
                "actor": actor,
                "action": action,
                "objects": list(objects),
                "detail": detail or {},
                "tool": f"unveil {__version__}",
                "prev": previous,
            }
            handle.seek(0, os.SEEK_END)
            handle.write(json.dumps(event, sort_keys=True, ensure_ascii=False).encode() + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        return event

    def entries(self) -> list[dict[str, Any]]:
        """Every event, in order."""
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_bytes().splitlines() if line.strip()]
