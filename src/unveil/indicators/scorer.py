"""The scorer: indicators matched in a text, and a score per domain that each match explains.

A domain's score combines its indicators as independent evidence (noisy-or over distinct
indicators: ``1 - prod(1 - weight)``), so one weak cue stays weak and several cues add up. Each
match is returned with its span and weight; a stated age under 18 is an indicator of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from unveil.extract.ages import find_ages
from unveil.extract.schema import DOMAINS
from unveil.indicators.lexicon import PREFIX_LENGTH, Indicator, compiled_for

STATED_MINOR_ID = "mn.stated_age_under_18"
STATED_MINOR_WEIGHT = 0.9
ALWAYS = frozenset({"en", "any"})
WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Match:
    """An indicator found in a text."""

    indicator_id: str
    domain: str
    category: str
    start: int
    end: int
    matched: str
    weight: float
    source: str


@dataclass(frozen=True)
class Scored:
    """The matches of a text and the score of each domain (0 when nothing matched)."""

    matches: list[Match]
    scores: dict[str, float]

    @property
    def risk(self) -> float:
        """The highest domain score."""
        return max(self.scores.values(), default=0.0)


def find_indicators(text: str, language: str) -> list[Match]:
    """Indicators of the lexicons of ``language``, English and emoji, plus stated ages under 18."""
    lexicon = compiled_for(ALWAYS | {language})
    matches = []
    position = 0
    for word in WORD.finditer(text):
        start = word.start()
        if start < position:
            continue
        head = text[start : start + PREFIX_LENGTH].lower()
        for length in lexicon.prefix_lengths:
            group = lexicon.by_first.get(head[:length])
            found = group[0].match(text, start) if group is not None else None
            if found is not None and group is not None:
                matches.append(_match(group[1], found))
                position = found.end()
                break
    if lexicon.anywhere_has_words or not text.isascii():
        matches.extend(_match(lexicon.anywhere[1], found) for found in lexicon.anywhere[0].finditer(text))
    for age in find_ages(text):
        if age.age < 18:
            matched = text[age.start : age.end]
            matches.append(
                Match(STATED_MINOR_ID, "minors", "stated_age", age.start, age.end, matched, STATED_MINOR_WEIGHT,
                      "unodc_indicators")
            )  # fmt: skip
    matches.sort(key=lambda m: (m.start, m.end, m.indicator_id))
    return matches


def _match(indicators: tuple[Indicator, ...], found: re.Match[str]) -> Match:
    indicator = indicators[(found.lastindex or 1) - 1]
    return Match(indicator.id, indicator.domain, indicator.category, found.start(), found.end(), found.group(),
                 indicator.weight, indicator.source)  # fmt: skip


def domain_scores(matches: list[Match]) -> dict[str, float]:
    """Noisy-or of the distinct indicators of each domain."""
    strongest: dict[tuple[str, str], float] = {}
    for match in matches:
        key = (match.domain, match.indicator_id)
        strongest[key] = max(strongest.get(key, 0.0), match.weight)
    remaining = dict.fromkeys(DOMAINS, 1.0)
    for (domain, _), weight in strongest.items():
        remaining[domain] *= 1.0 - weight
    return {domain: round(1.0 - left, 6) for domain, left in remaining.items()}


def score_text(text: str, language: str) -> Scored:
    """Indicators of a text and its score per domain."""
    matches = find_indicators(text, language)
    return Scored(matches, domain_scores(matches))
