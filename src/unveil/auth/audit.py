"""The audit log: who viewed or searched what, and when (table ``audit_log`` of the core schema).

Every view of a post, network, identifier, party or case and every search is recorded; admins
browse it in the web app and export it as CSV.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

VIEW = "view"
SEARCH = "search"
EXPORT = "export"
LOGIN = "login"
LOGOUT = "logout"
LOGIN_FAILED = "login_failed"
CHANGE = "change"

AUDITED_KINDS = ("post", "network", "identifier", "party", "case", "search", "image", "capture", "audit", "user")


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: str
    actor: str
    action: str
    object_kind: str
    object_id: str
    detail: str


@dataclass(frozen=True)
class AuditFilter:
    """What an admin looks for in the log (every field optional)."""

    actor: str = ""
    action: str = ""
    object_kind: str = ""
    object_id: str = ""
    since: str = ""
    until: str = ""

    def where(self) -> tuple[str, list[str]]:
        """The SQL condition and its parameters."""
        clauses, params = [], []
        for column in ("actor", "action", "object_kind", "object_id"):
            value = getattr(self, column)
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.since:
            clauses.append("at >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("at < ?")
            params.append(self.until)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def record(db: sqlite3.Connection, actor: str, action: str, object_kind: str, object_id: str, detail: str = "") -> None:
    """Append one entry (committed at once)."""
    with db:
        db.execute(
            "INSERT INTO audit_log (at, actor, action, object_kind, object_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (datetime.now(UTC).isoformat(timespec="milliseconds"), actor, action, object_kind, object_id, detail),
        )


def browse(db: sqlite3.Connection, where: AuditFilter, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
    """Entries matching the filter, newest first."""
    condition, params = where.where()
    rows = db.execute(
        f"SELECT * FROM audit_log{condition} ORDER BY id DESC LIMIT ? OFFSET ?", [*params, limit, offset]
    ).fetchall()
    return [AuditEntry(**dict(row)) for row in rows]


def count(db: sqlite3.Connection, where: AuditFilter) -> int:
    """How many entries match the filter."""
    condition, params = where.where()
    return int(db.execute(f"SELECT count(*) FROM audit_log{condition}", params).fetchone()[0])


def iter_entries(db: sqlite3.Connection, where: AuditFilter) -> Iterable[AuditEntry]:
    """Every matching entry, oldest first (for export)."""
    condition, params = where.where()
    for row in db.execute(f"SELECT * FROM audit_log{condition} ORDER BY id", params):
        yield AuditEntry(**dict(row))


def to_csv(entries: Iterable[AuditEntry]) -> str:
    """CSV text of entries, with a header; cells that a spreadsheet would run as formulas are quoted."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "at", "actor", "action", "object_kind", "object_id", "detail"])
    for entry in entries:
        cells = [entry.id, entry.at, entry.actor, entry.action, entry.object_kind, entry.object_id, entry.detail]
        writer.writerow([_defuse(str(cell)) for cell in cells])
    return out.getvalue()


def _defuse(cell: str) -> str:
    """Prefix a quote to cells starting like a spreadsheet formula (CSV injection)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
