"""Messaging and social handles, from links (t.me/name) and mentions ("snap: name")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from unveil.identifiers.base import IdentifierType
from unveil.identifiers.found import Found, overlaps
from unveil.identifiers.regions import Regions
from unveil.text import lower_cased

# Link forms: domain pattern -> service.
LINKS: dict[str, str] = {
    r"t\.me|telegram\.me|telegram\.dog": "telegram",
    r"instagram\.com|instagr\.am": "instagram",
    r"snapchat\.com/add": "snapchat",
    r"onlyfans\.com": "onlyfans",
    r"twitter\.com|x\.com": "x",
    r"tiktok\.com": "tiktok",
    r"facebook\.com|fb\.com": "facebook",
    r"vk\.com": "vk",
}
# Mention forms: words people write before a handle -> service.
MENTIONS: dict[str, str] = {
    "telegram": "telegram", "telegramm": "telegram", "tg": "telegram", "tlg": "telegram",
    "snapchat": "snapchat", "snap": "snapchat", "sc": "snapchat",
    "instagram": "instagram", "insta": "instagram", "ig": "instagram",
    "onlyfans": "onlyfans", "of": "onlyfans",
    "twitter": "x", "x": "x",
    "tiktok": "tiktok", "tik tok": "tiktok",
    "signal": "signal", "viber": "viber", "whatsapp": "whatsapp", "wa": "whatsapp",
    "kik": "kik", "wickr": "wickr", "threema": "threema", "skype": "skype",
}  # fmt: skip
NAME = r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]{1,30}[A-Za-z0-9_])"
LINK = re.compile(
    r"(?i)(?:https?://)?(?:www\.)?(?P<site>"
    + "|".join(f"(?:{pattern})" for pattern in LINKS)
    + rf")/(?!joinchat|share|p/|reel|watch|home|login)@?(?P<name>{NAME})"
)
_MENTION_WORDS = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s?") for w in MENTIONS), key=len, reverse=True))
MENTION = re.compile(
    rf"(?i)(?<![\w@])(?P<service>{_MENTION_WORDS})\s*(?:[:=]\s*@?|@|\s*[-–>➡]+\s*@)\s*(?P<name>{NAME})(?![\w@/])"
)
# The same mention pattern without its leading look-behind and without IGNORECASE, for the
# lower-cased text: it starts with literal characters, so the engine skips from candidate to candidate
# in C; the look-behind is checked in Python (``_mentions``).
MENTION_LOWER = re.compile(MENTION.pattern.removeprefix("(?i)(?<![\\w@])"))
BEFORE_MENTION = re.compile(r"[\w@]")
# A link needs one of the sites' names: searched first, in the lower-cased text.
LINK_HINT = re.compile(
    r"t\.me|telegram\.|instagr|snapchat\.com|onlyfans\.com|twitter\.com|x\.com|tiktok\.com|f(?:acebook|b)\.com|vk\.com"
)
# Words that follow "snap:" and the like but are not names.
NOT_NAMES = frozenset(["only", "me", "available", "dispo", "ok", "yes", "no", "same", "idem", "please", "pls"])


def _service_of_site(site: str) -> str:
    for pattern, service in LINKS.items():
        if re.fullmatch(pattern, site, re.IGNORECASE):
            return service
    return "unknown"


def _mentions(lowered: str) -> Iterator[re.Match[str]]:
    """``MENTION.finditer`` on a lower-cased text: the same matches, found faster."""
    position = 0
    while (match := MENTION_LOWER.search(lowered, position)) is not None:
        start = match.start()
        if start > 0 and BEFORE_MENTION.match(lowered, start - 1):
            position = start + 1
            continue
        yield match
        position = max(match.end(), start + 1)


class Handle(IdentifierType):
    """Handles as ``service:name`` (name lower-cased, without ``@``)."""

    name = "handle"

    def find(self, text: str, region: str | Regions, masks: list[tuple[int, int]]) -> list[Found]:
        found: list[Found] = []
        if "/" not in text and ":" not in text and "@" not in text and "=" not in text:
            return found
        lowered = lower_cased(text)
        same_length = len(lowered) == len(text)
        has_link = "/" in text and (not same_length or LINK_HINT.search(lowered) is not None)
        for match in LINK.finditer(text) if has_link else ():
            service = _service_of_site(match.group("site"))
            found.append(self._found(service, match.group("name"), match.start(), match.end(), "handle-link"))
        for match in _mentions(lowered) if same_length else MENTION.finditer(text):
            name = match.group("name")
            if name.lower() in NOT_NAMES or not any(ch.isalpha() for ch in name) or overlaps(*match.span(), masks):
                continue
            if overlaps(match.start(), match.end(), [(f.start, f.end) for f in found]):
                continue
            service = MENTIONS[re.sub(r"\s+", " ", match.group("service").lower())]
            name = text[match.start("name") : match.end("name")]
            found.append(self._found(service, name, match.start("name"), match.end("name"), "handle-mention"))
        return found

    def _found(self, service: str, name: str, start: int, end: int, rule: str) -> Found:
        return Found("handle", self.normalise(f"{service}:{name}"), start, end, rule, service)

    def normalise(self, value: str) -> str:
        service, _, name = value.partition(":")
        return f"{service.strip().lower()}:{name.strip().lstrip('@').lower()}"

    def validate(self, value: str) -> bool:
        service, _, name = value.partition(":")
        return bool(service) and re.fullmatch(NAME, name, re.IGNORECASE) is not None
