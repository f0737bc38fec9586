"""Numbers of every region: ``phonenumbers``' example numbers inside ad-like texts (``evaluate.world_records``)."""

from __future__ import annotations

import pytest

from unveil.extract.evaluate import TypeScore, evaluate_groups, unveil_finder, world_records

pytestmark = pytest.mark.slow  # about 25 s: 2,900 texts


@pytest.fixture(scope="module")
def records() -> list[dict[str, object]]:
    return world_records()


@pytest.fixture(scope="module")
def by_writing(records: list[dict[str, object]]) -> dict[str, TypeScore]:
    return {
        how: scores["phone"] for how, scores in evaluate_groups(records, unveil_finder, "how", ("phone",), None).items()
    }


def test_every_region_is_covered(records: list[dict[str, object]]) -> None:
    assert len({record["style"] for record in records}) >= 240


def test_international_numbers_of_every_region_are_read_with_no_country(by_writing: dict[str, TypeScore]) -> None:
    for how in ("e164", "international", "international-dots"):
        score = by_writing[how]
        print(f"\n{how}: precision {score.precision:.3f} recall {score.recall:.3f}")
        assert score.precision == 1.0, score.errors
        assert score.recall >= 0.995, score.errors
    assert by_writing["international-O"].recall >= 0.97, by_writing["international-O"].errors


def test_national_numbers_are_read_in_the_region_the_post_gives(by_writing: dict[str, TypeScore]) -> None:
    """With the record's country, or only the site's country-code domain. Numbers shorter than 7 digits
    (small island plans) are not read: see docs/extraction.md."""
    for how, bar in (("national+country", 0.93), ("national+domain", 0.9)):
        score = by_writing[how]
        print(f"\n{how}: precision {score.precision:.3f} recall {score.recall:.3f}")
        assert score.precision >= 0.99, score.errors
        assert score.recall >= bar, score.errors


def test_whole_world_set(records: list[dict[str, object]], by_writing: dict[str, TypeScore]) -> None:
    score = TypeScore(
        sum(s.true_positives for s in by_writing.values()),
        sum(s.false_positives for s in by_writing.values()),
        sum(s.false_negatives for s in by_writing.values()),
    )
    print(f"\nworld: {len(records)} texts, precision {score.precision:.3f} recall {score.recall:.3f}")
    assert score.precision >= 0.99
    assert score.recall >= 0.97
