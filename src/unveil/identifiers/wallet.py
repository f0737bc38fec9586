"""Crypto wallets: Bitcoin (base58check, bech32/bech32m), Ethereum (EIP-55) and Tron, with checksums."""

from __future__ import annotations

import hashlib
import re

from unveil.identifiers.base import IdentifierType
from unveil.identifiers.found import Found, overlaps
from unveil.identifiers.keccak import keccak256
from unveil.identifiers.regions import Regions

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
CANDIDATES = re.compile(
    r"(?<![\w])(?:(?P<btc>[13][1-9A-HJ-NP-Za-km-z]{25,34})|(?P<bech>bc1[02-9ac-hj-np-z]{11,71}|BC1[02-9AC-HJ-NP-Z]{11,71})"
    r"|(?P<eth>0x[0-9a-fA-F]{40})|(?P<trx>T[1-9A-HJ-NP-Za-km-z]{33}))(?![\w])"
)


HINT_LENGTH = 26
HINT = re.compile(rf"[0-9A-Za-z]{{{HINT_LENGTH}}}")


def base58check_payload(address: str) -> bytes | None:
    """The payload of a base58check string (version byte first), or None if the checksum fails."""
    number = 0
    for char in address:
        index = BASE58.find(char)
        if index < 0:
            return None
        number = number * 58 + index
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    raw = b"\x00" * (len(address) - len(address.lstrip("1"))) + raw
    if len(raw) < 5:
        return None
    payload, checksum = raw[:-4], raw[-4:]
    digest = hashlib.sha256(hashlib.sha256(payload).digest()).digest()
    return payload if digest[:4] == checksum else None


def _bech32_polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            checksum ^= generator[i] if (top >> i) & 1 else 0
    return checksum


def bech32_valid(address: str) -> bool:
    """True for a Bitcoin segwit address with a valid bech32 or bech32m checksum."""
    if address.lower() != address and address.upper() != address:
        return False
    address = address.lower()
    hrp, _, data = address.rpartition("1")
    if hrp != "bc" or len(data) < 7 or any(char not in BECH32 for char in data):
        return False
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    return _bech32_polymod(expanded + [BECH32.index(c) for c in data]) in (1, 0x2BC830A3)


def eip55_valid(address: str) -> bool:
    """True for an Ethereum address whose mixed case (if any) matches its EIP-55 checksum."""
    body = address[2:]
    if body.lower() == body or body.upper() == body:
        return True
    digest = keccak256(body.lower().encode()).hex()
    expected = "".join(char.upper() if int(digest[i], 16) >= 8 else char for i, char in enumerate(body.lower()))
    return body == expected


def wallet_service(address: str) -> str | None:
    """``btc``, ``eth`` or ``trx`` for a valid address, else None."""
    if address.startswith("0x"):
        return "eth" if re.fullmatch(r"0x[0-9a-fA-F]{40}", address) and eip55_valid(address) else None
    if address[:3].lower() == "bc1":
        return "btc" if bech32_valid(address) else None
    payload = base58check_payload(address)
    if payload is None:
        return None
    if address[0] == "T" and len(payload) == 21 and payload[0] == 0x41:
        return "trx"
    if address[0] in "13" and len(payload) == 21 and payload[0] in (0x00, 0x05):
        return "btc"
    return None


class Wallet(IdentifierType):
    """Crypto wallet addresses (checksum-validated)."""

    name = "wallet"

    def find(self, text: str, region: str | Regions, masks: list[tuple[int, int]]) -> list[Found]:
        # One scan in C for a run of 26 ASCII letters or digits (every address holds one); cheaper on
        # these short posts than the longest piece of ``text.split()`` first, which builds every piece.
        if HINT.search(text) is None:
            return []
        found: list[Found] = []
        for match in CANDIDATES.finditer(text):
            value = self.normalise(match.group())
            service = wallet_service(value)
            if service and not overlaps(*match.span(), masks):
                found.append(Found("wallet", value, match.start(), match.end(), f"{service}-checksum", service))
        return found

    def normalise(self, value: str) -> str:
        """Bech32 and Ethereum addresses are case-insensitive: lower case; base58 keeps its case.

        An Ethereum address written with a wrong EIP-55 checksum stays as written (and invalid).
        """
        value = value.strip()
        if value[:3].lower() == "bc1":
            return value.lower()
        if value[:2] in ("0x", "0X") and len(value) == 42 and eip55_valid("0x" + value[2:]):
            return "0x" + value[2:].lower()
        return value

    def validate(self, value: str) -> bool:
        return wallet_service(value) is not None
