"""Lexicons are sourced data; the scorer explains every point of every score."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from unveil.errors import ConfigError
from unveil.extract.ages import find_ages
from unveil.indicators.lexicon import _entries, first_chars, load_indicators, sources
from unveil.indicators.schema import DOMAINS
from unveil.indicators.scorer import domain_scores, find_indicators


def test_every_entry_has_a_unique_id_and_a_published_source() -> None:
    indicators = load_indicators()
    ids = [indicator.id for indicator in indicators]
    assert len(ids) == len(set(ids))
    assert {indicator.domain for indicator in indicators} == set(DOMAINS)
    assert all(indicator.source in sources() for indicator in indicators)


def test_lexicon_files_exist_per_language_and_domain() -> None:
    names = {path.name for path in (resources.files("unveil.indicators") / "lexicons").iterdir()}
    for domain in DOMAINS:
        for language in ("en", "nl", "fr"):
            assert f"{domain}.{language}.yaml" in names
    assert "emoji.any.yaml" in names


def test_every_pattern_compiles_and_needs_some_text_to_match() -> None:
    empty = [i.id for i in load_indicators() if re.compile(i.pattern, re.IGNORECASE).fullmatch("") is not None]
    assert empty == []  # a pattern matching the empty text would flag every post


def test_a_bad_entry_is_refused() -> None:
    document = {
        "domain": "nope",
        "language": "en",
        "entries": [{"id": "x", "pattern": "(a)", "weight": 2, "category": "c", "source": "unknown"}],
    }
    with pytest.raises(ConfigError) as error:
        _entries("bad.yaml", document)
    assert len(error.value.errors) == 4


def test_first_characters_of_patterns() -> None:
    assert first_chars("new (?:in|to) town") == frozenset("n")
    assert first_chars("(?:very|so) young|teen") == frozenset("vst")
    assert first_chars(r"\d+ days") is None


@pytest.mark.parametrize(
    ("text", "language", "indicator_id"),
    [
        ("New in town, just arrived", "en", "sx.en.new_in_town"),
        ("Nieuw in de stad, 24/7 beschikbaar", "nl", "sx.nl.available_247"),
        ("sans capote possible", "fr", "sx.fr.no_condom"),
        ("we keep your passport during the contract", "en", "lb.en.passport_kept"),
        ("passage vers l'Angleterre en camion", "fr", "sm.fr.crossing_uk"),
        ("bel mijn manager", "nl", "ct.nl.third_party_contact"),
        ("very young and fresh", "en", "mn.en.young"),
        ("🍒🍒 new", "en", "em.cherry_youth"),
    ],
)
def test_indicators_in_each_domain_and_language(text: str, language: str, indicator_id: str) -> None:
    assert indicator_id in {match.indicator_id for match in find_indicators(text, language)}


def test_stated_age_under_18_is_a_minor_indicator() -> None:
    text = "Lina 16 ans, nouvelle"
    [match] = [m for m in find_indicators(text, "fr", find_ages(text)) if m.domain == "minors"]
    assert (match.indicator_id, match.matched) == ("mn.stated_age_under_18", "16 ans")


def test_scores_are_explained_by_their_matches() -> None:
    text = "New in town! Very young 17yo, no condom, call my manager 🌹"
    matches = find_indicators(text, "en", find_ages(text))
    scores = domain_scores(matches)
    assert set(scores) == set(DOMAINS)
    for match in matches:
        assert text[match.start : match.end] == match.matched
    assert scores["minors"] == pytest.approx(1 - (1 - 0.5) * (1 - 0.9))


def test_a_repeated_indicator_counts_once() -> None:
    scores = domain_scores(find_indicators("🌹🌹🌹🌹", "en"))
    assert scores["sexual_exploitation"] == pytest.approx(0.2)


def test_an_ordinary_text_scores_zero() -> None:
    assert max(domain_scores(find_indicators("The museum opens at ten; tickets at the desk.", "en")).values()) == 0.0
