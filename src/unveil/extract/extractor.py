"""Everything extracted from one post: identifiers, places, prices, ages, language and indicators."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import TypeVar

from unveil.extract.ages import Age, find_ages
from unveil.extract.language import detect_language
from unveil.extract.places import PlaceMention, best_city, find_places
from unveil.extract.prices import Price, find_prices
from unveil.extract.regions import post_regions, region_currency, region_of_phone
from unveil.extract.visible import original_span, visible_text
from unveil.identifiers import find_identifiers
from unveil.identifiers.found import Found, overlaps
from unveil.identifiers.regions import DEFAULT_REGIONS
from unveil.indicators.scorer import Match, find_indicators
from unveil.text import MAX_ANALYSED_CHARS

# Texts are read in overlapping chunks of ``CHUNK`` characters (bounded work per call of each extractor);
# an identifier starting in the first or last ``OVERLAP // 2`` characters of a chunk is taken from the
# chunk where it stands whole. Only the first ``MAX_ANALYSED`` characters of a post are read.
CHUNK = 100_000
OVERLAP = 2_000
MAX_ANALYSED = MAX_ANALYSED_CHARS


@dataclass(frozen=True)
class PostExtraction:
    """What one post says, every span indexing the post's text."""

    language: str
    identifiers: list[Found]
    places: list[PlaceMention]
    prices: list[Price]
    ages: list[Age]
    indicators: list[Match]
    # The post is longer than ``MAX_ANALYSED`` characters: only its beginning was read.
    truncated: bool = False

    @property
    def city(self) -> str | None:
        """The place the post is most about."""
        return best_city(self.places)


def extract_post(
    text: str,
    country: str | None = None,
    *,
    site: str | None = None,
    workspace: tuple[str, ...] = DEFAULT_REGIONS,
) -> PostExtraction:
    """Run every extractor over ``text``, every span indexing ``text``.

    ``country``: the record's country (None when the record does not say); ``site``: the site's
    address or domain; ``workspace``: the workspace's regions. With the places, prices and
    language found here they rank the regions phone numbers are read in (``extract.regions``).
    The language is detected once here, and the indicators use it and the ages found here.

    The extractors read the visible text (``extract.visible``: zero-width and bidirectional
    control characters left out, a right-to-left override's run as displayed); a text longer than
    ``CHUNK`` characters is read in overlapping chunks, up to ``MAX_ANALYSED`` characters.
    """
    visible, positions = visible_text(text[:MAX_ANALYSED])
    if len(visible) <= CHUNK:
        found = _extract_text(visible, country, site, workspace)
    else:
        found = _extract_chunks(visible, country, site, workspace)
    if positions is not None:
        found = _moved(found, lambda start, end: original_span(positions, start, end))
    return replace(found, truncated=True) if len(text) > MAX_ANALYSED else found


def _extract_chunks(text: str, country: str | None, site: str | None, workspace: tuple[str, ...]) -> PostExtraction:
    """A long text in overlapping chunks: each item from the chunk where it stands whole, its span moved."""
    language = detect_language(text[:CHUNK])
    parts: list[PostExtraction] = []
    start = 0
    while True:
        end = min(start + CHUNK, len(text))
        part = _extract_text(text[start:end], country, site, workspace, language)
        low = OVERLAP // 2 if start > 0 else 0
        high = CHUNK - OVERLAP // 2 if end < len(text) else CHUNK + 1
        parts.append(_moved(_starting_in(part, low, high), partial(_shifted, start)))
        if end == len(text):
            break
        start = end - OVERLAP
    return PostExtraction(
        language,
        [item for part in parts for item in part.identifiers],
        [item for part in parts for item in part.places],
        [item for part in parts for item in part.prices],
        [item for part in parts for item in part.ages],
        [item for part in parts for item in part.indicators],
    )


def _shifted(offset: int, start: int, end: int) -> tuple[int, int]:
    return start + offset, end + offset


_Spanned = TypeVar("_Spanned", Found, PlaceMention, Price, Age, Match)


def _starting_in(found: PostExtraction, low: int, high: int) -> PostExtraction:
    def kept(items: list[_Spanned]) -> list[_Spanned]:
        return [item for item in items if low <= item.start < high]

    return PostExtraction(
        found.language,
        kept(found.identifiers),
        kept(found.places),
        kept(found.prices),
        kept(found.ages),
        kept(found.indicators),
    )


def _moved(found: PostExtraction, span: Callable[[int, int], tuple[int, int]]) -> PostExtraction:
    """Every item's span through ``span`` (to the original text, or from a chunk to the whole text)."""

    def moved(items: list[_Spanned]) -> list[_Spanned]:
        result = []
        for item in items:
            start, end = span(item.start, item.end)
            result.append(replace(item, start=start, end=end))
        return result

    return PostExtraction(
        found.language,
        moved(found.identifiers),
        moved(found.places),
        moved(found.prices),
        moved(found.ages),
        moved(found.indicators),
        found.truncated,
    )


def _extract_text(
    text: str, country: str | None, site: str | None, workspace: tuple[str, ...], language: str | None = None
) -> PostExtraction:
    """Every extractor over ``text`` (at most ``CHUNK`` characters); ``language``: already detected."""
    prices = find_prices(text)
    ages = find_ages(text)
    found_places = find_places(text)
    if language is None:
        language = detect_language(text)
    regions = post_regions(text, country, found_places, prices, language, site, workspace)
    # "0497 221 308 🌹🌹": an amount in roses is a phone's tail when the chain makes a valid phone.
    roses = [p for p in prices if p.currency == "ROSES"]
    masks = [(p.start, p.end) for p in prices if p.currency != "ROSES"] + [(a.start, a.end) for a in ages]
    identifiers = find_identifiers(text, regions, masks)
    if any(price.currency is None for price in prices):
        phones = [region_of_phone(item.value) for item in identifiers if item.type == "phone"]
        currency = region_currency(regions, [region for region in phones if region])
        prices = [replace(p, currency=currency) if p.currency is None else p for p in prices]
    if roses:
        spans = [(item.start, item.end) for item in identifiers if item.type == "phone"]
        prices = [p for p in prices if p.currency != "ROSES" or not overlaps(p.start, p.end, spans)]
    taken = [(item.start, item.end) for item in identifiers]
    places = [m for m in found_places if not overlaps(m.start, m.end, taken)] if taken else found_places
    indicators = find_indicators(text, language, ages)
    return PostExtraction(language, identifiers, places, prices, ages, indicators)
