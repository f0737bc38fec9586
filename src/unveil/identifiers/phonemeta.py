"""Fast validity and type checks of national numbers, compiled once from ``phonenumbers``' metadata.

``phonenumbers.is_valid_number`` re-reads its metadata and looks its patterns up on every call;
it is most of the cost of reading phone numbers out of millions of posts. This module follows the
same rules (``region_code_for_number``, then ``_number_type_helper``: the general description,
then each number type in the library's order) over the same metadata, with every pattern compiled
once per country code. Before any pattern, a table of the first digits each country code's valid
numbers of each length can start with (``leading_digits``, read from the same patterns) turns most
candidates away: a number read in every region's plan fails most plans there.
``tests/extract/test_identifiers.py`` checks it agrees with the library.
"""

from __future__ import annotations

import importlib
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
    mobile_type: re.Pattern[str] | None

    def is_valid(self, national: str) -> bool:
        """``number_type(national) != UNKNOWN``, in one match of a pattern combining every type."""
        return self.valid is not None and self.valid.fullmatch(national) is not None

    def is_mobile(self, national: str) -> bool:
        """``number_type(national)`` is ``MOBILE`` or ``FIXED_LINE_OR_MOBILE``, in one match of a pattern."""
        return self.mobile_type is not None and self.mobile_type.fullmatch(national) is not None

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


def _mobile_pattern(general: Desc, special: tuple[tuple[Desc, int], ...], mobile: Desc) -> re.Pattern[str] | None:
    """One pattern whose full match means ``_number_type_helper`` gives a mobile type.

    The general description matches, no special type does (they are tried first), and ``mobile``
    does: the mobile description, or the fixed line's when the plan gives both the same pattern
    (``FIXED_LINE_OR_MOBILE``; without the same pattern, a fixed line that is also mobile is
    ``FIXED_LINE_OR_MOBILE`` and a mobile that is not a fixed line ``MOBILE``: mobile either way).
    """
    if general.pattern is None or mobile.pattern is None:
        return None
    head = "(?=" + _length_guard(general) + f"(?:{general.pattern.pattern})" + r"\Z)"
    nots = "".join(
        "(?!" + _length_guard(desc) + f"(?:{desc.pattern.pattern})" + r"\Z)"
        for desc, _ in special
        if desc.pattern is not None
    )
    return re.compile(head + nots + _length_guard(mobile) + f"(?:{mobile.pattern.pattern})")


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
        region,
        leading,
        general_desc,
        special,
        fixed_line,
        mobile,
        same,
        _valid_pattern(general_desc, types),
        _mobile_pattern(general_desc, special, fixed_line if same else mobile),
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


def _plan_of(country_code: int, national: str) -> RegionRules | None:
    """The plan of ``country_code`` that may read ``national``, or None when none of its plans can."""
    heads = leading_digits(country_code)
    if heads is not None and not heads.admits(national):
        return None  # no plan of the country code has a valid number this long starting so
    rule = _region_rules(country_code, national)
    if rule is None or (rule.region != NON_GEO and _country_code_of(rule.region) != country_code):
        return None
    return rule


def number_type(country_code: int, national: str) -> int:
    """The ``PhoneNumberType`` of a national significant number (``UNKNOWN`` when invalid)."""
    rule = _plan_of(country_code, national)
    return PhoneNumberType.UNKNOWN if rule is None else rule.number_type(national)


def is_mobile(country_code: int, national: str) -> bool:
    """``number_type`` is ``MOBILE`` or ``FIXED_LINE_OR_MOBILE`` (what ads carry), in one pattern match."""
    rule = _plan_of(country_code, national)
    return rule is not None and rule.is_mobile(national)


def is_valid(country_code: int, national: str) -> bool:
    """``phonenumbers.is_valid_number`` of the number ``+<country_code><national>``."""
    rule = _plan_of(country_code, national)
    return rule is not None and rule.is_valid(national)


@lru_cache(maxsize=512)
def _country_code_of(region: str) -> int:
    return int(phonenumbers.country_code_for_valid_region(region))


# The first ``HEAD`` digits of every valid number of a country code, read once per process from its plans'
# patterns: a national number whose head is not among them is invalid without trying any pattern (most
# candidates read in "every region" or checked for another country's reading fail there).
HEAD = 3
_parser: Any = importlib.import_module("re._parser")
DIGITS = frozenset("0123456789")


@dataclass(frozen=True, slots=True)
class Heads:
    """The heads of a country code's valid numbers, by national length (``other``: any length not listed)."""

    by_length: dict[int, frozenset[str]]
    other: frozenset[str]

    def admits(self, national: str) -> bool:
        """False when no valid number of the country code is this long and starts with these digits."""
        return national[:HEAD] in self.by_length.get(len(national), self.other)


@lru_cache(maxsize=512)
def leading_digits(country_code: int) -> Heads | None:
    """The ``HEAD``-digit heads (whole numbers, when shorter) of the valid numbers of ``country_code``.

    A superset, never a subset: from each number type's pattern and possible lengths (a valid
    number matches one type of its region's plan), look-aheads left out (they only narrow); a
    pattern this reading does not follow gives None (no filter).
    """
    by_length: dict[int, set[str]] = {}
    other: set[str] = set()
    for rule in rules_for(country_code):
        if rule.valid is None:
            continue  # never valid
        types = (
            [desc for desc, _ in rule.special]
            + [rule.fixed_line]
            + ([] if rule.same_mobile_and_fixed else [rule.mobile])
        )
        for desc in types:
            if desc.pattern is None:
                continue
            try:
                found = _heads(_parser.parse(desc.pattern.pattern))
            except _Unknown:
                return None
            lengths = desc.lengths & rule.general.lengths if rule.general.lengths else desc.lengths
            if not desc.lengths:
                if rule.general.lengths:
                    lengths = rule.general.lengths
                else:
                    other |= found
                    continue
            for length in lengths:
                by_length.setdefault(length, set()).update(found)
    return Heads({length: frozenset(heads | other) for length, heads in by_length.items()}, frozenset(other))


class _Unknown(Exception):
    """A regular-expression construct the head reading does not follow."""


def _concat(left: set[str], right: set[str]) -> set[str]:
    """Every head of ``left`` followed by every head of ``right``, cut to ``HEAD`` (full heads stay as they are)."""
    if min(map(len, left), default=HEAD) >= HEAD:
        return left  # every head full: nothing after it counts
    result = {head for head in left if len(head) >= HEAD}
    tails_of: dict[int, set[str]] = {}  # the tails cut to the characters a head of each length still takes
    for head in left:
        need = HEAD - len(head)
        if need > 0:
            tails = tails_of.get(need)
            if tails is None:
                tails = tails_of[need] = {tail[:need] for tail in right}
            result.update(map(head.__add__, tails))
    return result


def _heads(items: Any) -> set[str]:
    """The truncated language (every matching string cut to ``HEAD`` characters) of a parsed sequence."""
    heads = {""}
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            part = {chr(value)} & DIGITS
        elif name == "IN":
            part = _charset(value)
        elif name == "SUBPATTERN":
            part = _heads(value[-1])
        elif name == "BRANCH":
            part = set()
            for branch in value[1]:
                part |= _heads(branch)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = value
            part = _repeat(_heads(sub), low, high)
        elif name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue  # look-arounds and anchors only narrow the language
        elif name == "ATOMIC_GROUP":
            part = _heads(value)
        else:
            raise _Unknown(name)
        heads = _concat(heads, part)
        if not heads:
            return heads
    return heads


def _charset(items: Any) -> set[str]:
    chars: set[str] = set()
    negate = False
    for op, value in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            chars.add(chr(value))
        elif name == "RANGE":
            chars.update(chr(code) for code in range(value[0], value[1] + 1) if chr(code) in DIGITS)
        elif name == "CATEGORY" and str(value) in ("CATEGORY_DIGIT", "CATEGORY_UNI_DIGIT"):
            chars.update(DIGITS)
        else:
            raise _Unknown(name)
    return set(DIGITS - chars) if negate else chars & DIGITS


def _repeat(part: set[str], low: int, high: int) -> set[str]:
    """The truncated language of ``part`` repeated ``low`` to ``high`` times."""
    result: set[str] = set()
    current = {""}
    count = 0
    while True:
        if count >= low:
            result |= current
        if count == high or not current:
            return result
        if min(map(len, current)) >= HEAD:
            return result | current  # every head full: more repetitions give the same heads
        following = _concat(current, part)
        count += 1
        if following == current and count > low:
            return result  # every head full (or stable): more repetitions add nothing
        current = following
