"""Precision and recall of identifier extraction on a labelled development set (JSON lines)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unveil.identifiers import TYPES

Finder = Callable[[str, str | None], list[tuple[str, str]]]


@dataclass
class TypeScore:
    """Counts of one identifier type."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of found values that were expected (1.0 when nothing was found)."""
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        """Share of expected values that were found (1.0 when nothing was expected)."""
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def read_devset(folder: Path) -> list[dict[str, Any]]:
    """Every labelled record of every ``*.jsonl`` file of ``folder``."""
    records: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.jsonl")):
        records.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return records


def evaluate(
    records: Iterable[dict[str, Any]],
    finder: Finder,
    types: tuple[str, ...] = TYPES,
    default_country: str | None = "BE",
) -> dict[str, TypeScore]:
    """Compare ``finder(text, country) -> [(type, value)]`` with the labels, per type (multisets).

    ``country``: the record's ``region``, else ``default_country`` (None: the post names no country).
    """
    scores = {kind: TypeScore() for kind in types}
    for record in records:
        found = Counter(finder(record["text"], record.get("region", default_country)))
        for kind in types:
            expected = Counter(record.get(kind, []))
            got = Counter({value: n for (t, value), n in found.items() if t == kind})
            hits = sum((expected & got).values())
            score = scores[kind]
            score.true_positives += hits
            score.false_positives += sum(got.values()) - hits
            score.false_negatives += sum(expected.values()) - hits
            if expected != got:
                score.errors.append(f"{record['id']}: expected {sorted(expected)} found {sorted(got)}")
    return scores


def evaluate_groups(
    records: Iterable[dict[str, Any]],
    finder: Finder,
    key: str,
    types: tuple[str, ...] = TYPES,
    default_country: str | None = "BE",
) -> dict[str, dict[str, TypeScore]]:
    """``evaluate`` per value of a record field (``style``, ``lang``...): precision and recall per group."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(str(record.get(key, "")), []).append(record)
    return {name: evaluate(group, finder, types, default_country) for name, group in sorted(groups.items())}


def unveil_finder(text: str, region: str | None) -> list[tuple[str, str]]:
    """The extractor under test: every identifier as (type, canonical value)."""
    from unveil.extract.extractor import extract_post

    return [(item.type, item.value) for item in extract_post(text, region).identifiers]


def matcher_finder(text: str, region: str | None) -> list[tuple[str, str]]:
    """The baseline: ``phonenumbers.PhoneNumberMatcher`` alone (phones only)."""
    import phonenumbers

    return [
        ("phone", phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164))
        for match in phonenumbers.PhoneNumberMatcher(text, region or "ZZ")
    ]
