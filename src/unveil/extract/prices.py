"""Prices: amount, currency and unit (per hour, per night, per person...), "roses" included."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from unveil.text import lower_cased, trie_pattern

CURRENCIES: dict[str, str] = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "evro": "EUR", "евро": "EUR",
    "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP",
    "lei": "RON", "ron": "RON", "лв": "BGN", "лева": "BGN", "bgn": "BGN",
    "zł": "PLN", "zl": "PLN", "pln": "PLN", "chf": "CHF", "mad": "MAD", "dh": "MAD", "dhs": "MAD",
    "roses": "ROSES", "rose": "ROSES", "rozen": "ROSES", "rosas": "ROSES", "trandafiri": "ROSES", "🌹": "ROSES",
}  # fmt: skip
_CUR = "|".join(sorted((re.escape(c) for c in CURRENCIES), key=len, reverse=True))
# An amount after its first digit: "1 200", "1.200" (groups of three), or up to six digits, then cents.
AMOUNT_TAIL = r"(?P<amount>(?<!\d[ .]\d)\d{0,2}(?:[ .]\d{3})+|\d{0,5})(?:[.,](?P<cents>\d{1,2}))?(?!\d)"
PRICE = re.compile(
    # A price starts with a digit or a currency sign not glued to a word. The pattern is led by that character
    # (the engine skips from candidate to candidate in C), the look-behind after it; then an amount and the
    # currency after it, or the sign ("$", "£", "€") and the amount after it.
    # A sign written before the next amount ("602 117 £70", "£80 £120") is that amount's, not this one's: "$" and
    # "£" stand before the amount, "€" glued to a digit does.
    rf"(?i)[\d€$£](?<![\w.,].)(?:(?<=\d){AMOUNT_TAIL}\s?(?P<after>{_CUR})(?![^\W\d_])(?!(?<=[$£])\s?\d)(?!(?<=€)\d)"
    rf"|(?<=[€$£])\s?(?P<amount2>\d{{1,6}})(?:[.,](?P<cents2>\d{{1,2}}))?(?![\d,.]\d))"
)
UNITS: dict[str, str] = {
    r"/\s?h\b|/\s?hr\b|/\s?hour|per\s+hour|an\s+hour|p/?u\b|per\s+uur|/\s?uur|de\s+l'heure|/\s?heure|la\s+heure"
    r"|par\s+heure|pro\s+stunde|/\s?std|la\s+or[aă]|pe\s+or[aă]|/\s?or[aă]|por\s+hora|/\s?hora|hr\b|ph\b"
    # a duration after an amount, unless it opens the next price ("60 min 150€ 30 min 80€")
    r"|(?:1\s?hr|1\s?hour|60\s?mins?)\b(?!\s?[:=\-]?\s?[€$£]?\d)": "hour",
    r"/\s?30\s?min|per\s+half\s+hour|la\s+demi[- ]heure|per\s+half\s+uur|/\s?½\s?h|hh\b|hhr\b"
    r"|(?:30\s?mins?|half\s+(?:an\s+)?hour)\b(?!\s?[:=\-]?\s?[€$£]?\d)": "half_hour",
    r"qv\b|qk\b": "quick_visit",
    r"/\s?nuit|la\s+nuit|per\s+night|a\s+night|/\s?night|per\s+nacht|/\s?nacht|pro\s+nacht|pe\s+noapte"
    r"|/\s?noapte|por\s+noche|all\s+night|toute\s+la\s+nuit|hele\s+nacht": "night",
    r"per\s+person|p\.?p\.?\b|/\s?pers|par\s+personne|per\s+persoon|pro\s+person|de\s+persoan[aă]|por\s+persona"
    r"|each|chacun|per\s+head|/\s?head": "person",
    r"per\s+day|/\s?day|/\s?jour|par\s+jour|per\s+dag|/\s?dag|pro\s+tag|pe\s+zi|/\s?zi|por\s+d[ií]a": "day",
    r"per\s+week|/\s?week|par\s+semaine|/\s?semaine|pro\s+woche|pe\s+s[aă]pt[aă]m[aâ]n[aă]": "week",
    r"per\s+month|/\s?month|par\s+mois|/\s?mois|per\s+maand|/\s?maand|pro\s+monat|pe\s+lun[aă]": "month",
}
UNIT_AFTER = re.compile(r"(?i)\s{0,3}(?:" + "|".join(f"(?P<u{i}>{p})" for i, p in enumerate(UNITS)) + ")")
UNIT_NAMES = list(UNITS.values())
DURATION_BEFORE = re.compile(
    r"(?i)(?:(?P<half>30\s?min|½\s?h|half\s?hour|demi[- ]heure|half\s?uur)|(?P<hour>1\s?h(?:our|eure|r|uur)?|1\s?uur"
    r"|60\s?min|une\s+heure|one\s+hour|een\s+uur|1\s?or[aă])|(?P<night>nuit|night|nacht|noapte|noche))\s*[:=\-–]?\s*$"
)


# The same patterns without IGNORECASE, for the lower-cased text (faster; every literal is lower-case).
PRICE_LOWER = re.compile(PRICE.pattern.removeprefix("(?i)"))
UNIT_AFTER_LOWER = re.compile(UNIT_AFTER.pattern.removeprefix("(?i)"))


@dataclass(frozen=True, slots=True)
class Price:
    """A price in a text: amount, ISO currency (or ``ROSES``; None: written without one), unit (hour, night...)."""

    amount: float
    currency: str | None
    unit: str | None
    start: int
    end: int


# Prices as the US, UK and Australian markets write them, without a currency sign: "150 hh", "100 qv",
# "40/hr", "1 hr 250", "ovn 800", "donation 200". Amounts of 20 to 5,000.
MARKET_UNITS = {
    "hh": "half_hour", "half hour": "half_hour", "half hr": "half_hour", "30 min": "half_hour", "30min": "half_hour",
    "qv": "quick_visit", "qk": "quick_visit", "quickie": "quick_visit", "hr": "hour",
    "1 hr": "hour", "1hr": "hour", "1 hour": "hour", "ovn": "night", "overnight": "night", "donation": None,
    "hhr": "half_hour", "ph": "hour", "hour": "hour", "per hour": "hour", "an hour": "hour", "60 min": "hour",
    "60min": "hour", "2 hrs": "two_hours", "2hrs": "two_hours", "2 hr": "two_hours", "2hr": "two_hours",
    "2 hours": "two_hours", "90 min": "ninety_minutes", "90min": "ninety_minutes", "2h": "two_hours",
    "1h": "hour",
}  # fmt: skip
# Written before an amount: "H 250", "HH 150 H 250"; after one only from ``MIN_AMOUNT_BEFORE_H`` ("200 h"; "24 h",
# "48 h" are hours of opening or delivery).
MARKET_UNITS_BEFORE = {"h": "hour"}
MIN_AMOUNT_BEFORE_H = 80
_MARKET = "|".join(sorted((re.escape(unit) for unit in MARKET_UNITS), key=len, reverse=True))
_MARKET_BEFORE = "|".join(
    sorted((re.escape(unit) for unit in [*MARKET_UNITS, *MARKET_UNITS_BEFORE]), key=len, reverse=True)
)
_MARKET_AMOUNT = r"(?<![\d.,/'’$€£:-])(?P<amount>[3-9]\d|[1-9]\d{2}|[1-4]\d{3})(?![\d'’])"
MARKET_PRICE = re.compile(
    rf"{_MARKET_AMOUNT}\s?(?:/\s?)?(?P<after>{_MARKET}|h)\b"
    rf"|\b(?P<before>{_MARKET_BEFORE})\b\s?[:=\-]?\s?(?<![\d.,/'’$€£]){_MARKET_AMOUNT.replace('amount', 'amount2')}"
)
# Searched only for whether it matches: the branches that start at a word boundary in one group, those led
# by a digit in another (two branches tried per position, not four).
MARKET_HINT = re.compile(
    r"\b(?:(?:hh|hhr|qv|qk|hr|hrs|ph|hour|hours|ovn|overnight|donation|quickie|[369]0 ?min)\b|h ?[1-9]\d)"
    r"|\d(?:/hr|hrs?\b)"
)
TIME_BEFORE = re.compile(r"(?<!\d)(?:[01]?\d|2[0-4])\s?$")
# One of these is in every ``MARKET_HINT`` match: looked for first, by one pattern led by their first characters.
MARKET_WORDS = (
    "hh", "qv", "qk", "hr", "ph", "hour", "ovn", "overnight", "donation", "quickie", "min", "h ", "h,", "h.", "h/",
)  # fmt: skip
MARKET_WORD = re.compile(trie_pattern(list(MARKET_WORDS)))
# "200 h": an "h" after an amount, looked for when ``MARKET_HINT`` finds no other market unit.
HOURLY_H = re.compile(r"[0-9](?= ?h\b)")
# A currency written as the heading of a price list ("Roses: 150 hh 250 h", "🌹: 120 hh"): the currency of the
# amounts written without one after it, up to the next amount written with its own.
HEADING = re.compile(rf"(?<![^\W\d_])(?P<currency>{_CUR})\s?\Z")  # searched before each ":"
HEADING_REACH = 12
# "115 pounds" next to a body's measurements is a weight, not money.
WEIGHT_CONTEXT = re.compile(
    r"(?i)\d\s?(?:'|’|ft|feet|cm)|\b(?:height|weigh|weighs|weight|lbs|tall|stats|cup|size)\b|\d{2}[a-h]{1,3}\b"
)


def find_prices(text: str) -> list[Price]:
    """Every price in ``text`` with the unit written after it (or the duration written before it)."""
    lowered = lower_cased(text)
    if len(lowered) == len(text):
        scanned, price_pattern, unit_pattern = lowered, PRICE_LOWER, UNIT_AFTER_LOWER
    else:
        scanned, price_pattern, unit_pattern = text, PRICE, UNIT_AFTER
    prices: list[Price] = []
    for match in price_pattern.finditer(scanned):
        after = match.group("after")
        if after is not None:  # the amount, then the currency
            amount_text, cents, currency = scanned[match.start() : match.end("amount")], match.group("cents"), after
        else:  # the sign, then the amount
            amount_text, cents, currency = match.group("amount2"), match.group("cents2"), scanned[match.start()]
        amount = float(amount_text.replace(" ", "").replace(".", "")) + (float(f"0.{cents}") if cents else 0.0)
        unit, end = _unit_after(scanned, match.end(), unit_pattern)
        if unit is None:
            unit = _duration_before(text, match.start())
        currency = CURRENCIES[currency.lower()]
        if currency == "GBP" and unit is None and _is_a_weight(scanned, amount, after):
            continue
        prices.append(Price(amount, currency, unit, match.start(), end))
    if (MARKET_WORD.search(scanned) is not None or scanned.endswith("h")) and (
        MARKET_HINT.search(scanned) is not None or HOURLY_H.search(scanned) is not None
    ):
        taken = [(p.start, p.end) for p in prices]
        for match in MARKET_PRICE.finditer(scanned):
            if any(match.start() < b and a < match.end() for a, b in taken):
                continue
            written = (match.group("after") or match.group("before")).lower()
            amount_text = match.group("amount") or match.group("amount2")
            if written in MARKET_UNITS_BEFORE and (
                (match.group("after") and int(amount_text) < MIN_AMOUNT_BEFORE_H)
                or (int(amount_text) < 60 and TIME_BEFORE.search(scanned, max(0, match.start() - 4), match.start()))
            ):
                continue  # "24 h" is a duration, "10 h 30" a time
            unit = MARKET_UNITS.get(written, MARKET_UNITS_BEFORE.get(written))
            prices.append(Price(float(amount_text), None, unit, match.start(), match.end()))
        prices.sort(key=lambda price: price.start)
        if ":" in scanned and len(prices) > len(taken):
            prices = _under_headings(scanned, prices)
    return prices


def _under_headings(text: str, prices: list[Price]) -> list[Price]:
    """Prices written without a currency take the currency of the heading before them (``HEADING``), up to the
    next price written with its own currency."""
    headings = []
    colon = text.find(":")
    while colon >= 0:
        match = HEADING.search(text[max(0, colon - HEADING_REACH) : colon])
        if match is not None:
            headings.append((colon, CURRENCIES[match.group("currency").lower()]))
        colon = text.find(":", colon + 1)
    if not headings:
        return prices
    result = []
    currency: str | None = None
    for price in prices:
        while headings and headings[0][0] < price.start:
            currency = headings.pop(0)[1]
        if price.currency is not None:
            currency = None
        elif currency is not None:
            price = replace(price, currency=currency)
        result.append(price)
    return result


def _is_a_weight(text: str, amount: float, written: str | None) -> bool:
    """ "115 pounds" or "120 lbs" among a body's measurements ("5'7", "34C", "height") is a weight."""
    return written in ("pound", "pounds") and 80 <= amount <= 350 and WEIGHT_CONTEXT.search(text) is not None


def _unit_after(text: str, position: int, pattern: re.Pattern[str] = UNIT_AFTER) -> tuple[str | None, int]:
    match = pattern.match(text, position)
    if match is None or match.lastgroup is None:
        return None, position
    return UNIT_NAMES[int(match.lastgroup[1:])], match.end()


def _duration_before(text: str, position: int) -> str | None:
    match = DURATION_BEFORE.search(text, max(0, position - 20), position)
    if match is None:
        return None
    return {"half": "half_hour", "hour": "hour", "night": "night"}[match.lastgroup or "hour"]
