"""The evidence of one post for the country of its phone numbers (``identifiers.regions``).

Collected from what the extraction already found in the post (places, prices, language), the
numbers written with ``+``/``00``, the site's domain and the workspace's regions; ranked in the
order ``identifiers.regions`` documents.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from unveil.extract.places import PlaceMention
from unveil.extract.prices import Price
from unveil.identifiers.regions import DEFAULT_REGIONS, Regions, build_regions

# "+44", "+1 (", "0044", "00 40": a country code after a "+" or "00" that is not inside a longer number.
# (Each branch led by its character, the look-behind after it: the engine skips to "+" and "0" in C.)
# A "00" that is a group of a number written in groups ("06 47 69 00 27") is no country code.
WRITTEN_CODE = re.compile(r"(?:\+|0(?<!\d0)(?<!\d[\s.\-]0)0)[\s(]{0,2}([1-9]\d{0,2})")
# Currencies of one country (or a few) name their region; the euro and the dollar only vote.
CURRENCY_REGIONS: dict[str, tuple[str, ...]] = {
    "GBP": ("GB",), "RON": ("RO",), "BGN": ("BG",), "PLN": ("PL",), "CHF": ("CH",), "MAD": ("MA",),
    "NGN": ("NG",), "INR": ("IN",), "AUD": ("AU",), "CAD": ("CA",), "ALL": ("AL",), "UAH": ("UA",),
    "USD": ("US",),
}  # fmt: skip
CURRENCY_VOTES: dict[str, tuple[str, ...]] = {
    "EUR": ("BE", "NL", "FR", "DE", "LU", "ES", "IT", "PT", "AT", "IE", "GR", "FI", "SK", "SI", "EE", "LV", "LT"),
    "USD": ("US", "CA", "AU", "NZ", "EC", "SV", "PA"),
}
# Languages spoken in few countries name them; the others vote for every country that speaks them.
LANGUAGE_REGIONS: dict[str, tuple[str, ...]] = {
    "ro": ("RO", "MD"), "bg": ("BG",), "pl": ("PL",), "sq": ("AL", "XK"), "hu": ("HU",), "tr": ("TR",),
    "it": ("IT",), "uk": ("UA",), "nl": ("NL", "BE"), "fr": ("FR",), "de": ("DE", "AT", "CH"),
}  # fmt: skip
LANGUAGE_VOTES: dict[str, tuple[str, ...]] = {
    "en": ("US", "GB", "CA", "AU", "IE", "NZ", "IN", "NG", "ZA", "GH", "KE", "PH"),
    "es": ("ES", "MX", "AR", "CO", "CL", "PE", "VE", "EC", "US"),
    "fr": ("FR", "BE", "CH", "LU", "CA", "MA", "SN", "CI", "CM"),
    "de": ("DE", "AT", "CH"),
    "pt": ("PT", "BR", "AO", "MZ"),
    "ru": ("RU", "UA", "BY", "KZ", "MD"),
    "ar": ("MA", "DZ", "TN", "EG", "SY", "IQ", "SA", "AE", "LB", "JO"),
}
COUNTRY_TLDS = {"uk": "GB"}
GENERIC_TLDS = frozenset({"com", "net", "org", "info", "biz", "xyz", "io", "co", "me", "tv", "eu", "online"})


@lru_cache(maxsize=256)
def _main_region(code: int) -> str | None:
    region = phonenumbers.region_code_for_country_code(code)
    return None if region in ("ZZ", "001") else region


def prefix_regions(text: str) -> list[str]:
    """Regions of the country codes written after ``+`` or ``00`` in the text."""
    if "+" not in text and "00" not in text:
        return []
    regions: list[str] = []
    for match in WRITTEN_CODE.finditer(text):
        digits = match.group(1)
        for size in (1, 2, 3):
            code = int(digits[:size]) if len(digits) >= size else 0
            if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                region = _main_region(code)
                if region:
                    regions.append(region)
                break
    return regions


def domain_region(site: str | None) -> str | None:
    """The region of a site's country-code top-level domain (``.be``, ``.co.uk``), or None."""
    if not site:
        return None
    host = re.sub(r"^[a-z]+://", "", site.strip().lower()).split("/")[0].split(":")[0].rstrip(".")
    tld = host.rpartition(".")[2]
    if not tld or tld in GENERIC_TLDS or len(tld) != 2:
        return None
    return COUNTRY_TLDS.get(tld, tld.upper())


def post_regions(
    text: str,
    country: str | None,
    places: list[PlaceMention],
    prices: list[Price],
    language: str,
    site: str | None = None,
    workspace: tuple[str, ...] = DEFAULT_REGIONS,
) -> Regions:
    """The ranked regions one post's national phone numbers are read in."""
    clues: list[tuple[str, str]] = [(region, "prefix") for region in prefix_regions(text)]
    clues += [(m.place.country, "place") for m in places if m.place.kind != "nationality" and m.place.country]
    site_region = domain_region(site)
    if site_region:
        clues.append((site_region, "domain"))
    votes: list[str] = []
    for price in prices:
        if price.currency is not None:
            clues += [(region, "currency") for region in CURRENCY_REGIONS.get(price.currency, ())]
            votes += CURRENCY_VOTES.get(price.currency, ())
    clues += [(region, "language") for region in LANGUAGE_REGIONS.get(language, ())]
    votes += LANGUAGE_VOTES.get(language, ())
    return build_regions(country, clues, workspace, tuple(votes))


EURO_AREA = frozenset(
    "BE NL FR DE LU ES IT PT AT IE GR FI SK SI EE LV LT MT CY HR MC SM VA AD ME XK".split()  # noqa: SIM905
)
REGION_CURRENCY = {
    "US": "USD", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "GB": "GBP", "IN": "INR", "NG": "NGN", "RO": "RON",
    "BG": "BGN", "PL": "PLN", "CH": "CHF", "MA": "MAD", "AL": "ALL", "UA": "UAH", "MD": "MDL", "RS": "RSD",
    "HU": "HUF", "CZ": "CZK", "TR": "TRY", "ZA": "ZAR", "GH": "GHS", "KE": "KES", "PH": "PHP", "TH": "THB",
}  # fmt: skip


def region_currency(regions: Regions, phone_regions: list[str]) -> str | None:
    """The currency of the post's region, for prices written without one: its country, then the evidence
    named in the post, then the country of its first phone number, then the workspace's regions."""
    named = [region for region, source in regions.evidence if source != "workspace"]
    workspace = [region for region, source in regions.evidence if source == "workspace"]
    for region in (region for region in [regions.country, *named, *phone_regions, *workspace] if region):
        if region in EURO_AREA:
            return "EUR"
        if region in REGION_CURRENCY:
            return REGION_CURRENCY[region]
    return None


def region_of_phone(value: str) -> str | None:
    """The main region of an E.164 number's country code."""
    for size in (1, 2, 3):
        code = int(value[1 : 1 + size]) if value[1 : 1 + size].isdigit() else 0
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return _main_region(code)
    return None
