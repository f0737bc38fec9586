"""The custody log: append-only JSON lines, each carrying the SHA-256 of the line before it.

Each event has ``seq`` (1, 2, 3...), ``at`` (UTC), ``actor``, ``action`` (capture, ingest,
export, verification...), ``objects`` (hashes), ``detail``, ``tool`` and ``prev`` (SHA-256 of the
previous line, 64 zeros for the first). The hash and number of the last line are also kept in
``custody.head``, so that removing or editing the last line is detected too.
"""

from __future__ import annotations

import fcntl
import getpass
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from unveil import __version__
from unveil.workspace import Workspace

GENESIS = "0" * 64
HEAD_FILE = "custody.head"


def default_actor() -> str:
    """The operating-system user running the tool."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def line_hash(line: bytes) -> str:
    """The hash that the next event stores as ``prev`` (of the line without its newline)."""
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


class CustodyLog:
    """Events (capture, ingest, export, verification) in ``custody.log``, hash-chained."""

    def __init__(self, workspace: Workspace) -> None:
        self.path = workspace.custody_log
        self.head_path = workspace.root / HEAD_FILE

    def append(
        self, actor: str, action: str, objects: Sequence[str], detail: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Append one event under an exclusive lock and return it."""
        self.path.touch(exist_ok=True)
        with self.path.open("r+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            last = _last_line(handle)
            previous_seq = _seq_of(last)
            event: dict[str, Any] = {
                "seq": previous_seq + 1,
                "at": datetime.now(UTC).isoformat(timespec="microseconds"),
                "actor": actor,
                "action": action,
                "objects": list(objects),
                "detail": detail or {},
                "tool": f"unveil {__version__}",
                "prev": line_hash(last) if last else GENESIS,
            }
            line = json.dumps(event, sort_keys=True, ensure_ascii=False).encode()
            handle.seek(0, os.SEEK_END)
            handle.write(line + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
            self._write_head(previous_seq + 1, line_hash(line))
        return event

    def _write_head(self, seq: int, sha256: str) -> None:
        temporary = self.head_path.with_name(f".{HEAD_FILE}.tmp")
        temporary.write_text(json.dumps({"seq": seq, "sha256": sha256}) + "\n", "utf-8")
        os.replace(temporary, self.head_path)

    def head(self) -> dict[str, Any] | None:
        """The recorded last line (``seq`` and ``sha256``), or None when never written."""
        if not self.head_path.exists():
            return None
        value: dict[str, Any] = json.loads(self.head_path.read_text("utf-8"))
        return value

    def lines(self) -> Iterator[bytes]:
        """Raw lines of the log (without newlines), streamed."""
        if not self.path.exists():
            return
        with self.path.open("rb") as handle:
            for line in handle:
                yield line.rstrip(b"\n")

    def entries(self) -> list[dict[str, Any]]:
        """Every event, in order."""
        return [json.loads(line) for line in self.lines() if line.strip()]


def _seq_of(line: bytes | None) -> int:
    """The ``seq`` of an event line (0 when there is none or it is unreadable)."""
    try:
        seq = json.loads(line).get("seq", 0) if line else 0
    except (ValueError, AttributeError):
        return 0
    return seq if isinstance(seq, int) else 0


def _last_line(handle: IO[bytes]) -> bytes | None:
    """The last non-empty line of a file, read backwards from its end."""
    end = handle.seek(0, os.SEEK_END)
    position, tail = end, b""
    while position > 0:
        step = min(65536, position)
        position -= step
        handle.seek(position)
        tail = handle.read(step) + tail
        stripped = tail.rstrip(b"\n")
        if b"\n" in stripped:
            return stripped.rsplit(b"\n", 1)[1]
    stripped = tail.rstrip(b"\n")
    return stripped or None


def chain_hash_of(path: Path) -> str:
    """Hash of the last line of a custody log file (``GENESIS`` when empty)."""
    with path.open("rb") as handle:
        last = _last_line(handle)
    return line_hash(last) if last else GENESIS
