"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile)."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from unveil.errors import UsageError

MIN_LENGTH = 10
_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of a password that is long enough."""
    if len(password) < MIN_LENGTH:
        raise UsageError(f"passwords need at least {MIN_LENGTH} characters")
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches the stored hash (constant-time inside argon2)."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random password of about 100 bits, easy to type."""
    return secrets.token_urlsafe(16)


DUMMY_HASH = _HASHER.hash(generate_password())
"""Verified against when the user does not exist, so that timing does not reveal names."""
