"""Which country a phone number written without ``+`` belongs to: the evidence of one post, ranked.

A national number ("0470 12 34 56", "818 472 9051", "06 12 34 56 78") fits the numbering plans
of several countries. The post says which one, in this order of evidence (strongest first):

1. ``country``: the record's own country (a field of the input, never guessed);
2. ``prefix``: a number of the same post written with ``+``/``00`` and a country code;
3. ``place``: places named in the text (the gazetteer gives their country);
4. ``domain``: the site's country-code top-level domain;
5. ``currency`` and ``language``: a currency or a language of few countries (``lei``, ``£``,
   Romanian, Bulgarian...; English, Spanish or the euro name too many countries to choose);
6. ``workspace``: the workspace's regions (a setting, default Belgium and its neighbours and the
   source countries Romania and Bulgaria);
7. ``ranked``: every region of the world whose plan the number fits, ranked by how many of the
   weak clues (English, the euro, the dollar...) agree, then by how often the region's numbers
   are met in ads (``PRIOR``); ``plan`` when a single country's plan fits.

Every region is read with ``phonenumbers``' own metadata (``phonemeta``): the library's plans of
every region are the yardstick.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberFormat, PhoneMetadata

from unveil.identifiers.phonemeta import HEAD, is_valid, leading_digits, number_type
from unveil.identifiers.phonemeta import is_mobile as is_mobile_number

DEFAULT_REGIONS = ("BE", "NL", "FR", "DE", "LU", "RO", "BG")
SOURCES = ("country", "prefix", "place", "domain", "currency", "language", "workspace", "ranked", "plan")
# Regions whose numbers are most often met in the ads this tool reads: the last tie-breaker.
PRIOR = (
    "US", "GB", "IN", "AU", "CA", "NG", "ZA", "IE", "NZ", "PH", "ES", "IT", "PT", "PL", "AL", "UA", "RU", "TR",
    "MA", "BR", "MX", "CO", "AR", "VN", "TH", "CN", "GH", "KE", "ER", "SY", "AF", "PK", "DZ", "TN", "MD", "RS",
)  # fmt: skip
PRIOR_RANK = {region: rank for rank, region in enumerate(PRIOR)}
# A number read in "every region" must have a national significant number this long at least.
MIN_WORLD_NATIONAL = 8


@dataclass(frozen=True, slots=True)
class Regions:
    """The regions one post's national numbers are read in, strongest evidence first.

    ``country``: the record's country (or None); ``evidence``: (region, source) pairs, distinct,
    in order; ``votes``: regions that weak clues point to (a region may appear several times).
    """

    country: str | None = None
    evidence: tuple[tuple[str, str], ...] = tuple((region, "workspace") for region in DEFAULT_REGIONS)
    votes: tuple[str, ...] = ()
    # The workspace's first region (its default): its landlines are read too, not only its mobiles.
    home: str | None = DEFAULT_REGIONS[0]
    # What the phone reader derives from this evidence (its readers), kept with it: posts with the same
    # evidence share one ``Regions`` (``build_regions`` is cached), so nothing is hashed per chain.
    derived: dict[object, object] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def of(cls, region: str | Regions | None) -> Regions:
        """A ``Regions`` from a record's country code (the old single ``region`` argument)."""
        if isinstance(region, Regions):
            return region
        return _of_country(region)


SUPPORTED = frozenset(phonenumbers.SUPPORTED_REGIONS)


@lru_cache(maxsize=1024)
def _of_country(region: str | None) -> Regions:
    return Regions(country=region.upper() if region and region.upper() in SUPPORTED else None)


def build_regions(
    country: str | None,
    clues: list[tuple[str, str]],
    workspace: tuple[str, ...] = DEFAULT_REGIONS,
    votes: tuple[str, ...] = (),
) -> Regions:
    """The ``Regions`` of a post: ``clues`` are (region, source) in the order of evidence.

    Posts with the same evidence get the same object (cached), and with it the readers derived from it.
    """
    return _build_regions(country, tuple(clues), workspace, votes)


@lru_cache(maxsize=4096)
def _build_regions(
    country: str | None, clues: tuple[tuple[str, str], ...], workspace: tuple[str, ...], votes: tuple[str, ...]
) -> Regions:
    code = country.upper() if country and country.upper() in SUPPORTED else None
    seen = {code} if code else set()
    evidence: list[tuple[str, str]] = []
    for region, source in (*clues, *((region, "workspace") for region in workspace)):
        if region in SUPPORTED and region not in seen:
            seen.add(region)
            evidence.append((region, source))
    return Regions(code, tuple(evidence), votes, workspace[0] if workspace else None)


@lru_cache(maxsize=4096)
def regions_of_country_code(code: int) -> tuple[str, ...]:
    """The regions sharing a country code, main region first."""
    return tuple(region for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ()) if region != "001")


def split_e164(value: str) -> tuple[int, str]:
    """(country code, national significant number) of an E.164 string (country codes are prefix-free)."""
    for size in (1, 2, 3):
        code = int(value[1 : 1 + size])
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return code, value[1 + size :]
    return 0, value[1:]


@lru_cache(maxsize=65536)
def is_mobile(value: str) -> bool:
    """True when an E.164 number is a mobile number (or one its plan cannot tell from a fixed line)."""
    code, national = split_e164(value)
    return is_mobile_number(code, national)


# Number types that reach a person wherever they are, as a mobile does: a pager ("06 65 12 47 83", a Dutch 066
# number) or a personal number (a UK 070). An ad may carry one; a landline or a service number is a place's.
PERSONAL_TYPES = frozenset({phonenumbers.PhoneNumberType.PAGER, phonenumbers.PhoneNumberType.PERSONAL_NUMBER})


@lru_cache(maxsize=65536)
def reaches_a_person(value: str) -> bool:
    """True when an E.164 number is a mobile, a pager or a personal number (not a landline, not a service)."""
    if is_mobile(value):
        return True
    code, national = split_e164(value)
    return number_type(code, national) in PERSONAL_TYPES


@lru_cache(maxsize=1)
def _world_index() -> dict[int, tuple[tuple[str, int, str], ...]]:
    """Written length -> (region, country code, trunk prefix written) of every plan a number that long fits.

    A trunk prefix ``0`` must be written (people write it: "06...", "0470...") unless the plan's own
    formats may leave it out (India's mobiles); others (``1`` of North America, ``8`` of Russia) may
    be left out.
    """
    index: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    for region in sorted(SUPPORTED):
        metadata = PhoneMetadata.metadata_for_region(region)
        if metadata is None or metadata.general_desc is None or metadata.country_code is None:
            continue
        prefix = metadata.national_prefix or ""
        code = int(metadata.country_code)
        optional = any(f.national_prefix_optional_when_formatting for f in metadata.number_format or ())
        for length in metadata.general_desc.possible_length or ():
            if prefix:
                index[length + len(prefix)].append((region, code, prefix))
            if prefix != "0" or optional:
                index[length].append((region, code, ""))
    return {length: tuple(entries) for length, entries in index.items()}


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a national number: its E.164 value, whether mobile, the regions whose plan gives it."""

    value: str
    mobile: bool
    regions: frozenset[str]


@lru_cache(maxsize=65536)
def world_readings(digits: str) -> tuple[Reading, ...]:
    """Every valid reading of a nationally written number in every region's plan (distinct values)."""
    found: dict[str, set[str]] = {}
    for region, code, prefix in _candidates(len(digits), digits[:KEY], False):
        national = digits[len(prefix) :]
        if is_valid(code, national):
            found.setdefault(f"+{code}{national}", set()).add(region)
    return tuple(Reading(value, is_mobile(value), frozenset(regions)) for value, regions in found.items())


# Country codes whose national significant numbers may start with 0 (Italy, Vatican, San Marino...).
_LEADING_ZERO_CODES = frozenset({39, 379, 378, 225, 242, 241, 228})


def best_world_reading(
    digits: str, votes: tuple[str, ...], breaks: frozenset[int] = frozenset()
) -> tuple[Reading, bool] | None:
    """The reading of ``digits`` in every region, ranked by agreeing clues then ``PRIOR``; and whether ambiguous.

    Clues: the regions ``votes`` name (a language, a currency of many countries), and the written
    groups (``breaks``: positions between groups) following the region's own national format.

    Only mobile readings with a national number of at least ``MIN_WORLD_NATIONAL`` digits count:
    with no evidence, an order number or a list of postal codes must not become a landline of
    some country.
    """
    readings = [
        reading
        for reading in world_readings(digits)
        if reading.mobile and len(reading.value) - 1 - len(str(split_e164(reading.value)[0])) >= MIN_WORLD_NATIONAL
    ]
    if not readings:
        return None
    if len(readings) == 1:
        return readings[0], False

    def rank(reading: Reading) -> tuple[int, int, str]:
        agreeing = sum(1 for region in votes if region in reading.regions)
        if breaks and any(breaks <= groups for groups in national_groupings(reading.value, digits)):
            agreeing += 2  # written the way that country writes its numbers
        if len(digits) > len(split_e164(reading.value)[1]) and trunk_optional(reading.value):
            agreeing -= 1  # a trunk prefix written where that country's own format leaves it out (India's mobiles)
        prior = min((PRIOR_RANK.get(region, len(PRIOR)) for region in reading.regions), default=len(PRIOR))
        return -agreeing, prior, reading.value

    readings.sort(key=rank)
    return readings[0], True


# The plans checked for another reading of a number already read (``ambiguous``): those of the workspace and
# of the countries whose numbers ads most often carry; all 245 plans would cost a hundred checks a number.
AMBIGUITY_REGIONS = frozenset(PRIOR) | frozenset(DEFAULT_REGIONS)


@lru_cache(maxsize=65536)
def other_mobile_readings(digits: str, value: str) -> bool:
    """True when another country's plan (of ``AMBIGUITY_REGIONS``) reads ``digits`` as a mobile number too."""
    code = split_e164(value)[0]
    for _region, other, prefix in _candidates(len(digits), digits[:KEY], True):
        if other == code:
            continue
        if is_mobile_number(other, digits[len(prefix) :]):  # a mobile number is a valid one
            return True
    return False


# A written number's first digits that decide which plans may read it: a trunk prefix (at most 2 digits) and
# the first ``HEAD`` digits of the national number after it.
KEY = 2 + HEAD


@lru_cache(maxsize=65536)
def _candidates(length: int, key: str, ambiguity: bool) -> tuple[tuple[str, int, str], ...]:
    """The plans (``_world_index`` entries; of ``AMBIGUITY_REGIONS`` only when ``ambiguity``) that may read a
    number ``length`` digits long whose first ``KEY`` digits are ``key``: its trunk prefix written, no
    leading 0 where the plan has none, and a valid number of the plan may start with its first digits
    (``phonemeta.leading_digits``). Worked out once per length and first digits, not per number, from the
    plans of each trunk prefix the key starts with (``_candidates_after``), in ``_world_index`` order."""
    found: list[tuple[int, tuple[str, int, str]]] = []
    for prefix in _prefixes_of_length(length):
        if key.startswith(prefix):
            found += _candidates_after(length, prefix, key[len(prefix) : len(prefix) + HEAD], ambiguity)
    found.sort()
    return tuple(entry for _, entry in found)


@lru_cache(maxsize=64)
def _prefixes_of_length(length: int) -> tuple[str, ...]:
    """The distinct trunk prefixes (``""`` for none) written by the plans of a written length."""
    return tuple(dict.fromkeys(entry[2] for entry in _world_index().get(length, ())))


@lru_cache(maxsize=65536)
def _candidates_after(
    length: int, prefix: str, head: str, ambiguity: bool
) -> tuple[tuple[int, tuple[str, int, str]], ...]:
    """The plans of a written length and trunk ``prefix`` whose valid numbers may start with ``head`` (its
    first ``HEAD`` digits after the prefix), each with its rank in ``_world_index``: shared by every key
    with that prefix and head (a thousand heads where keys are a hundred thousand)."""
    candidates = []
    for rank, (entry, heads, leading_zero, ambiguous) in enumerate(_plans_of_length(length)):
        if entry[2] != prefix or (ambiguity and not ambiguous):
            continue
        if (head[:1] == "0" and not leading_zero) or (heads is not None and head not in heads):
            continue
        candidates.append((rank, entry))
    return tuple(candidates)


@lru_cache(maxsize=64)
def _plans_of_length(
    length: int,
) -> tuple[tuple[tuple[str, int, str], frozenset[str] | None, bool, bool], ...]:
    """Each ``_world_index`` entry of a written length with the heads its plan's valid numbers of that national
    length may start with (None: any), whether they may start with 0, and whether its region is checked for
    ambiguity."""
    plans = []
    for entry in _world_index().get(length, ()):
        region, code, prefix = entry
        table = leading_digits(code)
        national = length - len(prefix)
        heads = None if table is None else table.by_length.get(national, table.other)
        plans.append((entry, heads, code in _LEADING_ZERO_CODES, region in AMBIGUITY_REGIONS))
    return tuple(plans)


@lru_cache(maxsize=65536)
def national_groupings(value: str, written: str) -> tuple[frozenset[int], ...]:
    """Where the national formats of the number's plan break ``written`` (its digits as written) into groups.

    From ``phonenumbers``' format patterns of the number's region (``818 472 9051``: breaks after 3
    and 6 digits). A trunk prefix written before the national number ("0470", "1-818") may stand
    alone or be glued to the first group.
    """
    code, national = split_e164(value)
    offset = len(written) - len(national)
    if offset < 0 or not written.endswith(national):
        return ()
    groupings: list[frozenset[int]] = []
    for _, match in _national_formats(code, national):
        breaks = {match.end(group) + offset for group in range(1, (match.lastindex or 0))}
        if offset:
            breaks.add(offset)
        groupings.append(frozenset(breaks))
    return tuple(groupings)


@lru_cache(maxsize=65536)
def trunk_optional(value: str) -> bool:
    """True when the national format of the number's plan may leave the trunk prefix out (India's mobiles)."""
    code, national = split_e164(value)
    for number_format, _ in _national_formats(code, national):
        return bool(number_format.national_prefix_optional_when_formatting)
    return False


def _national_formats(code: int, national: str) -> Iterator[tuple[NumberFormat, re.Match[str]]]:
    """The national formats of the country code's plans that fit the number, in metadata order, with their match."""
    for number_format, leading, pattern in _compiled_formats(code):
        if leading is not None and leading.match(national) is None:
            continue
        match = pattern.fullmatch(national)
        if match is not None:
            yield number_format, match


@lru_cache(maxsize=512)
def _compiled_formats(code: int) -> tuple[tuple[NumberFormat, re.Pattern[str] | None, re.Pattern[str]], ...]:
    """The national formats of the country code's plans in metadata order, their last leading-digits pattern and
    their pattern compiled once (not looked up in ``re``'s cache on every number)."""
    formats = []
    for region in regions_of_country_code(code):
        metadata = PhoneMetadata.metadata_for_region(region)
        if metadata is None:
            continue
        for number_format in metadata.number_format or ():
            if number_format.pattern is None:
                continue
            leading = number_format.leading_digits_pattern
            formats.append(
                (number_format, re.compile(leading[-1]) if leading else None, re.compile(number_format.pattern))
            )
    return tuple(formats)
