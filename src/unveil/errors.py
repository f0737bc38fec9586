"""The project's errors: one base class, typed subclasses that carry their data.

Every error a user can cause is an ``UnveilError``. The CLI turns it into a one-line message and
its ``exit_code``; the web app turns it into a page or JSON with its ``http_status``. Nothing else
maps errors to output.

    UnveilError
     ├── UsageError             wrong option or argument value
     ├── WorkspaceError         the workspace folder is missing, not a workspace, or already one
     ├── ConfigError            settings failed validation (``errors`` holds each problem)
     ├── InputError             a source file or record cannot be read (``path``, ``record``)
     ├── StageError             a pipeline stage failed (``stage``)
     ├── EngineUnavailable      an optional engine is not installed (``install_hint``)
     ├── IntegrityError         evidence or custody log failed verification (``problems``)
     ├── NotFound               an object does not exist (``kind``, ``key``)
     ├── NotComputed            a table no stage has written yet (``table``)
     ├── AuthenticationError    login failed or is required
     └── PermissionDenied       the role may not do this (``role``, ``action``)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class UnveilError(Exception):
    """Base class of every error a user can cause."""

    exit_code: int = 2
    http_status: int = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(UnveilError):
    """An option or argument has a value that cannot be used."""


class WorkspaceError(UnveilError):
    """The workspace folder is missing, is not a workspace, or already exists."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = Path(path)
        self.problem = problem


class ConfigError(UnveilError):
    """Settings failed validation."""

    def __init__(self, source: str, errors: Sequence[str]) -> None:
        super().__init__(f"invalid settings in {source}: " + "; ".join(errors))
        self.source = source
        self.errors = list(errors)


class InputError(UnveilError):
    """A source file, or one record in it, cannot be read."""

    def __init__(self, path: Path | str, reason: str, record: int | None = None) -> None:
        where = f"{path}" if record is None else f"{path}, record {record}"
        super().__init__(f"{where}: {reason}")
        self.path = Path(path)
        self.record = record
        self.reason = reason


class StageError(UnveilError):
    """A pipeline stage failed."""

    exit_code = 1
    http_status = 500

    def __init__(self, stage: str, reason: str) -> None:
        super().__init__(f"stage {stage!r} failed: {reason}")
        self.stage = stage
        self.reason = reason


class EngineUnavailable(UnveilError):
    """An optional engine is not installed."""

    def __init__(self, engine: str, install_hint: str) -> None:
        super().__init__(f"the {engine} engine is not available: {install_hint}")
        self.engine = engine
        self.install_hint = install_hint


class IntegrityError(UnveilError):
    """Evidence, a custody log or a bundle failed verification."""

    exit_code = 1
    http_status = 409

    def __init__(self, subject: str, problems: Sequence[str]) -> None:
        shown = "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
        super().__init__(f"{subject} failed verification: {shown}")
        self.subject = subject
        self.problems = list(problems)


class NotFound(UnveilError):
    """An object does not exist."""

    http_status = 404

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"no {kind} {key!r}")
        self.kind = kind
        self.key = key


class NotComputed(UnveilError):
    """A table a page or command needs has not been written by its stage yet."""

    http_status = 409

    def __init__(self, table: str) -> None:
        super().__init__(f"{table} is not computed yet: run `unveil run` on the workspace")
        self.table = table


class AuthenticationError(UnveilError):
    """Login failed or is required."""

    http_status = 401


class PermissionDenied(UnveilError):
    """The user's role may not perform this action."""

    http_status = 403

    def __init__(self, role: str, action: str) -> None:
        super().__init__(f"the {role} role may not {action}")
        self.role = role
        self.action = action
