"""FollowTheMoney entities as JSON lines (exports of Aleph and other tools).

Documents (``HyperText``, ``Document``, ``Article``, ``Message``...) become posts, ``Payment``
entities become transfers, and every other entity (people, companies, accounts, wallets) goes to
``ingest.entities`` and names the parties of payments. The file is read twice so that a payment
may refer to a party written anywhere in it; only party names are held in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from followthemoney import model
from followthemoney.exc import InvalidData

from unveil.ingest.readers.jsonl import read_json_lines
from unveil.ingest.records import Item, Rejected, Row, Source, record_hash
from unveil.ingest.text import clean_optional, normalise_text
from unveil.ingest.values import parse_amount, parse_timestamp

POST_TEXT = ("bodyText", "description", "summary")
MAX_PARTIES = 2_000_000


def read(source: Source) -> Iterator[Item]:
    """Posts, transfers and entities from an FtM JSON-lines file."""
    parties = _party_names(source)
    for parsed in read_json_lines(source):
        if isinstance(parsed, Rejected):
            yield parsed
            continue
        number, data, raw = parsed
        yield _entity_item(number, data, raw, parties, source)


def _party_names(source: Source) -> dict[str, dict[str, str | None]]:
    parties: dict[str, dict[str, str | None]] = {}
    for parsed in read_json_lines(source):
        if isinstance(parsed, Rejected) or len(parties) >= MAX_PARTIES:
            continue
        _, data, _ = parsed
        properties: dict[str, Any] = data["properties"] if isinstance(data.get("properties"), dict) else {}
        if data.get("schema") in ("Person", "Company", "Organization", "LegalEntity", "BankAccount", "CryptoWallet"):
            parties[str(data.get("id"))] = {
                "name": _first(properties, "name") or _first(properties, "accountNumber"),
                "account": _first(properties, "iban") or _first(properties, "accountNumber"),
                "wallet": _first(properties, "publicKey"),
                "phone": _first(properties, "phone"),
                "email": _first(properties, "email"),
                "country": _first(properties, "country"),
            }
    return parties


def _first(properties: dict[str, Any], name: str) -> str | None:
    values = properties.get(name)
    return str(values[0]) if isinstance(values, list) and values else None


def _entity_item(number: int, data: dict[str, Any], raw: bytes, parties: dict[str, Any], source: Source) -> Item:
    try:
        proxy = model.get_proxy(data, cleaned=False)
    except (InvalidData, TypeError, ValueError, KeyError) as exc:
        return Rejected(number, f"not a FollowTheMoney entity: {exc}")
    if proxy.id is None:
        return Rejected(number, "FollowTheMoney entity without an id")
    if proxy.schema.is_a("Payment"):
        return _payment(number, proxy, parties, raw)
    text = next(
        (proxy.first(prop) for prop in POST_TEXT if prop in proxy.schema.properties and proxy.first(prop)), None
    )
    if proxy.schema.is_a("Document") and text:
        return _document(number, proxy, text, raw, source.region)
    values = {
        "entity_id": proxy.id,
        "schema": proxy.schema.name,
        "caption": clean_optional(proxy.caption),
        "properties": json.dumps(proxy.to_dict().get("properties", {}), ensure_ascii=False, sort_keys=True),
        "record_sha256": record_hash(raw),
    }
    return Row("entities", number, f"ftm:{proxy.id}", values)


def _document(number: int, proxy: Any, text: str, raw: bytes, region: str | None) -> Row:
    values = {
        "source_id": proxy.id,
        "kind": "message" if proxy.schema.is_a("Message") else "page" if proxy.schema.name == "HyperText" else "post",
        "platform": clean_optional(proxy.first("publisher")) if "publisher" in proxy.schema.properties else None,
        "url": proxy.first("sourceUrl"),
        "author": clean_optional(proxy.first("author")),
        "title": clean_optional(proxy.first("title")),
        "text": normalise_text(text),
        "posted_at": parse_timestamp(proxy.first("publishedAt") or proxy.first("date")),
        "captured_at": parse_timestamp(proxy.first("retrievedAt")),
        "region": region,
        "record_sha256": record_hash(raw),
        "metadata": {"ftm_schema": proxy.schema.name},
    }
    return Row("posts", number, f"id:ftm:{proxy.id}", values)


def _payment(number: int, proxy: Any, parties: dict[str, Any], raw: bytes) -> Item:
    amount = parse_amount(proxy.first("amountEur") or proxy.first("amount"))
    executed = parse_timestamp(proxy.first("date") or proxy.first("startDate"))
    if amount is None or executed is None:
        return Rejected(number, f"Payment {proxy.id} lacks a readable amount or date")
    values: dict[str, Any] = {
        "source_id": proxy.id,
        "executed_at": executed,
        "amount": abs(amount),
        "currency": "EUR" if proxy.first("amountEur") and not proxy.first("amount") else proxy.first("currency"),
        "channel": "bank",
        "tx_type": "payment" if proxy.first("contract") else "transfer",
        "reference": clean_optional(proxy.first("purpose") or proxy.first("description")),
        "record_sha256": record_hash(raw),
    }
    for side, props in (("sender", ("payer", "payerAccount")), ("receiver", ("beneficiary", "beneficiaryAccount"))):
        party = parties.get(str(proxy.first(props[0])), {}) or {}
        account = parties.get(str(proxy.first(props[1])), {}) or {}
        for field in ("name", "phone", "email", "country", "account", "wallet"):
            values[f"{side}_{field}"] = party.get(field) or account.get(field)
        values[f"{side}_name"] = values[f"{side}_name"] or proxy.first(props[0])
    if values["sender_wallet"] or values["receiver_wallet"]:
        values["channel"] = "crypto"
    return Row("transfers", number, f"id:ftm:{proxy.id}", values)
