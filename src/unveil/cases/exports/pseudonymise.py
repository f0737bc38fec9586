"""Pseudonymised material for analysts: identifiers replaced by keyed hashes, the same in every file.

The same phone number gets the same pseudonym (see ``scrub.Pseudonymiser``) in posts, transfers,
parties, FtM, GEXF, i2, Excel and CSV files, so analysts can still follow it; without the key it
cannot be reversed by hashing guesses.

Structured columns are replaced value by value: identifier values and raw spans, post authors and
URLs, transfer parties' names, phones, e-mails, addresses, accounts and wallets, the same lists of
``money.parties`` and alerts' party names. Then every other text column of every table (post
texts and titles, metadata, network summaries, link and alert reasons, references...) goes
through the ``Scrubber``: the post's own identifier spans, a second pass of the extractor and the
known raw values. Only the columns in ``KEPT`` (ids, hashes, types, codes) are left as they are;
a column added later is scrubbed by default.
"""

from __future__ import annotations

from typing import Any

from unveil.cases.data import Row
from unveil.cases.exports.scrub import Pseudonymiser, Scrubber, Span
from unveil.cases.material import PARTY_IDENTIFIER_COLUMNS, Material, canonical_identifier
from unveil.identifiers import find_identifiers

PARTY_TEXT_COLUMNS = ("name", "address")
PARTY_LISTS = {"phones": "phone", "emails": "email", "accounts": "iban", "wallets": "wallet"}
PARTY_TEXT_LISTS = {"names": "name", "addresses": "address"}
KEPT = frozenset(
    {
        "post_id", "transfer_id", "party_id", "alert_id", "network_id", "src_post_id", "dst_post_id",
        "indicator_id", "place_id", "image_id", "source_id", "evidence_sha256", "record_sha256",
        "image_sha256", "transfer_ids", "post_ids", "network_ids", "type", "kind", "rule", "service",
        "platform", "channel", "tx_type", "currency", "domain", "category", "typology", "region",
        "language", "languages", "format", "country", "countries", "source",
    }
)  # fmt: skip


def pseudonymise(material: Material, key: str, region: str) -> Material:
    """A copy of the material with every identifier and party detail replaced by its pseudonym."""
    namer = Pseudonymiser(key)
    scrub = Scrubber(namer, region)
    for row in material.identifiers:
        alias = namer.pseudonym(row["type"], row["value"])
        scrub.know(str(row["value"]), alias)
        if row.get("raw"):
            scrub.know(str(row["raw"]), alias)
    result = Material(
        identifiers=[_identifier(row, namer) for row in material.identifiers],
        transfers=[_transfer(row, namer, region, scrub) for row in material.transfers],
        parties=[_party(row, namer, region, scrub) for row in material.parties],
        alerts=[_alert(row, namer) for row in material.alerts],
    )
    for post in material.posts:
        if post.get("author"):
            scrub.know(str(post["author"]), namer.pseudonym("author", post["author"]))
    spans = _post_spans(material.identifiers, namer)
    result.posts = [_post(row, spans.get(row["post_id"], []), scrub, region) for row in material.posts]
    for table, found in material.tables().items():
        if table not in ("identifiers", "posts", "transfers", "parties", "alerts"):
            setattr(result, table, found)
    for table, found in result.tables().items():
        setattr(result, table, [_scrub_row(row, scrub, skip=("text",) if table == "posts" else ()) for row in found])
    return result


def _identifier(row: Row, namer: Pseudonymiser) -> Row:
    alias = namer.pseudonym(row["type"], row["value"])
    return {**row, "value": alias, "raw": alias if row.get("raw") is not None else None}


def _post_spans(identifiers: list[Row], namer: Pseudonymiser) -> dict[str, list[Span]]:
    """Each post's identifier spans with their pseudonyms."""
    index: dict[str, list[Span]] = {}
    for row in identifiers:
        if row.get("start") is not None and row.get("end") is not None:
            span = (int(row["start"]), int(row["end"]), namer.pseudonym(row["type"], row["value"]))
            index.setdefault(row["post_id"], []).append(span)
    return index


def _post(post: Row, spans: list[Span], scrub: Scrubber, region: str) -> Row:
    author = scrub.namer.pseudonym("author", post["author"]) if post.get("author") else None
    url = _url_alias(str(post["url"]), scrub.namer, region) if post.get("url") else None
    return {**post, "text": scrub.scrub(post.get("text") or "", spans), "author": author, "url": url}


def _url_alias(url: str, namer: Pseudonymiser, region: str) -> str:
    """A post's URL under the pseudonym of its domain, as the extractor reads it (the same as in texts)."""
    found = [f for f in find_identifiers(url, region) if f.type == "url"]
    return namer.pseudonym("url", found[0].value if found else url.strip())


def _transfer(transfer: Row, namer: Pseudonymiser, region: str, scrub: Scrubber) -> Row:
    out = dict(transfer)
    for side in ("sender", "receiver"):
        for id_type, column in PARTY_IDENTIFIER_COLUMNS.items():
            raw = transfer.get(f"{side}_{column}")
            if raw:
                out[f"{side}_{column}"] = _identifier_alias(id_type, str(raw), namer, region, scrub)
        for column in PARTY_TEXT_COLUMNS:
            raw = transfer.get(f"{side}_{column}")
            if raw:
                out[f"{side}_{column}"] = _text_alias(column, str(raw), namer, scrub)
    return out


def _text_alias(kind: str, raw: str, namer: Pseudonymiser, scrub: Scrubber) -> str:
    """Pseudonym of a name or an address (case and outer spaces do not matter)."""
    alias = namer.pseudonym(kind, raw.strip().lower())
    scrub.know(raw, alias)
    return alias


def _party(party: Row, namer: Pseudonymiser, region: str, scrub: Scrubber) -> Row:
    out = dict(party)
    if isinstance(party.get("name"), str) and party["name"]:
        out["name"] = _text_alias("name", party["name"], namer, scrub)
    for column, id_type in PARTY_LISTS.items():
        values = party.get(column)
        if isinstance(values, list):
            out[column] = [_identifier_alias(id_type, str(v), namer, region, scrub) for v in values if v]
    for column, kind in PARTY_TEXT_LISTS.items():
        values = party.get(column)
        if isinstance(values, list):
            out[column] = [_text_alias(kind, str(v), namer, scrub) for v in values if v]
    return out


def _identifier_alias(id_type: str, raw: str, namer: Pseudonymiser, region: str, scrub: Scrubber) -> str:
    """Pseudonym of a party's phone, e-mail, account or wallet, under its canonical value."""
    alias = scrub.aliases.get((id_type, raw))
    if alias is None:
        alias = scrub.aliases[(id_type, raw)] = namer.pseudonym(id_type, canonical_identifier(id_type, raw, region))
        scrub.know(raw, alias)
    return alias


def _alert(alert: Row, namer: Pseudonymiser) -> Row:
    name = alert.get("party_name")
    return {**alert, "party_name": namer.pseudonym("name", name.strip().lower()) if isinstance(name, str) else name}


def _scrub_row(row: Row, scrub: Scrubber, skip: tuple[str, ...]) -> Row:
    """Every text column not kept as it is goes through the scrubber."""
    out: dict[str, Any] = dict(row)
    for column, value in row.items():
        if column in KEPT or column in skip:
            continue
        if isinstance(value, str):
            out[column] = scrub(value)
        elif isinstance(value, list):
            out[column] = [scrub(v) if isinstance(v, str) else v for v in value]
    return out
