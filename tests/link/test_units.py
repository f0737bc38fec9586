"""Normalisation, MinHash, templates, photo hashes and SQL portability."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
import sqlglot
from hypothesis import given
from hypothesis import strategies as st

from tests.link.conftest import photo
from unveil.link import authors, images, movement, neardup, stage, summary, templates
from unveil.link.minhash import signature_batch, signatures
from unveil.link.normalise import normalised_words
from unveil.link.templates import extract_template


def normalise_words(text: str) -> list[str]:
    """The words of one text, as the link stage normalises them (``normalised_words``)."""
    words, _ = normalised_words(pa.array([text], pa.string()))
    return [str(word) for word in words.to_pylist()]


def announces_arrival(text: str) -> bool:
    """Whether the link stage marks a post with this text as new in town (its signature's flag)."""
    batch = pa.RecordBatch.from_pydict({"post_id": ["p"], "title": [None], "text": [text]})
    return bool(signature_batch(batch).column("new_in_town")[0].as_py())


def test_normalisation_drops_identifiers_numbers_emoji_and_case() -> None:
    text = "NEW in Gent 😘 call 0470 12 34 56 or mail Lola.B@Example.com, @lola_vip https://x.example/a 150€"
    assert normalise_words(text) == ["new", "in", "gent", "call", "or", "mail"]


@given(st.text(max_size=200))
def test_normalised_words_are_lower_case_letters(text: str) -> None:
    for word in normalise_words(text):
        assert word == word.casefold() or not word.isascii()
        assert not any(ch.isdigit() for ch in word)


@pytest.mark.parametrize("text", ["New in Antwerp!", "nieuw in Gent", "Nouvelle à Liège", "just arrived"])
def test_arrivals_are_recognised_in_several_languages(text: str) -> None:
    assert announces_arrival(text)


def test_tonight_is_not_an_arrival() -> None:
    assert not announces_arrival("Available tonight in my new apartment")


def test_edited_copy_is_similar_and_other_text_is_not() -> None:
    base = "sweet young lady from abroad waits for you in a discreet private apartment near the station every day"
    edited = base.replace("sweet", "lovely").replace("every day", "all week long")
    other = "experienced plumber repairs boilers radiators and leaking pipes quickly at fair prices in the region"
    matrix, counts = signatures([base, edited, other, "1234 😘"])
    sims = (matrix[[0, 0]] == matrix[[1, 2]]).mean(axis=1)  # the candidates' similarity: agreeing values
    assert sims[0] >= neardup.SIMILARITY_THRESHOLD > sims[1]
    assert counts[3] == 0


def test_template_separates_fixed_text_from_typed_slots() -> None:
    texts = [
        "New in Brussels! Anna, 22 years, 150 euro per hour. Call 0470 12 34 56",
        "New in Ghent! Maria, 24 years, 200 euro per hour. Call 0470 99 34 56",
        "New in Antwerp! Elena, 21 years, 150 euro per hour. Call 0488 12 34 11",
    ]
    template = extract_template(texts, ["Brussels", "Ghent", "Antwerp"])
    assert template.text == "New in {city} {name} {age} years, {price} euro per hour. Call {phone}"
    assert template.slots[0].values == ("Antwerp", "Brussels", "Ghent")


def test_near_copy_of_photo_is_within_distance_and_other_photo_is_not() -> None:
    original, near, other = (images.perceptual_hash(photo(s, shift=d)) for s, d in ((1, 0), (1, 2), (2, 0)))
    distance = images.hamming(np.array([original, original]), np.array([near, other]))
    assert distance[0] <= images.MAX_DISTANCE < distance[1]
    assert set(images.hash_bands(original)) & set(images.hash_bands(near))


def test_broken_or_oversized_image_is_refused_with_a_reason() -> None:
    with pytest.raises(Exception, match="cannot identify"):
        images.perceptual_hash(b"not an image")


SQL = [
    neardup.CANDIDATES_SQL,
    neardup.NEAR_PAIRS_SQL,
    templates.SAMPLE_SQL,
    templates.IDENTIFIER_SPREAD_SQL,
    images.IMAGE_FILES_SQL,
    images.NEAR_CANDIDATES_SQL,
    stage.SHARED_IDENTIFIERS_SQL,
    stage.TEMPLATE_PAIRS_SQL,
    stage.template_pairs_sql(0.75),
    templates.COMMONNESS_SQL,
    authors.SHINGLE_WEIGHTS_SQL,
    authors.POST_SHINGLES_SQL,
    authors.POST_TOTALS_SQL,
    authors.PAIRS_SQL,
    authors.KNOWN_PAIRS_SQL,
    movement.MOVEMENTS_SQL,
    movement.post_facts_sql(True, True),
    summary.networks_sql(True),
]


@pytest.mark.parametrize("sql", SQL)
def test_every_link_sql_transpiles_to_spark(sql: str) -> None:
    spark = sqlglot.transpile(sql, read="duckdb", write="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)[0]
    assert "SELECT" in spark and "UNNEST" not in spark.upper()
