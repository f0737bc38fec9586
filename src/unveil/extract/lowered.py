"""The lower-cased text of the post being extracted, computed once and shared by the extractors.

Prices, ages, places, language, number words, e-mails, handles and indicators each scan the
lower-cased text; ``lower_cased`` keeps the last text and its lower-cased form, so one post is
lower-cased once instead of once per extractor. The cache is one immutable pair, replaced whole
(safe under threads: a reader sees either the old pair or the new one), and it holds a reference
to its text, so the identity check cannot be fooled by a recycled object.
"""

from __future__ import annotations

_last: tuple[str, str] = ("", "")


def lower_cased(text: str) -> str:
    """``text.lower()``, computed once for consecutive calls on the same string object."""
    global _last
    cached = _last
    if cached[0] is text:
        return cached[1]
    lowered = text.lower()
    _last = (text, lowered)
    return lowered
