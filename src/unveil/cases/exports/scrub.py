"""Keyed pseudonyms and the scrubbing of free text: every identifier in a text becomes its pseudonym.

``Pseudonymiser.pseudonym(kind, value)`` is ``kind-`` followed by the first 16 hex digits of
HMAC-SHA256 over ``kind:value`` keyed with the workspace's ``secret_key``.

``Scrubber`` replaces, in one pass over the original text (so a pseudonym is never read again):

1. the spans the caller already knows (a post's rows of ``extract.identifiers``);
2. every identifier the extractor finds in the text (a second pass, so obfuscated forms the
   first pass did not record, and identifiers in titles, summaries or references, are caught;
   a text longer than the extractor's 100,000 characters is read in overlapping windows);
3. every known raw value (a party's name, a phone as written on a transfer, an identifier's
   canonical or raw form) found as whole words, case-insensitively; digits glued to letters
   (``Phone06-19-03-99-49``, ``4471Text``) count as words of their own, so a number written
   against a word is still replaced.

Overlapping spans are merged and replaced by the pseudonyms of all of them, so no part of any
identifier is left behind.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

from unveil.extract.ages import find_ages
from unveil.extract.prices import find_prices
from unveil.identifiers import find_identifiers

Span = tuple[int, int, str]
# A run of digits or a run of letters: a phone glued to a word ("Phone0619...") is still a word of its own.
WORD = re.compile(r"\d+|[^\W\d]+")
# Hex digests and pseudonyms already in a text: the phone reader must not read their digits.
HEX = re.compile(r"(?i)\b(?:[a-z]+-)?[0-9a-f]{16,}\b")
MIN_KNOWN = 3
MAX_TEXT = 100_000
CACHED_TEXT = 200
OVERLAP = 1_000


class Pseudonymiser:
    """Keyed, consistent pseudonyms."""

    def __init__(self, key: str) -> None:
        self._key = key.encode()
        self._seen: dict[tuple[str, str], str] = {}

    def pseudonym(self, kind: str, value: str) -> str:
        """The pseudonym of one value of one kind."""
        alias = self._seen.get((kind, value))
        if alias is None:
            digest = hmac.new(self._key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
            alias = self._seen[(kind, value)] = f"{kind}-{digest[:16]}"
        return alias


class Scrubber:
    """Replaces identifiers and known values in free text by their pseudonyms."""

    def __init__(self, namer: Pseudonymiser, region: str) -> None:
        self.namer = namer
        self.region = region
        self._index: dict[str, list[tuple[int, str, str]]] = {}
        self._known: set[str] = set()
        self.aliases: dict[tuple[str, str], str] = {}
        self._cache: dict[str, str] = {}

    def know(self, raw: str, alias: str) -> None:
        """Replace ``raw`` (as whole words, any case) by ``alias`` wherever it is written."""
        if raw in self._known:
            return
        self._known.add(raw)
        raw = raw.strip()
        first = WORD.search(raw)
        if len(raw) < MIN_KNOWN or first is None:
            return
        entry = (first.start(), raw.lower(), alias)
        entries = self._index.setdefault(first.group().lower(), [])
        if entry not in entries:
            entries.append(entry)
            if len(entries) > 1:
                entries.sort(key=lambda item: -len(item[1]))
            self._cache.clear()

    def __call__(self, text: str) -> str:
        """The text with every identifier and known value replaced (short texts cached: references repeat)."""
        if len(text) > CACHED_TEXT:
            return self.scrub(text, [])
        if text not in self._cache:
            self._cache[text] = self.scrub(text, [])
        return self._cache[text]

    def scrub(self, text: str, spans: Iterable[Span]) -> str:
        """The text with ``spans``, found identifiers and known values replaced by pseudonyms."""
        known = [span for span in spans if 0 <= span[0] < span[1] <= len(text)]
        given = [(start, end) for start, end, _ in known]
        for offset in range(0, max(len(text), 1), MAX_TEXT - OVERLAP):  # long texts in overlapping windows
            known += self._found_spans(text[offset : offset + MAX_TEXT], offset, given)
        known += self._known_spans(text)
        return _replace(text, known)

    def _found_spans(self, window: str, offset: int, given: list[tuple[int, int]]) -> list[Span]:
        """What the extractor finds in one window of a text, as spans of the whole text."""
        masks = [
            (start - offset, end - offset) for start, end in given if end > offset and start < offset + len(window)
        ]
        masks += [m.span() for m in HEX.finditer(window)]
        masks += [(p.start, p.end) for p in find_prices(window)] + [(a.start, a.end) for a in find_ages(window)]
        found = find_identifiers(window, self.region, masks)
        return [(f.start + offset, f.end + offset, self.namer.pseudonym(f.type, f.value)) for f in found]

    def _known_spans(self, text: str) -> list[Span]:
        spans: list[Span] = []
        if not self._index:
            return spans
        lowered = text.lower() if len(text.lower()) == len(text) else None
        for match in WORD.finditer(text):
            for offset, value, alias in self._index.get(match.group().lower(), ()):
                start = match.start() - offset
                end = start + len(value)
                if start < 0 or end > len(text) or not _whole_words(text, start, end):
                    continue
                written = lowered[start:end] if lowered is not None else text[start:end].lower()
                if written == value:
                    spans.append((start, end, alias))
                    break
        return spans


def _whole_words(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` does not begin or end inside a word (a run of letters or of digits)."""
    before = start > 0 and _joined(text[start - 1], text[start])
    after = end < len(text) and _joined(text[end - 1], text[end])
    return not (before or after)


def _joined(left: str, right: str) -> bool:
    """True when two neighbouring characters belong to one word: both letters or both digits."""
    return left.isalnum() and right.isalnum() and left.isdigit() == right.isdigit()


def _replace(text: str, spans: list[Span]) -> str:
    """Replace spans; overlapping spans become one, written as the pseudonyms of all of them."""
    if not spans:
        return text
    spans.sort(key=lambda span: (span[0], -span[1]))
    merged: list[tuple[int, int, list[str]]] = []
    for start, end, alias in spans:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            aliases = last[2] if alias in last[2] else [*last[2], alias]
            merged[-1] = (last[0], max(last[1], end), aliases)
        else:
            merged.append((start, end, [alias]))
    parts: list[str] = []
    position = 0
    for start, end, aliases in merged:
        parts.append(text[position:start])
        parts.append(" ".join(aliases))
        position = end
    parts.append(text[position:])
    return "".join(parts)
