"""RFC 3161 trusted time-stamps of court bundles, through the ``openssl ts`` command.

A signature proves who signed a bundle, not when. A time-stamping authority (TSA) signs the
hash of the bundle's ``SHA256SUMS`` with its time; the token (``TIMESTAMP.tsr``, DER) goes into
the bundle beside ``SIGNATURE`` and proves the bundle existed, as it is, at that time.

- ``$UNVEIL_TSA_COMMAND``: a command (split like a shell line) that reads a time-stamp request
  (DER) on its standard input and writes the authority's response (DER) on its standard output:
  ``curl -s -H 'Content-Type: application/timestamp-query' --data-binary @- https://tsa.example``
  where there is a network, or a local or offline authority (``openssl ts -reply ...``). It is
  an installation setting (an environment variable, never the workspace's ``unveil.toml``: whoever
  can write to a workspace must not choose a command the tool runs). Unset: no time-stamp.
- ``verify-bundle --tsa-ca FILE`` checks the token against the authority's CA certificate(s)
  (``openssl ts -verify``): it must cover this ``SHA256SUMS``. Without ``--tsa-ca`` the token's
  time is shown as not checked.
- Custody heads too: each append stamps the new ``custody.head``'s bytes before anything is written
  (an authority that fails leaves the log unchanged) and writes the token to ``custody.head.tsr``
  after the head; ``unveil verify --tsa-ca FILE`` checks it (``unveil.evidence.verify``).

Requests and checks run ``openssl`` (the project has no ASN.1/CMS library); where it is missing,
stamping fails with a clear message and checking reports that it cannot check.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from unveil.errors import UsageError

TSA_ENV = "UNVEIL_TSA_COMMAND"
TOKEN = "TIMESTAMP.tsr"
TIMEOUT = 60


def tsa_command() -> list[str] | None:
    """The configured authority command, or None."""
    value = os.environ.get(TSA_ENV, "").strip()
    return shlex.split(value) if value else None


def _openssl() -> str:
    found = shutil.which("openssl")
    if found is None:
        raise UsageError(f"{TSA_ENV} is set but the `openssl` command is not installed (needed for RFC 3161)")
    return found


def stamp(data: bytes) -> tuple[bytes, str]:
    """A time-stamp token for ``data`` from the configured authority, and the time it states."""
    command = tsa_command()
    if command is None:
        raise UsageError(f"no time-stamping authority configured ({TSA_ENV})")
    openssl = _openssl()
    with tempfile.TemporaryDirectory(prefix="unveil-tsa-") as folder:
        source = Path(folder) / "data"
        source.write_bytes(data)
        request = subprocess.run(
            [openssl, "ts", "-query", "-data", str(source), "-sha256", "-cert"],
            capture_output=True,
            check=False,
            timeout=TIMEOUT,
        )
        if request.returncode != 0:
            raise UsageError(f"openssl ts -query failed: {request.stderr.decode(errors='replace').strip()}")
        try:
            reply = subprocess.run(command, input=request.stdout, capture_output=True, check=False, timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise UsageError(f"{TSA_ENV}: the time-stamping authority did not answer ({exc})") from exc
        if reply.returncode != 0 or not reply.stdout:
            raise UsageError(f"{TSA_ENV}: no time-stamp ({reply.stderr.decode(errors='replace').strip()[:300]})")
        token = Path(folder) / "token.tsr"
        token.write_bytes(reply.stdout)
        when = token_time(token)
        if when is None:
            raise UsageError(f"{TSA_ENV}: the answer is not a granted RFC 3161 time-stamp")
        return reply.stdout, when


def _reply_text(token: Path) -> tuple[int, str]:
    result = subprocess.run(
        [_openssl(), "ts", "-reply", "-in", str(token), "-text"], capture_output=True, check=False, timeout=TIMEOUT
    )
    return result.returncode, result.stdout.decode(errors="replace")


def token_time(token: Path) -> str | None:
    """The time a token states (``openssl ts -reply -text``), or None when it is not a granted token."""
    returncode, text = _reply_text(token)
    status = re.search(r"^Status: (.+)$", text, re.MULTILINE)
    when = re.search(r"^Time stamp: (.+)$", text, re.MULTILINE)
    if returncode != 0 or not status or "Granted" not in status.group(1) or not when:
        return None
    return when.group(1).strip()


def token_imprint(token_bytes: bytes) -> str | None:
    """The SHA-256 (hex) a token stamps, or None (not a SHA-256 token, unreadable, or no ``openssl``)."""
    if shutil.which("openssl") is None:
        return None
    with tempfile.TemporaryDirectory(prefix="unveil-tsa-") as folder:
        token = Path(folder) / "token.tsr"
        token.write_bytes(token_bytes)
        returncode, text = _reply_text(token)
    block = re.search(r"^Hash Algorithm: sha256\nMessage data:\n((?:\s+[0-9a-f]{4} - .*\n)+)", text, re.MULTILINE)
    if returncode != 0 or block is None:
        return None
    rows = (line.split(" - ", 1)[1][:48] for line in block.group(1).splitlines())
    digest = "".join("".join(re.findall(r"[0-9a-f]{2}", row)) for row in rows)
    return digest if len(digest) == 64 else None


def check_token(
    data: bytes, token_bytes: bytes, ca_file: Path | None, name: str = TOKEN
) -> tuple[str | None, list[str]]:
    """The stamped time and the problems: the token must cover ``data`` and chain to ``ca_file``.

    Without ``ca_file`` nothing is checked but the time is read (the caller says so).
    """
    if shutil.which("openssl") is None:
        return None, [f"{name}: cannot be checked here (the `openssl` command is not installed)"]
    with tempfile.TemporaryDirectory(prefix="unveil-tsa-") as folder:
        token = Path(folder) / "token.tsr"
        token.write_bytes(token_bytes)
        when = token_time(token)
        if when is None:
            return None, [f"{name}: not a granted RFC 3161 time-stamp (changed or damaged)"]
        if ca_file is None:
            return when, []
        source = Path(folder) / "data"
        source.write_bytes(data)
        result = subprocess.run(
            [_openssl(), "ts", "-verify", "-data", str(source), "-in", str(token), "-CAfile", str(ca_file)],
            capture_output=True,
            check=False,
            timeout=TIMEOUT,
        )
        if result.returncode != 0:
            reason = (result.stderr or result.stdout).decode(errors="replace").strip().splitlines()
            return when, [f"{name}: does not verify against {ca_file} ({'; '.join(reason[-2:])})"]
        return when, []
