"""Court bundles: one zip with the manifest, the evidence, the report and checksums, verifiable offline.

Layout of ``bundle.zip``::

    manifest.json            every item, its evidence hashes and custody entries; tool, time, operator
    report.html, report.pdf  the magistrates' report
    evidence/<sha256>        the evidence files themselves (named by their hash)
    custody/entries.jsonl    the custody log lines that concern the case, verbatim
    data/<table>.jsonl       the rows the report was made from
    SHA256SUMS               SHA-256 of every file above (``sha256sum -c`` format)
    SEAL                     SHA-256 of SHA256SUMS
    SIGNATURE                Ed25519 signature of SHA256SUMS by the installation's key (JSON)
    TIMESTAMP.tsr            an RFC 3161 time-stamp token over SHA256SUMS, when an authority is
                             configured (``unveil.evidence.timestamp``)

The manifest's ``tables`` names, for every table the data came from, the SHA-256 of each of its
Parquet parts and the custody events that committed them (those lines are in
``custody/entries.jsonl``). Making a bundle appends a custody event that records the bundle's own
SHA-256 and the signing key's fingerprint.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from unveil import __version__
from unveil.cases.bundle_check import SEAL, SIGNATURE, SUMS, sums_text
from unveil.cases.material import Material, gather_case
from unveil.cases.report import Integrity, build_report
from unveil.cases.report_html import render_html
from unveil.cases.report_pdf import render_pdf
from unveil.cases.store import CaseDetail, show_case
from unveil.errors import IntegrityError
from unveil.evidence.custody import CustodyLog
from unveil.evidence.parts import expected_parts, table_problems
from unveil.evidence.signing import BUNDLE_CONTEXT, sign
from unveil.evidence.store import EvidenceStore
from unveil.evidence.timestamp import TOKEN, stamp, tsa_command
from unveil.workspace import Workspace

FORMAT = "unveil-bundle/1"
#: the tables ``gather_case`` reads the case's rows from
SOURCE_TABLES = (
    "ingest.posts",
    "ingest.images",
    "ingest.transfers",
    "extract.identifiers",
    "extract.places",
    "score.indicators",
    "link.networks",
    "link.network_posts",
    "link.edges",
    "money.parties",
    "money.alerts",
)


@dataclass(frozen=True)
class BundleResult:
    """What ``make_bundle`` wrote."""

    path: Path
    sha256: str
    files: int
    evidence_present: int
    evidence_missing: int


def _json_default(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _jsonl(found: list[dict[str, Any]]) -> bytes:
    return b"".join(
        json.dumps(row, default=_json_default, ensure_ascii=False, sort_keys=True).encode() + b"\n" for row in found
    )


def evidence_hashes(material: Material) -> list[str]:
    """Distinct evidence SHA-256 values the material refers to, sorted."""
    found = {
        row.get("evidence_sha256") for table in (material.posts, material.images, material.transfers) for row in table
    }
    return sorted(value for value in found if value)


def _source_tables(lines: list[bytes]) -> dict[str, dict[str, Any]]:
    """The parts (name -> SHA-256) of each table the case's data came from, and the events that made them."""
    expected = expected_parts(lines)
    return {
        name: {"parts": dict(sorted(expected[name].parts.items())), "custody": sorted(set(expected[name].events))}
        for name in SOURCE_TABLES
        if name in expected
    }


def _custody_lines(
    workspace: Workspace, keys: set[str]
) -> tuple[list[bytes], dict[str, list[int]], str, int, dict[str, dict[str, Any]]]:
    """Raw custody lines naming any key or committing a source table, seqs per key, head hash, length, tables."""
    path = workspace.custody_log
    lines = [line for line in path.read_bytes().splitlines() if line.strip()] if path.exists() else []
    tables = _source_tables(lines)
    table_events = {seq for table in tables.values() for seq in table["custody"]}
    chosen: list[bytes] = []
    per_key: dict[str, list[int]] = {}
    for line in lines:
        entry = json.loads(line)
        hits = keys.intersection(entry.get("objects") or [])
        if hits or entry.get("seq") in table_events:
            chosen.append(line)
            for key in hits:
                per_key.setdefault(key, []).append(int(entry["seq"]))
    head = hashlib.sha256(lines[-1]).hexdigest() if lines else ""
    return chosen, per_key, head, len(lines), tables


def _item_scope(item: dict[str, Any], material: Material) -> tuple[set[str], set[str]]:
    """Post ids and transfer ids that one case item stands for."""
    kind, ref = item["kind"], item["ref"]
    if kind == "post":
        return {ref}, set()
    if kind == "network":
        return {r["post_id"] for r in material.network_posts if r["network_id"] == ref}, set()
    if kind == "identifier":
        id_type, _, value = ref.partition(":")
        return {r["post_id"] for r in material.identifiers if r["type"] == id_type and r["value"] == value}, set()
    if kind == "transfer":
        return set(), {ref}
    alerts = [a for a in material.alerts if ref in (a.get("alert_id"), a.get("party_id"))]
    return (
        {p for a in alerts for p in a.get("post_ids") or []},
        {t for a in alerts for t in a.get("transfer_ids") or []},
    )


def _manifest_items(detail: CaseDetail, material: Material, custody: dict[str, list[int]]) -> list[dict[str, Any]]:
    evidence_of = {r["post_id"]: r.get("evidence_sha256") for r in material.posts}
    evidence_of.update({r["transfer_id"]: r.get("evidence_sha256") for r in material.transfers})
    items = []
    for item in detail.items:
        posts, transfers = _item_scope(item, material)
        ids = posts | transfers
        hashes = sorted({str(evidence_of[i]) for i in ids if evidence_of.get(i)})
        seqs = sorted({s for key in [*ids, *hashes, item["ref"]] for s in custody.get(key, [])})
        items.append(
            {**item, "posts": sorted(posts), "transfers": sorted(transfers), "evidence": hashes, "custody": seqs}
        )
    return items


def check_source_tables(workspace: Workspace) -> None:
    """Refuse to make a bundle from tables whose parts differ from what the custody log committed.

    Every part of every table the case's data is read from is hashed and compared with its
    custody event: a doctored, removed or added part stops the export, named.
    """
    path = workspace.custody_log
    lines = path.read_bytes().splitlines() if path.exists() else []
    expected = {name: record for name, record in expected_parts(lines).items() if name in SOURCE_TABLES}
    _, problems = table_problems(workspace, expected)
    if problems:
        advice = "no bundle made: run `unveil verify`, re-ingest or re-run to restore the tables, then export again"
        raise IntegrityError(str(workspace.root), [*problems, advice])


def make_bundle(workspace: Workspace, case_id: str, out: Path, operator: str) -> BundleResult:
    """Write the court bundle of a case to ``out`` and record it in the custody log.

    The tables its data comes from are checked against the custody log first (``check_source_tables``).
    """
    detail = show_case(workspace, case_id)
    check_source_tables(workspace)
    material = gather_case(workspace, detail)
    store = EvidenceStore(workspace)
    hashes = evidence_hashes(material)
    keys = {*hashes, *material.post_ids(), *(t["transfer_id"] for t in material.transfers), case_id}
    lines, custody, head, length, tables = _custody_lines(workspace, keys)
    evidence: list[dict[str, Any]] = [
        {"sha256": h, "present": h in store, "size": store.path(h).stat().st_size if h in store else None}
        for h in hashes
    ]
    generated = datetime.now(UTC).isoformat(timespec="seconds")
    integrity = Integrity(evidence, len(lines), head, workspace.settings.hub_max_posts)
    report = build_report(detail, material, integrity, generated, operator)
    files: dict[str, bytes] = {
        "report.html": render_html(report).encode(),
        "report.pdf": render_pdf(report),
        "custody/entries.jsonl": b"".join(line + b"\n" for line in lines),
    }
    files.update({f"data/{name}.jsonl": _jsonl(found) for name, found in material.tables().items()})
    on_disk = {f"evidence/{e['sha256']}": store.path(e["sha256"]) for e in evidence if e["present"]}
    checksums = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    checksums.update({name: _file_sha256(path) for name, path in on_disk.items()})
    manifest = {
        "format": FORMAT,
        "tool": f"unveil {__version__}",
        "generated_at": generated,
        "operator": operator,
        "workspace": workspace.settings.name,
        "case": {"case": vars(detail.case), "notes": detail.notes, "labels": detail.labels, "history": detail.history},
        "items": _manifest_items(detail, material, custody),
        "evidence": evidence,
        "custody": {"file": "custody/entries.jsonl", "entries": len(lines), "log_length": length, "log_head": head},
        "counts": {name: len(found) for name, found in material.tables().items()},
        "tables": tables,
        "files": dict(sorted(checksums.items())),
    }
    files["manifest.json"] = json.dumps(manifest, default=_json_default, ensure_ascii=False, indent=2).encode()
    checksums["manifest.json"] = hashlib.sha256(files["manifest.json"]).hexdigest()
    sums = sums_text(checksums).encode()
    files[SUMS], files[SEAL] = sums, f"{hashlib.sha256(sums).hexdigest()}  {SUMS}\n".encode()
    signature = {"signs": SUMS, **sign(BUNDLE_CONTEXT, sums)}
    files[SIGNATURE] = (json.dumps(signature, indent=2, sort_keys=True) + "\n").encode()
    stamped = None
    if tsa_command() is not None:  # an RFC 3161 token over SHA256SUMS: when the bundle existed as it is
        files[TOKEN], stamped = stamp(sums)
    _write_zip(out, files, on_disk)
    digest = _file_sha256(out)
    CustodyLog(workspace).append(
        operator,
        "bundle.export",
        [case_id, digest],
        {
            "file": out.name,
            "seal": hashlib.sha256(sums).hexdigest(),
            "items": len(detail.items),
            "key": signature["key"],
            **({"timestamp": stamped} if stamped else {}),
        },
    )
    present = sum(1 for e in evidence if e["present"])
    return BundleResult(out, digest, len(files) + len(on_disk), present, len(evidence) - present)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_zip(out: Path, files: dict[str, bytes], on_disk: dict[str, Path]) -> None:
    """Write the zip atomically (temporary name, then rename)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name in sorted(files):
            bundle.writestr(name, files[name])
        for name, path in sorted(on_disk.items()):
            bundle.write(path, name)
    os.replace(temporary, out)
