"""Text helpers shared by the identifier readers, the extractors and the indicator lexicons.

``lower_cased``: the lower-cased text of the post being read, computed once and shared. Prices,
ages, places, language, number words, e-mails, handles and indicators each scan the lower-cased
text; ``lower_cased`` keeps the last text and its lower-cased form, so one post is lower-cased
once instead of once per extractor. The cache is one immutable pair, replaced whole (safe under
threads: a reader sees either the old pair or the new one), and it holds a reference to its
text, so the identity check cannot be fooled by a recycled object.

``trie_pattern``: one regular expression for a list of words, shaped as a trie.

``INVISIBLE`` and ``DIGIT_RUN``: what an analyst never reads as written (the web's privacy layer
masks it, the ``publish`` stage leaves its words out of an analyst's search).
"""

from __future__ import annotations

import re

INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad"
"""Zero-width and bidirectional-control characters (a character class body)."""
DIGIT_RUN = re.compile(rf"\d(?:[\s./()\-+{INVISIBLE}]{{0,3}}\d){{5,}}")
"""Six or more digits, with up to three separators between two of them: shown to analysts as a pseudonym."""

MAX_ANALYSED_CHARS = 2_000_000
"""The longest post text the extraction analyses (in overlapping chunks): a longer one is quarantined
at ingestion with its size, never stored half analysed (docs/extraction.md)."""

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


def trie_pattern(words: list[str]) -> str:
    """A regular expression matching exactly ``words``, shaped as a trie (longest match first)."""
    return _node_pattern(_trie(words))


def _trie(words: list[str]) -> dict:  # type: ignore[type-arg]
    """The words as nested dicts, one level per character; ``""`` marks a word's end."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return trie


def _node_pattern(node: dict) -> str:  # type: ignore[type-arg]
    branches = [re.escape(char) + _node_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body
