"""Web addresses, normalised to their domain (lower-case, without ``www.``)."""

from __future__ import annotations

import re

from unveil.identifiers.base import IdentifierType
from unveil.identifiers.found import Found, overlaps
from unveil.identifiers.regions import Regions

# Bare domains (no scheme) are accepted only with top-level domains seen in the field.
BARE_TLDS = "com|net|org|eu|be|nl|fr|de|lu|uk|ro|bg|es|it|pt|pl|ch|at|ru|ua|info|biz|xxx|sex|escort|io|me|co|tv|xyz"
URL = re.compile(
    r"(?i)(?<![\w@.\-])(?:(?P<scheme>https?://)(?P<host>[a-z0-9\-]+(?:\.[a-z0-9\-]+)+)"
    rf"|(?P<www>www\.)?(?P<bare>[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:{BARE_TLDS})))(?![\w\-@]|\.\w)"
    r"(?P<path>(?::\d{1,5})?(?:/[^\s<>\"'()\[\]{}]*)?)"
)
# A letter or digit, a dot, two letters: led by the dot (the engine skips to dots in C), the look-behind after it.
HINT = re.compile(r"\.(?<=[A-Za-z0-9]\.)[A-Za-z]{2}")
DOMAIN = re.compile(r"[a-z0-9\-]+(?:\.[a-z0-9\-]+)+")
# Links that are read as phones or handles, not as web addresses.
SOCIAL = re.compile(
    r"(?:^|\.)(?:wa\.me|whatsapp\.com|t\.me|telegram\.me|instagram\.com|snapchat\.com|onlyfans\.com|twitter\.com|"
    r"x\.com|tiktok\.com|facebook\.com|fb\.com|vk\.com)$"
)


class Url(IdentifierType):
    """Web addresses; the canonical value is the domain."""

    name = "url"

    def find(self, text: str, region: str | Regions, masks: list[tuple[int, int]]) -> list[Found]:
        if HINT.search(text) is None:
            return []
        found: list[Found] = []
        for match in URL.finditer(text):
            host = match.group("host") or match.group("bare")
            domain = self.normalise(host)
            if SOCIAL.search(domain) or not self.validate(domain) or overlaps(*match.span(), masks):
                continue
            end = match.end()
            while end > match.start() and text[end - 1] in ".,;:!?":
                end -= 1
            found.append(Found("url", domain, match.start(), end, "url" if match.group("scheme") else "domain"))
        return found

    def normalise(self, value: str) -> str:
        host = value.strip().lower()
        host = re.sub(r"^[a-z]+://", "", host).split("/")[0].split(":")[0]
        # every leading "www." and space, then every trailing dot and space: so that normalising twice changes nothing
        return re.sub(r"[\s.]+$", "", re.sub(r"^(?:www\.|\s)+", "", host))

    def validate(self, value: str) -> bool:
        return DOMAIN.fullmatch(value) is not None and not value.replace(".", "").isdigit()
