"""Column mappings: which source column feeds which table column.

A mapping comes from a profile (``posts``, ``mto`` for money-transfer-operator exports, ``bank``
for bank statements), from the header of a file (common column names are recognised), or from a
``--mapping FILE`` (YAML or JSON)::

    profile: bank            # optional: start from a built-in profile
    columns: {amount: "Bedrag", executed_at: "Datum", counterparty_name: "Tegenpartij"}
    defaults: {currency: EUR, account_holder: "J. Peeters"}
    date_format: "%d/%m/%Y"
    decimal: ","
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from unveil.errors import UsageError

_PARTY = ("name", "phone", "email", "address", "city", "country", "account", "wallet")

POST_ALIASES: dict[str, tuple[str, ...]] = {
    "source_id": ("id", "post_id", "message_id", "ad_id", "uid", "guid"),
    "text": ("text", "body", "content", "message", "description", "ad_text", "post_text", "full_text", "post"),
    "title": ("title", "subject", "headline"),
    "url": ("url", "link", "permalink", "href", "page_url"),
    "author": ("author", "username", "user", "poster", "from", "sender", "screen_name"),
    "posted_at": ("posted_at", "date", "created_at", "timestamp", "published_at", "published", "datetime", "time"),
    "captured_at": ("captured_at", "crawled_at", "scraped_at", "retrieved_at", "collected_at"),
    "platform": ("platform", "site", "website", "source"),
    "kind": ("kind", "type"),
    "city": ("city", "location", "town", "place"),
    "region": ("country", "region", "country_code"),
    "images": ("images", "image", "photos", "image_urls", "media"),
}

TRANSFER_ALIASES: dict[str, tuple[str, ...]] = {
    "source_id": (
        "transfer_id",
        "mtcn",
        "transaction_id",
        "tx_id",
        "reference_number",
        "id",
        "transaction_ref",
        "referentie",
        "reference_operation",
    ),
    "executed_at": (
        "executed_at",
        "date",
        "send_date",
        "transaction_date",
        "datetime",
        "timestamp",
        "booking_date",
        "value_date",
        "paid_at",
        "date_time",
        "boekingsdatum",
        "datum",
        "date_comptable",
        "date_operation",
    ),
    "amount": (
        "amount",
        "principal",
        "send_amount",
        "principal_amount",
        "value",
        "amount_eur",
        "sum",
        "bedrag",
        "montant",
    ),
    "currency": ("currency", "send_currency", "ccy", "currency_code", "munt", "devise"),
    "channel": ("channel",),
    "tx_type": ("tx_type", "transaction_type", "operation", "type", "omschrijving", "libelle", "type_operation"),
    "agent_city": (
        "agent_city",
        "payout_city",
        "pay_city",
        "agent_location",
        "cash_city",
        "atm_city",
        "branch_city",
        "plaats",
    ),
    "reference": (
        "reference",
        "memo",
        "description",
        "purpose",
        "communication",
        "remittance_info",
        "details",
        "message",
        "mededeling",
    ),
    "merchant": ("merchant", "merchant_name", "shop"),
    "debit": ("debit", "withdrawal", "money_out", "out"),
    "credit": ("credit", "deposit", "money_in", "in"),
    "account": ("account", "account_number", "own_account", "iban", "account_iban", "rekeningnummer", "compte"),
    "account_holder": (
        "account_holder",
        "holder",
        "account_name",
        "customer",
        "customer_name",
        "naam_rekeninghouder",
        "titulaire",
    ),
    "counterparty_name": (
        "counterparty_name",
        "counterparty",
        "counter_party",
        "beneficiary_name",
        "payee_name",
        "naam_tegenpartij",
        "contrepartie",
    ),
    "counterparty_account": (
        "counterparty_account",
        "counterparty_iban",
        "beneficiary_account",
        "payee_account",
        "tegenpartij_rekening",
        "rekening_tegenpartij",
        "compte_contrepartie",
    ),
    "counterparty_address": ("counterparty_address", "adres_tegenpartij", "adresse_contrepartie"),
    "counterparty_phone": ("counterparty_phone", "telefoon_tegenpartij"),
}
# columns that together make one value (joined with a space), preferred over a single column
COMBINED: dict[str, tuple[tuple[str, str], ...]] = {
    "sender_name": (("sender_first_name", "sender_last_name"), ("sender_firstname", "sender_lastname")),
    "receiver_name": (("receiver_first_name", "receiver_last_name"), ("receiver_firstname", "receiver_lastname")),
    "executed_at": (("send_date", "send_time"), ("date", "time"), ("booking_date", "booking_time")),
}
for _side, _names in (
    ("sender", ("sender", "remitter", "payer", "from")),
    ("receiver", ("receiver", "beneficiary", "recipient", "payee", "to")),
):
    for _field in _PARTY:
        TRANSFER_ALIASES[f"{_side}_{_field}"] = (
            tuple(f"{n}_{_field}" for n in _names)
            + ((_side, *_names) if _field == "name" else ())
            + ((f"{_side}_iban",) if _field == "account" else ())
        )

BANK_MARKERS = {"debit", "credit", "account", "account_holder", "counterparty_name", "counterparty_account"}
Columns = dict[str, str | list[str]]
MTO_MARKERS = {"sender_name", "receiver_name", "agent_city"}


@dataclass(frozen=True)
class ColumnMapping:
    """Which source column feeds which table column, with constants and parsing hints.

    Attributes:
        kind: ``posts`` or ``transfers``.
        profile: the built-in profile it started from (``posts``, ``mto``, ``bank``, ``generic``).
        columns: table column (or profile field such as ``debit``) -> source column name.
        defaults: constant values for columns the source lacks (``currency``, ``channel``...).
        date_format: a ``strptime`` layout when dates are ambiguous.
        decimal: the decimal separator of amounts (``,`` or ``.``) when known.
    """

    kind: str
    profile: str
    columns: Columns = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None
    decimal: str | None = None

    def get(self, record: dict[str, Any], target: str) -> Any:
        """The record's value for a target column, or the default, or None."""
        source = self.columns.get(target)
        value: Any = None
        if isinstance(source, str):
            value = record.get(source)
        elif source is not None:
            parts = [str(record[name]).strip() for name in source if record.get(name) not in (None, "")]
            value = " ".join(part for part in parts if part)
        if value is None or value == "":
            return self.defaults.get(target)
        return value

    def sources(self) -> set[str]:
        """Every source column the mapping reads."""
        return {name for value in self.columns.values() for name in ([value] if isinstance(value, str) else value)}


def normalise_header(name: str) -> str:
    """``"Sender Name "`` → ``sender_name``."""
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def match_columns(header: list[str], aliases: dict[str, tuple[str, ...]]) -> Columns:
    """Target column -> source column(s) for each target whose alias appears in the header."""
    by_normal = {normalise_header(name): name for name in header}
    found: Columns = {}
    if aliases is TRANSFER_ALIASES:
        for target, pairs in COMBINED.items():
            pair = next((p for p in pairs if p[0] in by_normal and p[1] in by_normal), None)
            if pair:
                found[target] = [by_normal[pair[0]], by_normal[pair[1]]]
    for target, names in aliases.items():
        if target in found:
            continue
        for alias in (target, *names):
            if alias in by_normal and by_normal[alias] not in found.values():
                found[target] = by_normal[alias]
                break
    return found


def detect_mapping(header: list[str]) -> ColumnMapping | None:
    """The mapping a header implies: transfers when it has an amount, posts when it has text."""
    transfer = match_columns(header, TRANSFER_ALIASES)
    if "amount" in transfer or {"debit", "credit"} & transfer.keys():
        transfer.pop("type", None)
        profile = "bank" if BANK_MARKERS & transfer.keys() else "mto" if MTO_MARKERS & transfer.keys() else "generic"
        return ColumnMapping("transfers", profile, transfer)
    posts = match_columns(header, POST_ALIASES)
    if "text" in posts:
        return ColumnMapping("posts", "posts", posts)
    return None


def complete(mapping: ColumnMapping, header: list[str]) -> ColumnMapping:
    """Fill the columns a mapping does not name from the header's recognised names."""
    aliases = TRANSFER_ALIASES if mapping.kind == "transfers" else POST_ALIASES
    detected = match_columns([h for h in header if h not in mapping.sources()], aliases)
    return replace(mapping, columns={**detected, **mapping.columns})


PROFILES = {
    "posts": ColumnMapping("posts", "posts"),
    "mto": ColumnMapping("transfers", "mto", defaults={"channel": "mto", "tx_type": "transfer"}),
    "bank": ColumnMapping("transfers", "bank", defaults={"channel": "bank", "tx_type": "transfer"}),
}


def load_mapping(spec: str | Path) -> ColumnMapping:
    """A mapping from a profile name (``posts``, ``mto``, ``bank``) or a YAML/JSON file."""
    if str(spec) in PROFILES:
        return PROFILES[str(spec)]
    path = Path(spec)
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise UsageError(f"--mapping {spec}: cannot read ({exc.strerror})") from exc
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if not isinstance(data, dict):
        raise UsageError(f"--mapping {spec}: expected a mapping with 'columns' (see docs/ingest.md)")
    return _mapping_from(data, spec)


def _mapping_from(data: dict[str, Any], spec: str | Path) -> ColumnMapping:
    profile = str(data.get("profile") or data.get("kind") or "posts")
    if profile not in PROFILES:
        raise UsageError(f"--mapping {spec}: unknown profile {profile!r} (posts, mto, bank)")
    base = PROFILES[profile]
    columns = data.get("columns") or {}
    defaults = data.get("defaults") or {}
    if not isinstance(columns, dict) or not isinstance(defaults, dict):
        raise UsageError(f"--mapping {spec}: 'columns' and 'defaults' must be mappings")
    return replace(
        base,
        columns={str(k): [str(c) for c in v] if isinstance(v, list) else str(v) for k, v in columns.items()},
        defaults={**base.defaults, **{str(k): str(v) for k, v in defaults.items()}},
        date_format=data.get("date_format"),
        decimal=data.get("decimal"),
    )
