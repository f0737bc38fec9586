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
    "source_id": ("transfer_id", "mtcn", "transaction_id", "tx_id", "reference_number", "id", "transaction_ref"),
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
    ),
    "amount": ("amount", "principal", "send_amount", "principal_amount", "value", "amount_eur", "sum"),
    "currency": ("currency", "send_currency", "ccy", "currency_code"),
    "channel": ("channel",),
    "tx_type": ("tx_type", "transaction_type", "operation", "type"),
    "agent_city": ("agent_city", "payout_city", "pay_city", "agent_location", "cash_city", "atm_city"),
    "reference": ("reference", "memo", "description", "purpose", "communication", "remittance_info", "details"),
    "merchant": ("merchant", "merchant_name", "shop"),
    "debit": ("debit", "withdrawal", "money_out", "out"),
    "credit": ("credit", "deposit", "money_in", "in"),
    "account": ("account", "account_number", "own_account", "iban", "account_iban"),
    "account_holder": ("account_holder", "holder", "account_name", "customer", "customer_name"),
    "counterparty_name": ("counterparty_name", "counterparty", "counter_party", "beneficiary_name", "payee_name"),
    "counterparty_account": ("counterparty_account", "counterparty_iban", "beneficiary_account", "payee_account"),
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
    columns: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None
    decimal: str | None = None

    def get(self, record: dict[str, Any], target: str) -> Any:
        """The record's value for a target column, or the default, or None."""
        source = self.columns.get(target)
        value = record.get(source) if source is not None else None
        if value is None or value == "":
            return self.defaults.get(target)
        return value


def normalise_header(name: str) -> str:
    """``"Sender Name "`` → ``sender_name``."""
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def match_columns(header: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Target column -> source column for each target whose alias appears in the header."""
    by_normal = {normalise_header(name): name for name in header}
    found: dict[str, str] = {}
    for target, names in aliases.items():
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
    detected = match_columns([h for h in header if h not in mapping.columns.values()], aliases)
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
        columns={str(k): str(v) for k, v in columns.items()},
        defaults={**base.defaults, **{str(k): str(v) for k, v in defaults.items()}},
        date_format=data.get("date_format"),
        decimal=data.get("decimal"),
    )
