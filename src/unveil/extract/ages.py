"""Ages written in ads: "22 ans", "19 jaar", "22yo", "age: 21", "20 de ani"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from unveil.text import lower_cased

AFTER = (
    r"ans|an|jaar|jaartjes|jr|yo|y\.o\.?|y/o|yrs?|years?(?:\s+old)?|jahre?|jährige?|años|anos|anni|de\s+ani|ani"
    r"|години|годинки|год|лет|godini|lat|let"
)
BEFORE = r"age|âge|aged|leeftijd|alter|edad|età|v[âa]rst[aă]|възраст|возраст|i'?m|ik\s+ben|j'ai|tengo|am"
# Two digits not after a digit or ``.,/:``; led by the digit (the engine skips in C to digits), the
# look-behind checks the character before it.
NUMBER = re.compile(r"\d(?<![\d.,/:]\d)\d(?!\d)")
AGE_AFTER = re.compile(rf"(?i)\s?(?:{AFTER})(?![^\W\d_])(?!\s?(?:de\s+)?(?:experien|ervaring|exp\b))")
AGE_BEFORE = re.compile(rf"(?i)(?<![^\W\d_])(?:{BEFORE})\s?[:=]?\s?$")
NOT_AN_AGE_AFTER = re.compile(r"(?i)[:/h]|[.,]\d|\s?(?:€|eur|h\b|uur|min|cm|kg|%)")
# A client's age, a range or a limit ("men over 35", "clients 35+", "under 25"): not the poster's age.
NOT_POSTER_BEFORE = re.compile(
    r"(?i)(?:over|under|above|below|older\s+than|younger\s+than|plus\s+de|moins\s+de|meer\s+dan|ouder\s+dan"
    r"|jonger\s+dan|min\.?|minimum|max\.?|maximum|men|clients?|gentlemen|guys|mannen|hommes)\s*$"
)
MIN_AGE, MAX_AGE = 12, 75
# The same patterns without IGNORECASE, for the lower-cased text (faster; every literal is lower-case).
LOWER = tuple(re.compile(p.pattern.removeprefix("(?i)")) for p in (AGE_AFTER, AGE_BEFORE, NOT_AN_AGE_AFTER))


@dataclass(frozen=True, slots=True)
class Age:
    """A stated age and its span."""

    age: int
    start: int
    end: int


def find_ages(text: str) -> list[Age]:
    """Ages stated in ``text`` (12 to 75; other numbers next to "years" are durations or prices)."""
    lowered = lower_cased(text)
    if len(lowered) == len(text):
        text, (after_pattern, before_pattern, not_after) = lowered, LOWER
    else:
        after_pattern, before_pattern, not_after = AGE_AFTER, AGE_BEFORE, NOT_AN_AGE_AFTER
    ages: list[Age] = []
    for number in NUMBER.finditer(text):
        value = int(number.group())
        if not MIN_AGE <= value <= MAX_AGE or text[number.end() : number.end() + 1] == "+":
            continue
        after = after_pattern.match(text, number.end())
        if after is not None:
            if not _client_age(text, number.start()):
                ages.append(Age(value, number.start(), after.end()))
            continue
        before = before_pattern.search(text, max(0, number.start() - 16), number.start())
        if before is not None and not_after.match(text, number.end()) is None and not _client_age(text, number.start()):
            ages.append(Age(value, before.start(), number.end()))
    return ages


def _client_age(text: str, start: int) -> bool:
    """A limit or a client's age before the number ("men over 35"): looked for only once an age was read."""
    return NOT_POSTER_BEFORE.search(text, max(0, start - 16), start) is not None
