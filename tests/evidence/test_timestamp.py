"""RFC 3161 time-stamps through `openssl ts`, against a local time-stamping authority made here."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from unveil.evidence.commands import verify
from unveil.evidence.custody import HEAD_TOKEN, CustodyLog
from unveil.evidence.timestamp import TSA_ENV, check_token, stamp, token_imprint
from unveil.evidence.verify import verify_workspace
from unveil.workspace import Workspace

CONFIG = """
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = {dir}/serial
crypto_device = builtin
signer_cert = {dir}/tsa.crt
certs = {dir}/ca.crt
signer_key = {dir}/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_alg = sha256
[ v3_tsa ]
extendedKeyUsage = critical,timeStamping
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
"""


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_authority(folder: Path, name: str = "tsa") -> tuple[str, Path]:
    """A local authority: its CA certificate and the command that answers a request on stdin."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tsa.cnf").write_text(CONFIG.format(dir=folder))
    (folder / "serial").write_text("01\n")
    curve = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes")
    _openssl("req", "-x509", *curve, "-keyout", "ca.key", "-out", "ca.crt", "-subj", f"/CN={name} CA",
             "-days", "30", "-extensions", "v3_ca", "-config", "tsa.cnf", cwd=folder)  # fmt: skip
    _openssl("req", *curve, "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", f"/CN={name}", cwd=folder)
    _openssl("x509", "-req", "-in", "tsa.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "tsa.crt", "-days", "30", "-extfile", "tsa.cnf", "-extensions", "v3_tsa", cwd=folder)  # fmt: skip
    command = f"openssl ts -reply -config {folder / 'tsa.cnf'} -queryfile /dev/stdin -out /dev/stdout"
    return command, folder / "ca.crt"


@pytest.fixture
def authority(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    command, ca = make_authority(tmp_path / "tsa")
    monkeypatch.setenv(TSA_ENV, command)
    return ca


def test_a_stamp_covers_its_data_and_chains_to_its_authority(authority: Path, tmp_path: Path) -> None:
    token, when = stamp(b"sums of a bundle\n")
    assert when.endswith("GMT")
    assert check_token(b"sums of a bundle\n", token, authority) == (when, [])
    assert check_token(b"sums of a bundle\n", token, None) == (when, [])  # read, not checked
    assert token_imprint(token) == hashlib.sha256(b"sums of a bundle\n").hexdigest()
    _, problems = check_token(b"other sums\n", token, authority)
    assert problems and "does not verify" in problems[0]
    _, other_ca = make_authority(tmp_path / "other", "another authority")
    _, problems = check_token(b"sums of a bundle\n", token, other_ca)
    assert problems and "does not verify" in problems[0]
    damaged = token[:-40] + bytes(40)
    _, problems = check_token(b"sums of a bundle\n", damaged, authority)
    assert problems


def test_no_authority_configured_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    from unveil.errors import UsageError

    monkeypatch.delenv(TSA_ENV, raising=False)
    with pytest.raises(UsageError, match=TSA_ENV):
        stamp(b"x")


def _workspace(tmp_path: Path, lines: int = 2) -> Workspace:
    workspace = Workspace.init(tmp_path / "ws")
    for number in range(lines):
        CustodyLog(workspace).append("tester", "note", [], {"n": number})
    return workspace


def test_the_custody_head_is_stamped_and_verify_checks_it(
    authority: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = _workspace(tmp_path)
    log = CustodyLog(workspace)
    token = log.head_path.with_name(HEAD_TOKEN).read_bytes()
    assert check_token(log.head_path.read_bytes(), token, authority)[1] == []
    result = verify_workspace(workspace, tsa_ca=authority)
    assert (result.problems, result.timestamp_checked) == ([], True)
    assert result.timestamp.endswith("GMT")
    verify(workspace.root, tsa_ca=authority)
    out = capsys.readouterr().out
    said = f"time-stamp: {result.timestamp} (checked against the authority's certificate)"
    assert " ".join(said.split()) in " ".join(out.split())
    assert log.entries()[-1]["detail"]["head_timestamp"] == result.timestamp
    assert verify_workspace(workspace, tsa_ca=authority).ok  # the verification event's head is stamped too
    _, other_ca = make_authority(tmp_path / "other", "another authority")
    assert any("does not verify" in problem for problem in verify_workspace(workspace, tsa_ca=other_ca).problems)


def test_a_token_of_another_head_is_said_to_cover_an_older_head(
    authority: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = _workspace(tmp_path)
    stamped_before = verify_workspace(workspace, tsa_ca=authority).timestamp
    monkeypatch.delenv(TSA_ENV)
    CustodyLog(workspace).append("tester", "note", [], {"n": "unstamped"})  # the token now covers the older head
    checked = verify_workspace(workspace, tsa_ca=authority)
    assert len(checked.problems) == 1 and "covers an older head" in checked.problems[0]
    assert stamped_before in checked.problems[0] and "does not verify" not in checked.problems[0]
    unchecked = verify_workspace(workspace)
    assert unchecked.ok and unchecked.notes == checked.problems  # without --tsa-ca: a note, not a failure


def test_without_an_authority_nothing_is_stamped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TSA_ENV, raising=False)
    workspace = _workspace(tmp_path)
    assert not (workspace.root / HEAD_TOKEN).exists()
    result = verify_workspace(workspace)
    assert (result.problems, result.notes, result.timestamp) == ([], [], "")
    problems = verify_workspace(workspace, tsa_ca=tmp_path / "ca.crt").problems
    assert problems == [f"{HEAD_TOKEN}: missing (custody.head is not time-stamped: {TSA_ENV} was not set)"]
