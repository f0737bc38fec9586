"""Transfers: every planted typology is present, clean parties outnumber it 1,000 to 1, files match the truth."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook
from schwifty import IBAN

from tests.synth.helpers import read_truth
from unveil_synth.flows import FLOWS, check_flow, instances_planted


def _ids_in_files(world: Path) -> Counter[str]:
    ids: Counter[str] = Counter()
    with (world / "transfers" / "mto_transactions.csv").open(encoding="utf-8", newline="") as handle:
        ids.update(row["MTCN"] for row in csv.DictReader(handle))
    with (world / "transfers" / "bank_statement.csv").open(encoding="utf-8", newline="") as handle:
        ids.update(row["Referentie"] for row in csv.DictReader(handle, delimiter=";"))
    workbook = load_workbook(world / "transfers" / "bank_requisition.xlsx", read_only=True)
    try:
        ids.update(str(row[3]) for row in workbook["Transactions"].iter_rows(min_row=2, values_only=True))
    finally:
        workbook.close()
    return ids


def test_every_transfer_of_the_truth_is_in_exactly_one_file(small_world: Path) -> None:
    truth = read_truth(small_world, "transfers")
    ids = _ids_in_files(small_world)
    assert len(truth) == sum(ids.values())
    assert all(ids[row["transfer_id"]] == 1 for row in truth)
    assert {row["file"] for row in truth} == {
        "transfers/mto_transactions.csv",
        "transfers/bank_statement.csv",
        "transfers/bank_requisition.xlsx",
    }


def test_each_planted_instance_has_its_transfers_and_clean_parties_outnumber_it(small_world: Path) -> None:
    instances = read_truth(small_world, "typologies")
    transfers = Counter(row["instance_id"] for row in read_truth(small_world, "transfers"))
    assert len(instances) >= 7
    for instance in instances:
        if instance["typology"] != "party_in_posts":
            assert transfers[instance["instance_id"]] >= 2, instance
    parties = read_truth(small_world, "parties")
    clean = sum(1 for p in parties if p["planted"] == "0" and p["role"] not in ("family_abroad", "employer"))
    assert clean >= 1000 * len(instances)


def test_structuring_stays_just_under_the_thresholds(small_world: Path) -> None:
    amounts = [float(r["amount"]) for r in read_truth(small_world, "transfers") if r["typology"] == "structuring"]
    assert amounts
    assert all(9000 <= a < 10000 or 900 <= a < 1000 for a in amounts)


def test_parties_share_phones_with_the_posts(small_world: Path) -> None:
    posted = {row["value"] for row in read_truth(small_world, "post_identifiers") if row["type"] == "phone"}
    flagged = [p for p in read_truth(small_world, "parties") if p["phone_in_posts"] == "1"]
    assert flagged and all(p["phone"] in posted for p in flagged)


def test_names_are_written_with_variants_and_accounts_are_valid_ibans(small_world: Path) -> None:
    parties = {p["party_id"]: p for p in read_truth(small_world, "parties")}
    with (small_world / "transfers" / "mto_transactions.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    truth = {row["transfer_id"]: row for row in read_truth(small_world, "transfers")}
    written: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        party = truth[row["MTCN"]]["sender_party_id"]
        written[party].add(f"{row['Sender First Name']} {row['Sender Last Name']}")
    assert any(len(names) > 1 for names in written.values())
    for party in list(parties.values())[:500]:
        IBAN(party["account"])


def test_every_kind_of_network_with_money_has_a_flow_and_a_mistyped_step_is_refused() -> None:
    assert set(FLOWS) == {"escort_network", "smuggling_offer", "labour_exploitation"}
    assert {name: instances_planted(name) for name in FLOWS} == {
        "escort_network": 7,
        "smuggling_offer": 5,
        "labour_exploitation": 3,
    }
    broken = {**FLOWS["labour_exploitation"], "flows": [{"for": {"month": "range(3)"}, "sned": {}}]}
    with pytest.raises(ValueError, match="sned"):
        check_flow(broken, "labour")
