"""Pseudonymised material for analysts: identifiers replaced by keyed hashes, the same in every file.

``pseudonym(kind, value)`` is ``kind-`` followed by the first 16 hex digits of HMAC-SHA256 over
``kind:value`` keyed with the workspace's ``secret_key``. The same phone number gets the same
pseudonym in posts, transfers, FtM, GEXF, i2, Excel and CSV files, so analysts can still follow it;
without the key it cannot be reversed by hashing guesses. Identifier spans in post texts, authors,
URLs, transfer parties (names, phones, e-mails, addresses, accounts, wallets) and every free-text
field that quotes them are replaced.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import replace
from typing import Any

from unveil.cases.data import Row
from unveil.cases.material import PARTY_IDENTIFIER_COLUMNS, Material, canonical_identifier

PARTY_TEXT_COLUMNS = ("name", "address")
FREE_TEXT = {"network_posts": ("reason",), "edges": ("reason", "key"), "alerts": ("reasons",), "networks": ("summary",)}
TOKEN = re.compile(r"[^\s,;()\[\]]+")


class Pseudonymiser:
    """Keyed, consistent pseudonyms."""

    def __init__(self, key: str) -> None:
        self._key = key.encode()

    def pseudonym(self, kind: str, value: str) -> str:
        """The pseudonym of one value of one kind."""
        digest = hmac.new(self._key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
        return f"{kind}-{digest[:16]}"


def pseudonymise(material: Material, key: str, region: str) -> Material:
    """A copy of the material with every identifier and party detail replaced by its pseudonym."""
    namer = Pseudonymiser(key)
    known: dict[str, str] = {}
    identifiers = []
    for row in material.identifiers:
        alias = namer.pseudonym(row["type"], row["value"])
        known[row["value"]] = alias
        if row.get("raw"):
            known[row["raw"]] = alias
        identifiers.append({**row, "value": alias, "raw": alias})
    transfers = [_transfer(row, namer, region, known) for row in material.transfers]
    index = _post_index(material.identifiers)
    posts = [_post(row, index.get(row["post_id"], []), namer) for row in material.posts]
    parties = [_party(row, namer, region) for row in material.parties]
    result = replace(material, identifiers=identifiers, transfers=transfers, posts=posts, parties=parties)
    scrub = Scrubber(known)
    result.transfers = [_replace_known(row, ("reference",), scrub) for row in transfers]
    result.posts = [_replace_known(row, ("title",), scrub) for row in posts]
    for table, columns in FREE_TEXT.items():
        setattr(result, table, [_replace_known(row, columns, scrub) for row in getattr(material, table)])
    return result


def _post(post: Row, identifiers: list[Row], namer: Pseudonymiser) -> Row:
    spans = sorted(
        (
            (r["start"], r["end"], namer.pseudonym(r["type"], r["value"]))
            for r in identifiers
            if r.get("start") is not None and r.get("end") is not None
        ),
        reverse=True,
    )
    text = post.get("text") or ""
    last = len(text) + 1
    for start, end, alias in spans:
        if end <= last:
            text = text[:start] + alias + text[end:]
            last = start
    author = namer.pseudonym("author", post["author"]) if post.get("author") else None
    url = namer.pseudonym("url", post["url"]) if post.get("url") else None
    return {**post, "text": text, "author": author, "url": url}


def _post_index(identifiers: list[Row]) -> dict[str, list[Row]]:
    index: dict[str, list[Row]] = {}
    for row in identifiers:
        index.setdefault(row["post_id"], []).append(row)
    return index


def _transfer(transfer: Row, namer: Pseudonymiser, region: str, known: dict[str, str]) -> Row:
    out = dict(transfer)
    for side in ("sender", "receiver"):
        for id_type, column in PARTY_IDENTIFIER_COLUMNS.items():
            raw = transfer.get(f"{side}_{column}")
            if raw:
                alias = namer.pseudonym(id_type, canonical_identifier(id_type, str(raw), region))
                known[str(raw)] = alias
                out[f"{side}_{column}"] = alias
        for column in PARTY_TEXT_COLUMNS:
            raw = transfer.get(f"{side}_{column}")
            if raw:
                alias = namer.pseudonym(column, str(raw).strip().lower())
                known[str(raw)] = alias
                out[f"{side}_{column}"] = alias
    return out


def _party(party: Row, namer: Pseudonymiser, region: str) -> Row:
    out = dict(party)
    for id_type, column in PARTY_IDENTIFIER_COLUMNS.items():
        if isinstance(party.get(column), str) and party[column]:
            out[column] = namer.pseudonym(id_type, canonical_identifier(id_type, party[column], region))
    for column in PARTY_TEXT_COLUMNS:
        if isinstance(party.get(column), str) and party[column]:
            out[column] = namer.pseudonym(column, party[column].strip().lower())
    return out


class Scrubber:
    """Replaces known values in free text: words by lookup, values with spaces (names, raw phones) by search."""

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known
        self.with_spaces = sorted((k for k in known if " " in k), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        text = TOKEN.sub(lambda match: self._swap(match.group()), text)
        for raw in self.with_spaces:
            if raw in text:
                text = text.replace(raw, self.known[raw])
        return text

    def _swap(self, token: str) -> str:
        """A known word, or ``type:value`` with a known value (``phone:+32...``), as its pseudonym."""
        if token in self.known:
            return self.known[token]
        prefix, sep, rest = token.partition(":")
        return f"{prefix}:{self.known[rest]}" if sep and rest in self.known else token


def _replace_known(row: Row, columns: tuple[str, ...], scrub: Scrubber) -> Row:
    out: dict[str, Any] = dict(row)
    for column in columns:
        value = row.get(column)
        if isinstance(value, str):
            out[column] = scrub(value)
        elif isinstance(value, list):
            out[column] = [scrub(v) if isinstance(v, str) else v for v in value]
    return out
