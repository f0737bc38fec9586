"""Fast validity and type checks of national numbers, compiled once from ``phonenumbers``' metadata.

``phonenumbers.is_valid_number`` re-reads its metadata and looks its patterns up on every call;
it is most of the cost of reading phone numbers out of millions of posts. This module follows the
same rules (``region_code_for_number``, then ``_number_type_helper``: the general description,
then each number type in the library's order) over the same metadata, with every pattern compiled
once per country code. ``tests/extract/test_identifiers.py`` checks it agrees with the library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberType

NON_GEO = "001"
# Number types tried before fixed line and mobile, in the library's order.
SPECIAL_TYPES = (
    ("premium_rate", PhoneNumberType.PREMIUM_RATE),
    ("toll_free", PhoneNumberType.TOLL_FREE),
    ("shared_cost", PhoneNumberType.SHARED_COST),
    ("voip", PhoneNumberType.VOIP),
    ("personal_number", PhoneNumberType.PERSONAL_NUMBER),
    ("pager", PhoneNumberType.PAGER),
    ("uan", PhoneNumberType.UAN),
    ("voicemail", PhoneNumberType.VOICEMAIL),
)


@dataclass(frozen=True, slots=True)
class Desc:
    """One number description: its possible lengths (empty: any) and its compiled pattern (None: never)."""

    lengths: frozenset[int]
    pattern: re.Pattern[str] | None

    def matches(self, national: str) -> bool:
        """``_is_number_matching_desc`` of the library."""
        if self.pattern is None or (self.lengths and len(national) not in self.lengths):
            return False
        return self.pattern.fullmatch(national) is not None


NEVER = Desc(frozenset(), None)


@dataclass(frozen=True, slots=True)
class RegionRules:
    """The compiled metadata of one region of a country code."""

    region: str
    leading_digits: re.Pattern[str] | None
    general: Desc
    special: tuple[tuple[Desc, int], ...]
    fixed_line: Desc
    mobile: Desc
    same_mobile_and_fixed: bool
    valid: re.Pattern[str] | None

    def is_valid(self, national: str) -> bool:
        """``number_type(national) != UNKNOWN``, in one match of a pattern combining every type."""
        return self.valid is not None and self.valid.fullmatch(national) is not None

    def number_type(self, national: str) -> int:
        """``_number_type_helper`` of the library."""
        if not self.general.matches(national):
            return PhoneNumberType.UNKNOWN
        for desc, kind in self.special:
            if desc.matches(national):
                return kind
        if self.fixed_line.matches(national):
            if self.same_mobile_and_fixed or self.mobile.matches(national):
                return PhoneNumberType.FIXED_LINE_OR_MOBILE
            return PhoneNumberType.FIXED_LINE
        if not self.same_mobile_and_fixed and self.mobile.matches(national):
            return PhoneNumberType.MOBILE
        return PhoneNumberType.UNKNOWN


def _desc(raw: Any) -> Desc:
    if raw is None or not raw.national_number_pattern:
        return NEVER
    return Desc(frozenset(raw.possible_length or ()), re.compile(raw.national_number_pattern))


def _length_guard(desc: Desc) -> str:
    """A look-ahead accepting only the description's possible lengths (nothing when any length goes)."""
    if not desc.lengths:
        return ""
    return "(?=" + "|".join(rf"\d{{{length}}}\Z" for length in sorted(desc.lengths)) + ")"


def _valid_pattern(general: Desc, types: list[Desc]) -> re.Pattern[str] | None:
    """One pattern whose full match means: the general description and at least one type match."""
    branches = [_length_guard(desc) + f"(?:{desc.pattern.pattern})" for desc in types if desc.pattern is not None]
    if general.pattern is None or not branches:
        return None
    head = "(?=" + _length_guard(general) + f"(?:{general.pattern.pattern})" + r"\Z)"
    return re.compile(head + "(?:" + "|".join(branches) + ")")


def _rules(region: str, metadata: Any) -> RegionRules:
    leading = re.compile(metadata.leading_digits) if metadata.leading_digits is not None else None
    special = tuple((_desc(getattr(metadata, name)), kind) for name, kind in SPECIAL_TYPES)
    general = metadata.general_desc
    general_desc = (
        Desc(frozenset(general.possible_length or ()), re.compile(general.national_number_pattern))
        if general is not None and general.national_number_pattern
        else NEVER
    )
    fixed_line, mobile = _desc(metadata.fixed_line), _desc(metadata.mobile)
    same = bool(metadata.same_mobile_and_fixed_line_pattern)
    # With the same pattern for mobile and fixed line, the library never reads a number as mobile alone.
    types = [desc for desc, _ in special] + [fixed_line] + ([] if same else [mobile])
    return RegionRules(
        region, leading, general_desc, special, fixed_line, mobile, same, _valid_pattern(general_desc, types)
    )


@lru_cache(maxsize=512)
def rules_for(country_code: int) -> tuple[RegionRules, ...]:
    """The compiled rules of every region sharing ``country_code``, in the library's order."""
    rules = []
    for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ()):
        if region == NON_GEO:
            metadata = PhoneMetadata.metadata_for_nongeo_region(country_code, None)
        else:
            metadata = PhoneMetadata.metadata_for_region(region.upper(), None)
        if metadata is not None:
            rules.append(_rules(region, metadata))
    return tuple(rules)


def _region_rules(country_code: int, national: str) -> RegionRules | None:
    """``region_code_for_number``: the only region, or the first whose leading digits or types fit."""
    rules = rules_for(country_code)
    if len(phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ())) == 1:
        return rules[0] if rules else None
    for rule in rules:
        if rule.leading_digits is not None:
            if rule.leading_digits.match(national):
                return rule
        elif rule.is_valid(national):
            return rule
    return None


def number_type(country_code: int, national: str) -> int:
    """The ``PhoneNumberType`` of a national significant number (``UNKNOWN`` when invalid)."""
    rule = _region_rules(country_code, national)
    if rule is None:
        return PhoneNumberType.UNKNOWN
    if rule.region != NON_GEO and _country_code_of(rule.region) != country_code:
        return PhoneNumberType.UNKNOWN
    return rule.number_type(national)


def is_valid(country_code: int, national: str) -> bool:
    """``phonenumbers.is_valid_number`` of the number ``+<country_code><national>``."""
    rule = _region_rules(country_code, national)
    if rule is None:
        return False
    if rule.region != NON_GEO and _country_code_of(rule.region) != country_code:
        return False
    return rule.is_valid(national)


@lru_cache(maxsize=512)
def _country_code_of(region: str) -> int:
    return int(phonenumbers.country_code_for_valid_region(region))
