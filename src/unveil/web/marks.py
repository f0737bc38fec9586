"""Search hits marked in a result's snippet, as pieces the template escapes one by one.

The snippet is marked **as the user sees it**: for an analyst, after ``PrivacyView.text`` has put
pseudonyms in place of identifiers, so a mark only ever wraps text already on the page and can
never bring back what the pseudonym hides. The pieces are plain strings; the template writes each
with autoescaping, inside ``<mark>`` when it is a hit (hostile text stays text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from unveil.identifiers import canonical_phone
from unveil.text import DIGIT_RUN

WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Hits:
    """What to mark: word prefixes (folded like ``queries.search.query_words``), literal texts, phones (E.164)."""

    words: tuple[str, ...] = ()
    literals: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    region: str = "BE"

    def __bool__(self) -> bool:
        return bool(self.words or self.literals or self.phones)


def fold(word: str) -> str:
    """Lower case without accents (how search words are compared)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def spans(text: str, hits: Hits) -> list[tuple[int, int]]:
    """The stretches of ``text`` that are hits, merged and in order."""
    return list(_spans(text, hits))


@lru_cache(maxsize=1024)
def _ascii_words(words: tuple[str, ...]) -> re.Pattern[str]:
    """Words of an ASCII text starting with one of ``words``, any case (``fold`` of such a word is its lower case)."""
    prefixes = "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True) if word)
    return re.compile(rf"(?<![A-Za-z0-9])(?:{prefixes})[A-Za-z0-9]*", re.IGNORECASE | re.ASCII)


@lru_cache(maxsize=1024)
def _spans(text: str, hits: Hits) -> tuple[tuple[int, int], ...]:
    """``spans``, remembered: a result's snippet is looked at twice (is its hit late? then cut around it)."""
    found: list[tuple[int, int]] = []
    if hits.words and text.isascii() and all(hits.words):
        found += [match.span() for match in _ascii_words(hits.words).finditer(text)]
    elif hits.words:
        firsts = tuple({word[0] for word in hits.words if word})
        for match in WORD.finditer(text):
            word = match.group()
            # folding (Unicode decomposition) costs: only words whose first letter may match are folded
            if (not word.isascii() or word[0].lower().startswith(firsts)) and fold(word).startswith(hits.words):
                found.append(match.span())
    lowered = text.lower()
    for literal in hits.literals:
        needle = literal.lower()
        at = lowered.find(needle) if needle else -1
        while at >= 0:
            found.append((at, at + len(needle)))
            at = lowered.find(needle, at + len(needle))
    if hits.phones:
        numbers = [phone.lstrip("+") for phone in hits.phones]
        for match in DIGIT_RUN.finditer(text):
            digits = "".join(ch for ch in match.group() if ch.isdigit()).lstrip("0")
            # a written form's digits (trunk or international zeros aside) end the E.164 number: parse only those
            if not any(number.endswith(digits) for number in numbers):
                continue
            start = match.start() - (match.start() > 0 and text[match.start() - 1] == "+")
            if canonical_phone(text[start : match.end()], hits.region) in hits.phones:
                found.append((start, match.end()))
    return tuple(_merged(found))


def _merged(found: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order, overlapping ones merged."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def pieces(text: str | None, hits: Hits) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_hit) pairs; one unmarked piece when nothing matches."""
    if not text:
        return []
    if not hits:
        return [(text, False)]
    out: list[tuple[str, bool]] = []
    cursor = 0
    for start, end in spans(text, hits):
        if start > cursor:
            out.append((text[cursor:start], False))
        out.append((text[start:end], True))
        cursor = end
    if cursor < len(text):
        out.append((text[cursor:], False))
    return out


SNIPPET = 240
"""Characters of a post's text a result shows (``left(text, 240)``, the stored snippet, is as long)."""
SNAP = 20
"""How far a cut moves to fall between two words."""


def around(
    text: str | None, hits: Hits, width: int = SNIPPET, known: Sequence[tuple[int, int]] = ()
) -> list[tuple[str, bool]]:
    """About ``width`` characters of ``text`` around its first hit, as (piece, is_hit) pairs.

    ``known``: hit spans found otherwise (the searched identifier where the extractor read it, an
    obfuscated phone included), marked with those ``hits`` finds. The window puts the first hit a
    third of the way in (more text after it than before), cut between words where one is near, with
    "…" where text is left out. Without a hit: the start.
    """
    if not text:
        return []
    found = _merged([*(spans(text, hits) if hits else []), *((a, b) for a, b in known if 0 <= a < b <= len(text))])
    if len(text) <= width:
        left, right = 0, len(text)
    elif not found:
        left, right = 0, _cut(text, width, forward=False)
    else:
        start, end = found[0]
        left = max(0, min(start - max(width - (end - start), 0) // 3, len(text) - width))
        left = _cut(text, left, forward=True) if left else 0
        right = _cut(text, min(max(left + width, end), len(text)), forward=False)
    out: list[tuple[str, bool]] = [("…", False)] if left > 0 else []
    cursor = left
    for start, end in found:
        if end <= left or start >= right:
            continue
        start, end = max(start, left), min(end, right)
        if start > cursor:
            out.append((text[cursor:start], False))
        out.append((text[start:end], True))
        cursor = end
    if cursor < right:
        out.append((text[cursor:right], False))
    if right < len(text):
        out.append(("…", False))
    return out


def _cut(text: str, at: int, forward: bool) -> int:
    """``at`` moved (forward or back, at most ``SNAP`` characters) to a space, so no word is cut."""
    if at <= 0 or at >= len(text) or text[at - 1].isspace() or text[at].isspace():
        return at
    if forward:
        space = text.find(" ", at, at + SNAP)
        return space + 1 if space >= 0 else at
    space = text.rfind(" ", max(at - SNAP, 0), at)
    return space if space > 0 else at
