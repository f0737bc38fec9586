"""What a user sees of identifiers: the values, or consistent pseudonyms for analysts.

This is the one layer every analyst-visible text goes through (pages, JSON, graph, dashboard,
search results). For a pseudonymised user, ``PrivacyView.text`` replaces, in this order:

1. every identifier span **as extracted** (``start``/``end`` of ``extract.identifiers``, offsets in
   the post's text): a piece of text that starts at ``offset`` of the post's text (a snippet is
   ``offset=0``) has each span that overlaps it replaced by the pseudonym, also when the piece
   cuts the span (a snippet ending inside a phone shows the pseudonym, not the first digits);
2. the written forms of known identifiers (canonical value and raw form), for texts without
   offsets (titles, summaries, link reasons);
3. identifiers the extraction registry finds in what is left (texts without offsets only);
4. any run of six or more digits left (separators, zero-width and bidirectional characters
   between them allowed): ``number#xxxxxxxxxx``. Nothing with six digits of a number reaches an
   analyst, whether the extraction saw it or not.

Pseudonyms are never masked again (they are inserted after the text around them is scanned).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from unveil.auth.pseudonyms import Pseudonymiser
from unveil.text import DIGIT_RUN

PSEUDONYM = re.compile(r"\b([a-z_]+)#([0-9a-f]{10})\b")
"""A pseudonym as shown to analysts: ``kind#xxxxxxxxxx``."""

Replacement = tuple[int, int, str]
"""(start, end, pseudonym) in the coordinates of the text being masked."""


def digits_of(text: str) -> str:
    """The digits of a text, in order."""
    return "".join(ch for ch in text if ch.isdigit())


def _registry() -> Callable[[str, str], list[Any]]:
    from unveil.identifiers import find_identifiers

    return find_identifiers


def _merge(replacements: Iterable[Replacement]) -> list[Replacement]:
    """Replacements in order, an overlapping one merged into the one before it (which keeps its pseudonym)."""
    merged: list[Replacement] = []
    for start, end, shown in sorted(replacements, key=lambda r: (r[0], -r[1])):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, shown))
    return merged


def _gaps(length: int, taken: Sequence[Replacement]) -> list[tuple[int, int]]:
    gaps, cursor = [], 0
    for start, end, _ in taken:
        if start > cursor:
            gaps.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < length:
        gaps.append((cursor, length))
    return gaps


def apply(text: str, replacements: Sequence[Replacement]) -> str:
    """``text`` with each (merged, ordered) replacement's stretch replaced by its pseudonym."""
    pieces, cursor = [], 0
    for start, end, shown in replacements:
        pieces.append(text[cursor:start])
        pieces.append(shown)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


class PrivacyView:
    """Shows identifiers in clear, or masked when a pseudonymiser is given."""

    def __init__(self, pseudonymiser: Pseudonymiser | None, region: str = "BE") -> None:
        self.pseudonymiser = pseudonymiser
        self.region = region

    @property
    def masked(self) -> bool:
        """True when this user sees pseudonyms."""
        return self.pseudonymiser is not None

    def identifier(self, kind: str, value: str) -> str:
        """An identifier as this user may see it."""
        return self.pseudonymiser.mask(kind, value) if self.pseudonymiser else value

    def person(self, value: str | None) -> str | None:
        """An author name, handle or URL: masked as a whole for analysts."""
        if value is None or self.pseudonymiser is None:
            return value
        return self.pseudonymiser.mask("author", value)

    def replacements(
        self,
        text: str,
        identifiers: Iterable[Mapping[str, Any]] = (),
        offset: int | None = None,
        detect: bool | None = None,
    ) -> list[Replacement]:
        """What to replace in ``text`` for this user (nothing when in clear), merged and ordered.

        ``identifiers`` are rows with ``type``, ``value`` and, when ``offset`` is given (``text``
        starts at that offset of the post's text), ``start``/``end``; their ``raw`` forms too.
        ``detect`` runs the extraction registry over the rest (default: when no offset is given).
        """
        pseudonymiser = self.pseudonymiser
        if pseudonymiser is None or not text:
            return []
        rows = list(identifiers)
        found: list[Replacement] = []
        if offset is not None:
            for row in rows:
                start, end = row.get("start"), row.get("end")
                if start is None or end is None:
                    continue
                start, end = max(int(start) - offset, 0), min(int(end) - offset, len(text))
                if start < end:
                    found.append((start, end, pseudonymiser.mask(row["type"], row["value"])))
        taken = _merge(found)
        forms = sorted(
            {(str(r["type"]), str(r["value"]), str(f)) for r in rows for f in (r.get("value"), r.get("raw")) if f},
            key=lambda t: -len(t[2]),
        )
        for kind, value, written in forms:
            for gap_start, gap_end in _gaps(len(text), taken):
                at = text.find(written, gap_start, gap_end)
                while at >= 0:
                    found.append((at, at + len(written), pseudonymiser.mask(kind, value)))
                    at = text.find(written, at + len(written), gap_end)
            taken = _merge(found)
        finder = _registry() if (detect if detect is not None else offset is None) else None
        if finder is not None:
            for gap_start, gap_end in _gaps(len(text), taken):
                for item in finder(text[gap_start:gap_end], self.region):
                    found.append(
                        (gap_start + item.start, gap_start + item.end, pseudonymiser.mask(item.type, item.value))
                    )
            taken = _merge(found)
        for gap_start, gap_end in _gaps(len(text), taken):
            for match in DIGIT_RUN.finditer(text, gap_start, gap_end):
                found.append((match.start(), match.end(), pseudonymiser.mask("number", digits_of(match.group()))))
        return _merge(found)

    def text(
        self,
        text: str | None,
        identifiers: Iterable[Mapping[str, Any]] = (),
        offset: int | None = None,
        detect: bool | None = None,
    ) -> str:
        """A text (a post's text or title, a snippet, a summary, a reason) as this user may see it."""
        if text is None:
            return ""
        if self.pseudonymiser is None:
            return text
        return apply(text, self.replacements(text, identifiers, offset, detect))

    def maybe(
        self, text: str | None, identifiers: Iterable[Mapping[str, Any]] = (), offset: int | None = None
    ) -> str | None:
        """``text`` (None stays None)."""
        return None if text is None else self.text(text, identifiers, offset)
