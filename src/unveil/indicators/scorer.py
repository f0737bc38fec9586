"""The scorer: indicators matched in a text, and a score per domain that each match explains.

A domain's score combines its indicators as independent evidence (noisy-or over distinct
indicators: ``1 - prod(1 - weight)``), so one weak cue stays weak and several cues add up. Each
match is returned with its span and weight; a stated age under 18 is an indicator of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from unveil.indicators.lexicon import PREFIX_LENGTH, CompiledLexicon, Indicator, compiled_for
from unveil.indicators.schema import DOMAINS
from unveil.text import lower_cased

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


class StatedAge(Protocol):
    """An age stated in the text and its span (``unveil.extract.ages.Age``)."""

    @property
    def age(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def find_indicators(text: str, language: str, ages: Iterable[StatedAge] = ()) -> list[Match]:
    """Indicators of the lexicons of ``language``, English and emoji, plus stated ages under 18.

    ``ages``: the ages stated in ``text`` (the extractor's ``find_ages``); those under 18 are indicators.
    """
    lexicon = _lexicon_of(language)
    matches = _word_matches(text, lexicon)
    if lexicon.anywhere_has_words or not text.isascii():
        matches.extend(_anywhere_matches(text, lexicon))
    for age in ages:
        if age.age < 18:
            matched = text[age.start : age.end]
            matches.append(
                Match(STATED_MINOR_ID, "minors", "stated_age", age.start, age.end, matched, STATED_MINOR_WEIGHT,
                      "unodc_indicators")
            )  # fmt: skip
    matches.sort(key=lambda m: (m.start, m.end, m.indicator_id))
    return matches


def _lexicon_of(language: str) -> CompiledLexicon:
    """The compiled lexicons of ``language``, English and emoji (one dictionary lookup per post)."""
    lexicon = _LEXICONS.get(language)
    if lexicon is None:
        lexicon = _LEXICONS[language] = compiled_for(ALWAYS | {language})
    return lexicon


_LEXICONS: dict[str, CompiledLexicon] = {}


def _word_starts(text: str, lexicon: CompiledLexicon) -> list[int]:
    """Where a word whose beginning is a lexicon key starts (every word start if lower-casing moves spans)."""
    lowered = lower_cased(text)
    if len(lowered) == len(text):
        return [found.start() for found in lexicon.word_starts.finditer(lowered)]
    return [word.start() for word in WORD.finditer(text)]


def _word_matches(text: str, lexicon: CompiledLexicon) -> list[Match]:
    """Matches of word entries, tried only where a word starts with one of their literal beginnings."""
    matches = []
    position = 0
    for start in _word_starts(text, lexicon):
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
    return matches


def _anywhere_matches(text: str, lexicon: CompiledLexicon) -> list[Match]:
    """Matches of emoji and symbol entries (no word boundaries), tried only at their first characters."""
    pattern, indicators = lexicon.anywhere
    if lexicon.anywhere_first is None:
        return [_match(indicators, found) for found in pattern.finditer(text)]
    if lexicon.anywhere_reach is not None and lexicon.anywhere_reach.search(text) is None:
        return []
    matches = []
    position = 0
    for candidate in lexicon.anywhere_first.finditer(text):
        if candidate.start() < position:
            continue
        found = pattern.match(text, candidate.start())
        if found is not None:
            matches.append(_match(indicators, found))
            position = max(found.end(), found.start() + 1)
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
