"""Precision and recall of identifier extraction on a labelled development set (JSON lines)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from unveil.identifiers import TYPES

Finder = Callable[[str, str | None, str | None], list[tuple[str, str]]]


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
    """Compare ``finder(text, country, site) -> [(type, value)]`` with the labels, per type (multisets).

    ``country``: the record's ``region``, else ``default_country`` (None: the post names no country).
    """
    scores = {kind: TypeScore() for kind in types}
    for record in records:
        found = Counter(finder(record["text"], record.get("region", default_country), record.get("site")))
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


def unveil_finder(text: str, region: str | None, site: str | None = None) -> list[tuple[str, str]]:
    """The extractor under test: every identifier as (type, canonical value)."""
    from unveil.extract.extractor import extract_post

    return [(item.type, item.value) for item in extract_post(text, region, site=site).identifiers]


def matcher_finder(text: str, region: str | None, site: str | None = None) -> list[tuple[str, str]]:
    """The baseline: ``phonenumbers.PhoneNumberMatcher`` alone (phones only)."""
    import phonenumbers

    return [
        ("phone", phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164))
        for match in phonenumbers.PhoneNumberMatcher(text, region or "ZZ")
    ]


WORLD_TEMPLATES = (
    "New in town, sweet and discreet. Call me {number} for info 💋",
    "Massage relax, open every day. {number}",
    "Contact: {number} (text only)",
    "Disponible ce soir 😘 {number}",
)


def world_records() -> list[dict[str, Any]]:
    """Labelled ad-like texts with ``phonenumbers``' example numbers of every region (mobile and fixed).

    Per region and number type: the international format and E.164 with no country given; the
    national format with the record's country given; the national format with only the site's
    country-code domain as evidence (``site``); and two obfuscations of the international format
    (dots and dashes between the groups; the letter O for zero). ``region`` is None when the record
    gives no country; ``style`` is the region, for per-region figures.
    """
    import phonenumbers
    from phonenumbers import PhoneNumberFormat, PhoneNumberType

    records: list[dict[str, Any]] = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind_name, kind in (("mobile", PhoneNumberType.MOBILE), ("fixed", PhoneNumberType.FIXED_LINE)):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is None or not phonenumbers.is_valid_number(number):
                continue
            e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
            international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
            national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
            tld = "uk" if region == "GB" else region.lower()
            written: list[tuple[str, str, str | None, str | None]] = [
                ("international", international, None, None),
                ("e164", e164, None, None),
                ("national+country", national, region, None),
                ("national+domain", national, None, f"https://www.example.{tld}/ads/1"),
                ("international-dots", international.replace(" ", ".").replace("-", " - "), None, None),
                ("international-O", international.replace("0", "O"), None, None),
            ]
            for number_no, (how, text, country, site) in enumerate(written):
                template = WORLD_TEMPLATES[(len(records) + number_no) % len(WORLD_TEMPLATES)]
                record: dict[str, Any] = {
                    "id": f"world-{region}-{kind_name}-{how}",
                    "style": region,
                    "how": how,
                    "text": template.format(number=text),
                    "region": country,
                    "phone": [e164],
                }
                if site:
                    record["site"] = site
                records.append(record)
    return records
