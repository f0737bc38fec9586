"""Phone numbers, also obfuscated ones, in E.164 (``phonenumbers``)."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberFormat

from unveil.identifiers.base import IdentifierType
from unveil.identifiers.deobfuscate import (
    Chain,
    DigitToken,
    chain_rule,
    chains,
    digit_tokens,
    masks_near_chains,
    written_international,
)
from unveil.identifiers.found import Found
from unveil.identifiers.phonemeta import is_valid, mobile_of_regions

MIN_DIGITS = 7
MAX_DIGITS = 15
MAX_CHAIN = 24
# Regions whose mobile numbers, written nationally, are read when the record's own region fails.
FALLBACK_REGIONS = ("BE", "NL", "FR", "DE", "LU", "RO", "BG")


@lru_cache(maxsize=65536)
def parse_phone(digits: str, region: str, international: bool) -> str | None:
    """E.164 of a digit string read in ``region``, or None when it is not a valid number.

    A national number must start with the region's trunk prefix (``0`` in Belgium), so a date,
    an order number or a postal code followed by digits is not taken for a phone.
    """
    if international:
        return _from_international(digits, region) or _strip_trunk_after_country_code(digits, region)
    if digits.startswith("00"):
        return _from_international(digits[2:], region)
    prefix = _national_prefix(region)
    if prefix == "0" and not digits.startswith("0"):
        return _from_international(digits, region) if len(digits) >= 11 else None
    if prefix == "0":
        national = _valid_national(_country_code(region), digits[1:])
        return national or _foreign_mobile(digits, region)
    return _valid_e164(digits, region) or _foreign_mobile(digits, region)


def _from_international(digits: str, region: str) -> str | None:
    """A number written with its country code (country codes are prefix-free: one can match)."""
    for size in (1, 2, 3):
        code = int(digits[:size]) if digits[:size].isdigit() else 0
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            national = digits[size:]
            if national.startswith("0"):
                return _valid_e164("+" + digits, region)
            return _valid_national(code, national)
    return None


def _valid_national(country_code: int, national: str) -> str | None:
    """E.164 when ``national`` (without trunk prefix) is a valid number of ``country_code``.

    Builds the number directly and checks it against the metadata's possible lengths first: much
    cheaper than ``phonenumbers.parse`` on every candidate.
    """
    if not national.isdigit() or len(national) not in _possible_lengths(country_code):
        return None
    return f"+{country_code}{national}" if is_valid(country_code, str(int(national))) else None


@lru_cache(maxsize=512)
def _possible_lengths(country_code: int) -> frozenset[int]:
    lengths: set[int] = set()
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ()):
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
        if metadata is not None and metadata.general_desc is not None:
            lengths.update(metadata.general_desc.possible_length or ())
    return frozenset(lengths)


@lru_cache(maxsize=512)
def _country_code(region: str) -> int:
    return phonenumbers.country_code_for_region(region)


def _foreign_mobile(digits: str, region: str) -> str | None:
    """A mobile number written in the national format of a neighbouring or source country.

    The first of ``FALLBACK_REGIONS`` (other than ``region``) where the number is valid and of type
    mobile, found by one match of a pattern compiled from their metadata.
    """
    if not digits.startswith("0") or len(digits) < 9 or not digits.isdigit():
        return None
    others = tuple(other for other in FALLBACK_REGIONS if other != region and _national_prefix(other) == "0")
    pattern = mobile_of_regions(others)
    match = pattern.fullmatch(str(int(digits[1:]))) if pattern is not None else None
    if match is None or match.lastgroup is None:
        return None
    return f"+{_country_code(match.lastgroup)}{digits[1:]}"


def _strip_trunk_after_country_code(digits: str, region: str) -> str | None:
    for size in (1, 2, 3):
        if digits[size : size + 1] == "0":
            found = _valid_e164("+" + digits[:size] + digits[size + 1 :], region)
            if found:
                return found
    return None


@lru_cache(maxsize=512)
def _national_prefix(region: str) -> str:
    metadata = PhoneMetadata.metadata_for_region(region)
    return (metadata.national_prefix or "") if metadata else ""


def _valid_e164(candidate: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def numbers_in_chain(text: str, chain: Chain, region: str) -> list[Found]:
    """The valid phone numbers of a chain, longest first from left to right."""
    tokens = chain.tokens[:MAX_CHAIN]
    found: list[Found] = []
    i = 0
    while i < len(tokens):
        match = _longest_valid(text, tokens, i, region)
        if match is None:
            i += 1
            continue
        j, value = match
        start = tokens[i].start
        if start > 0 and text[start - 1] == "+":
            start -= 1
        rule = chain_rule(tokens[i : j + 1], chain.multiline)
        if text[max(0, start - 6) : start].lower() == "wa.me/":
            rule = "wa.me"
        found.append(Found("phone", value, start, tokens[j].end, rule))
        i = j + 1
    return found


def _longest_valid(text: str, tokens: tuple[DigitToken, ...], i: int, region: str) -> tuple[int, str] | None:
    international = written_international(text, tokens[i].start)
    digits = [token.digits for token in tokens]
    for j in range(len(tokens) - 1, i - 1, -1):
        candidate = "".join(digits[i : j + 1])
        if MIN_DIGITS <= len(candidate) <= MAX_DIGITS + 2:
            value = parse_phone(candidate, region, international)
            if value:
                return j, value
    return None


MAX_FIELD = 64


@lru_cache(maxsize=65536)
def canonical_phone(raw: str, region: str = "BE") -> str | None:
    """E.164 of a phone number written in a field (a transfer's, a search box's), or None when invalid.

    Read as the extractor reads a post's number (``+``/``00`` international, national with its
    trunk prefix), then, since a field is known to hold a phone, as ``phonenumbers`` parses it in
    ``region`` (``470 12 34 56``). Only a valid number comes back: a partial one is None.
    """
    text = raw.strip()[:MAX_FIELD]
    digits = "".join(str(int(ch)) for ch in text if ch.isdecimal())
    if not 4 <= len(digits) <= MAX_DIGITS + 2:
        return None
    international = text.startswith("+")
    found = parse_phone(digits, region, international) if len(digits) >= MIN_DIGITS else None
    if found is not None:
        return found
    return _valid_e164(("+" if international else "") + digits, region)


class Phone(IdentifierType):
    """Phone numbers in E.164."""

    name = "phone"

    def __init__(self, default_region: str = "BE") -> None:
        self.default_region = default_region

    def find(self, text: str, region: str, masks: list[tuple[int, int]]) -> list[Found]:
        tokens = digit_tokens(text)
        if len(tokens) < MIN_DIGITS and sum(len(token.digits) for token in tokens) < MIN_DIGITS:
            return []
        long_chains = chains(text, masks, tokens)
        if not long_chains:
            return []
        near = masks_near_chains(text, tokens, long_chains)
        found: list[Found] = []
        for long_chain in long_chains:
            for chain in chains(text, near, list(long_chain.tokens)) if near else [long_chain]:
                found.extend(numbers_in_chain(text, chain, region))
        return found

    def normalise(self, value: str) -> str:
        return canonical_phone(value, self.default_region) or value.strip()

    def validate(self, value: str) -> bool:
        return value.startswith("+") and parse_phone(value[1:], self.default_region, True) == value

    def display(self, value: str) -> str:
        try:
            return phonenumbers.format_number(phonenumbers.parse(value), PhoneNumberFormat.INTERNATIONAL)
        except phonenumbers.NumberParseException:
            return value
