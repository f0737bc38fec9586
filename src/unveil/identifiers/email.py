"""E-mail addresses, also written "name (at) domain (dot) com", "arobase", "apenstaartje"."""

from __future__ import annotations

import re

from unveil.identifiers.base import IdentifierType
from unveil.identifiers.found import Found, overlaps
from unveil.identifiers.regions import Regions
from unveil.text import lower_cased

_OPEN, _CLOSE = r"[\(\[\{<]", r"[\)\]\}>]"
_AT_WORDS = r"at|arobase|arroba|apenstaartje|chez|klammeraffe"
_DOT_WORDS = r"dot|point|punt|punkt|punto"
AT = rf"\s*@\s*|\s*{_OPEN}\s*(?:{_AT_WORDS}|@)\s*{_CLOSE}\s*|\s+(?:{_AT_WORDS})\s+"
DOT = rf"\.|\s*{_OPEN}\s*(?:{_DOT_WORDS}|\.)\s*{_CLOSE}\s*|\s+(?:{_DOT_WORDS})\s+"
EMAIL = re.compile(
    rf"(?i)(?<![\w.+\-])(?P<local>[a-z0-9][a-z0-9._%+\-]{{0,63}})(?P<at>{AT})"
    rf"(?P<domain>[a-z0-9][a-z0-9\-]{{0,62}}(?:(?:{DOT})[a-z0-9][a-z0-9\-]{{0,62}})*(?:{DOT})(?P<tld>[a-z]{{2,12}}))(?![\w\-])"
)
HINT = re.compile(rf"(?i)@|\b(?:{_AT_WORDS})\b")
# The word part of HINT for the lower-cased text, each branch led by a literal (a fast scan in C).
HINT_WORDS = re.compile("|".join(rf"{word[0]}(?<!\w.){word[1:]}\b" for word in _AT_WORDS.split("|")))
DOT_VARIANT = re.compile(rf"(?i){DOT}")
# Obfuscated forms ("x at y dot com") are accepted only for top-level domains people write.
COMMON_TLDS = frozenset(
    [
        "com",
        "net",
        "org",
        "eu",
        "be",
        "nl",
        "fr",
        "de",
        "lu",
        "uk",
        "ro",
        "bg",
        "es",
        "it",
        "pt",
        "pl",
        "ch",
        "at",
        "ru",
        "ua",
        "md",
        "al",
        "rs",
        "info",
        "biz",
        "me",
        "io",
        "co",
        "xyz",
        "online",
    ]
)
CANONICAL = re.compile(r"[a-z0-9][a-z0-9._%+\-]{0,63}@[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9][a-z0-9\-]*)*\.[a-z]{2,12}")


MAIL_PROVIDERS = frozenset(
    [
        "gmail",
        "googlemail",
        "hotmail",
        "outlook",
        "live",
        "msn",
        "yahoo",
        "ymail",
        "icloud",
        "me",
        "mail",
        "gmx",
        "web",
        "proton",
        "protonmail",
        "protomail",
        "telenet",
        "skynet",
        "scarlet",
        "orange",
        "free",
        "sfr",
        "laposte",
        "wanadoo",
        "yandex",
        "aol",
        "zoho",
    ]
)
WORD_AT = re.compile(r"(?i)\s+(?:at|chez)\s+")


def _plausible_obfuscated(match: re.Match[str]) -> bool:
    """An obfuscated address needs a known top-level domain; "x at y" needs more than two plain words."""
    domain = match.group("domain").lower()
    if match.group("tld").lower() not in COMMON_TLDS or domain.startswith("www"):
        return False
    if WORD_AT.fullmatch(match.group("at")) is None:
        return True
    first_label = re.split(r"\W", domain, maxsplit=1)[0]
    return first_label in MAIL_PROVIDERS or re.search(r"[\d._\-]", match.group("local")) is not None


class Email(IdentifierType):
    """E-mail addresses, lower-cased."""

    name = "email"

    def find(self, text: str, region: str | Regions, masks: list[tuple[int, int]]) -> list[Found]:
        lowered = lower_cased(text)
        if len(lowered) == len(text):
            if "@" not in text and HINT_WORDS.search(lowered) is None:
                return []
        elif HINT.search(text) is None:
            return []
        found: list[Found] = []
        position = 0
        while (match := EMAIL.search(text, position)) is not None:
            position = match.start() + 1
            plain = match.group("at") == "@" and "." in match.group("domain")
            if not plain and not _plausible_obfuscated(match):
                continue
            if overlaps(match.start(), match.end(), masks):
                continue
            position = match.end()
            domain = DOT_VARIANT.sub(".", match.group("domain"))
            value = self.normalise(f"{match.group('local')}@{domain}")
            found.append(Found("email", value, match.start(), match.end(), "email" if plain else "email-obfuscated"))
        return found

    def normalise(self, value: str) -> str:
        return "".join(value.split()).lower()

    def validate(self, value: str) -> bool:
        return CANONICAL.fullmatch(value) is not None
