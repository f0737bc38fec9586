"""Ed25519 signatures of custody heads and court bundles, with one key per installation.

The key lives outside every workspace, so that someone who can write to a workspace cannot
re-sign what they changed:

- ``$UNVEIL_SIGNING_KEY``: a PEM file holding an Ed25519 private key (an external key, kept on a
  token or a protected share; it is never created, it must exist);
- otherwise ``$UNVEIL_HOME/signing-key.pem``, or ``~/.config/unveil/signing-key.pem``
  (``$XDG_CONFIG_HOME`` honoured), created on first use (``unveil init`` creates it) with mode 0600.

A signature records the algorithm, the key's fingerprint (SHA-256 of the raw public key), the
public key and the signature. Checking one proves that the holder of that key signed these
bytes; whether the key is the right one is decided by comparing the fingerprint with a trusted
one: this installation's, or one given (``--trusted-key``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from unveil.errors import UsageError

KEY_ENV = "UNVEIL_SIGNING_KEY"
HOME_ENV = "UNVEIL_HOME"
KEY_FILE = "signing-key.pem"
ALGORITHM = "ed25519"
HEAD_CONTEXT = b"unveil custody head v1\n"
BUNDLE_CONTEXT = b"unveil bundle v1\n"
JOURNAL_CONTEXT = b"unveil journal v1\n"  # commit intents and pending-parts journals
_LOADED: dict[tuple[str, int, int, int], Ed25519PrivateKey] = {}  # (path, inode, size, mtime) -> key


def key_path() -> Path:
    """Where this installation's signing key is (an external key when ``$UNVEIL_SIGNING_KEY`` is set)."""
    external = os.environ.get(KEY_ENV)
    if external:
        return Path(external).expanduser()
    home = os.environ.get(HOME_ENV)
    if home:
        return Path(home).expanduser() / KEY_FILE
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "unveil" / KEY_FILE


def ensure_key() -> tuple[Path, bool]:
    """The key's path, creating the key when it is absent (not an external one); and whether it was created."""
    path = key_path()
    if path.exists():
        return path, False
    if os.environ.get(KEY_ENV):
        raise UsageError(f"{KEY_ENV}={path}: no such key file (an external key is never created)")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first
        return path, False
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    return path, True


def load_key() -> Ed25519PrivateKey:
    """This installation's private key (created when absent; parsed again only when its file changes)."""
    path, _ = ensure_key()
    try:
        stat = path.stat()
        cache = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if cache in _LOADED:
            return _LOADED[cache]
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError, OSError) as exc:
        raise UsageError(f"{path}: not a readable unencrypted PEM private key ({exc})") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(f"{path}: the signing key must be an Ed25519 key")
    _LOADED.clear()
    _LOADED[cache] = key
    return key


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint_of(public_raw: bytes) -> str:
    """A key's fingerprint: SHA-256 of its raw 32-byte public key, in hex."""
    return hashlib.sha256(public_raw).hexdigest()


def local_fingerprint() -> str | None:
    """This installation's key fingerprint, or None when it has no key (nothing is created)."""
    if not key_path().exists():
        return None
    return fingerprint_of(_raw(load_key().public_key()))


def sign(context: bytes, data: bytes) -> dict[str, str]:
    """Sign ``context + data`` with this installation's key."""
    key = load_key()
    public = _raw(key.public_key())
    return {
        "algorithm": ALGORITHM,
        "key": fingerprint_of(public),
        "public_key": base64.b64encode(public).decode("ascii"),
        "signature": base64.b64encode(key.sign(context + data)).decode("ascii"),
    }


def check(context: bytes, data: bytes, signed: dict[str, Any] | None, trusted: set[str], what: str) -> list[str]:
    """Problems with a signature of ``context + data``: missing, invalid, or by a key not trusted."""
    if not isinstance(signed, dict) or "signature" not in signed:
        return [f"{what}: not signed"]
    try:
        public_raw = base64.b64decode(str(signed.get("public_key")), validate=True)
        signature = base64.b64decode(str(signed.get("signature")), validate=True)
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, context + data)
    except (ValueError, InvalidSignature):
        return [f"{what}: the signature does not verify (changed after it was signed)"]
    fingerprint = fingerprint_of(public_raw)
    if signed.get("key") != fingerprint:
        return [f"{what}: the recorded key fingerprint does not match the public key"]
    if not trusted:
        return [f"{what}: signed by key {fingerprint}, but no trusted key to compare it with (give --trusted-key)"]
    if fingerprint not in trusted:
        listed = ", ".join(sorted(trusted))
        return [f"{what}: signed by key {fingerprint}, which is not a trusted key ({listed})"]
    return []


def trusted_keys(extra: list[str] | None = None) -> set[str]:
    """This installation's fingerprint (when it has a key) and the fingerprints given."""
    found = {value.strip().lower() for value in extra or [] if value.strip()}
    local = local_fingerprint()
    if local:
        found.add(local)
    return found


def head_message(seq: int, sha256: str) -> bytes:
    """What a custody head's signature covers."""
    return f"{seq}\n{sha256}".encode()


def sign_head(seq: int, sha256: str) -> dict[str, Any]:
    """The content of ``custody.head`` for a last line: its number, its hash and their signature."""
    return {"seq": seq, "sha256": sha256, **sign(HEAD_CONTEXT, head_message(seq, sha256))}


def check_head(head: dict[str, Any], trusted: set[str]) -> list[str]:
    """Problems with a custody head's signature."""
    seq, sha256 = head.get("seq"), head.get("sha256")
    if not isinstance(seq, int) or not isinstance(sha256, str):
        return ["custody.head: unreadable"]
    return check(HEAD_CONTEXT, head_message(seq, sha256), head, trusted, "custody.head")


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()


def sign_journal(payload: dict[str, Any]) -> str:
    """A journal file's text (a commit intent, pending parts): the payload and its signature.

    Recovery replays a journal only when its signature is by a trusted key (``check_journal``), so
    that a journal written by hand cannot make the tool commit or record parts it did not write.
    """
    return json.dumps({"payload": payload, "signature": sign(JOURNAL_CONTEXT, _canonical(payload))}, sort_keys=True)


def check_journal(text: str, what: str) -> tuple[dict[str, Any] | None, list[str]]:
    """The payload of a signed journal, or None with the reasons it is not to be trusted."""
    try:
        document = json.loads(text)
    except ValueError:
        return None, [f"{what}: unreadable"]
    payload = document.get("payload") if isinstance(document, dict) else None
    if not isinstance(payload, dict):
        return None, [f"{what}: not a signed journal"]
    problems = check(JOURNAL_CONTEXT, _canonical(payload), document.get("signature"), trusted_keys(), what)
    return (None, problems) if problems else (payload, [])
