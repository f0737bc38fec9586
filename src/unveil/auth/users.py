"""Accounts in the workspace database (table ``users`` of the core schema)."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from unveil.auth.passwords import DUMMY_HASH, hash_password, verify_password
from unveil.auth.roles import PSEUDONYMISED_ROLES, Permission, Role, may
from unveil.errors import NotFound, UsageError

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


@dataclass(frozen=True)
class User:
    """A person who may log in."""

    name: str
    role: Role
    active: bool = True

    def may(self, permission: Permission) -> bool:
        """True when this user's role holds the permission."""
        return self.active and may(self.role, permission)

    @property
    def pseudonymised(self) -> bool:
        """True when this user sees identifiers only as pseudonyms."""
        return self.role in PSEUDONYMISED_ROLES


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_name(name: str) -> str:
    """A valid user name (lower-case letters, digits, ``.``, ``_``, ``-``), or a ``UsageError``."""
    if not NAME_PATTERN.match(name):
        raise UsageError(f"invalid user name {name!r}: use 2-64 lower-case letters, digits, '.', '_' or '-'")
    return name


def add_user(db: sqlite3.Connection, name: str, role: Role, password: str) -> User:
    """Create an account; a ``UsageError`` when the name is taken."""
    check_name(name)
    try:
        with db:
            db.execute(
                "INSERT INTO users (name, role, password_hash, created_at, active) VALUES (?, ?, ?, ?, 1)",
                (name, role.value, hash_password(password), _now()),
            )
    except sqlite3.IntegrityError:
        raise UsageError(f"user {name!r} already exists") from None
    return User(name, role)


def set_password(db: sqlite3.Connection, name: str, password: str) -> None:
    """Replace a user's password."""
    with db:
        changed = db.execute("UPDATE users SET password_hash = ? WHERE name = ?", (hash_password(password), name))
    if changed.rowcount == 0:
        raise NotFound("user", name)


def guard_admins(
    db: sqlite3.Connection, name: str, actor: str | None, role: Role | None = None, active: bool | None = None
) -> None:
    """Refuse a change that would leave no active admin, or an admin disabling or demoting themselves."""
    target = get_user(db, name)
    if target is None:
        raise NotFound("user", name)
    loses = (role is not None and role != target.role) or active is False
    if actor == name and loses:
        raise UsageError("you cannot disable yourself or change your own role: ask another admin")
    if target.role == Role.ADMIN and target.active and ((role is not None and role != Role.ADMIN) or active is False):
        others = db.execute(
            "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1 AND name <> ?", (name,)
        ).fetchone()[0]
        if not others:
            raise UsageError(f"{name} is the last active admin: add or enable another admin first")


def set_active(db: sqlite3.Connection, name: str, active: bool, actor: str | None = None) -> None:
    """Enable or disable an account (disabled accounts cannot log in; their sessions end).

    Never disables the last active admin, nor, when ``actor`` is given, the actor themselves.
    """
    guard_admins(db, name, actor, active=active)
    with db:
        changed = db.execute("UPDATE users SET active = ? WHERE name = ?", (int(active), name))
    if changed.rowcount == 0:
        raise NotFound("user", name)


def set_role(db: sqlite3.Connection, name: str, role: Role, actor: str | None = None) -> None:
    """Change an account's role (never the last active admin's, nor, when ``actor`` is given, the actor's own)."""
    guard_admins(db, name, actor, role=role)
    with db:
        db.execute("UPDATE users SET role = ? WHERE name = ?", (role.value, name))


def get_user(db: sqlite3.Connection, name: str) -> User | None:
    """The account with this name, or None."""
    row = db.execute("SELECT name, role, active FROM users WHERE name = ?", (name,)).fetchone()
    return User(row["name"], Role(row["role"]), bool(row["active"])) if row else None


def list_users(db: sqlite3.Connection) -> list[User]:
    """Every account, by name."""
    rows = db.execute("SELECT name, role, active FROM users ORDER BY name").fetchall()
    return [User(row["name"], Role(row["role"]), bool(row["active"])) for row in rows]


def authenticate(db: sqlite3.Connection, name: str, password: str) -> User | None:
    """The active user whose password matches, or None (same work whether the name exists or not)."""
    row = db.execute("SELECT name, role, active, password_hash FROM users WHERE name = ?", (name,)).fetchone()
    stored = row["password_hash"] if row else DUMMY_HASH
    if not verify_password(stored, password) or row is None or not row["active"]:
        return None
    return User(row["name"], Role(row["role"]), True)
