"""Phone numbers, also obfuscated ones, in E.164 (``phonenumbers``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from itertools import pairwise
from typing import cast

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
from unveil.identifiers.found import Found, overlaps
from unveil.identifiers.phonemeta import is_valid
from unveil.identifiers.regions import (
    AMBIGUITY_REGIONS,
    PRIOR_RANK,
    SOURCES,
    Regions,
    best_world_reading,
    is_mobile,
    national_groupings,
    other_mobile_readings,
    reaches_a_person,
    split_e164,
    trunk_optional,
    world_readings,
)

MIN_DIGITS = 7
USUAL_REGIONS = tuple(sorted(AMBIGUITY_REGIONS))
MAX_DIGITS = 15
MAX_CHAIN = 24


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
        return _valid_national(_country_code(region), digits[1:])
    return _valid_e164(digits, region)


@lru_cache(maxsize=65536)
def parse_as_written(digits: str, region: str) -> str | None:
    """``parse_phone``, or the library's reading in ``region`` when the digits are exactly its national format.

    Some plans write national numbers without their trunk prefix (Brazil's "(11) 96123-4567") or
    with carrier codes (Argentina's "011 15-2345-6789"); read when the region is known, and only
    when the library would write the number the same way.
    """
    prefix = _national_prefix(region)
    if prefix != "0" or digits.startswith("0"):
        value = parse_phone(digits, region, False)
        if value is not None or digits.startswith("00"):
            return value
        if prefix and digits.startswith(prefix) and not _complex_national_prefix(region):
            return None  # the fast reading with the trunk prefix is the library's: no need to parse again
    number = None
    # The library's reading is kept only when its national significant number is ``digits`` itself (the
    # trunk prefix aside): when ``digits`` is no valid number of the region's plan, the parse is skipped.
    if (
        (prefix and digits.startswith(prefix))
        or _complex_national_prefix(region)
        or is_valid(_country_code(region), digits)
    ):
        try:
            number = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            number = None
    if number is not None and phonenumbers.is_valid_number(number):
        national = "".join(ch for ch in phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL) if ch.isdigit())
        value = phonenumbers.format_number(number, PhoneNumberFormat.E164)
        if national == digits or (national == prefix + digits and prefix and trunk_optional(value)):
            return value
    # a country code written without "+" ("32470123456")
    return parse_phone(digits, region, False) if prefix == "0" and not digits.startswith("0") else None


@lru_cache(maxsize=512)
def _complex_national_prefix(region: str) -> bool:
    """True for plans whose national prefix for parsing is more than the trunk prefix (carrier codes: AR, BR)."""
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None:
        return False
    parsing = metadata.national_prefix_for_parsing
    return bool(parsing) and parsing != (metadata.national_prefix or "")


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
    code = _read_unchanged(candidate, region)
    if code:  # the library would read the digits as they stand: its validity test, without its parse
        return f"+{code}{candidate}" if is_valid(code, candidate) else None
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _read_unchanged(candidate: str, region: str) -> int:
    """The region's country code when ``phonenumbers.parse(candidate, region)`` takes the digits as they stand for
    the national number (0 when it may not: then only the library's parse says).

    The library changes the digits only where they start with the region's international call prefix (a
    country code follows), with its country code, or with its national prefix for parsing (a trunk or carrier
    prefix stripped), or start with 0 (the Italian leading zero); a US "818 472 9051" is none of these.
    """
    rule = _parse_rule(region)
    if rule is None or not (candidate.isascii() and candidate.isdigit()) or not 2 <= len(candidate) <= 17:
        return 0
    code, idd, national_prefix = rule
    if candidate[0] == "0" or candidate.startswith(str(code)):
        return 0
    if (idd is not None and idd.match(candidate)) or (national_prefix is not None and national_prefix.match(candidate)):
        return 0
    return code


@lru_cache(maxsize=512)
def _parse_rule(region: str) -> tuple[int, re.Pattern[str] | None, re.Pattern[str] | None] | None:
    """(country code, international call prefix, national prefix for parsing) of the region's plan, compiled once."""
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.country_code is None:
        return None
    idd = metadata.international_prefix
    national = metadata.national_prefix_for_parsing
    return int(metadata.country_code), re.compile(idd) if idd else None, re.compile(national) if national else None


Reading = tuple[str, str, bool]  # (E.164, region source, ambiguous)
POSTAL_MASK = re.compile(r"(?:B-|F-|NL-|L-|D-)?[1-9]\d{3}(?:\s?[A-Z]{2})?")
# Evidence strong enough to read a landline; weaker evidence (a language, the workspace's other
# regions) reads only mobile numbers, which is what ads carry.
ANY_TYPE_SOURCES = frozenset({"prefix", "place", "domain", "currency"})
OBFUSCATED_RULES = frozenset({"spelled", "keycap", "circled", "fullwidth", "letters-for-digits"})


def numbers_in_chain(text: str, chain: Chain, regions: Regions) -> list[Found]:
    """The valid phone numbers of a chain: strongest evidence first, then longest first from left to right.

    Each kind of evidence reads the whole chain before the next, weaker one: a number written with
    ``+`` or in the record's country is taken before another run of the chain could be read as
    some other country's number.
    """
    tokens = chain.tokens[:MAX_CHAIN]
    size = len(tokens)
    # The chain's digits once, and where each token's digits start in it: a candidate is a slice.
    # (Tokens are tuples: unpacked in the loops below, cheaper than their named fields.)
    whole = "".join([token[2] for token in tokens])
    offsets = [0]
    # One digit a token ("0*4*9*6*2*8*2*6*9*0"): a number never starts inside such a run (``_inside_digit_run``).
    single = []
    position = 0
    for token in tokens:
        length = len(token[2])
        position += length
        offsets.append(position)
        single.append(length == 1)
    international: list[bool | None] = [None] * size  # read when a number is tried from that token
    labelled = _not_a_phone_before(text, tokens[0].start)
    taken = [False] * size
    # Two tokens of one word ("seven02", "zero4nine3"): a number never starts or ends between them.
    # Number words in a row ("zero seven zero one") are one written run too.
    glued = [
        (end == start and text[end - 1].isalnum() and text[end].isalnum()) or (rule == "spelled" == next_rule)
        for (_, end, _, rule), (start, _, _, next_rule) in pairwise(tokens)
    ]
    glued.append(False)
    # A short group left after a number, set off only by the number's own kind of separator
    # ("04 97 10 20 30 - 40"): the writer wrote a longer number, not this one. Only a number ending on
    # the chain's last token but one can be; read when one is first tried (most end on the last token).
    dangling: bool | None = None
    found: list[tuple[int, int, Reading]] = []
    # "+", "wa.me/", "phone=" before a token: none of these characters, no number written as international.
    maybe_international = "+" in text or "/" in text or "=" in text
    tiers = regions.derived.get(labelled)
    if tiers is None:
        tiers = regions.derived[labelled] = _tiers(regions, labelled)
    for tier_number, tier in enumerate(cast("tuple[Tier, ...]", tiers)):
        if tier_number == 0 and not maybe_international and "00" not in whole:
            continue
        i = 0
        while i < size:
            if taken[i] or (i > 0 and glued[i - 1]) or (single[i] and _inside_digit_run(text, tokens, i, True)):
                i += 1
                continue
            intl = international[i]
            if intl is None:
                intl = international[i] = maybe_international and written_international(text, tokens[i].start)
            # The first tier reads only numbers written with "+" or "00", every other tier only the others.
            first = offsets[i]
            if (
                (not intl and (not whole.startswith("00", first) or _inside_digit_run(text, tokens, i)))
                if tier_number == 0
                else intl
            ):
                i += 1
                continue
            end = i
            while end + 1 < size and not taken[end + 1]:
                end += 1
            match = None
            for j in range(end, i - 1, -1):
                if MIN_DIGITS <= offsets[j + 1] - first <= MAX_DIGITS + 2 and not glued[j]:
                    if j == size - 2:
                        if dangling is None:
                            dangling = _dangling_after(text, tokens, j)
                        if dangling:
                            continue
                    reading = tier(text, tokens, i, j, whole[first : offsets[j + 1]], intl)
                    if reading is not None:
                        match = j, reading
                        break
            if match is None:
                i += 1
                continue
            j, reading = match
            taken[i : j + 1] = [True] * (j + 1 - i)
            found.append((i, j, reading))
            i = j + 1
        if all(taken):
            break
    return [_found(text, chain, tokens, i, j, reading) for i, j, reading in sorted(found)]


def _inside_digit_run(text: str, tokens: Tokens, i: int, strict: bool = False) -> bool:
    """True when token ``i`` is one digit of a number written digit by digit ("0-4-9-6-9-3-2-0-0-5"), not its
    first: a "00" there is two digits of that number, no international prefix. ``strict``: the same separator
    before and after it too, between digits (not number words), where no number starts at all ("0*4*9*6*2*8",
    not "... 5-6 / 0-4-7").
    """
    if i == 0 or len(tokens[i].digits) != 1 or len(tokens[i - 1].digits) != 1:
        return False
    before = text[tokens[i - 1].end : tokens[i].start]
    if not WEAK_GAP.issuperset(before):
        return False
    if not strict:
        return True
    return (
        i + 1 < len(tokens)
        and len(tokens[i + 1].digits) == 1
        and text[tokens[i].end : tokens[i + 1].start] == before
        and "spelled" not in (tokens[i - 1].rule, tokens[i].rule, tokens[i + 1].rule)
    )


def _dangling_after(text: str, tokens: Tokens, j: int) -> bool:
    """True when one more group of the same size follows ``j`` as the chain's end ("10 20 30 - 40").

    The writer wrote a longer number in the same grouping, not the number without its last group.
    """
    if j != len(tokens) - 2 or not WEAK_GAP.issuperset(text[tokens[j].end : tokens[j + 1].start]):
        return False
    last, tail = tokens[j], tokens[j + 1]
    after = text[tail.end : tail.end + 2].strip()
    return len(tail.digits) == len(last.digits) >= 2 and not (after[:1].isalpha())


def _found(text: str, chain: Chain, tokens: tuple[DigitToken, ...], i: int, j: int, reading: Reading) -> Found:
    value, source, ambiguous = reading
    start = tokens[i].start
    if start > 0 and text[start - 1] == "+":
        start -= 1
    rule = chain_rule(tokens[i : j + 1], chain.multiline)
    if text[max(0, start - 6) : start].lower() == "wa.me/":
        rule = "wa.me"
    return Found("phone", value, start, tokens[j].end, rule, None, source, ambiguous)


Tokens = tuple[DigitToken, ...]
Tier = Callable[[str, Tokens, int, int, str, bool], "Reading | None"]


def _tiers(regions: Regions, labelled: bool) -> tuple[Tier, ...]:
    """The readers of one post, strongest evidence first (``identifiers.regions``).

    Kept with the evidence (``Regions.derived``): posts of one city and language share their readers
    (pure functions of it).
    """
    fallback = regions.country or (regions.evidence[0][0] if regions.evidence else "BE")

    def written_with_prefix(
        text: str, tokens: tuple[DigitToken, ...], i: int, j: int, cand: str, intl: bool
    ) -> Reading | None:
        if intl:
            value = parse_phone(cand, fallback, True)
        elif cand.startswith("00"):
            value = parse_phone(cand, fallback, False)
        else:
            return None
        return (value, "prefix", False) if value else None

    tiers: list[Tier] = [written_with_prefix]
    country = regions.country
    if country:
        neighbours = tuple((region, source) for region, source in regions.evidence if region != country)

        def in_country(
            text: str, tokens: tuple[DigitToken, ...], i: int, j: int, cand: str, intl: bool
        ) -> Reading | None:
            value = None if intl else parse_as_written(cand, country)
            if value is None:
                return None
            if not is_mobile(value):
                # A landline of the record's country written exactly as a mobile of a region of the post's
                # evidence or the workspace ("0473 55 18 20": a Belgian mobile in a post from Lille) is that mobile;
                # so is one that no grouping ties to the country, a single run or obfuscated ("0475621692",
                # "0patru87nouă30opt09" in a post from Cologne): ads carry mobiles.
                lengths = tuple(len(token.digits) for token in tokens[i : j + 1])
                ungrouped = _ungrouped(tokens, i, j)
                if ungrouped or not _grouped_exactly(value, cand, lengths):
                    for region, source in neighbours:
                        other = parse_as_written(cand, region)
                        if other and is_mobile(other) and (ungrouped or _grouped_exactly(other, cand, lengths)):
                            return other, source, True
            return value, "country", False

        tiers.append(in_country)
    if labelled:
        return tuple(tiers)
    evidence = regions.evidence
    strong = tuple((region, source) for region, source in evidence if source in ANY_TYPE_SOURCES)
    weak = tuple((region, source) for region, source in evidence if source not in ANY_TYPE_SOURCES)
    any_type = (*strong, *((region, source) for region, source in weak if region == regions.home))
    languages = tuple((region, source) for region, source in weak if source == "language")
    # A language or the workspace names a region whose national numbers carry a trunk prefix (or the home region):
    # a bare run of digits is no evidence for a plan without one (Luxembourg).
    weak = tuple((region, source) for region, source in weak if region == regions.home or _trunk(region))

    votes = regions.votes

    def mobile_in_strong(text: str, tokens: Tokens, i: int, j: int, cand: str, intl: bool) -> Reading | None:
        if intl:
            return None
        for region, source in strong:
            value = parse_as_written(cand, region)
            # a pager or personal number of a country the post names is as much a person's as a mobile is
            if value and reaches_a_person(value):
                return value, source, other_mobile_readings(cand, value)
        return None

    def exactly_as_written_in(sources: tuple[tuple[str, str], ...]) -> Tier:
        def exactly(text: str, tokens: Tokens, i: int, j: int, cand: str, intl: bool) -> Reading | None:
            """A landline of the evidence's country, grouped exactly as that country writes its numbers."""
            if intl or i == j:
                return None
            lengths = tuple(len(token.digits) for token in tokens[i : j + 1])
            for region, source in sources:
                value = parse_as_written(cand, region)
                if value and _grouped_exactly(value, cand, lengths):
                    if source == "place" and region != regions.home and votes and not is_mobile(value):
                        mobile = _voted_mobile_grouped_exactly(cand, lengths, votes)
                        if mobile is not None:
                            return mobile, "ranked", True
                    return value, source, other_mobile_readings(cand, value)
            return None

        return exactly

    def mobile_in_weak(text: str, tokens: Tokens, i: int, j: int, cand: str, intl: bool) -> Reading | None:
        if intl:
            return None
        for region, source in weak:
            value = parse_phone(cand, region, False)
            if value and is_mobile(value):
                return value, source, other_mobile_readings(cand, value)
        return None

    def any_in_evidence(text: str, tokens: Tokens, i: int, j: int, cand: str, intl: bool) -> Reading | None:
        if intl:
            return None
        for region, source in any_type:
            value = parse_as_written(cand, region)
            if value:
                if i != j and source == "place" and region != regions.home and votes and not is_mobile(value):
                    # Ads carry mobiles, and a place named may be a destination or a given name: a landline of
                    # a named place's country loses to the mobile reading of a country the language votes for,
                    # grouped exactly as that country writes its mobiles ("Travel to Italy ... 0812 345 6789":
                    # a Nigerian mobile, not a landline of Naples).
                    lengths = tuple(len(token.digits) for token in tokens[i : j + 1])
                    mobile = _voted_mobile_grouped_exactly(cand, lengths, votes)
                    if mobile is not None:
                        return mobile, "ranked", True
                return value, source, other_mobile_readings(cand, value)
        return None

    def in_every_region(
        text: str, tokens: tuple[DigitToken, ...], i: int, j: int, cand: str, intl: bool
    ) -> Reading | None:
        if intl or not _delimited(text, tokens, i, j):
            return None
        if not _phone_like(text, tokens, i, j, cand) and not _lone_run(tokens, cand, votes):
            return None
        best = best_world_reading(cand, regions.votes, _breaks(tokens, i, j))
        if best is None:
            return None
        reading, ambiguous = best
        return reading.value, "ranked" if ambiguous else "plan", ambiguous

    readers: list[Tier] = [mobile_in_strong, exactly_as_written_in(strong)] if strong else []
    readers.append(mobile_in_weak)
    if languages:
        readers.append(exactly_as_written_in(languages))
    return (*tiers, *readers, any_in_evidence, in_every_region)


PHONE_CUE = re.compile(
    r"(?i)(?:\b(?:call|text|txt|phone|tel|mobile|mob|cell|whats\s?app|wa|contact|sms|viber|signal|telegram)"
    r"|☎|📞|📱|📲)\W{0,6}$"
)


PHONE_CUE_AFTER = re.compile(
    r"(?i)\W{0,6}(?:call|text|txt|sms|whats\s?app|viber|signal|telegram|wa)\b(?:\s+(?:me|now|only|anytime))?\b"
)


WEAK_GAP = frozenset(" \t-.,()/•·_=x×*")
# Separators a number is written with to evade filters ("0497•221•308", "0470_12_34", "602 x 918").
EVASIVE_GAP = frozenset("•·_=x×*")


def _delimited(text: str, tokens: Tokens, i: int, j: int) -> bool:
    """True when tokens ``i..j`` are the whole chain or set apart by more than spaces and dashes (emoji, "/", a line).

    A number read with no evidence of its country is never a piece of a longer run of digit groups
    ("ABC-0470-1234-5678", an account number's groups).
    """
    before = i == 0 or not WEAK_GAP.issuperset(text[tokens[i - 1].end : tokens[i].start])
    after = j == len(tokens) - 1 or not WEAK_GAP.issuperset(text[tokens[j].end : tokens[j + 1].start])
    return before and after


def _phone_like(text: str, tokens: tuple[DigitToken, ...], i: int, j: int, candidate: str) -> bool:
    """A number read with no evidence of its country must look written as a phone.

    Its groups follow the country's own way of writing numbers (``818 472 9051``, ``(424)
    615-2280``), or it is announced ("call", "text", 📞), or it is the whole chain, obfuscated.
    """
    lengths = [len(token.digits) for token in tokens[i : j + 1]]
    if len(lengths) > 1 and _grouped_like_plan(candidate, tuple(lengths)):
        return True
    if len(lengths) >= 3 and min(lengths) >= 2 and i == 0 and j == len(tokens) - 1:
        return True  # three groups or more, the whole chain: "622 987 654" (Spain writes 622 98 76 54)
    if PHONE_CUE.search(text, max(0, tokens[i].start - 16), tokens[i].start) is not None:
        return True
    if PHONE_CUE_AFTER.match(text, tokens[j].end, tokens[j].end + 16) is not None:
        return True  # "08134402876 call now", "... text me"
    if len(tokens) > j - i + 1 and "".join([token[2] for token in tokens]).count(candidate) >= 2:
        return True  # the same number written twice in a row ("7135528890 🔥 7135528890")
    if i != 0 or j != len(tokens) - 1:
        return False
    return any(token.rule in OBFUSCATED_RULES for token in tokens) or any(
        not EVASIVE_GAP.isdisjoint(text[tokens[k].end : tokens[k + 1].start]) for k in range(len(tokens) - 1)
    )


def _ungrouped(tokens: Tokens, i: int, j: int) -> bool:
    """True when tokens ``i..j`` carry no grouping of a plan: one run, digit by digit, or obfuscated (spelled...)."""
    if i == j:
        return True
    span = tokens[i : j + 1]
    return all(len(token.digits) == 1 for token in span) or any(token.rule != "digits" for token in span)


def _breaks(tokens: Tokens, i: int, j: int) -> frozenset[int]:
    """Positions (in digits) between the written groups of tokens ``i..j``."""
    breaks = set()
    position = 0
    for token in tokens[i:j]:
        position += len(token.digits)
        breaks.add(position)
    return frozenset(breaks)


@lru_cache(maxsize=512)
def _trunk(region: str) -> bool:
    return bool(_national_prefix(region))


def _grouped_exactly(value: str, candidate: str, lengths: tuple[int, ...]) -> bool:
    """True when the written groups are exactly those of a national format of the number's plan."""
    breaks = set()
    position = 0
    for length in lengths[:-1]:
        position += length
        breaks.add(position)
    offset = len(candidate) - len(split_e164(value)[1])
    return any(breaks in (groups, groups - {offset}) for groups in national_groupings(value, candidate))


def _lone_run(tokens: Tokens, candidate: str, votes: tuple[str, ...]) -> bool:
    """One run of ten digits or more, alone ("Jasmine 💋 7025531846"): a mobile number of a country the post's
    clues vote for, or, when it gives none (no language, no currency), of a country whose numbers ads most often
    carry (``AMBIGUITY_REGIONS``: not a bank account read as a South Sudanese mobile)."""
    return (
        len(tokens) == 1
        and len(candidate) >= 10
        and tokens[0].rule == "digits"
        and _voted_mobile(candidate, votes or USUAL_REGIONS)
    )


def _voted_mobile(candidate: str, votes: tuple[str, ...]) -> bool:
    """True when a region ``votes`` names reads ``candidate`` as a mobile number."""
    return any(reading.mobile and not reading.regions.isdisjoint(votes) for reading in world_readings(candidate))


def _voted_mobile_grouped_exactly(candidate: str, lengths: tuple[int, ...], votes: tuple[str, ...]) -> str | None:
    """The mobile reading of ``candidate`` in a region ``votes`` names, grouped exactly as its plan writes it
    (several: the one most votes name, then the one most often met in ads, ``PRIOR``)."""
    found = [
        (
            -sum(1 for region in votes if region in reading.regions),
            min(PRIOR_RANK.get(region, len(PRIOR_RANK)) for region in reading.regions),
            reading.value,
        )
        for reading in world_readings(candidate)
        if reading.mobile
        and not reading.regions.isdisjoint(votes)
        and _grouped_exactly(reading.value, candidate, lengths)
    ]
    return min(found)[2] if found else None


@lru_cache(maxsize=65536)
def _grouped_like_plan(candidate: str, lengths: tuple[int, ...]) -> bool:
    """True when every break between written groups is a break of a national format of a plan that reads it."""
    breaks = set()
    position = 0
    for length in lengths[:-1]:
        position += length
        breaks.add(position)
    for reading in world_readings(candidate):
        for groups in national_groupings(reading.value, candidate):
            if breaks <= groups:
                return True
    return False


# Words that announce a number that is not a phone (an order, a reference, a postal code).
NOT_A_PHONE_BEFORE = re.compile(
    r"(?i)(?:\b(?:order|ref|reference|invoice|factuur|facture|commande|comanda|comandă|pedido|bestelling|bestelnummer"
    r"|поръчка|pnr|booking|reservation|tracking|isbn|zip|zips|postcode"
    # ("Boise, ID 208...": after a comma, "ID" is Idaho's code after its city, not a label)
    r"|zipcode|code|(?<!,\s)id|ad\s?id|post\s?id|sku|case|bon)|#|n°|n\.?º|№)\s*(?:n[or]\.?|number|nummer|numéro)?\s*[:.#]?\s*$"
)


def _not_a_phone_before(text: str, start: int) -> bool:
    """True when a label such as "Order #" or "ZIP:" stands right before the number."""
    window = text[max(0, start - 20) : start]
    # Every label ends, before its spaces, in a letter, "#", ":", ".", "°" or "№": any other character
    # there ("(", "+", an emoji, a digit) leaves nothing for the pattern to find.
    last = window.rstrip()[-1:]
    if not last or not (last.isalpha() or last in "#:.°º№"):
        return False
    return NOT_A_PHONE_BEFORE.search(window) is not None


# Readings chosen by the post's evidence, not by how the number is written (a "+"/"00" prefix) or the record's country.
INFERRED_SOURCES = frozenset(SOURCES) - {"prefix", "country"}


def _one_reading_per_number(found: list[Found]) -> list[Found]:
    """One number written twice in a post ("0497 221 308 ... 0497221308") is read in one country.

    The copies are read one by one, and the grouping of one copy may fit a landline of a country
    the post names ("0497 221 308": a number of Eersel, with Maastricht named) while the other copy
    reads as a mobile of the workspace's region. When the copies of the same national number, each
    read from the post's evidence, have exactly one mobile reading, every copy takes it (ads carry
    mobile numbers), still marked ambiguous.
    """
    readings: dict[str, set[str]] = {}
    for item in found:
        if item.region_source in INFERRED_SOURCES:
            readings.setdefault(split_e164(item.value)[1], set()).add(item.value)
    if all(len(values) == 1 for values in readings.values()):
        return found
    chosen: dict[str, Found] = {}
    for national, values in readings.items():
        mobiles = [value for value in values if is_mobile(value)]
        if len(values) > 1 and len(mobiles) == 1:
            chosen[national] = next(item for item in found if item.value == mobiles[0])
    result = []
    for item in found:
        pick = chosen.get(split_e164(item.value)[1]) if item.region_source in INFERRED_SOURCES else None
        if pick is not None and pick.value != item.value:
            item = Found("phone", pick.value, item.start, item.end, item.rule, None, pick.region_source, True)
        result.append(item)
    return result


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

    def find(self, text: str, region: str | Regions, masks: list[tuple[int, int]]) -> list[Found]:
        regions = Regions.of(region)
        tokens = digit_tokens(text)
        if len(tokens) < MIN_DIGITS and sum(len(token.digits) for token in tokens) < MIN_DIGITS:
            return []
        long_chains = chains(text, masks, tokens)
        if not long_chains:
            return []
        near = masks_near_chains(text, tokens, long_chains)
        postal = [span for span in near if POSTAL_MASK.fullmatch(text, *span)] if near else []
        found: list[Found] = []
        for long_chain in long_chains:
            if postal:
                found.extend(self._read_around_postal_codes(text, long_chain, near, postal, regions))
                continue
            for chain in chains(text, near, list(long_chain.tokens)) if near else [long_chain]:
                found.extend(numbers_in_chain(text, chain, regions))
        return _one_reading_per_number(found) if len(found) > 1 else found

    def _read_around_postal_codes(
        self, text: str, long_chain: Chain, near: list[tuple[int, int]], postal: list[tuple[int, int]], regions: Regions
    ) -> list[Found]:
        """A four-digit group before a capitalised word ("818-472-9051 Rosa") is a phone's tail, not a
        postal code, when the chain without that mask makes a valid phone that holds it."""
        others = [span for span in near if span not in postal]
        unmasked = [
            item
            for chain in chains(text, others, list(long_chain.tokens))
            for item in numbers_in_chain(text, chain, regions)
        ]
        kept = [item for item in unmasked if overlaps(item.start, item.end, postal)]
        still = [span for span in postal if not any(overlaps(*span, [(item.start, item.end)]) for item in kept)]
        masked = [
            item
            for chain in chains(text, others + still, list(long_chain.tokens))
            for item in numbers_in_chain(text, chain, regions)
            if not overlaps(item.start, item.end, [(k.start, k.end) for k in kept])
        ]
        return sorted(kept + masked, key=lambda item: item.start)

    def normalise(self, value: str) -> str:
        return canonical_phone(value, self.default_region) or value.strip()

    def validate(self, value: str) -> bool:
        return value.startswith("+") and parse_phone(value[1:], self.default_region, True) == value
