"""What the extractors return: spans that always index the original text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Found:
    """One identifier found in a text: its canonical value and the span of the original text."""

    type: str
    value: str
    start: int
    end: int
    rule: str
    service: str | None = None
    # Phones: which evidence chose the country of a number (``regions.SOURCES``), and whether another
    # country's plan reads the same digits as a different mobile number.
    region_source: str | None = None
    ambiguous: bool = False


def overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """True when ``[start, end)`` overlaps any of ``spans``."""
    return any(start < other_end and other_start < end for other_start, other_end in spans)
