"""FollowTheMoney JSON lines for Aleph.

Posts become ``Document`` (``HyperText`` for captured pages) with the phones, e-mails and IBANs
they mention; authors and messaging handles ``UserAccount``; IBANs ``BankAccount``; wallets
``CryptoWallet``; transfer parties ``Person``; transfers ``Payment``; a handle, IBAN or wallet
found in a post is tied to it by an ``UnknownLink`` (role "mentioned in"), an author by one with
role "author"; alerts become ``Note`` entities. Everything carries the topic ``crime.traffick.human``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from unveil.cases.data import Row
from unveil.cases.exports.graph import party_key
from unveil.cases.material import PSEUDONYM, Material, canonical_identifier

TOPIC = "crime.traffick.human"
MENTION_PROPERTY = {"phone": "phoneMentioned", "email": "emailMentioned", "iban": "ibanMentioned"}


def _entity(schema: str, *key: str) -> EntityProxy:
    entity = model.make_entity(schema)
    entity.make_id("unveil", schema, *key)
    return entity


def _add_typed(entity: EntityProxy, prop: str, value: Any) -> None:
    """Add a phone, e-mail or IBAN; a pseudonym (which FtM would drop as invalid) is kept under ``keywords``."""
    if isinstance(value, str) and PSEUDONYM.fullmatch(value):
        entity.add("keywords", value)
    else:
        entity.add(prop, value)


def _iso(value: Any) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if value else None)


def _document(post: Row, identifiers: list[Row], network: str | None) -> EntityProxy:
    document = _entity("HyperText" if post.get("kind") == "page" else "Document", post["post_id"])
    text = post.get("text") or ""
    document.add("fileName", f"{post['post_id']}.txt")
    document.add("title", post.get("title") or " ".join(text.split())[:80])
    document.add("bodyText", text)
    document.add("sourceUrl", post.get("url"))
    document.add("publishedAt", _iso(post.get("posted_at")))
    document.add("retrievedAt", _iso(post.get("captured_at")))
    document.add("author", post.get("author"))
    document.add("publisher", post.get("platform"))
    provenance = f"source file {post.get('source_file')}, record {post.get('record_no')}"
    document.add("description", f"Evidence SHA-256 {post.get('evidence_sha256')}; {provenance}")
    document.add("country", (post.get("region") or "").lower() or None)
    document.add("locationMentioned", post.get("city"))
    document.add("keywords", network)
    document.add("topics", TOPIC)
    for row in identifiers:
        if row["type"] in MENTION_PROPERTY:
            _add_typed(document, MENTION_PROPERTY[row["type"]], row["value"])
    return document


def _identifier_entity(row: Row) -> EntityProxy | None:
    kind, value = row["type"], row["value"]
    if kind == "handle":
        service, _, name = value.partition(":")
        entity = _entity("UserAccount", "handle", value)
        entity.add("username", name or value)
        entity.add("service", row.get("service") or service)
    elif kind == "iban":
        entity = _entity("BankAccount", value)
        _add_typed(entity, "iban", value)
    elif kind == "wallet":
        entity = _entity("CryptoWallet", value)
        entity.add("publicKey", value)
        entity.add("currencySymbol", row.get("service"))
    else:
        return None
    entity.add("topics", TOPIC)
    return entity


def _link(subject: EntityProxy, target: EntityProxy, role: str) -> EntityProxy:
    link = _entity("UnknownLink", str(subject.id), str(target.id), role)
    link.add("subject", subject.id)
    link.add("object", target.id)
    link.add("role", role)
    return link


def post_entities(material: Material) -> Iterator[EntityProxy]:
    """Documents, accounts, bank accounts, wallets and the links between them."""
    by_post: dict[str, list[Row]] = {}
    for row in material.identifiers:
        by_post.setdefault(row["post_id"], []).append(row)
    network_of = {r["post_id"]: r["network_id"] for r in material.network_posts}
    for post in material.posts:
        document = _document(post, by_post.get(post["post_id"], []), network_of.get(post["post_id"]))
        yield document
        if post.get("author"):
            account = _entity("UserAccount", "author", str(post.get("platform")), post["author"])
            account.add("username", post["author"])
            account.add("service", post.get("platform"))
            account.add("topics", TOPIC)
            yield account
            yield _link(account, document, "author")
        for row in by_post.get(post["post_id"], []):
            entity = _identifier_entity(row)
            if entity is not None:
                yield entity
                yield _link(entity, document, "mentioned in")


def _person(transfer: Row, side: str, region: str) -> EntityProxy:
    person = _entity("Person", party_key(transfer, side, region))
    person.add("name", transfer.get(f"{side}_name") or f"unknown {side} of {transfer['transfer_id']}")
    phone = transfer.get(f"{side}_phone")
    _add_typed(person, "phone", canonical_identifier("phone", str(phone), region) if phone else None)
    _add_typed(person, "email", transfer.get(f"{side}_email"))
    person.add("address", transfer.get(f"{side}_address"))
    person.add("country", transfer.get(f"{side}_country"))
    person.add("topics", TOPIC)
    return person


def transfer_entities(material: Material, region: str) -> Iterator[EntityProxy]:
    """Persons, accounts, wallets and payments of the transfers (each person and account made once)."""
    persons: dict[str, EntityProxy] = {}
    banks: set[str] = set()
    for transfer in material.transfers:
        payment = _entity("Payment", transfer["transfer_id"])
        for side, role in (("sender", "payer"), ("receiver", "beneficiary")):
            key = party_key(transfer, side, region)
            person = persons.get(key)
            if person is None:
                person = persons[key] = _person(transfer, side, region)
                yield person
            elif transfer.get(f"{side}_name"):
                person.add("name", transfer[f"{side}_name"])  # the same name written in another case
            payment.add(role, person.id)
            account = transfer.get(f"{side}_account")
            if account:
                iban = canonical_identifier("iban", str(account), region)
                bank = _entity("BankAccount", iban)
                if iban not in banks:
                    banks.add(iban)
                    _add_typed(bank, "iban", iban)
                    bank.add("topics", TOPIC)
                    yield bank
                payment.add(f"{role}Account", bank.id)
            wallet = transfer.get(f"{side}_wallet")
            if wallet:
                crypto = _entity("CryptoWallet", str(wallet))
                crypto.add("publicKey", str(wallet))
                crypto.add("holder", person.id)
                crypto.add("topics", TOPIC)
                yield crypto
        payment.add("amount", transfer.get("amount"))
        payment.add("currency", transfer.get("currency"))
        payment.add("date", _iso(transfer.get("executed_at")))
        payment.add("purpose", transfer.get("reference"))
        payment.add("recordId", transfer["transfer_id"])
        payment.add("description", f"{transfer.get('channel') or ''} {transfer.get('tx_type') or ''}".strip())
        yield payment


def alert_entities(material: Material) -> Iterator[EntityProxy]:
    """A note per money alert, with its reasons."""
    for alert in material.alerts:
        note = _entity("Note", str(alert.get("alert_id")))
        note.add("name", f"{alert.get('typology')} alert {alert.get('alert_id')}")
        note.add("description", str(alert.get("reasons") or ""))
        note.add("topics", TOPIC)
        yield note


def write_ftm(material: Material, out: Path, region: str) -> Counter[str]:
    """Write entities as JSON lines, merging repeats of the same entity; return counts per schema."""
    merged: dict[str, EntityProxy] = {}
    for entity in (*post_entities(material), *transfer_entities(material, region), *alert_entities(material)):
        key = str(entity.id)
        if key in merged:
            merged[key].merge(entity)
        else:
            merged[key] = entity
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for entity in merged.values():
            handle.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    return Counter(entity.schema.name for entity in merged.values())
