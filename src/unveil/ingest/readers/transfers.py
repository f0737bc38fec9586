"""Money-transfer rows from mapped records: operator exports (``mto``) and bank statements (``bank``).

A bank statement lists one account's movements: a signed amount (or debit/credit columns) says
whether the account holder sent or received, and the counterparty is the other side.
"""

from __future__ import annotations

from typing import Any

from unveil.ingest.mapping import ColumnMapping
from unveil.ingest.records import Rejected, Row, Source, record_hash
from unveil.ingest.text import clean_optional
from unveil.ingest.values import parse_amount, parse_timestamp

PARTY_FIELDS = ("name", "phone", "email", "address", "city", "country", "account", "wallet")
CHANNELS = ("mto", "bank", "card", "crypto")
TX_TYPES = ("transfer", "cash_deposit", "cash_withdrawal", "payment")
CASH_OUT = ("atm", "cash withdrawal", "withdrawal", "retrait", "geldopname")
CASH_IN = ("cash deposit", "deposit", "versement", "storting")
CARD = ("card", "pos ", "carte", "kaart", "bancontact")


def transfer_from_record(
    record: dict[str, Any], mapping: ColumnMapping, source: Source, record_no: int
) -> Row | Rejected:
    """A transfer row from one mapped record, or the reason it cannot be one."""
    amount = _amount(record, mapping)
    if amount is None:
        return Rejected(record_no, f"no readable amount in {_shown(record, mapping, 'amount')!r}")
    raw_date = mapping.get(record, "executed_at")
    executed_at = parse_timestamp(raw_date, mapping.date_format)
    if executed_at is None:
        return Rejected(record_no, f"no readable date in {str(raw_date)[:64]!r}")
    values: dict[str, Any] = {
        "executed_at": executed_at,
        "amount": abs(amount),
        "currency": (clean_optional(mapping.get(record, "currency"), 8) or "").upper() or None,
        "agent_city": clean_optional(mapping.get(record, "agent_city"), 256),
        "reference": clean_optional(mapping.get(record, "reference")),
        "merchant": clean_optional(mapping.get(record, "merchant"), 256),
    }
    for side in ("sender", "receiver"):
        for field in PARTY_FIELDS:
            values[f"{side}_{field}"] = clean_optional(mapping.get(record, f"{side}_{field}"), 512)
    operation = str(mapping.get(record, "tx_type") or "")
    values["tx_type"] = _choice(operation, TX_TYPES) or _guess_type(f"{operation} {values['reference'] or ''}", values)
    if mapping.profile == "bank":
        _fill_bank_sides(values, record, mapping, amount)
        if values["tx_type"] == "payment" and not values["merchant"]:
            values["merchant"], values["receiver_name"] = values["receiver_name"], None
    values["channel"] = _choice(mapping.get(record, "channel"), CHANNELS) or _guess_channel(mapping, values)
    raw_sha = record_hash(record)
    source_id = clean_optional(mapping.get(record, "source_id"), 256)
    values["source_id"] = source_id
    values["record_sha256"] = raw_sha
    key = f"id:{values['channel']}:{source_id}" if source_id else f"sha:{raw_sha}"
    return Row("transfers", record_no, key, values)


def _amount(record: dict[str, Any], mapping: ColumnMapping) -> float | None:
    amount = parse_amount(mapping.get(record, "amount"), mapping.decimal)
    if amount is not None:
        return amount
    debit = parse_amount(mapping.get(record, "debit"), mapping.decimal)
    credit = parse_amount(mapping.get(record, "credit"), mapping.decimal)
    if debit:
        return -abs(debit)
    return abs(credit) if credit is not None else None


def _fill_bank_sides(values: dict[str, Any], record: dict[str, Any], mapping: ColumnMapping, amount: float) -> None:
    """The holder sends when the amount is negative (or a debit) and receives otherwise."""
    holder = {"name": mapping.get(record, "account_holder"), "account": mapping.get(record, "account")}
    other = {
        "name": mapping.get(record, "counterparty_name"),
        "account": mapping.get(record, "counterparty_account"),
        "address": mapping.get(record, "counterparty_address"),
        "phone": mapping.get(record, "counterparty_phone"),
    }
    own, theirs = ("sender", "receiver") if amount < 0 else ("receiver", "sender")
    for field in ("name", "account", "address", "phone"):
        values[f"{own}_{field}"] = values[f"{own}_{field}"] or clean_optional(holder.get(field), 512)
        values[f"{theirs}_{field}"] = values[f"{theirs}_{field}"] or clean_optional(other[field], 512)


def _choice(value: Any, allowed: tuple[str, ...]) -> str | None:
    text = str(value or "").strip().lower().replace(" ", "_").replace("-", "_")
    return text if text in allowed else None


def _guess_channel(mapping: ColumnMapping, values: dict[str, Any]) -> str:
    if values["sender_wallet"] or values["receiver_wallet"]:
        return "crypto"
    if values["merchant"]:
        return "card"
    return "bank" if mapping.profile == "bank" else "mto"


def _guess_type(description: str, values: dict[str, Any]) -> str:
    memo = f" {description} ".lower()
    if any(word in memo for word in CASH_OUT):
        return "cash_withdrawal"
    if any(word in memo for word in CASH_IN):
        return "cash_deposit"
    if values["merchant"] or any(word in memo for word in CARD):
        return "payment"
    return "transfer"


def _shown(record: dict[str, Any], mapping: ColumnMapping, target: str) -> str:
    return str(mapping.get(record, target))[:64]
