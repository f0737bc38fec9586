"""Exports: FtM loads with followthemoney and matches the tables; GEXF and i2 hold the graph; spreadsheets are safe."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from followthemoney import model

from unveil.cases.exports import export_workspace, write_format
from unveil.cases.exports.cells import safe_cell
from unveil.cases.exports.graph import party_key
from unveil.cases.exports.pseudonymise import pseudonymise
from unveil.cases.exports.tabular import write_xlsx
from unveil.cases.material import Material, canonical_identifier, gather_case, gather_workspace
from unveil.cases.store import show_case
from unveil.evidence.custody import CustodyLog
from unveil.workspace import Workspace

GEXF = "{http://gexf.net/1.3}"


@pytest.fixture(scope="module")
def material(case_workspace: Workspace) -> Material:
    return gather_workspace(case_workspace)


@pytest.fixture(scope="module")
def ftm_file(case_workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ftm") / "ws.ftm.jsonl"
    export_workspace(case_workspace, "ftm", out, "alice")
    return out


@pytest.fixture(scope="module")
def ftm_entities(ftm_file: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in ftm_file.read_text("utf-8").splitlines()]


def test_ftm_export_loads_with_followthemoney(ftm_entities: list[dict[str, object]]) -> None:
    for data in ftm_entities:
        proxy = model.get_proxy(data, cleaned=False)
        proxy.schema.validate(data)  # type: ignore[arg-type]
        if "topics" in proxy.schema.properties:  # Things carry topics; Payment and UnknownLink cannot
            assert "crime.traffick.human" in proxy.get("topics"), proxy.schema.name


def test_ftm_entity_counts_match_the_tables(
    ftm_entities: list[dict[str, object]], material: Material, case_workspace: Workspace
) -> None:
    region = case_workspace.settings.default_region
    counts = Counter(str(data["schema"]) for data in ftm_entities)
    assert counts["Document"] + counts["HyperText"] == len(material.posts) > 0
    assert counts["Payment"] == len(material.transfers)
    parties = {party_key(t, side, region) for t in material.transfers for side in ("sender", "receiver")}
    assert counts["Person"] == len(parties)
    authors = {(p.get("platform"), p["author"]) for p in material.posts if p.get("author")}
    handles = {i["value"] for i in material.identifiers if i["type"] == "handle"}
    assert counts["UserAccount"] == len(authors) + len(handles)
    ibans = {i["value"] for i in material.identifiers if i["type"] == "iban"}
    ibans |= {
        canonical_identifier("iban", str(t[c]), region)
        for t in material.transfers
        for c in ("sender_account", "receiver_account")
        if t.get(c)
    }
    assert counts["BankAccount"] == len(ibans)
    wallets = {i["value"] for i in material.identifiers if i["type"] == "wallet"}
    wallets |= {str(t[c]) for t in material.transfers for c in ("sender_wallet", "receiver_wallet") if t.get(c)}
    assert counts["CryptoWallet"] == len(wallets)
    assert counts["Note"] == len(material.alerts)


def test_ftm_documents_carry_the_phones_they_mention(ftm_entities: list[dict[str, object]], material: Material) -> None:
    phones = {i["value"] for i in material.identifiers if i["type"] == "phone"}
    mentioned = {
        phone
        for data in ftm_entities
        if data["schema"] in ("Document", "HyperText")
        for phone in data["properties"].get("phoneMentioned", [])  # type: ignore[attr-defined]
    }
    assert mentioned == phones


@pytest.fixture(scope="module")
def graph_files(case_workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workspace exported once as GEXF and as i2 CSV."""
    out = tmp_path_factory.mktemp("graph")
    export_workspace(case_workspace, "gexf", out / "ws.gexf", "alice")
    export_workspace(case_workspace, "i2", out / "i2", "alice")
    return out


def test_gexf_parses_with_the_expected_nodes_and_edges(material: Material, graph_files: Path) -> None:
    root = ET.parse(graph_files / "ws.gexf").getroot()
    nodes = {node.get("id") for node in root.iter(f"{GEXF}node")}
    edges = list(root.iter(f"{GEXF}edge"))
    assert {p["post_id"] for p in material.posts} <= nodes
    assert {f"{i['type']}:{i['value']}" for i in material.identifiers} <= nodes
    mentions = {(i["post_id"], f"{i['type']}:{i['value']}") for i in material.identifiers}
    kinds = Counter(_edge_kind(edge) for edge in edges)
    assert kinds["mentions"] == len(mentions)
    assert kinds["transfer"] == len(material.transfers)
    links = Counter(str(e.get("kind")) for e in material.edges if e.get("kind") != "identifier")
    assert links and all(kinds[kind] == count for kind, count in links.items())
    assert all(edge.get("source") in nodes and edge.get("target") in nodes for edge in edges)


def _edge_kind(edge: ET.Element) -> str:
    return next(v.get("value", "") for v in edge.iter(f"{GEXF}attvalue") if v.get("for") == "0")


def test_i2_files_hold_the_same_graph(graph_files: Path) -> None:
    root = ET.parse(graph_files / "ws.gexf").getroot()
    with (graph_files / "i2" / "entities.csv").open(encoding="utf-8") as handle:
        entities = list(csv.DictReader(handle))
    with (graph_files / "i2" / "links.csv").open(encoding="utf-8") as handle:
        links = list(csv.DictReader(handle))
    assert len(entities) == len(list(root.iter(f"{GEXF}node")))
    assert len(links) == len(list(root.iter(f"{GEXF}edge")))
    ids = {e["Entity ID"] for e in entities}
    assert all(link["From ID"] in ids and link["To ID"] in ids for link in links)


def test_excel_and_csv_hold_every_row_of_a_case(case_workspace: Workspace, top_case: str, tmp_path: Path) -> None:
    case = gather_case(case_workspace, show_case(case_workspace, top_case))
    export_workspace(case_workspace, "xlsx", tmp_path / "c.xlsx", "alice", case_id=top_case)
    export_workspace(case_workspace, "csv", tmp_path / "csv", "alice", case_id=top_case)
    workbook = openpyxl.load_workbook(tmp_path / "c.xlsx", read_only=True)
    for table in ("posts", "identifiers", "transfers", "alerts"):
        assert len(getattr(case, table)) > 0, table
        assert workbook[table].max_row == len(getattr(case, table)) + 1, table
        with (tmp_path / "csv" / f"{table}.csv").open(encoding="utf-8") as handle:
            assert sum(1 for _ in csv.DictReader(handle)) == len(getattr(case, table)), table


def test_formulas_written_by_criminals_stay_text(tmp_path: Path) -> None:
    hostile = '=HYPERLINK("http://evil.example","click")'
    write_xlsx(Material(posts=[{"post_id": "p1", "text": hostile, "phone": "+32470123456"}]), tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["posts"]
    assert sheet["B2"].data_type == "s" and sheet["B2"].value == "'" + hostile
    assert sheet["C2"].value == "+32470123456"
    assert safe_cell("-1.5") == "-1.5" and safe_cell("@SUM(A1)") == "'@SUM(A1)" and safe_cell("+cmd") == "'+cmd"


@pytest.fixture(scope="module")
def pseudonymised(case_workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workspace exported pseudonymised in FtM, CSV, GEXF and i2."""
    out = tmp_path_factory.mktemp("pseudo")
    export_workspace(case_workspace, "ftm", out / "p.ftm.jsonl", "alice", pseudonymise=True)
    region = case_workspace.settings.default_region
    hidden = pseudonymise(gather_workspace(case_workspace), case_workspace.settings.secret_key, region)
    for format_name, name in (
        ("csv", "csv"),
        ("gexf", "p.gexf"),
        ("i2", "i2"),
    ):  # the same material: pseudonymised once
        write_format(hidden, format_name, out / name, region)
    return out


def find_leaks(values: set[str], text: str, width: int = 6) -> set[str]:
    """The values (at least ``width`` characters long) written in ``text``: one pass, indexed by prefix."""
    by_prefix: dict[str, list[str]] = {}
    for value in values:
        by_prefix.setdefault(value[:width], []).append(value)
    found = set()
    for position in range(len(text) - width + 1):
        for value in by_prefix.get(text[position : position + width], ()):
            if text.startswith(value, position):
                found.add(value)
    return found


def raw_identifiers(material: Material) -> set[str]:
    """Every identifier as the tables hold it: canonical and raw spans, transfer parties' phones to wallets."""
    values = {i["value"] for i in material.identifiers} | {i["raw"] for i in material.identifiers if i["raw"]}
    for transfer in material.transfers:
        for side in ("sender", "receiver"):
            values |= {
                str(transfer[f"{side}_{c}"])
                for c in ("phone", "email", "account", "wallet")
                if transfer.get(f"{side}_{c}")
            }
    for party in material.parties:
        for column in ("phones", "emails", "accounts", "wallets"):
            values |= set(party.get(column) or [])
    return {value for value in values if len(value) >= 6}


def test_find_leaks_finds_what_is_written() -> None:
    assert find_leaks({"+32470123456", "zero four seven"}, "call +32470123456 now") == {"+32470123456"}
    assert find_leaks({"+32470123456"}, "call phone-3a6a20a5761f31bf") == set()


def test_pseudonymised_exports_hide_identifiers_consistently(material: Material, pseudonymised: Path) -> None:
    files = sorted(path for path in pseudonymised.rglob("*") if path.is_file())
    assert {p.name for p in files} >= {"p.ftm.jsonl", "p.gexf", "entities.csv", "links.csv", "posts.csv", "parties.csv"}
    values = raw_identifiers(material)
    assert {i["type"] for i in material.identifiers} >= {"phone", "email", "handle"}
    assert any(t.get("sender_account") or t.get("receiver_account") for t in material.transfers)
    texts = {path.name: path.read_text("utf-8") for path in files}
    leaked = {name: find_leaks(values, text) for name, text in texts.items()}
    assert not {name: found for name, found in leaked.items() if found}
    with (pseudonymised / "csv" / "identifiers.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for kind in ("phone", "email", "handle"):
        alias = next(row["value"] for row in rows if row["type"] == kind)
        assert re.fullmatch(rf"{kind}-[0-9a-f]{{16}}", alias)
        for name in ("p.ftm.jsonl", "p.gexf", "entities.csv", "posts.csv"):
            assert alias in texts[name], (kind, name)
    with (pseudonymised / "csv" / "transfers.csv").open(encoding="utf-8") as handle:
        iban = next(row["receiver_account"] for row in csv.DictReader(handle) if row["receiver_account"])
    assert re.fullmatch(r"iban-[0-9a-f]{16}", iban)
    assert all(iban in texts[name] for name in ("p.ftm.jsonl", "p.gexf", "entities.csv", "parties.csv"))


def test_a_party_keeps_one_pseudonym_across_tables(material: Material, pseudonymised: Path) -> None:
    with (pseudonymised / "csv" / "transfers.csv").open(encoding="utf-8") as handle:
        transfers = list(csv.DictReader(handle))
    with (pseudonymised / "csv" / "parties.csv").open(encoding="utf-8") as handle:
        parties = " ".join(row["phones"] + row["accounts"] for row in csv.DictReader(handle))
    aliases = {t[c] for t in transfers for c in ("sender_phone", "receiver_phone", "sender_account") if t[c]}
    assert aliases and all(re.fullmatch(r"(phone|iban)-[0-9a-f]{16}", alias) for alias in aliases)
    assert sum(alias in parties for alias in aliases) >= len(aliases) * 0.9


def test_every_export_is_recorded_in_the_custody_log(case_workspace: Workspace, tmp_path: Path) -> None:
    export_workspace(case_workspace, "csv", tmp_path / "csv", "grace")
    last = CustodyLog(case_workspace).entries()[-1]
    assert last["action"] == "export.csv" and last["actor"] == "grace"
    assert last["detail"]["counts"]["posts"] > 0


def test_an_empty_workspace_exports_without_error(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "empty")
    result = export_workspace(workspace, "ftm", tmp_path / "empty.ftm.jsonl", "alice")
    assert sum(result.counts.values()) == 0


def visible(text: str) -> str:
    """Text without invisible format characters (FtM's cleaning drops zero-width joiners)."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def test_ftm_export_reads_back_into_a_workspace(ftm_file: Path, material: Material, tmp_path: Path) -> None:
    from unveil.ingest import ingest
    from unveil.ingest.text import normalise_text

    out = tmp_path / "roundtrip.ftm.jsonl"
    out.write_bytes(ftm_file.read_bytes())
    target = Workspace.init(tmp_path / "roundtrip")
    ingest(target, [out])
    posts = target.table("ingest.posts").read(columns=["text"]).column("text").to_pylist()
    assert sorted(map(visible, posts)) == sorted(visible(normalise_text(p["text"])) for p in material.posts)
    dated = [t for t in material.transfers if t.get("executed_at") and t.get("amount") is not None]
    assert target.table("ingest.transfers").num_rows() == len(dated)


def test_unknown_parties_are_never_joined_into_one(tmp_path: Path) -> None:
    transfers = [
        {
            "transfer_id": f"t{n}",
            "amount": 10.0,
            "currency": "EUR",
            "receiver_name": "Ana",
            "receiver_phone": "+32470123456",
        }
        for n in range(3)
    ]
    material = Material(transfers=transfers)
    counts = write_format(material, "ftm", tmp_path / "x.ftm.jsonl", "BE")
    assert counts["Person"] == 3 + 1 and counts["Payment"] == 3
    write_format(material, "gexf", tmp_path / "x.gexf", "BE")
    nodes = list(ET.parse(tmp_path / "x.gexf").getroot().iter(f"{GEXF}node"))
    assert len([n for n in nodes if n.get("id", "").startswith("party:")]) == 3 + 1
