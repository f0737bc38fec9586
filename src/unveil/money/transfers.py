"""Normalising transfers: parties' names, phones, emails, addresses, accounts; amounts in EUR.

``normalise_batch`` is the per-record function the engine runs over ``ingest.transfers``. Each side
of a transfer (sender, receiver) becomes a *party record*: its normalised fields and a
``record_id`` that hashes them, so the same person written the same way is one record. A value
that cannot be normalised is kept out of the matching fields and noted in ``problems``; the row is
never dropped.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import phonenumbers
import pyarrow as pa
import yaml
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from unveil.identifiers import canonical
from unveil.money.rates import to_eur
from unveil.money.schema import NORMALISED_TRANSFERS, SIDE_FIELDS, SIDES

MERCHANTS_FILE = Path(__file__).parent / "data" / "merchants.yaml"
MAX_FIELD_CHARS = 500
CACHE_SIZE = 1 << 16  # parties repeat across transfers: normalise each value once per process
_NOT_LETTERS = re.compile(r"[^0-9a-z ]+")
_SPACES = re.compile(r"\s+")
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$")
_PEOPLE_COUNT = re.compile(
    r"(?i)\b(\d{1,3})\s*(?:x\s*)?(?:rooms?|kamers?|chambres?|camere|persons?|personen|personnes|persoane|people"
    r"|pax|passengers?|passagiers|passagers|travell?ers?|guests?|gasten|beds?|bedden|lits)\b"
)
_FOR_PERSON = re.compile(
    r"(?i:\b(?:for|pour|voor|fur|für|pentru|guest|passenger|pax|traveller|traveler|tenant|occupant))"
    r"\s*[:-]?\s*((?:[A-Z][\w'-]+)(?:\s+[A-Z][\w'-]+){0,2})"
)


def plain(text: str | None) -> str:
    """Lower case, accents removed, punctuation to spaces, spaces collapsed."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text[:MAX_FIELD_CHARS].casefold())
    ascii_only = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", _NOT_LETTERS.sub(" ", ascii_only)).strip()


@functools.lru_cache(maxsize=CACHE_SIZE)
def name_key(name: str | None) -> str | None:
    """A name's tokens in sorted order, so 'POPESCU, Ion' and 'Ion Popescu' agree."""
    tokens = sorted(plain(name).split())
    return " ".join(tokens) or None


@functools.lru_cache(maxsize=CACHE_SIZE)
def address_key(address: str | None) -> str | None:
    """An address in plain form for comparison."""
    return plain(address) or None


@functools.lru_cache(maxsize=CACHE_SIZE)
def normalise_phone(raw: str | None, region: str) -> str | None:
    """E.164 form of a phone number, or None when it is not a valid number (``identifiers.canonical``)."""
    return canonical("phone", raw, region)


def normalise_email(raw: str | None) -> str | None:
    """The e-mail address as the extractor writes it (no spaces, lower case), or None when it is not one."""
    return canonical("email", (raw or "")[:MAX_FIELD_CHARS])


@functools.lru_cache(maxsize=4096)
def normalise_country(raw: str | None) -> str | None:
    """ISO 3166 alpha-2 code (upper case) from a code or a country name (English, French, Dutch)."""
    value = (raw or "").strip()[:100]
    if value.upper() in phonenumbers.SUPPORTED_REGIONS:
        return value.upper()
    return country_names().get(plain(value)) if value else None


@functools.lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Country names to codes, from the phone-number library's region names (loaded only when needed)."""
    from phonenumbers import geocoder

    names: dict[str, str] = {}
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for locale in ("en", "fr", "nl"):
            name = geocoder._region_display_name(region, locale)
            if name:
                names[plain(name)] = region
    return names


@functools.lru_cache(maxsize=CACHE_SIZE)
def normalise_account(raw: str | None) -> tuple[str | None, str | None]:
    """An account number without spaces (IBANs checked); and a problem note or None."""
    compact = re.sub(r"[\s.-]+", "", raw or "").upper()[:64]
    if not compact:
        return None, None
    if not _IBAN_SHAPE.match(compact):
        return compact, None
    iban = canonical("iban", compact)
    if iban is not None:
        return iban, None
    try:
        IBAN(compact)
    except SchwiftyException as exc:
        return compact, f"account {compact} is not a valid IBAN ({exc})"
    return compact, f"account {compact} is not a valid IBAN"


def normalise_wallet(raw: str | None) -> str | None:
    """A crypto wallet address as the extractor writes it (bech32 and Ethereum lower case, base58 as
    written); an address that fails its checksum is kept without surrounding spaces."""
    value = (raw or "").strip()[:128]
    return (canonical("wallet", value) or value) if value else None


def record_id(fields: Mapping[str, str | None]) -> str | None:
    """Stable id of a party record: a hash of its normalised fields (None for an empty side)."""
    keys = ("name_key", "phone", "email", "address_key", "country", "account", "wallet")
    if not any(fields.get(key) for key in ("name_key", "phone", "email", "account", "wallet")):
        return None  # an address or a country alone does not make a person
    material = "\x1f".join(fields.get(key) or "" for key in keys)
    return "R" + hashlib.sha256(material.encode()).hexdigest()[:15]


PARTY_FIELDS = ("name", "phone", "email", "address", "city", "country", "account", "wallet")
RawSide = tuple[str | None, ...]


@functools.lru_cache(maxsize=CACHE_SIZE)
def normalise_side(raw: RawSide, side: str, region: str) -> tuple[dict[str, str | None], tuple[str, ...]]:
    """The normalised fields of one side (the eight raw ``PARTY_FIELDS``) and the problems found.

    Cached for the whole process: the same party appears on many transfers across batches. The
    returned dict is shared between callers, who must only read it.
    """
    get = dict(zip(PARTY_FIELDS, ((value or "").strip()[:MAX_FIELD_CHARS] or None for value in raw), strict=True))
    problems: list[str] = []
    country = normalise_country(get["country"])
    phone = normalise_phone(get["phone"], country or region)
    if get["phone"] and phone is None:
        problems.append(f"{side} phone {get['phone']!r} is not a valid number")
    account, account_problem = normalise_account(get["account"])
    if account_problem:
        problems.append(f"{side} {account_problem}")
    fields: dict[str, str | None] = {
        "name": get["name"],
        "name_key": name_key(get["name"]),
        "phone": phone,
        "email": normalise_email(get["email"]),
        "address": get["address"],
        "address_key": address_key(get["address"]),
        "city": get["city"],
        "country": country,
        "account": account,
        "wallet": normalise_wallet(get["wallet"]),
    }
    fields["record_id"] = record_id(fields)
    return fields, tuple(problems)


@functools.lru_cache(maxsize=1)
def merchant_patterns() -> dict[str, re.Pattern[str]]:
    """Merchant kinds and one pattern each, from the name fragments in ``data/merchants.yaml``."""
    data = yaml.safe_load(MERCHANTS_FILE.read_text("utf-8"))
    return {
        kind: re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(str(p).lower()) for p in patterns) + r")(?![a-z])")
        for kind, patterns in data.items()
    }


@functools.lru_cache(maxsize=CACHE_SIZE)
def merchant_kind(merchant: str | None, receiver_name: str | None = None) -> str | None:
    """The kind of merchant (ad_site, lodging, rent, travel) a payment went to, or None."""
    if not merchant and not receiver_name:
        return None
    text = f" {(merchant or '')[:MAX_FIELD_CHARS].lower()} {(receiver_name or '')[:MAX_FIELD_CHARS].lower()} "
    for kind, pattern in merchant_patterns().items():
        if pattern.search(text):
            return kind
    return None


@functools.lru_cache(maxsize=CACHE_SIZE)
def reference_person(reference: str | None) -> str | None:
    """The name key of a person a payment reference names ("hotel room for Ana Pop"), or None."""
    match = _FOR_PERSON.search((reference or "")[:MAX_FIELD_CHARS])
    return name_key(match.group(1)) if match else None


@functools.lru_cache(maxsize=CACHE_SIZE)
def reference_people(reference: str | None) -> int | None:
    """How many people, rooms or passengers a reference counts ("2 rooms x 3 nights" -> 2), or None."""
    counts = [int(match.group(1)) for match in _PEOPLE_COUNT.finditer((reference or "")[:MAX_FIELD_CHARS])]
    return max(counts) if counts else None


PASSTHROUGH = (
    "transfer_id",
    "source_id",
    "source_file",
    "record_no",
    "evidence_sha256",
    "channel",
    "tx_type",
    "executed_at",
    "agent_city",
    "reference",
    "merchant",
)


def normalise_batch(batch: pa.RecordBatch, rates: dict[str, float], region: str) -> pa.RecordBatch:
    """Per-record function: ``ingest.transfers`` rows in, ``money.transfers`` rows (without party ids) out.

    Work is columnar; each distinct party side of the batch is normalised once.
    """
    rows = batch.num_rows

    def column(name: str) -> list[Any]:
        return batch.column(name).to_pylist() if name in batch.schema.names else [None] * rows

    out: dict[str, list[Any]] = {name: column(name) for name in PASSTHROUGH}
    problems: list[list[str]] = [[] for _ in range(rows)]
    currencies = [(code or "").strip().upper() or None for code in column("currency")]
    amounts = column("amount")
    out.update(amount=amounts, currency=currencies, amount_eur=[])
    for number, (amount, currency) in enumerate(zip(amounts, currencies, strict=True)):
        in_eur = to_eur(amount, currency, rates)
        out["amount_eur"].append(in_eur)
        if in_eur is None:
            problems[number].append(f"no EUR amount: amount {amount!r} in currency {currency!r} without a rate")
    for side in SIDES:
        _normalise_sides(column, side, region, out, problems)
    out["merchant_kind"] = [
        merchant_kind(merchant, receiver)
        for merchant, receiver in zip(out["merchant"], column("receiver_name"), strict=True)
    ]
    out["reference_person"] = [reference_person(text) for text in out["reference"]]
    out["reference_people"] = [reference_people(text) for text in out["reference"]]
    out["problems"] = problems
    return pa.RecordBatch.from_pydict(out, schema=NORMALISED_TRANSFERS)


def _normalise_sides(column: Any, side: str, region: str, out: dict[str, list[Any]], problems: list[list[str]]) -> None:
    """Add one side's normalised columns to ``out``, normalising each distinct raw side once (cached)."""
    names = [f"{side}_{field}" for field in (*SIDE_FIELDS,)]
    for name in names:
        out[name] = []
    raw_columns = [column(f"{side}_{field}") for field in PARTY_FIELDS]
    for number, raw in enumerate(zip(*raw_columns, strict=True)):
        fields, side_problems = normalise_side(raw, side, region)
        for field, name in zip(SIDE_FIELDS, names, strict=True):
            out[name].append(fields[field])
        if side_problems:
            problems[number].extend(side_problems)
