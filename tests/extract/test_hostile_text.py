"""Invisible characters, right-to-left overrides and very long texts (issues 20 and 24)."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from unveil.extract import extractor
from unveil.extract.extractor import extract_post
from unveil.extract.jsonl import extract_line
from unveil.extract.stage import extract_batch
from unveil.extract.visible import original_span, visible_text


def _phones(text: str, country: str | None = "BE") -> list[tuple[str, str]]:
    return [
        (item.value, text[item.start : item.end])
        for item in extract_post(text, country).identifiers
        if item.type == "phone"
    ]


@pytest.mark.parametrize(
    "hidden",
    [
        "\u200b",
        "\u200c",
        "\u200d",
        "\u2060",
        "\ufeff",
        "\u00ad",
        "\u200e",
        "\u200f",
        "\u202a",
        "\u202c",
        "\u2066",
        "\u2069",
    ],
)
def test_invisible_characters_inside_a_number_do_not_hide_it(hidden: str) -> None:
    text = f"Bel me 04{hidden}70{hidden} 12{hidden} 34 5{hidden}6 in Gent"
    assert _phones(text) == [("+32470123456", f"04{hidden}70{hidden} 12{hidden} 34 5{hidden}6")]


def test_spans_index_the_original_text_around_invisible_characters() -> None:
    text = "\u2067Nieuw\u2069 in Gent\u200b, 22\u200b jaar, 150\u200b€ per uur, mail: ana\u200b.pop@\u200bgmail.com"
    found = extract_post(text, "BE")
    assert [text[m.start : m.end] for m in found.places] == ["Gent"]
    assert [(a.age, text[a.start : a.end]) for a in found.ages] == [(22, "22\u200b jaar")]
    assert [(p.amount, text[p.start : p.end]) for p in found.prices] == [(150.0, "150\u200b€ per uur")]
    emails = [(i.value, text[i.start : i.end]) for i in found.identifiers if i.type == "email"]
    assert emails == [("ana.pop@gmail.com", "ana\u200b.pop@\u200bgmail.com")]


def test_a_right_to_left_override_is_read_as_displayed() -> None:
    # Shown to a reader as "Call 0470 12 3456 now": the digits are stored backwards after U+202E.
    text = "Call \u202e6543 21 0740\u202c now"
    assert _phones(text) == [("+32470123456", "6543 21 0740")]
    # The override runs to the end of the line when nothing pops it.
    assert _phones("\u202e6543 21 0740\nGent", "BE") == [("+32470123456", "6543 21 0740")]
    mail = "\u202emoc.liamg@ana"
    assert [(i.value, mail[i.start : i.end]) for i in extract_post(mail).identifiers] == [
        ("ana@gmail.com", "moc.liamg@ana")
    ]


def test_visible_text_positions() -> None:
    visible, positions = visible_text("a\u200bb\u202ecd\u202ce")
    assert visible == "abdce"
    assert positions == [0, 2, 5, 4, 7]
    assert original_span(positions, 2, 4) == (4, 6)
    assert visible_text("plain text") == ("plain text", None)


def test_a_long_text_is_read_to_its_end_in_chunks() -> None:
    padding = "Filler text without any numbers in it. " * 4_000  # 156,000 characters
    text = padding + "Bel 0470 12 34 56 in Gent, 150€/u, 22 jaar"
    found = extract_post(text, "BE")
    assert [(i.value, text[i.start : i.end]) for i in found.identifiers] == [("+32470123456", "0470 12 34 56")]
    assert [text[m.start : m.end] for m in found.places] == ["Gent"]
    assert [text[a.start : a.end] for a in found.ages] == ["22 jaar"]
    assert not found.truncated


def test_items_on_a_chunk_boundary_are_found_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extractor, "CHUNK", 400)
    monkeypatch.setattr(extractor, "OVERLAP", 60)
    numbers = [f"0470 12 34 {n:02d}" for n in range(40)]
    text = " ~ ".join(f"Gent {number}" for number in numbers)  # 40 numbers over 8 chunks
    found = extract_post(text, "BE")
    assert [text[i.start : i.end] for i in found.identifiers] == numbers
    assert len(found.places) == 40
    assert all(text[m.start : m.end] == "Gent" for m in found.places)


def test_work_is_bounded_and_a_cut_text_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extractor, "CHUNK", 400)
    monkeypatch.setattr(extractor, "OVERLAP", 60)
    monkeypatch.setattr(extractor, "MAX_ANALYSED", 1_000)
    text = "x " * 400 + "Bel 0470 12 34 56 " + "y " * 1_000 + "Bel 0470 65 43 21"
    found = extract_post(text, "BE")
    assert found.truncated
    assert [i.value for i in found.identifiers] == ["+32470123456"]
    line = json.dumps({"id": 1, "text": text, "country": "BE"})
    assert extract_line(line, "BE")["truncated"] is True
    assert "truncated" not in extract_line(json.dumps({"id": 2, "text": "short"}), "BE")


def test_the_stage_keeps_spans_of_long_and_hidden_texts() -> None:
    long_text = "Filler without numbers. " * 6_000 + "Bel 0470 12 34 56"
    hidden = "Call \u202e6543 21 0740\u202c now"
    batch = pa.RecordBatch.from_pydict({"post_id": ["a", "b"], "text": [long_text, hidden], "region": ["BE", "BE"]})
    rows = [row for row in extract_batch(batch, default_region="BE").to_pylist() if row["kind"] == "identifier"]
    assert [(row["post_id"], row["value"], row["raw"]) for row in rows] == [
        ("a", "+32470123456", "0470 12 34 56"),
        ("b", "+32470123456", "6543 21 0740"),
    ]
    assert rows[0]["start"] == long_text.index("0470")
