"""Transfer records and the files they are written to: an MTO export (CSV), a bank's CSV and a bank's XLSX.

Layouts follow what investigators receive: a money-transfer operator's send/pay-out export
(MTCN, sender and receiver identity, agent, principal, fee), a Belgian bank's CSV statement export
(``;``-separated, Dutch headers, decimal comma, dd/mm/yyyy) and another bank's Excel answer to a
requisition (English headers, real dates and numbers).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from types import TracebackType

import xlsxwriter

from unveil_synth.parties import Party

MTO_COLUMNS = (
    "MTCN",
    "Send Date",
    "Send Time",
    "Sender First Name",
    "Sender Last Name",
    "Sender Phone",
    "Sender Email",
    "Sender Address",
    "Sender City",
    "Sender Country",
    "Sender ID Type",
    "Receiver First Name",
    "Receiver Last Name",
    "Receiver Phone",
    "Receiver City",
    "Receiver Country",
    "Principal Amount",
    "Send Currency",
    "Fee",
    "Payout Amount",
    "Payout Currency",
    "Agent Name",
    "Agent City",
    "Status",
    "Message",
)
BANK_CSV_COLUMNS = (
    "Rekeningnummer",
    "Naam rekeninghouder",
    "Boekingsdatum",
    "Valutadatum",
    "Referentie",
    "Omschrijving",
    "Bedrag",
    "Munt",
    "Tegenpartij rekening",
    "Naam tegenpartij",
    "Adres tegenpartij",
    "Mededeling",
    "Plaats",
)
BANK_XLSX_COLUMNS = (
    "Account",
    "Account holder",
    "Booking date",
    "Transaction ID",
    "Type",
    "Amount",
    "Currency",
    "Counterparty account",
    "Counterparty name",
    "Counterparty phone",
    "Merchant",
    "Branch city",
    "Details",
)
TRUTH_COLUMNS = (
    "transfer_id",
    "file",
    "channel",
    "tx_type",
    "sender_party_id",
    "receiver_party_id",
    "instance_id",
    "typology",
    "network_id",
    "amount",
)
XLSX_BANK_CODES = ("735", "930")
DESCRIPTIONS = {"cash_deposit": "Storting contanten", "cash_withdrawal": "Geldopname", "transfer": "Overschrijving"}
FX = {
    "EUR": 1.0,
    "RON": 4.97,
    "BGN": 1.96,
    "GBP": 0.86,
    "TRY": 35.0,
    "IQD": 1420.0,
    "MAD": 10.8,
    "PLN": 4.3,
    "NGN": 1650.0,
    "USD": 1.08,
}
CURRENCY = {"RO": "RON", "BG": "BGN", "GB": "GBP", "TR": "TRY", "IQ": "IQD", "MA": "MAD", "PL": "PLN", "NG": "NGN"}


@dataclass
class Transfer:
    """One movement of money between two parties (either may be absent: cash, a merchant)."""

    transfer_id: str
    channel: str  # mto, bank, card
    tx_type: str  # transfer, cash_deposit, cash_withdrawal, payment
    epoch: float
    amount: float
    sender: Party | None
    receiver: Party | None
    sender_name: str
    receiver_name: str
    agent_city: str = ""
    merchant: str = ""
    reference: str = ""
    instance_id: str = ""
    typology: str = ""
    network_id: str = ""


class Ledger:
    """Writes one part of the transfers (MTO, bank CSV, the bank's XLSX for part 0) and their truth rows."""

    def __init__(self, out: Path, part: int) -> None:
        parts = out / ".parts"
        self._mto_handle = (parts / f"money-{part:05d}-mto.csv").open("w", encoding="utf-8", newline="")
        self._bank_handle = (parts / f"money-{part:05d}-bank.csv").open("w", encoding="utf-8", newline="")
        self._truth_handle = (parts / f"money-{part:05d}-transfers.csv").open("w", encoding="utf-8", newline="")
        self._mto, self._bank = csv.writer(self._mto_handle), csv.writer(self._bank_handle, delimiter=";")
        self._truth = csv.writer(self._truth_handle)
        self._workbook: xlsxwriter.Workbook | None = None
        if part == 0:  # one bank answered a requisition for the accounts it holds among the first parties
            self._workbook = xlsxwriter.Workbook(
                str(out / "transfers" / "bank_requisition.xlsx"), {"constant_memory": True}
            )
            self._workbook.set_properties(
                {"title": "Synthetic bank requisition answer", "created": datetime(2025, 1, 6)}
            )
            self._sheet = self._workbook.add_worksheet("Transactions")
            self._sheet.write_row(0, 0, BANK_XLSX_COLUMNS)
            self._date_format = self._workbook.add_format({"num_format": "yyyy-mm-dd"})
        self._xlsx_row = 1
        self.counts = {"mto": 0, "bank_csv": 0, "bank_xlsx": 0}

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def add(self, transfer: Transfer) -> None:
        """Write one transfer to its file and its truth row."""
        if transfer.channel == "mto":
            self._write_mto(transfer)
            file = "transfers/mto_transactions.csv"
        else:
            holder = self._holder(transfer)
            if self._workbook and holder and holder.account[4:7] in XLSX_BANK_CODES and holder.country == "BE":
                self._write_xlsx(transfer, holder)
                file = "transfers/bank_requisition.xlsx"
            else:
                self._write_bank_csv(transfer, holder)
                file = "transfers/bank_statement.csv"
        self._truth.writerow(
            (
                transfer.transfer_id,
                file,
                transfer.channel,
                transfer.tx_type,
                transfer.sender.party_id if transfer.sender else "",
                transfer.receiver.party_id if transfer.receiver else "",
                transfer.instance_id,
                transfer.typology,
                transfer.network_id,
                f"{transfer.amount:.2f}",
            )
        )

    @staticmethod
    def _holder(transfer: Transfer) -> Party | None:
        """The account whose statement shows the row: the sender for debits, the receiver for deposits."""
        if transfer.tx_type == "cash_deposit" or transfer.sender is None:
            return transfer.receiver
        return transfer.sender

    def _write_mto(self, t: Transfer) -> None:
        sender, receiver = t.sender, t.receiver
        assert sender is not None and receiver is not None
        seconds = int(t.epoch) % 86400
        currency = CURRENCY.get(receiver.country, "EUR")
        fee = round(4.9 + t.amount * 0.015, 2)
        s_first, _, s_last = t.sender_name.partition(" ")
        r_first, _, r_last = t.receiver_name.partition(" ")
        self._mto.writerow(
            (
                t.transfer_id,
                day_text(t.epoch),
                f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}",
                s_first,
                s_last,
                sender.phone.local_display() if t.transfer_id[-1] in "02468" else sender.phone.e164,
                sender.email,
                f"{10 + int(t.epoch) % 180} Rue {('Haute', 'Neuve', 'de Brabant', 'Heyvaert')[int(t.epoch) % 4]}",
                t.agent_city or sender.city,
                sender.country,
                "Passport" if sender.country != "BE" else "eID",
                r_first,
                r_last,
                receiver.phone.e164,
                receiver.city,
                receiver.country,
                f"{t.amount:.2f}",
                "EUR",
                f"{fee:.2f}",
                f"{t.amount * FX[currency]:.2f}",
                currency,
                f"Agent {t.agent_city or sender.city} {int(t.epoch) % 37:02d}",
                t.agent_city or sender.city,
                "PAID",
                t.reference,
            )
        )
        self.counts["mto"] += 1

    def _write_bank_csv(self, t: Transfer, holder: Party | None) -> None:
        if holder is None:
            return
        when = day_text(t.epoch)
        debit = holder is t.sender and t.tx_type != "cash_deposit"
        other, other_name = (t.receiver, t.receiver_name) if debit else (t.sender, t.sender_name)
        amount = f"{-t.amount if debit else t.amount:.2f}".replace(".", ",")
        description = f"Betaling Bancontact {t.merchant}" if t.tx_type == "payment" else DESCRIPTIONS[t.tx_type]
        self._bank.writerow(
            (
                _spaced(holder.account),
                holder.name,
                when,
                when,
                t.transfer_id,
                description,
                amount,
                "EUR",
                _spaced(other.account) if other else "",
                other_name if other else t.merchant,
                other.city if other else "",
                t.reference,
                t.agent_city,
            )
        )
        self.counts["bank_csv"] += 1

    def _write_xlsx(self, t: Transfer, holder: Party) -> None:
        debit = holder is t.sender and t.tx_type != "cash_deposit"
        other, other_name = (t.receiver, t.receiver_name) if debit else (t.sender, t.sender_name)
        row = self._xlsx_row
        self._sheet.write_string(row, 0, holder.account)
        self._sheet.write_string(row, 1, holder.name)
        self._sheet.write_datetime(row, 2, day_of(t.epoch).replace(tzinfo=None), self._date_format)
        self._sheet.write_string(row, 3, t.transfer_id)
        self._sheet.write_string(row, 4, t.tx_type.replace("_", " "))
        self._sheet.write_number(row, 5, round(-t.amount if debit else t.amount, 2))
        self._sheet.write_string(row, 6, "EUR")
        self._sheet.write_string(row, 7, other.account if other else "")
        self._sheet.write_string(row, 8, other_name if other else "")
        self._sheet.write_string(row, 9, other.phone.e164 if other else "")
        self._sheet.write_string(row, 10, t.merchant)
        self._sheet.write_string(row, 11, t.agent_city)
        self._sheet.write_string(row, 12, t.reference)
        self._xlsx_row += 1
        self.counts["bank_xlsx"] += 1

    def close(self) -> None:
        """Close every file."""
        self._mto_handle.close()
        self._bank_handle.close()
        self._truth_handle.close()
        if self._workbook is not None:
            self._workbook.close()


_DAYS: dict[int, datetime] = {}


def day_of(epoch: float) -> datetime:
    """The UTC date of ``epoch`` (cached: strftime on every row is slow)."""
    day = int(epoch // 86400)
    if day not in _DAYS:
        _DAYS[day] = datetime.fromtimestamp(day * 86400, UTC)
    return _DAYS[day]


_DAY_TEXT: dict[int, str] = {}


def day_text(epoch: float) -> str:
    """``dd/mm/yyyy`` of ``epoch`` (cached)."""
    day = int(epoch // 86400)
    if day not in _DAY_TEXT:
        _DAY_TEXT[day] = day_of(epoch).strftime("%d/%m/%Y")
    return _DAY_TEXT[day]


@lru_cache(maxsize=16384)
def _spaced(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
