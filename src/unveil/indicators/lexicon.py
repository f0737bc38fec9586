"""Indicator lexicons: YAML files ``lexicons/<domain>.<language>.yaml``, each entry citing its source.

Every entry has an ``id``, a regular-expression ``pattern`` (matched case-insensitively, on word
boundaries unless it starts with an emoji or symbol), a ``weight`` in (0, 1], a ``category`` and a
``source`` key of ``lexicons/sources.yaml``. An entry may name its own ``domain`` (emoji files).
"""

from __future__ import annotations

import re
import re._constants as _constants
import re._parser as _parser
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from unveil.errors import ConfigError
from unveil.indicators.schema import DOMAINS
from unveil.text import trie_pattern


@dataclass(frozen=True, slots=True)
class Indicator:
    """One lexicon entry."""

    id: str
    domain: str
    language: str
    pattern: str
    weight: float
    category: str
    source: str


@lru_cache(maxsize=1)
def sources() -> dict[str, str]:
    """Source key -> full reference of the publication."""
    text = (resources.files("unveil.indicators") / "lexicons" / "sources.yaml").read_text(encoding="utf-8")
    loaded: dict[str, str] = yaml.safe_load(text)
    return loaded


@lru_cache(maxsize=1)
def load_indicators() -> tuple[Indicator, ...]:
    """Every entry of every lexicon file, checked."""
    folder = resources.files("unveil.indicators") / "lexicons"
    indicators: list[Indicator] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.endswith(".yaml") and path.name != "sources.yaml":
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
            indicators.extend(_entries(path.name, document))
    return tuple(indicators)


def _entries(file_name: str, document: dict[str, object]) -> list[Indicator]:
    entries = document.get("entries")
    if not isinstance(entries, list):
        raise ConfigError(file_name, ["no entries"])
    found = []
    for entry in entries:
        indicator = Indicator(
            id=str(entry["id"]),
            domain=str(entry.get("domain", document["domain"])),
            language=str(document["language"]),
            pattern=str(entry["pattern"]),
            weight=float(entry["weight"]),
            category=str(entry["category"]),
            source=str(entry["source"]),
        )
        _check(file_name, indicator)
        found.append(indicator)
    return found


def _check(file_name: str, indicator: Indicator) -> None:
    problems = []
    if indicator.domain not in DOMAINS:
        problems.append(f"{indicator.id}: unknown domain {indicator.domain!r}")
    if indicator.source not in sources():
        problems.append(f"{indicator.id}: unknown source {indicator.source!r}")
    if not 0 < indicator.weight <= 1:
        problems.append(f"{indicator.id}: weight must be in (0, 1]")
    if re.compile(indicator.pattern).groups:
        problems.append(f"{indicator.id}: use non-capturing groups (?:...) only")
    if problems:
        raise ConfigError(file_name, problems)


def bounded(pattern: str) -> str:
    """The pattern with word boundaries where it starts or ends with a word character."""
    head = r"(?<!\w)" if re.match(r"[\w(\\]", pattern) else ""
    tail = r"(?!\w)" if re.search(r"[\w)?+*]$", pattern) else ""
    return f"{head}(?:{pattern}){tail}"


def first_chars(pattern: str) -> frozenset[str] | None:
    """The lower-case characters a match of ``pattern`` can start with, or None when unknown."""
    parsed = _parser.parse(pattern, re.IGNORECASE)
    return _first(list(parsed))


def _first(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, argument in items:
        if op is _constants.LITERAL:
            return frozenset(chars | {chr(argument).lower()})
        if op is _constants.IN:
            if any(kind is not _constants.LITERAL for kind, _ in argument):
                return None
            return frozenset(chars | {chr(code).lower() for _, code in argument})
        if op is _constants.BRANCH:
            return _union(chars, [_first(list(branch)) for branch in argument[1]])
        if op is _constants.SUBPATTERN:
            return _union(chars, [_first(list(argument[3]))])
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
            inner = _first(list(argument[2]))
            if inner is None:
                return None
            chars |= inner
            if argument[0] > 0:
                return frozenset(chars)
            continue
        return None
    return None


def _union(chars: set[str], parts: list[frozenset[str] | None]) -> frozenset[str] | None:
    if any(part is None for part in parts):
        return None
    return frozenset(chars.union(*(part for part in parts if part is not None)))


PREFIX_LENGTH = 3
# Word starts are picked out by longer literal beginnings (up to 8 characters) than the groups' keys: most
# words that share an entry's first 3 characters ("sec" of "second") do not share its first 8 ("security"),
# so far fewer starts reach Python, where each one costs a group lookup and a failed match.
SCAN_PREFIX_LENGTH = 8


def literal_prefixes(pattern: str, length: int = PREFIX_LENGTH) -> frozenset[str] | None:
    """The lower-case literal beginnings (up to ``length`` characters) of every match, or None if unknown."""
    found = _prefixes(list(_parser.parse(pattern, re.IGNORECASE)), length)
    if found is None or "" in found:
        return None
    return frozenset(found)


def _prefixes(items: list[tuple[Any, Any]], length: int) -> set[str] | None:
    results = {""}
    for index, (op, argument) in enumerate(items):
        if all(len(result) >= length for result in results):
            break
        if op is _constants.LITERAL:
            results = {_extend(result, chr(argument).lower(), length) for result in results}
            continue
        if op is _constants.IN and all(kind is _constants.LITERAL for kind, _ in argument):
            results = {_extend(r, chr(code).lower(), length) for r in results for _, code in argument}
            continue
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT) and argument[0] == 0 and argument[1] == 1:
            # An optional part ("(?:my )?driver"): the beginnings with it and without it.
            rest = items[index + 1 :]
            with_it, without = _prefixes(list(argument[2]) + rest, length), _prefixes(rest, length)
            if with_it is None or without is None:
                return None if results == {""} else results
            return {_extend(r, tail, length) for r in results for tail in with_it | without}
        branches = _sub_branches(op, argument)
        if branches is not None:
            tails: set[str] = set()
            for branch in branches:
                found = _prefixes(branch, length)
                if found is None:
                    return None if results == {""} else results
                tails |= found
            results = {_extend(r, tail, length) for r in results for tail in tails}
        break
    return results


def _sub_branches(op: Any, argument: Any) -> list[list[tuple[Any, Any]]] | None:
    if op is _constants.BRANCH:
        return [list(branch) for branch in argument[1]]
    if op is _constants.SUBPATTERN:
        return [list(argument[3])]
    return None


def _extend(prefix: str, tail: str, length: int) -> str:
    return (prefix + tail)[:length] if len(prefix) < length else prefix


@dataclass(frozen=True)
class CompiledLexicon:
    """Entries grouped by the literal beginning of their matches (up to 3 characters), each group one regex.

    Word entries are tried only at word starts, and only those whose beginning is the word's: most
    words try none, a few try a handful of alternatives, instead of every entry at every position.
    The scan for word starts checks longer beginnings (``SCAN_PREFIX_LENGTH``) than the groups' keys.
    """

    by_first: dict[str, tuple[re.Pattern[str], tuple[Indicator, ...]]]
    anywhere: tuple[re.Pattern[str], tuple[Indicator, ...]]
    prefix_lengths: tuple[int, ...] = (1,)
    anywhere_has_words: bool = False
    # Word starts (in lower-cased text) whose beginning is a key of ``by_first``: one scan in C.
    word_starts: re.Pattern[str] = re.compile(r"(?!)")
    # The characters an ``anywhere`` match can start with (None: unknown, scan every position).
    anywhere_first: re.Pattern[str] | None = None
    # A character at or above the lowest of those: a text without one has no ``anywhere`` match (one scan in C,
    # where ``max(text)`` walks the text in Python's objects).
    anywhere_reach: re.Pattern[str] | None = None


def _alternation(
    indicators: list[Indicator], flags: int = re.IGNORECASE
) -> tuple[re.Pattern[str], tuple[Indicator, ...]]:
    body = "|".join(f"({bounded(indicator.pattern)})" for indicator in indicators)
    return re.compile(body or r"(?!)", flags), tuple(indicators)


@lru_cache(maxsize=64)
def compiled_for(languages: frozenset[str]) -> CompiledLexicon:
    """The compiled entries of ``languages``."""
    groups: dict[str, list[Indicator]] = {}
    anywhere: list[Indicator] = []
    scanned: set[str] = set()
    for indicator in load_indicators():
        if indicator.language not in languages:
            continue
        starts = literal_prefixes(indicator.pattern) or first_chars(indicator.pattern)
        if starts is None or not all(prefix[0].isalnum() for prefix in starts):
            anywhere.append(indicator)
            continue
        for prefix in starts:
            groups.setdefault(prefix, []).append(indicator)
        scanned |= literal_prefixes(indicator.pattern, SCAN_PREFIX_LENGTH) or starts
    by_first = {prefix: _alternation(items) for prefix, items in groups.items()}
    lengths = tuple(sorted({len(prefix) for prefix in groups}, reverse=True))
    has_words = any(indicator.pattern.isascii() for indicator in anywhere)
    anywhere_group = _alternation(anywhere, flags=re.IGNORECASE if has_words else 0)
    word_starts = _word_start_scan(sorted(scanned)) if groups else re.compile(r"(?!)")
    chars = _first_chars_of(anywhere)
    scan = re.compile("[" + "".join(re.escape(char) for char in sorted(chars)) + "]") if chars else None
    reach = re.compile(f"[{re.escape(min(chars))}-\U0010ffff]") if chars else None
    return CompiledLexicon(by_first, anywhere_group, lengths, has_words, word_starts, scan, reach)


def _word_start_scan(keys: list[str]) -> re.Pattern[str]:
    """Where a word starts with one of ``keys`` (their first characters are letters or digits): a word
    boundary, then one of those first characters, then the keys' trie, both as look-aheads.

    The boundary test first rejects most positions (inside words) at once; measured faster than
    leading with each key's first character, which tries the branch at nearly every letter.
    """
    firsts = "".join(re.escape(char) for char in sorted({key[0] for key in keys}))
    return re.compile(rf"\b(?=[{firsts}])(?={trie_pattern(keys)})")


def _first_chars_of(indicators: list[Indicator]) -> frozenset[str] | None:
    """Every character an entry can start with (both cases), or None if unknown (or no entries)."""
    chars: set[str] = set()
    for indicator in indicators:
        first = first_chars(indicator.pattern)
        if first is None:
            return None
        chars |= first | {char.upper() for char in first}
    return frozenset(chars) or None
