"""Everything extracted from one post: identifiers, places, prices, ages, language and indicators."""

from __future__ import annotations

from dataclasses import dataclass, replace

from unveil.extract.ages import Age, find_ages
from unveil.extract.language import detect_language
from unveil.extract.places import PlaceMention, best_city, find_places
from unveil.extract.prices import Price, find_prices
from unveil.extract.regions import post_regions, region_currency, region_of_phone
from unveil.identifiers import find_identifiers
from unveil.identifiers.found import Found, overlaps
from unveil.identifiers.regions import DEFAULT_REGIONS
from unveil.indicators.scorer import Match, find_indicators

MAX_TEXT = 100_000


@dataclass(frozen=True)
class PostExtraction:
    """What one post says, every span indexing the post's text."""

    language: str
    identifiers: list[Found]
    places: list[PlaceMention]
    prices: list[Price]
    ages: list[Age]
    indicators: list[Match]

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
    """Run every extractor over ``text`` (only its first 100,000 characters: bounded work).

    ``country``: the record's country (None when the record does not say); ``site``: the site's
    address or domain; ``workspace``: the workspace's regions. With the places, prices and
    language found here they rank the regions phone numbers are read in (``extract.regions``).
    The language is detected once here, and the indicators use it and the ages found here.
    """
    text = text[:MAX_TEXT]
    prices = find_prices(text)
    ages = find_ages(text)
    found_places = find_places(text)
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
