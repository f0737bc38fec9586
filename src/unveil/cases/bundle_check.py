"""Offline verification of a court bundle: every file against SHA256SUMS, SHA256SUMS against SEAL
and against its Ed25519 SIGNATURE, and the manifest entry by entry against the files.

Any file changed, added or removed is named. Reading never extracts to disk and never trusts the
names inside the zip beyond comparing them. The checksums and the seal alone prove nothing
against someone who recomputes them; the signature does, provided the signing key's fingerprint
is one the checker trusts (this installation's, or one given with ``--trusted-key``).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unveil.errors import IntegrityError, UsageError

SUMS = "SHA256SUMS"
SEAL = "SEAL"
SIGNATURE = "SIGNATURE"
MANIFEST = "manifest.json"
TIMESTAMP = "TIMESTAMP.tsr"  # unveil.evidence.timestamp.TOKEN
UNLISTED = {SUMS, SEAL, SIGNATURE, TIMESTAMP}


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
    key: str = ""
    timestamp: str = ""  # the time an RFC 3161 token states ("" when the bundle has none)
    timestamp_checked: bool = False  # whether the token was checked against a TSA certificate


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


def verify_bundle(path: Path, trusted_keys: list[str] | None = None, tsa_ca: Path | None = None) -> BundleCheck:
    """Check every file of a bundle, its signature and its manifest; raise ``IntegrityError`` naming each problem.

    Args:
        path: the bundle (.zip).
        trusted_keys: signing-key fingerprints accepted besides this installation's.
        tsa_ca: a time-stamping authority's CA certificate(s): the bundle's RFC 3161 token must
            cover its ``SHA256SUMS`` and chain to them (and a bundle without a token fails).
    """
    try:
        bundle = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise UsageError(f"{path}: no such bundle") from exc
    except zipfile.BadZipFile as exc:
        raise IntegrityError(str(path), [f"not a readable zip file: {exc}"]) from exc
    with bundle:
        problems = _problems(bundle)
        key, signature_problems = _signature(bundle, trusted_keys)
        problems += signature_problems + _manifest_problems(bundle)
        when, stamp_problems = _timestamp(bundle, tsa_ca)
        problems += stamp_problems
        count = len(bundle.namelist())
    if problems:
        raise IntegrityError(str(path), problems)
    return BundleCheck(path, count, key, when or "", tsa_ca is not None and bool(when))


def _timestamp(bundle: zipfile.ZipFile, tsa_ca: Path | None) -> tuple[str | None, list[str]]:
    """The time an RFC 3161 token states and its problems (checked against ``tsa_ca`` when given)."""
    from unveil.evidence.timestamp import check_token

    names = bundle.namelist()
    if TIMESTAMP not in names:
        return None, [f"{TIMESTAMP}: missing (the bundle is not time-stamped)"] if tsa_ca is not None else []
    try:
        token, sums = bundle.read(TIMESTAMP), bundle.read(SUMS) if SUMS in names else b""
    except (zipfile.BadZipFile, zlib.error, OSError):
        return None, [f"{TIMESTAMP} changed (unreadable)"]
    return check_token(sums, token, tsa_ca)


def _signature(bundle: zipfile.ZipFile, trusted_keys: list[str] | None) -> tuple[str, list[str]]:
    """The signer's fingerprint and the problems with the signature of SHA256SUMS."""
    from unveil.evidence.signing import BUNDLE_CONTEXT, check
    from unveil.evidence.signing import trusted_keys as trusted

    names = bundle.namelist()
    if SIGNATURE not in names:
        return "", [f"{SIGNATURE} removed (the bundle is not signed)"]
    if SUMS not in names:
        return "", []
    try:
        signed = json.loads(bundle.read(SIGNATURE))
        sums = bundle.read(SUMS)
    except (ValueError, zipfile.BadZipFile, zlib.error, OSError):
        return "", [f"{SIGNATURE} changed (unreadable)"]
    if not isinstance(signed, dict):
        return "", [f"{SIGNATURE} changed (unreadable)"]
    problems = check(BUNDLE_CONTEXT, sums, signed, trusted(trusted_keys), SIGNATURE)
    return str(signed.get("key", "")), problems


def _manifest_problems(bundle: zipfile.ZipFile) -> list[str]:
    """The manifest read entry by entry: its checksums, evidence, custody lines and counts against the files."""
    names = set(bundle.namelist())
    if MANIFEST not in names:
        return []  # reported as removed by the checksums
    try:
        manifest = json.loads(bundle.read(MANIFEST))
    except (ValueError, zipfile.BadZipFile, zlib.error, OSError):
        return [f"{MANIFEST} changed (not readable JSON)"]
    if not isinstance(manifest, dict):
        return [f"{MANIFEST} changed (not a JSON object)"]
    problems: list[str] = []
    files = manifest.get("files")
    listed: dict[str, object] = files if isinstance(files, dict) else {}
    for name, digest in sorted(listed.items()):
        if name not in names:
            problems.append(f"{MANIFEST}: files lists {name}, which is not in the bundle")
        elif _member_sha256(bundle, name) != digest:
            problems.append(f"{MANIFEST}: files gives another SHA-256 for {name}")
    for name in sorted(names - set(listed) - UNLISTED - {MANIFEST}):
        if not name.endswith("/"):
            problems.append(f"{MANIFEST}: {name} is in the bundle but not in the manifest's files")
    for entry in manifest.get("evidence") or []:
        sha = str(entry.get("sha256")) if isinstance(entry, dict) else ""
        inside = f"evidence/{sha}" in names
        if isinstance(entry, dict) and bool(entry.get("present")) != inside:
            where = "in the bundle" if inside else "not in the bundle"
            problems.append(f"{MANIFEST}: evidence {sha} is marked present={entry.get('present')} but is {where}")
    problems += _custody_problems(bundle, manifest, names)
    for table, count in sorted((manifest.get("counts") or {}).items()):
        name = f"data/{table}.jsonl"
        found = len(bundle.read(name).splitlines()) if name in names else None
        if found != count:
            problems.append(f"{MANIFEST}: counts gives {count} rows for {table}, {name} holds {found}")
    return problems


def _custody_problems(bundle: zipfile.ZipFile, manifest: dict[str, Any], names: set[str]) -> list[str]:
    custody = manifest.get("custody") if isinstance(manifest.get("custody"), dict) else {}
    assert isinstance(custody, dict)
    name = str(custody.get("file", "custody/entries.jsonl"))
    if name not in names:
        return []
    seqs: set[int] = set()
    lines = [line for line in bundle.read(name).splitlines() if line.strip()]
    for line in lines:
        try:
            seqs.add(int(json.loads(line)["seq"]))
        except (ValueError, KeyError, TypeError):
            return [f"{name}: a line is not a custody event"]
    problems = []
    if custody.get("entries") != len(lines):
        problems.append(f"{MANIFEST}: custody gives {custody.get('entries')} entries, {name} holds {len(lines)}")
    wanted = {
        int(s) for item in manifest.get("items") or [] if isinstance(item, dict) for s in item.get("custody") or []
    }
    tables = manifest.get("tables") if isinstance(manifest.get("tables"), dict) else {}
    assert isinstance(tables, dict)
    wanted |= {int(s) for table in tables.values() if isinstance(table, dict) for s in table.get("custody") or []}
    for seq in sorted(wanted - seqs):
        problems.append(f"{MANIFEST}: names custody event seq {seq}, which is not in {name}")
    return problems


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
    for name in sorted(set(actual) - set(listed) - UNLISTED):
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
