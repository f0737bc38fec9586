"""Cases in the workspace database: items, notes, labels and status, every change audited.

A case gathers the items an investigator wants to take to court (posts, networks, identifiers,
parties, alerts, transfers). Each change writes one row into the core ``audit_log`` table (actor,
action, object) in the same transaction as the change itself.

Access: a case has an owner (``created_by``) and members (``case_members``, a table added to
existing databases on connect). ``require_editor`` lets only them change it; ``cases_of`` and
``scope_of`` say what a user who does not see every case (a magistrate) may read. An archived case
is read-only: items and notes are refused (``CaseReadOnly``, 409) whoever asks.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from unveil import db
from unveil.cases.items import STATUSES, check_item_exists, item_kind, missing_items
from unveil.cases.schema import CASES
from unveil.errors import NotFound, PermissionDenied, UnveilError, UsageError
from unveil.workspace import Workspace


@dataclass(frozen=True)
class Case:
    """A case's header."""

    case_id: str
    title: str
    description: str
    status: str
    created_at: str
    created_by: str
    updated_at: str


@dataclass(frozen=True)
class CaseDetail:
    """A case with its items, notes, labels and status history (rows as dictionaries)."""

    case: Case
    items: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)

    def refs(self, kind: str) -> list[str]:
        """References of the items of one kind, in the order they were added."""
        return [item["ref"] for item in self.items if item["kind"] == kind]


class CaseReadOnly(UnveilError):
    """An archived case cannot change (reopen it first)."""

    http_status = 409

    def __init__(self, case_id: str) -> None:
        super().__init__(f"case {case_id} is archived: it is read-only (its owner may change its status)")


class NotCaseMember(PermissionDenied):
    """Only a case's owner and members may change it; a case not shared with a user is not theirs to read."""

    def __init__(self, case_id: str, user: str, action: str = "change") -> None:
        UnveilError.__init__(self, f"{user} may not {action} case {case_id}: only its owner and members may")


def now() -> str:
    """The current UTC time as ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextmanager
def _transaction(workspace: Workspace) -> Iterator[sqlite3.Connection]:
    connection = db.connect(workspace, CASES)
    try:
        with connection:
            yield connection
    finally:
        connection.close()


def _audit(connection: sqlite3.Connection, actor: str, action: str, case_id: str, detail: dict[str, Any]) -> None:
    connection.execute(
        "INSERT INTO audit_log (at, actor, action, object_kind, object_id, detail) VALUES (?, ?, ?, 'case', ?, ?)",
        (now(), actor, action, case_id, json.dumps(detail, ensure_ascii=False, sort_keys=True)),
    )


def _require_case(connection: sqlite3.Connection, case_id: str) -> sqlite3.Row:
    row = connection.execute("SELECT * FROM cases WHERE case_id = ?", (case_id,)).fetchone()
    if row is None:
        raise NotFound("case", case_id)
    return row  # type: ignore[no-any-return]


def _require_open(connection: sqlite3.Connection, case_id: str) -> sqlite3.Row:
    row = _require_case(connection, case_id)
    if row["status"] == "archived":
        raise CaseReadOnly(case_id)
    return row


def _is_member(connection: sqlite3.Connection, case_id: str, user: str) -> bool:
    row = _require_case(connection, case_id)
    if row["created_by"] == user:
        return True
    found = connection.execute(
        "SELECT 1 FROM case_members WHERE case_id = ? AND user_name = ?", (case_id, user)
    ).fetchone()
    return found is not None


def is_member(workspace: Workspace, case_id: str, user: str) -> bool:
    """True when ``user`` owns the case or is one of its members."""
    with _transaction(workspace) as connection:
        return _is_member(connection, case_id, user)


def require_editor(workspace: Workspace, case_id: str, user: str, status_change: bool = False) -> None:
    """Refuse a change by anyone but the owner and members, and any change but a status change by the owner
    to an archived case (``NotCaseMember``, ``CaseReadOnly``)."""
    with _transaction(workspace) as connection:
        row = _require_case(connection, case_id)
        if not _is_member(connection, case_id, user):
            raise NotCaseMember(case_id, user)
        if row["status"] == "archived" and not (status_change and row["created_by"] == user):
            raise CaseReadOnly(case_id)


def add_member(workspace: Workspace, case_id: str, user: str, actor: str) -> None:
    """Share a case with a user (a magistrate reads it, an investigator may change it)."""
    if not user.strip():
        raise UsageError("name the user to share the case with")
    with _transaction(workspace) as connection:
        _require_case(connection, case_id)
        if connection.execute("SELECT 1 FROM users WHERE name = ?", (user,)).fetchone() is None:
            raise NotFound("user", user)
        inserted = connection.execute(
            "INSERT OR IGNORE INTO case_members VALUES (?, ?, ?, ?)", (case_id, user, now(), actor)
        ).rowcount
        if inserted:
            _touch(connection, case_id)
            _audit(connection, actor, "case.add_member", case_id, {"user": user})


def remove_member(workspace: Workspace, case_id: str, user: str, actor: str) -> None:
    """Stop sharing a case with a user."""
    with _transaction(workspace) as connection:
        _require_case(connection, case_id)
        removed = connection.execute(
            "DELETE FROM case_members WHERE case_id = ? AND user_name = ?", (case_id, user)
        ).rowcount
        if not removed:
            raise NotFound(f"member of case {case_id}", user)
        _touch(connection, case_id)
        _audit(connection, actor, "case.remove_member", case_id, {"user": user})


def members(workspace: Workspace, case_id: str) -> list[dict[str, Any]]:
    """A case's members (the owner is ``created_by``)."""
    with _transaction(workspace) as connection:
        rows = connection.execute(
            "SELECT * FROM case_members WHERE case_id = ? ORDER BY user_name", (case_id,)
        ).fetchall()
    return [dict(row) for row in rows]


def cases_of(workspace: Workspace, user: str) -> list[Case]:
    """The cases a user owns or is a member of, newest first."""
    with _transaction(workspace) as connection:
        found = connection.execute(
            "SELECT * FROM cases WHERE created_by = ? OR case_id IN "
            "(SELECT case_id FROM case_members WHERE user_name = ?) ORDER BY created_at DESC, case_id DESC",
            (user, user),
        ).fetchall()
    return [Case(**dict(row)) for row in found]


def scope_of(workspace: Workspace, user: str) -> dict[str, set[str]]:
    """The items of every case a user owns or is a member of, by kind (``post``, ``network``, ``identifier``...)."""
    with _transaction(workspace) as connection:
        rows = connection.execute(
            "SELECT kind, ref FROM case_items WHERE case_id IN (SELECT case_id FROM cases WHERE created_by = ? "
            "UNION SELECT case_id FROM case_members WHERE user_name = ?)",
            (user, user),
        ).fetchall()
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["kind"], set()).add(row["ref"])
    return found


def _touch(connection: sqlite3.Connection, case_id: str) -> None:
    connection.execute("UPDATE cases SET updated_at = ? WHERE case_id = ?", (now(), case_id))


def _next_case_id(connection: sqlite3.Connection) -> str:
    count = connection.execute("SELECT count(*) FROM cases").fetchone()[0]
    number = int(count) + 1
    while connection.execute("SELECT 1 FROM cases WHERE case_id = ?", (f"C{number:04d}",)).fetchone():
        number += 1
    return f"C{number:04d}"


def create_case(workspace: Workspace, title: str, actor: str, description: str = "") -> Case:
    """Open a new case and return it."""
    if not title.strip():
        raise UsageError("a case needs a title")
    with _transaction(workspace) as connection:
        connection.execute("BEGIN IMMEDIATE")
        case_id = _next_case_id(connection)
        at = now()
        connection.execute(
            "INSERT INTO cases VALUES (?, ?, ?, 'open', ?, ?, ?)", (case_id, title.strip(), description, at, actor, at)
        )
        connection.execute(
            "INSERT INTO case_status_history (case_id, at, actor, old_status, new_status) "
            "VALUES (?, ?, ?, NULL, 'open')",
            (case_id, at, actor),
        )
        _audit(connection, actor, "case.create", case_id, {"title": title.strip()})
    return Case(case_id, title.strip(), description, "open", at, actor, at)


def add_item(workspace: Workspace, case_id: str, kind: str, ref: str, actor: str) -> dict[str, Any]:
    """Add an item (checked against the workspace's tables) to a case; adding it twice is harmless."""
    item_kind(kind)
    check_item_exists(workspace, kind, ref)
    with _transaction(workspace) as connection:
        _require_open(connection, case_id)
        at = now()
        inserted = connection.execute(
            "INSERT OR IGNORE INTO case_items VALUES (?, ?, ?, ?, ?)", (case_id, kind, ref, at, actor)
        ).rowcount
        if inserted:
            _touch(connection, case_id)
            _audit(connection, actor, "case.add_item", case_id, {"kind": kind, "ref": ref})
    return {"case_id": case_id, "kind": kind, "ref": ref, "added_at": at, "added_by": actor}


def add_items(workspace: Workspace, case_id: str, kind: str, refs: list[str], actor: str) -> int:
    """Add several items of one kind (each checked against its table, in one read) to a case, in one
    transaction: all of them or none. Returns how many were new to the case."""
    item_kind(kind)
    refs = list(dict.fromkeys(ref.strip() for ref in refs if ref.strip()))
    if not refs:
        raise UsageError(f"name at least one {kind} to add")
    missing = missing_items(workspace, kind, refs)
    if missing:
        raise NotFound(kind, ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else ""))
    added = 0
    with _transaction(workspace) as connection:
        _require_open(connection, case_id)
        at = now()
        for ref in refs:
            inserted = connection.execute(
                "INSERT OR IGNORE INTO case_items VALUES (?, ?, ?, ?, ?)", (case_id, kind, ref, at, actor)
            ).rowcount
            if inserted:
                added += 1
                _audit(connection, actor, "case.add_item", case_id, {"kind": kind, "ref": ref})
        if added:
            _touch(connection, case_id)
    return added


def remove_item(workspace: Workspace, case_id: str, kind: str, ref: str, actor: str, reason: str = "") -> None:
    """Take an item out of a case; the reason is kept in the case's history (its audit rows)."""
    with _transaction(workspace) as connection:
        _require_open(connection, case_id)
        removed = connection.execute(
            "DELETE FROM case_items WHERE case_id = ? AND kind = ? AND ref = ?", (case_id, kind, ref)
        ).rowcount
        if not removed:
            raise NotFound(f"{kind} in case {case_id}", ref)
        _touch(connection, case_id)
        _audit(connection, actor, "case.remove_item", case_id, {"kind": kind, "ref": ref, "reason": reason})


def add_note(
    workspace: Workspace,
    case_id: str,
    text: str,
    actor: str,
    item_kind_name: str | None = None,
    item_ref: str | None = None,
) -> dict[str, Any]:
    """Write a note on a case (optionally about one of its items)."""
    if not text.strip():
        raise UsageError("a note cannot be empty")
    with _transaction(workspace) as connection:
        _require_open(connection, case_id)
        at = now()
        cursor = connection.execute(
            "INSERT INTO case_notes (case_id, at, author, text, item_kind, item_ref) VALUES (?, ?, ?, ?, ?, ?)",
            (case_id, at, actor, text, item_kind_name, item_ref),
        )
        _touch(connection, case_id)
        _audit(connection, actor, "case.add_note", case_id, {"note_id": cursor.lastrowid, "item": item_ref})
    return {"id": cursor.lastrowid, "case_id": case_id, "at": at, "author": actor, "text": text}


def set_label(
    workspace: Workspace, case_id: str, kind: str, ref: str, label: str, actor: str, reason: str = ""
) -> dict[str, Any]:
    """Label an item in a case: true or false positive, not relevant, or unsure.

    The label is a new event: an older label of the same item stays in its history
    (``unveil.cases.labels.label_history``); the case shows the latest.
    """
    from unveil.cases.labels import check_label, item_snapshot, record_label_event

    check_label(label, kind)
    snapshot = item_snapshot(workspace, kind, ref)
    with _transaction(workspace) as connection:
        _require_open(connection, case_id)
        at = now()
        record_label_event(
            connection,
            at=at,
            actor=actor,
            kind=kind,
            ref=ref,
            label=label,
            reason=reason,
            case_id=case_id,
            detail=snapshot,
        )
        _touch(connection, case_id)
    return {"case_id": case_id, "item_kind": kind, "item_ref": ref, "label": label, "reason": reason, "at": at}


def set_status(workspace: Workspace, case_id: str, status: str, actor: str, reason: str = "") -> None:
    """Change a case's status, keeping the history."""
    if status not in STATUSES:
        raise UsageError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
    with _transaction(workspace) as connection:
        old = _require_case(connection, case_id)["status"]
        at = now()
        connection.execute("UPDATE cases SET status = ?, updated_at = ? WHERE case_id = ?", (status, at, case_id))
        connection.execute(
            "INSERT INTO case_status_history (case_id, at, actor, old_status, new_status, reason) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (case_id, at, actor, old, status, reason),
        )
        _audit(connection, actor, "case.set_status", case_id, {"from": old, "to": status})


def list_cases(workspace: Workspace) -> list[Case]:
    """Every case, newest first."""
    with _transaction(workspace) as connection:
        found = connection.execute("SELECT * FROM cases ORDER BY created_at DESC, case_id DESC").fetchall()
    return [Case(**dict(row)) for row in found]


def show_case(workspace: Workspace, case_id: str) -> CaseDetail:
    """A case with everything recorded about it."""
    with _transaction(workspace) as connection:
        case = Case(**dict(_require_case(connection, case_id)))

        def fetch(sql: str) -> list[dict[str, Any]]:
            return [dict(row) for row in connection.execute(sql, (case_id,)).fetchall()]

        return CaseDetail(
            case=case,
            items=fetch("SELECT * FROM case_items WHERE case_id = ? ORDER BY added_at, kind, ref"),
            notes=fetch("SELECT * FROM case_notes WHERE case_id = ? ORDER BY id"),
            labels=fetch("SELECT * FROM case_labels WHERE case_id = ? ORDER BY item_kind, item_ref"),
            history=fetch("SELECT * FROM case_status_history WHERE case_id = ? ORDER BY id"),
        )


def item_history(workspace: Workspace, case_id: str) -> list[dict[str, Any]]:
    """Every item added to or removed from a case, oldest first: ``at``, ``actor``, ``action`` (``added`` or
    ``removed``), ``kind``, ``ref``, ``reason`` (read from the case's audit rows, written with each change)."""
    with _transaction(workspace) as connection:
        found = connection.execute(
            "SELECT at, actor, action, detail FROM audit_log WHERE object_kind = 'case' AND object_id = ? "
            "AND action IN ('case.add_item', 'case.remove_item') ORDER BY id",
            (case_id,),
        ).fetchall()
    history = []
    for row in found:
        detail = json.loads(row["detail"] or "{}")
        history.append(
            {
                "at": row["at"],
                "actor": row["actor"],
                "action": "added" if row["action"] == "case.add_item" else "removed",
                "kind": detail.get("kind", ""),
                "ref": detail.get("ref", ""),
                "reason": detail.get("reason", ""),
            }
        )
    return history


def case_audit(workspace: Workspace, case_id: str) -> list[dict[str, Any]]:
    """The audit log rows about a case, oldest first."""
    with _transaction(workspace) as connection:
        found = connection.execute(
            "SELECT * FROM audit_log WHERE object_kind = 'case' AND object_id = ? ORDER BY id", (case_id,)
        ).fetchall()
    return [dict(row) for row in found]
