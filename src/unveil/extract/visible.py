"""The text as a reader sees it: invisible characters left out, right-to-left overrides turned round.

Ads hide identifiers from filters with characters that show nothing: zero-width spaces and joiners
inside a number ("0470\u200b12\u200b34\u200b56"), bidirectional controls around it, or a
right-to-left override (U+202E) that makes "6543 21 0740" *display* as "0470 12 3456". Extraction
reads the *visible* text: every character of ``INVISIBLE`` is left out, and the run after a
right-to-left override (up to the next pop U+202C, isolate end U+2069, line break or the end of the
text) is read in the order it is displayed, reversed. Each character of the visible text keeps the
position it has in the original, so every span still indexes the original text (``original_span``).

A text without any of these characters is read as it is (one scan in C to check).
"""

from __future__ import annotations

import re

# Zero-width space, non-joiner, joiner, word joiner, invisible operators, byte-order mark, soft hyphen,
# the directional marks (LRM, RLM, ALM), embeddings, overrides and isolates.
INVISIBLE = (
    "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u200e\u200f\u061c"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
HIDDEN = re.compile(f"[{INVISIBLE}]")
RIGHT_TO_LEFT_OVERRIDE = "\u202e"
# What ends an override's run: its pop (PDF), the end of an isolate, the end of a paragraph.
OVERRIDE_END = frozenset("\u202c\u2069\n\r\u2029")
DROPPED = frozenset(INVISIBLE)


def visible_text(text: str) -> tuple[str, list[int] | None]:
    """The visible text and, for each of its characters, its position in ``text``.

    ``None`` for the positions when ``text`` holds nothing invisible (the visible text is ``text``).
    """
    if HIDDEN.search(text) is None:
        return text, None
    characters: list[str] = []
    positions: list[int] = []
    reversed_from: int | None = None  # where, in ``characters``, the current override's run starts
    for position, character in enumerate(text):
        if reversed_from is not None and character in OVERRIDE_END:
            _turn_round(characters, positions, reversed_from)
            reversed_from = None
        if character == RIGHT_TO_LEFT_OVERRIDE and reversed_from is None:
            reversed_from = len(characters)
        if character in DROPPED:
            continue
        characters.append(character)
        positions.append(position)
    if reversed_from is not None:
        _turn_round(characters, positions, reversed_from)
    return "".join(characters), positions


def _turn_round(characters: list[str], positions: list[int], start: int) -> None:
    characters[start:] = characters[start:][::-1]
    positions[start:] = positions[start:][::-1]


def original_span(positions: list[int], start: int, end: int) -> tuple[int, int]:
    """The span of the original text that the visible span ``[start, end)`` was read from.

    The smallest span holding every character read (a reversed run's characters stand in the
    opposite order there); invisible characters inside it are part of it.
    """
    if start >= end:
        at = positions[start] if start < len(positions) else (positions[-1] + 1 if positions else 0)
        return at, at
    read = positions[start:end]
    return min(read), max(read) + 1
