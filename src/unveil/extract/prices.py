"""Prices: amount, currency and unit (per hour, per night, per person...), "roses" included."""

from __future__ import annotations

import re
from dataclasses import dataclass

from unveil.text import lower_cased

CURRENCIES: dict[str, str] = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "evro": "EUR", "евро": "EUR",
    "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP",
    "lei": "RON", "ron": "RON", "лв": "BGN", "лева": "BGN", "bgn": "BGN",
    "zł": "PLN", "zl": "PLN", "pln": "PLN", "chf": "CHF", "mad": "MAD", "dh": "MAD", "dhs": "MAD",
    "roses": "ROSES", "rose": "ROSES", "rozen": "ROSES", "rosas": "ROSES", "trandafiri": "ROSES", "🌹": "ROSES",
}  # fmt: skip
_CUR = "|".join(sorted((re.escape(c) for c in CURRENCIES), key=len, reverse=True))
AMOUNT = r"(?P<amount>(?<!\d[ .])\d{1,3}(?:[ .]\d{3})+|\d{1,6})(?:[.,](?P<cents>\d{1,2}))?(?!\d)"
PRICE = re.compile(
    rf"(?i)(?<![\w.,])(?:{AMOUNT}\s?(?P<after>{_CUR})(?![^\W\d_])"
    rf"|(?P<before>[€$£])\s?(?P<amount2>\d{{1,6}})(?:[.,](?P<cents2>\d{{1,2}}))?(?![\d,.]\d))"
)
# Where a price can start (a digit or a currency sign not glued to a word): candidates for PRICE.match.
STARTS = re.compile(r"[\d€$£](?<![\w.,][\d€$£])")
UNITS: dict[str, str] = {
    r"/\s?h\b|/\s?hr\b|/\s?hour|per\s+hour|an\s+hour|p/?u\b|per\s+uur|/\s?uur|de\s+l'heure|/\s?heure|la\s+heure"
    r"|par\s+heure|pro\s+stunde|/\s?std|la\s+or[aă]|pe\s+or[aă]|/\s?or[aă]|por\s+hora|/\s?hora": "hour",
    r"/\s?30\s?min|per\s+half\s+hour|la\s+demi[- ]heure|per\s+half\s+uur|/\s?½\s?h": "half_hour",
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
    r"|une\s+heure|one\s+hour|een\s+uur|1\s?or[aă])|(?P<night>nuit|night|nacht|noapte|noche))\s*[:=\-–]?\s*$"
)


# The same patterns without IGNORECASE, for the lower-cased text (faster; every literal is lower-case).
PRICE_LOWER = re.compile(PRICE.pattern.removeprefix("(?i)"))
UNIT_AFTER_LOWER = re.compile(UNIT_AFTER.pattern.removeprefix("(?i)"))


@dataclass(frozen=True, slots=True)
class Price:
    """A price in a text: amount, ISO currency (or ``ROSES``), unit (hour, night, person...)."""

    amount: float
    currency: str
    unit: str | None
    start: int
    end: int


def find_prices(text: str) -> list[Price]:
    """Every price in ``text`` with the unit written after it (or the duration written before it)."""
    lowered = lower_cased(text)
    if len(lowered) == len(text):
        scanned, price_pattern, unit_pattern = lowered, PRICE_LOWER, UNIT_AFTER_LOWER
    else:
        scanned, price_pattern, unit_pattern = text, PRICE, UNIT_AFTER
    prices: list[Price] = []
    position = 0
    for start in STARTS.finditer(scanned):
        match = price_pattern.match(scanned, start.start()) if start.start() >= position else None
        if match is None:
            continue
        position = match.end()
        amount_text = match.group("amount") or match.group("amount2")
        cents = match.group("cents") or match.group("cents2")
        currency = CURRENCIES[(match.group("after") or match.group("before")).lower()]
        amount = float(amount_text.replace(" ", "").replace(".", "")) + (float(f"0.{cents}") if cents else 0.0)
        unit, end = _unit_after(scanned, match.end(), unit_pattern)
        if unit is None:
            unit = _duration_before(text, match.start())
        prices.append(Price(amount, currency, unit, match.start(), end))
    return prices


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
