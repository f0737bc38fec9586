"""Court bundles: they verify, and any file changed, added or removed is named."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.cases.conftest import bundle_copy, cli
from unveil.cases import verify_bundle
from unveil.cases.bundles import BundleResult
from unveil.cases.report import SECTION_TITLES, Report, ReportTable, Section
from unveil.cases.report_html import render_html
from unveil.cases.report_pdf import render_pdf
from unveil.errors import IntegrityError, UsageError
from unveil.evidence.custody import CustodyLog
from unveil.workspace import Workspace

FIXED_FILES = [
    "manifest.json",
    "report.html",
    "report.pdf",
    "custody/entries.jsonl",
    "data/posts.jsonl",
    "data/identifiers.jsonl",
    "SHA256SUMS",
    "SEAL",
    "evidence/",
]


def rewrite(path: Path, change: dict[str, bytes | None], add: dict[str, bytes] | None = None) -> None:
    """Rewrite a zip with some members replaced (bytes) or dropped (None), and some added."""
    members = {}
    with zipfile.ZipFile(path) as bundle:
        for name in bundle.namelist():
            members[name] = bundle.read(name)
    for name, data in change.items():
        if data is None:
            members.pop(name)
        else:
            members[name] = data
    members.update(add or {})
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, data in members.items():
            bundle.writestr(name, data)


def member(path: Path, prefix: str) -> str:
    with zipfile.ZipFile(path) as bundle:
        return next(name for name in bundle.namelist() if name.startswith(prefix))


def flip_one_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


def test_the_top_network_bundle_verifies(bundle: BundleResult) -> None:
    check = verify_bundle(bundle.path)
    assert check.files == bundle.files


def test_the_bundle_carries_the_evidence_files(bundle: BundleResult) -> None:
    assert bundle.evidence_present > 0
    with zipfile.ZipFile(bundle.path) as archive:
        evidence = [n for n in archive.namelist() if n.startswith("evidence/")]
    assert len(evidence) == bundle.evidence_present


@pytest.mark.parametrize("name", FIXED_FILES)
def test_one_byte_changed_in_any_file_is_named(bundle: BundleResult, tmp_path: Path, name: str) -> None:
    path = bundle_copy(bundle, tmp_path)
    name = member(path, name)
    with zipfile.ZipFile(path) as archive:
        original = archive.read(name)
    rewrite(path, {name: flip_one_byte(original)})
    with pytest.raises(IntegrityError) as failure:
        verify_bundle(path)
    assert any(name in problem for problem in failure.value.problems), failure.value.problems


def test_every_file_of_the_bundle_is_covered(bundle: BundleResult, tmp_path: Path) -> None:
    with zipfile.ZipFile(bundle.path) as archive:
        names = archive.namelist()
    for name in names:
        path = bundle_copy(bundle, tmp_path)
        with zipfile.ZipFile(path) as archive:
            original = archive.read(name)
        rewrite(path, {name: flip_one_byte(original) if original else b"x"})
        with pytest.raises(IntegrityError) as failure:
            verify_bundle(path)
        assert any(name in problem for problem in failure.value.problems), (name, failure.value.problems)


def test_an_added_file_is_named(bundle: BundleResult, tmp_path: Path) -> None:
    path = bundle_copy(bundle, tmp_path)
    rewrite(path, {}, add={"evidence/extra.txt": b"planted"})
    with pytest.raises(IntegrityError, match=re.escape("evidence/extra.txt added")):
        verify_bundle(path)


@pytest.mark.parametrize("name", ["report.pdf", "data/posts.jsonl", "evidence/", "SEAL"])
def test_a_removed_file_is_named(bundle: BundleResult, tmp_path: Path, name: str) -> None:
    path = bundle_copy(bundle, tmp_path)
    name = member(path, name)
    rewrite(path, {name: None})
    with pytest.raises(IntegrityError, match=re.escape(f"{name} removed")):
        verify_bundle(path)


def test_a_corrupted_zip_entry_is_named(bundle: BundleResult, tmp_path: Path) -> None:
    path = bundle_copy(bundle, tmp_path)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("report.html")
    raw = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.compress_size // 2
    raw[start] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(IntegrityError, match=re.escape("report.html changed")):
        verify_bundle(path)


def test_verify_bundle_command_exits_non_zero_naming_the_file(
    bundle: BundleResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = bundle_copy(bundle, tmp_path)
    with zipfile.ZipFile(path) as archive:
        original = archive.read("report.html")
    rewrite(path, {"report.html": flip_one_byte(original)})
    code, _, err = cli(["verify-bundle", str(path)], capsys)
    assert code == 1
    assert "report.html changed" in err


def test_a_missing_bundle_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        verify_bundle(tmp_path / "none.zip")


def bundle_rows(bundle: BundleResult, table: str) -> list[dict[str, Any]]:
    """The rows of one ``data/<table>.jsonl`` of the bundle."""
    with zipfile.ZipFile(bundle.path) as archive:
        return [json.loads(line) for line in archive.read(f"data/{table}.jsonl").splitlines()]


def test_the_manifest_lists_items_evidence_custody_tool_and_operator(
    bundle: BundleResult, top_network: str, top_alert: str
) -> None:
    with zipfile.ZipFile(bundle.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    posts = {p["post_id"]: p for p in bundle_rows(bundle, "posts")}
    assert manifest["tool"].startswith("unveil ")
    assert manifest["operator"] == "alice" and manifest["generated_at"]
    items = {item["kind"]: item for item in manifest["items"]}
    assert set(items) == {"network", "alert"}
    item = items["network"]
    assert item["ref"] == top_network and items["alert"]["ref"] == top_alert
    members = {r["post_id"] for r in bundle_rows(bundle, "network_posts") if r["network_id"] == top_network}
    assert sorted(item["posts"]) == sorted(members) and members <= set(posts)
    assert set(item["evidence"]) == {posts[p]["evidence_sha256"] for p in members}
    assert isinstance(item["custody"], list)
    assert manifest["case"]["labels"][0]["label"] == "true_positive"


def test_making_a_bundle_is_recorded_in_the_custody_log(case_workspace: Workspace, bundle: BundleResult) -> None:
    events = [e for e in CustodyLog(case_workspace).entries() if e["action"] == "bundle.export"]
    assert any(bundle.sha256 in e["objects"] for e in events)


def pdf_sections(bundle: BundleResult) -> dict[str, str]:
    """The PDF report's text, cut at the section titles (in order), whitespace made single."""
    with zipfile.ZipFile(bundle.path) as archive:
        reader = PdfReader(io.BytesIO(archive.read("report.pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    sections: dict[str, str] = {"head": " ".join(text[: text.index(f"\n{SECTION_TITLES['summary']}\n")].split())}
    position = 0
    titles = list(SECTION_TITLES.items())
    for number, (key, title) in enumerate(titles):
        start = text.index(f"\n{title}\n", position)
        following = titles[number + 1][1] if number + 1 < len(titles) else None
        end = text.index(f"\n{following}\n", start) if following else len(text)
        sections[key] = " ".join(text[start:end].split())
        position = end
    return sections


def test_the_pdf_report_has_every_section(bundle: BundleResult, top_network: str, top_alert: str) -> None:
    sections = pdf_sections(bundle)
    assert "Тест" in sections["head"] and "Same phone in <b>many</b> cities" in sections["summary"]
    assert top_network in sections["network"] and "shared identifiers" in sections["network"]
    assert "Timeline:" in sections["timeline"] and "dated posts" in sections["timeline"]
    places = Counter(str(p["name"]) for p in bundle_rows(bundle, "places") if p.get("lat") is not None)
    assert places and "Map: posts in" in sections["map"]
    assert all(name in sections["map"] for name, _ in places.most_common(3))
    counts = Counter(i["value"] for i in bundle_rows(bundle, "identifiers"))
    assert counts.most_common(1)[0][0] in sections["identifiers"]
    alert = next(a for a in bundle_rows(bundle, "alerts") if a["alert_id"] == top_alert)
    transfers = bundle_rows(bundle, "transfers")
    assert transfers and f"{len(transfers)} transfers" in sections["money"]
    assert alert["typology"] in sections["money"] and " ".join(alert["reasons"][0].split()[:4]) in sections["money"]
    words = [i["matched"] for i in bundle_rows(bundle, "indicators") if str(i["matched"]).replace(" ", "").isalpha()]
    assert words and all(f"“{word}”" in sections["indicators"] for word in words[:5])
    assert "Two posts are linked when" in sections["method"]
    assert "sha256sum -c SHA256SUMS" in sections["integrity"]
    evidence = {p["evidence_sha256"] for p in bundle_rows(bundle, "posts")}
    assert any(digest in sections["integrity"] or digest[:12] in sections["posts"] for digest in evidence)


def test_the_html_report_escapes_criminal_text(bundle: BundleResult) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    section = Section("summary", "Summary", [hostile], [ReportTable(["text"], [[hostile]])])
    page = render_html(Report(hostile, hostile, [section]))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page
    with zipfile.ZipFile(bundle.path) as archive:
        html = archive.read("report.html").decode()
    assert "<b>many</b>" not in html and "&lt;b&gt;many&lt;/b&gt;" in html
    for title in SECTION_TITLES.values():
        assert f">{title}</h2>" in html


def test_a_missing_font_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="fonts-dejavu-core"):
        render_pdf(Report("t", "s", []), font_dir=tmp_path)


def _forge(path: Path, change: dict[str, bytes]) -> None:
    """A consistent forgery: data changed, manifest, SHA256SUMS and SEAL recomputed (no key)."""
    import hashlib
    import json

    from unveil.cases.bundle_check import parse_sums, sums_text

    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members.update(change)
    manifest = json.loads(members["manifest.json"])
    for name in change:
        manifest["files"][name] = hashlib.sha256(members[name]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    sums = parse_sums(members["SHA256SUMS"].decode())
    sums.update({name: hashlib.sha256(members[name]).hexdigest() for name in [*change, "manifest.json"]})
    members["SHA256SUMS"] = sums_text(sums).encode()
    members["SEAL"] = f"{hashlib.sha256(members['SHA256SUMS']).hexdigest()}  SHA256SUMS\n".encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_a_consistent_forgery_without_the_key_fails_on_its_signature(bundle: BundleResult, tmp_path: Path) -> None:
    path = bundle_copy(bundle, tmp_path)
    with zipfile.ZipFile(path) as archive:
        posts = archive.read("data/posts.jsonl")
    _forge(path, {"data/posts.jsonl": posts.replace(b'"text": "', b'"text": "forged ', 1)})
    with pytest.raises(IntegrityError) as failure:
        verify_bundle(path)
    assert failure.value.problems == ["SIGNATURE: the signature does not verify (changed after it was signed)"]


def test_a_bundle_resigned_with_another_key_is_not_trusted(
    bundle: BundleResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from unveil.evidence.signing import BUNDLE_CONTEXT, sign

    path = bundle_copy(bundle, tmp_path)
    monkeypatch.setenv("UNVEIL_HOME", str(tmp_path / "mallory"))
    with zipfile.ZipFile(path) as archive:
        forged = json.dumps({"signs": "SHA256SUMS", **sign(BUNDLE_CONTEXT, archive.read("SHA256SUMS"))}).encode()
    monkeypatch.undo()
    rewrite(path, {"SIGNATURE": forged})
    with pytest.raises(IntegrityError, match="not a trusted key"):
        verify_bundle(path)
    mallory = json.loads(forged)["key"]
    assert verify_bundle(path, [mallory]).key == mallory  # trusted on purpose: the check passes


def test_the_manifest_is_checked_entry_by_entry(bundle: BundleResult, tmp_path: Path) -> None:
    import json

    with zipfile.ZipFile(bundle.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert "ingest.posts" in manifest["tables"] and manifest["tables"]["ingest.posts"]["custody"]
    path = bundle_copy(bundle, tmp_path)
    manifest["counts"]["posts"] += 1
    _forge(path, {})
    rewrite(path, {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(IntegrityError) as failure:
        verify_bundle(path)
    assert any("counts gives" in problem for problem in failure.value.problems)


def test_no_bundle_is_made_from_a_doctored_post_whose_size_and_time_were_kept(
    case_workspace: Workspace, top_case: str, tmp_path: Path
) -> None:
    import os
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    from unveil.cases import make_bundle

    copy = Workspace.open(Path(shutil.copytree(case_workspace.root, tmp_path / "ws")))
    part = max(copy.table("ingest.posts").parts(), key=lambda p: p.stat().st_size)
    before = part.stat()
    table = pq.read_table(part)
    texts = table.column("text").to_pylist()
    number = next(n for n, text in enumerate(texts) if text and len(text) > 10)
    texts[number] = texts[number][:-1] + ("X" if texts[number][-1] != "X" else "Y")  # same length
    table = table.set_column(table.schema.get_field_index("text"), "text", pa.array(texts, pa.string()))
    pq.write_table(table, part)
    os.utime(part, ns=(before.st_atime_ns, before.st_mtime_ns))
    with pytest.raises(IntegrityError, match=f"ingest/posts/{part.name}: content changed"):
        make_bundle(copy, top_case, tmp_path / "bundle.zip", "alice")
    assert not (tmp_path / "bundle.zip").exists()


def test_a_bundle_carries_an_rfc3161_stamp_when_an_authority_is_configured(
    case_workspace: Workspace, top_case: str, bundle: BundleResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from tests.evidence.test_timestamp import make_authority
    from unveil.cases import make_bundle
    from unveil.evidence.timestamp import TSA_ENV

    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    command, ca = make_authority(tmp_path / "tsa")
    monkeypatch.setenv(TSA_ENV, command)
    copy = Workspace.open(Path(shutil.copytree(case_workspace.root, tmp_path / "ws")))
    stamped = make_bundle(copy, top_case, tmp_path / "stamped.zip", "alice").path
    check = verify_bundle(stamped, tsa_ca=ca)
    assert check.timestamp and check.timestamp_checked
    assert CustodyLog(copy).entries()[-1]["detail"]["timestamp"] == check.timestamp
    assert verify_bundle(stamped).timestamp_checked is False  # read, not checked, without --tsa-ca
    with pytest.raises(IntegrityError, match=r"TIMESTAMP\.tsr: missing"):
        verify_bundle(bundle.path, tsa_ca=ca)  # a bundle made without an authority
    _, other_ca = make_authority(tmp_path / "other", "another authority")
    with pytest.raises(IntegrityError, match=r"TIMESTAMP\.tsr: does not verify"):
        verify_bundle(stamped, tsa_ca=other_ca)
