"""Offline verification of a court bundle: every file against SHA256SUMS, SHA256SUMS against SEAL.

Any file changed, added or removed is named. Reading never extracts to disk and never trusts the
names inside the zip beyond comparing them.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from unveil.errors import IntegrityError, UsageError

SUMS = "SHA256SUMS"
SEAL = "SEAL"


def sums_text(checksums: dict[str, str]) -> str:
    """Checksums in ``sha256sum`` format, sorted by name."""
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(checksums.items()))


def parse_sums(text: str) -> dict[str, str]:
    """``sha256sum`` lines into name -> digest."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        digest, sep, name = line.partition("  ")
        if sep and name:
            found[name] = digest
    return found


@dataclass(frozen=True)
class BundleCheck:
    """A bundle that verified: how many files were checked."""

    path: Path
    files: int


def _member_sha256(bundle: zipfile.ZipFile, name: str) -> str | None:
    """SHA-256 of a member, or None when it cannot be read (a corrupted entry)."""
    digest = hashlib.sha256()
    try:
        with bundle.open(name) as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        return None
    return digest.hexdigest()


def verify_bundle(path: Path) -> BundleCheck:
    """Check every file of a bundle; raise ``IntegrityError`` naming each file changed, added or removed."""
    try:
        bundle = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise UsageError(f"{path}: no such bundle") from exc
    except zipfile.BadZipFile as exc:
        raise IntegrityError(str(path), [f"not a readable zip file: {exc}"]) from exc
    with bundle:
        problems = _problems(bundle)
        count = len(bundle.namelist())
    if problems:
        raise IntegrityError(str(path), problems)
    return BundleCheck(path, count)


def _problems(bundle: zipfile.ZipFile) -> list[str]:
    names = bundle.namelist()
    if SUMS not in names:
        return [f"{SUMS} removed"]
    actual = {name: _member_sha256(bundle, name) for name in names if not name.endswith("/")}
    problems = []
    sums_digest = actual.get(SUMS)
    if SEAL not in names:
        problems.append(f"{SEAL} removed")
    else:
        seal = bundle.read(SEAL).decode("utf-8", "replace").split("  ")[0].strip()
        if sums_digest is None or seal != sums_digest:
            problems.append(f"{SUMS} or {SEAL} changed (the seal does not match {SUMS})")
    listed = parse_sums(bundle.read(SUMS).decode("utf-8", "replace")) if sums_digest else {}
    for name in sorted(set(listed) - set(actual)):
        problems.append(f"{name} removed")
    for name in sorted(set(actual) - set(listed) - {SUMS, SEAL}):
        problems.append(f"{name} added")
    for name in sorted(set(listed) & set(actual)):
        if actual[name] != listed[name]:
            problems.append(f"{name} changed")
    for name in sorted(n for n in actual if n.startswith("evidence/")):
        if actual[name] is not None and actual[name] != name.removeprefix("evidence/"):
            problems.append(f"{name} changed (its content does not match its name)")
    if len(names) != len(set(names)):
        problems.append("a file name appears twice in the zip")
    return problems
