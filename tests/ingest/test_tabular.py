"""Posts and transfers from CSV files and Excel workbooks, with detected and explicit mappings."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from tests.ingest.conftest import assert_accounted, quarantine_entries, rows
from unveil.ingest import ingest
from unveil.ingest.mapping import load_mapping
from unveil.workspace import Workspace


def test_posts_csv_with_common_column_names(workspace: Workspace, samples: Path) -> None:
    summary = ingest(workspace, [samples / "posts.csv"])
    assert_accounted(summary, workspace)
    assert (summary.read, summary.stored, summary.quarantined) == (4, 2, 2)
    posts = {row["source_id"]: row for row in rows(workspace, "posts")}
    assert posts["a2"]["text"] == 'Line one\nline two with a quoted "word"'
    assert posts["a1"]["city"] == "Ghent" and posts["a1"]["platform"] == "ads.example"
    assert len(posts["a2"]["images"]) == 1  # photos/anna.png beside the file, stored as evidence
    reasons = " ".join(str(e["reason"]) for e in quarantine_entries(workspace))
    assert "no text" in reasons and "cells where the header has" in reasons


def test_money_transfer_operator_layout(workspace: Workspace, samples: Path) -> None:
    summary = ingest(workspace, [samples / "mto.csv"])
    assert_accounted(summary, workspace)
    assert (summary.read, summary.stored, summary.quarantined) == (4, 2, 2)
    transfers = {row["source_id"]: row for row in rows(workspace, "transfers")}
    first = transfers["8312345670"]
    assert first["amount"] == 1250.0 and first["currency"] == "EUR" and first["channel"] == "mto"
    assert first["sender_name"] == "Ion Popescu" and first["receiver_name"] == "Maria Ionescu"
    assert first["sender_phone"] == "+40 722 123 456" and first["agent_city"] == "Brussels"
    assert first["executed_at"].isoformat() == "2024-04-03T14:22:00+00:00"
    assert transfers["8312345671"]["amount"] == 480.5


def test_bank_statement_layout_puts_the_holder_on_the_right_side(workspace: Workspace, samples: Path) -> None:
    summary = ingest(workspace, [samples / "bank.csv"])
    assert (summary.read, summary.stored) == (3, 3)
    by_memo = {row["reference"]: row for row in rows(workspace, "transfers")}
    out = by_memo["Room 12 April"]
    assert (out["sender_name"], out["receiver_name"], out["amount"]) == ("J. Peeters", "Hotel Central", 350.0)
    assert out["receiver_account"] == "BE71096123456769" and out["channel"] == "bank"
    incoming = by_memo["rent share"]
    assert (incoming["sender_name"], incoming["receiver_name"], incoming["amount"]) == (
        "M. Ionescu",
        "J. Peeters",
        1200.0,
    )
    assert by_memo["ATM cash withdrawal Brussels Midi"]["tx_type"] == "cash_withdrawal"


def test_excel_workbook_with_a_mapping_file(workspace: Workspace, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Datum", "Bedrag", "Munt", "Afzender", "Begunstigde", "Kantoor"])
    sheet.append(["01/02/2024", 300, "EUR", "A. Smit", "B. Jansen", "Rotterdam"])
    sheet.append(["02/02/2024", "1.000,50", "EUR", "A. Smit", "C. de Vries", "Rotterdam"])
    sheet.append(["bad", 5, "EUR", "A. Smit", "C. de Vries", "Rotterdam"])
    path = tmp_path / "wu.xlsx"
    book.save(path)
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text(
        "profile: mto\ncolumns: {executed_at: Datum, amount: Bedrag, currency: Munt, sender_name: Afzender,"
        " receiver_name: Begunstigde, agent_city: Kantoor}\ndate_format: '%d/%m/%Y'\ndecimal: ','\n",
        "utf-8",
    )
    summary = ingest(workspace, [path], mapping=load_mapping(mapping_file))
    assert (summary.read, summary.stored, summary.quarantined) == (3, 2, 1)
    amounts = sorted(row["amount"] for row in rows(workspace, "transfers"))
    assert amounts == [300.0, 1000.5]
    assert {row["agent_city"] for row in rows(workspace, "transfers")} == {"Rotterdam"}


def test_a_csv_whose_columns_fit_no_mapping_is_quarantined_row_by_row(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("foo,bar\n1,2\n3,4\n", "utf-8")
    summary = ingest(workspace, [path])
    assert (summary.read, summary.quarantined) == (2, 2)
    assert "no column mapping fits" in str(quarantine_entries(workspace)[0]["reason"])
