"""Server-side login sessions: the cookie holds a random token, the database only its hash.

Logging out or disabling a user ends the session at once, which a signed cookie alone cannot do.
Each session carries its own CSRF token.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from unveil.auth.roles import Role
from unveil.auth.users import User

IDLE_TIMEOUT = timedelta(hours=2)
MAX_AGE = timedelta(hours=12)


@dataclass(frozen=True)
class Session:
    """A logged-in user and the CSRF token of the session."""

    user: User
    csrf_token: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def start_session(db: sqlite3.Connection, user: User) -> tuple[str, Session]:
    """Open a session; return the cookie token (shown once) and the session."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = _now()
    with db:
        db.execute(
            "INSERT INTO web_sessions (token_hash, user_name, csrf_token, created_at, last_seen_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (_hash(token), user.name, csrf, now.isoformat(), now.isoformat(), (now + MAX_AGE).isoformat()),
        )
    return token, Session(user, csrf)


def find_session(db: sqlite3.Connection, token: str) -> Session | None:
    """The live session of a cookie token, touching its last-seen time; None when absent or expired."""
    row = db.execute(
        "SELECT s.token_hash, s.csrf_token, s.last_seen_at, s.expires_at, u.name, u.role, u.active "
        "FROM web_sessions s JOIN users u ON u.name = s.user_name WHERE s.token_hash = ?",
        (_hash(token),),
    ).fetchone()
    now = _now()
    if row is None or not row["active"]:
        return None
    if (
        now > datetime.fromisoformat(row["expires_at"])
        or now - datetime.fromisoformat(row["last_seen_at"]) > IDLE_TIMEOUT
    ):
        end_session(db, token)
        return None
    if now - datetime.fromisoformat(row["last_seen_at"]) > timedelta(minutes=1):
        with db:
            db.execute("UPDATE web_sessions SET last_seen_at = ? WHERE token_hash = ?", (now.isoformat(), row[0]))
    return Session(User(row["name"], Role(row["role"]), True), row["csrf_token"])


def end_session(db: sqlite3.Connection, token: str) -> None:
    """Log out: forget the session."""
    with db:
        db.execute("DELETE FROM web_sessions WHERE token_hash = ?", (_hash(token),))


def end_user_sessions(db: sqlite3.Connection, user_name: str) -> None:
    """Forget every session of a user (after a password change or when disabling them)."""
    with db:
        db.execute("DELETE FROM web_sessions WHERE user_name = ?", (user_name,))
