"""The custody log: append-only JSON lines, each carrying the SHA-256 of the line before it.

Each event has ``seq`` (1, 2, 3...), ``at`` (UTC), ``actor``, ``action`` (capture, ingest,
export, verification...), ``objects`` (hashes), ``detail``, ``tool`` and ``prev`` (SHA-256 of the
previous line, 64 zeros for the first). The hash and number of the last line are also kept in
``custody.head`` (signed with the installation's key, see ``unveil.evidence.signing``), so that
removing or editing the last line is detected too.

An append is a small transaction that a crash or a full disk cannot leave half done:

1. the new head is written to ``.custody.head.tmp`` and fsync'ed (a full disk fails here, before
   the log is touched);
2. the line is appended and fsync'ed (a failed write is cut back to the old length);
3. the temporary head is renamed over ``custody.head`` and the folder fsync'ed.

A crash between 2 and 3 leaves the log one line ahead of the head with the temporary head naming
that line: the next append (or ``settle``) completes the rename. A line cut by a crash (no final
newline) that the head does not name was never committed: it is cut off and a
``custody.repair`` event records its length and hash; it is never glued to.

When a time-stamping authority is configured (``$UNVEIL_TSA_COMMAND``, see
``unveil.evidence.timestamp``) the new head's bytes are stamped before step 1 (an authority that
fails leaves everything unchanged) and the token is written durably to ``custody.head.tsr`` after
step 3. A crash between the two, or an append made without the authority, leaves a token that
covers an older head: ``verify`` says so.
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
from unveil.errors import IntegrityError
from unveil.workspace import Workspace

GENESIS = "0" * 64
HEAD_FILE = "custody.head"
HEAD_TEMPORARY = f".{HEAD_FILE}.tmp"
HEAD_TOKEN = f"{HEAD_FILE}.tsr"


def default_actor() -> str:
    """The operating-system user running the tool."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def line_hash(line: bytes) -> str:
    """The hash that the next event stores as ``prev`` (of the line without its newline)."""
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (ignored where folders cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _stamp(head: bytes) -> bytes | None:
    """An RFC 3161 token over a head's bytes when an authority is configured, else None."""
    from unveil.evidence.timestamp import stamp, tsa_command

    return stamp(head)[0] if tsa_command() is not None else None


def write_durably(path: Path, data: bytes) -> None:
    """Write a small file atomically and durably: temporary name, fsync, rename, fsync the folder."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


class CustodyLog:
    """Events (capture, ingest, export, verification) in ``custody.log``, hash-chained."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.path = workspace.custody_log
        self.head_path = workspace.root / HEAD_FILE
        self.head_temporary = workspace.root / HEAD_TEMPORARY

    def append(
        self, actor: str, action: str, objects: Sequence[str], detail: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Append one event under an exclusive lock and return it (see the module's transaction)."""
        self.path.touch(exist_ok=True)
        with self.path.open("r+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            notes = self._settle(handle)
            if notes and notes[-1].startswith("!"):
                raise IntegrityError(str(self.path), [note.lstrip("!") for note in notes])
            return self._append_locked(handle, actor, action, objects, detail)

    def settle(self) -> list[str]:
        """Finish or undo what a crash left half done; return what was done (or is wrong, with ``!``)."""
        if not self.path.exists():
            self.head_temporary.unlink(missing_ok=True)
            return []
        with self.path.open("r+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            return self._settle(handle)

    def _append_locked(
        self, handle: IO[bytes], actor: str, action: str, objects: Sequence[str], detail: dict[str, Any] | None
    ) -> dict[str, Any]:
        last = _last_line(handle)
        previous_seq = _seq_of(last)
        if last is not None and previous_seq == 0:
            raise IntegrityError(str(self.path), ["the last line is not a valid event: run `unveil verify`"])
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
        head = self._head_bytes(previous_seq + 1, line_hash(line))
        token = _stamp(head)
        with self.head_temporary.open("wb") as temporary:  # 1. a full disk fails here, log untouched
            temporary.write(head)
            temporary.flush()
            os.fsync(temporary.fileno())
        end = handle.seek(0, os.SEEK_END)
        try:  # 2.
            handle.write(line + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        except OSError:
            handle.truncate(end)
            os.fsync(handle.fileno())
            self.head_temporary.unlink(missing_ok=True)
            raise
        os.replace(self.head_temporary, self.head_path)  # 3.
        fsync_folder(self.head_path.parent)
        if token is not None:
            write_durably(self.head_path.with_name(HEAD_TOKEN), token)
        return event

    def _head_bytes(self, seq: int, sha256: str) -> bytes:
        from unveil.evidence.signing import sign_head

        return (json.dumps(sign_head(seq, sha256), sort_keys=True) + "\n").encode()

    def _settle(self, handle: IO[bytes]) -> list[str]:
        notes: list[str] = []
        size = handle.seek(0, os.SEEK_END)
        if size:
            handle.seek(size - 1)
            if handle.read(1) != b"\n":
                notes.extend(self._cut_torn_line(handle, size))
                if notes and notes[-1].startswith("!"):
                    return notes
        if self.head_temporary.exists():
            notes.extend(self._finish_head(handle))
        return notes

    def _cut_torn_line(self, handle: IO[bytes], size: int) -> list[str]:
        """A last line without its newline: an append cut by a crash or a full disk."""
        data = _tail(handle, size)
        cut = data.rfind(b"\n") + 1  # 0 when the torn line is the only one
        start = size - (len(data) - cut)
        torn = data[cut:]
        complete = data[:cut].rstrip(b"\n").rsplit(b"\n", 1)[-1] if cut else b""
        head = self.head()
        committed_seq, committed_hash = (_seq_of(complete), line_hash(complete)) if complete else (0, GENESIS)
        if head is not None and (head.get("seq"), head.get("sha256")) == (_seq_of(torn), line_hash(torn)):
            handle.seek(0, os.SEEK_END)
            handle.write(b"\n")  # the head names it: the line is whole but for its newline
            handle.flush()
            os.fsync(handle.fileno())
            return [f"custody.log: the newline after seq {head.get('seq')} restored"]
        named = (head is None and not complete) or (
            head is not None and (head.get("seq"), head.get("sha256")) == (committed_seq, committed_hash)
        )
        if not named:
            return [f"!custody.log: torn last line of {len(torn):,} bytes that custody.head does not explain"]
        handle.truncate(start)
        handle.flush()
        os.fsync(handle.fileno())
        self.head_temporary.unlink(missing_ok=True)
        detail = {
            "removed_bytes": len(torn),
            "removed_sha256": hashlib.sha256(torn).hexdigest(),
            "reason": "torn last line: an append interrupted before it was committed",
        }
        self._append_locked(handle, default_actor(), "custody.repair", [], detail)
        return [f"custody.log: a torn last line of {len(torn):,} bytes (never committed) removed and recorded"]

    def _finish_head(self, handle: IO[bytes]) -> list[str]:
        """A temporary head left by a crash: rename it if it names the last line, else drop it."""
        try:
            pending = json.loads(self.head_temporary.read_bytes())
        except (OSError, ValueError):
            pending = None
        last = _last_line(handle)
        if (
            isinstance(pending, dict)
            and last is not None
            and (pending.get("seq"), pending.get("sha256")) == (_seq_of(last), line_hash(last))
        ):
            os.replace(self.head_temporary, self.head_path)
            fsync_folder(self.head_path.parent)
            return [f"custody.head: brought up to seq {pending.get('seq')} (a commit interrupted after its line)"]
        self.head_temporary.unlink(missing_ok=True)
        return []

    def head(self) -> dict[str, Any] | None:
        """The recorded last line (``seq``, ``sha256``, and the signature fields), or None when never written."""
        if not self.head_path.exists():
            return None
        try:
            value = json.loads(self.head_path.read_text("utf-8"))
        except ValueError:
            return {"seq": -1, "sha256": "", "unreadable": True}
        return value if isinstance(value, dict) else {"seq": -1, "sha256": "", "unreadable": True}

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


def _tail(handle: IO[bytes], size: int) -> bytes:
    """The end of the file from the start of its second-to-last line (or the whole file)."""
    position, tail = size, b""
    while position > 0:
        step = min(65536, position)
        position -= step
        handle.seek(position)
        tail = handle.read(step) + tail
        if tail.count(b"\n") >= 2:
            break
    if position > 0:
        first = tail.find(b"\n") + 1
        tail = tail[first:]
    return tail


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
