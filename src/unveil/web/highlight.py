"""Post text cut into segments, each knowing which flags cover it, for safe highlighting.

Templates render each segment's text with autoescaping, inside a ``<mark>`` when flags cover it:
the HTML is built from escaped pieces and never marked safe as a whole. For pseudonymised users,
identifier spans are first replaced by their pseudonyms and the other spans moved accordingly.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

KIND_ORDER = ("indicator", "identifier", "age", "price", "place")


@dataclass(frozen=True)
class Span:
    """A flagged stretch of text: what it is and why it was flagged."""

    start: int
    end: int
    kind: str
    label: str
    why: str
    ref: str = ""


@dataclass
class Segment:
    """A piece of text and the spans that cover all of it."""

    text: str
    spans: list[Span] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """The most important kind among the covering spans (the mark's colour)."""
        kinds = {span.kind for span in self.spans}
        return next((kind for kind in KIND_ORDER if kind in kinds), "")

    @property
    def title(self) -> str:
        """Every reason, one per line (shown on hover)."""
        return "\n".join(f"{span.label}: {span.why}" for span in self.spans)


def valid_spans(text: str, spans: Sequence[Span]) -> list[Span]:
    """Spans that lie inside the text, in order."""
    return sorted((s for s in spans if 0 <= s.start < s.end <= len(text)), key=lambda s: (s.start, -s.end))


def segments(text: str, spans: Sequence[Span]) -> list[Segment]:
    """Cut ``text`` at every span boundary; each piece lists the spans covering it."""
    kept = valid_spans(text, spans)
    cuts = sorted({0, len(text), *(s.start for s in kept), *(s.end for s in kept)})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        covering = [s for s in kept if s.start <= start and end <= s.end]
        pieces.append(Segment(text[start:end], covering))
    return [piece for piece in pieces if piece.text]


def mask_identifiers(text: str, spans: Sequence[Span], mask: Callable[[Span], str]) -> tuple[str, list[Span]]:
    """Replace identifier spans by ``mask(span)`` and move every other span to the new text.

    Overlapping identifier spans keep the first; a span that started or ended inside a replaced
    identifier is stretched to the replacement's edges.
    """
    identifiers: list[Span] = []
    for span in valid_spans(text, [s for s in spans if s.kind == "identifier"]):
        if not identifiers or span.start >= identifiers[-1].end:
            identifiers.append(span)
    pieces, shifts, cursor = [], [], 0
    for span in identifiers:
        pieces.append(text[cursor : span.start])
        replacement = mask(span)
        shifts.append((span.start, span.end, len(replacement)))
        pieces.append(replacement)
        cursor = span.end
    pieces.append(text[cursor:])

    def move(position: int, at_end: bool) -> int:
        delta = 0
        for start, end, length in shifts:
            if position >= end:
                delta += length - (end - start)
            elif position > start:
                return start + delta + (length if at_end else 0)
        return position + delta

    moved = [
        Span(move(s.start, False), move(s.end, True), s.kind, s.label, s.why, s.ref)
        for s in spans
        if s.kind != "identifier" or s in identifiers
    ]
    return "".join(pieces), moved
