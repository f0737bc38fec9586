"""The de-obfuscation layer: what it reads as digits, and what it must never read as a phone."""

from __future__ import annotations

import pytest

from unveil.identifiers import find_identifiers
from unveil.identifiers.deobfuscate import chains, digit_tokens, masks_near_tokens


def phones(text: str, region: str = "BE") -> list[str]:
    return [item.value for item in find_identifiers(text, region) if item.type == "phone"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nul vier zeven nul een twee drie vier vijf zes", "+32470123456"),
        ("zéro quatre sept zéro 12 34 56", "+32470123456"),
        ("zero four seven zero one two three four five six", "+32470123456"),
        ("null vier sieben null 12 34 56", "+32470123456"),
        ("cero cuatro siete cero 12 34 56", "+32470123456"),
        ("zero patru șapte zero 12 34 56", "+32470123456"),
        ("0️⃣4️⃣7️⃣0️⃣ 1️⃣2️⃣ 3️⃣4️⃣ 5️⃣6️⃣", "+32470123456"),
        ("０４７０ １２ ３４ ５６", "+32470123456"),
        ("O47O l2 34 56", "+32470123456"),
        ("0470 💋 12 💋 34 💋 56", "+32470123456"),
        ("0470\n12 34\n56", "+32470123456"),
        ("wa.me/32470123456", "+32470123456"),
        ("+32 (0)470 12 34 56", "+32470123456"),
        ("0470/12.34.56", "+32470123456"),
        ("⓪④⑦⓪ 12 34 56", "+32470123456"),
        ("zero4seven0 12 34 56", "+32470123456"),
    ],
)
def test_obfuscated_number_is_found(text: str, expected: str) -> None:
    assert phones(text) == [expected]


def test_obfuscated_dutch_number_is_found_with_its_rule() -> None:
    found = find_identifiers("bel nul vier zeven nul 12 34 56", "BE")
    assert [(f.value, f.rule) for f in found] == [("+32470123456", "digits+spelled")]


def test_ordinary_words_are_never_rewritten() -> None:
    text = "tonight 2night, one love, I owe you, lol, Io, Oslo, 2morrow"
    tokens = digit_tokens(text)
    assert [text[token.start : token.end] for token in tokens] == ["one"]
    assert phones(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "12/03/2024 22:00",
        "from 10:30 till 22:45",
        "1000 Brussel, 2000 Antwerpen, 9000 Gent",
        "BE71 0961 2345 6769",
        "22 ans, 19 jaar, 22yo",
        "30min 100€ 1h 150€ 2h 280€",
        "open 24/7 and 7/7",
        "BTW BE 0476.123.456",
        "50% off, 20% more",
        "2024-05-12 14:35",
    ],
)
def test_prices_dates_postal_codes_ibans_ages_and_times_are_not_phones(text: str) -> None:
    assert phones(text) == []


def test_masks_cover_dates_and_times_but_not_phone_groups() -> None:
    for text, masked in (("on 12.03.2024 at 22h30", [(3, 13), (17, 22)]), ("0470/12.34.56", [])):
        assert masks_near_tokens(text, digit_tokens(text)) == masked


def test_a_number_followed_by_a_price_keeps_both() -> None:
    found = find_identifiers("0470 12 34 56 150€/h", "BE", [(14, 20)])
    assert [f.value for f in found] == ["+32470123456"]


def test_chains_break_on_words() -> None:
    text = "call 0470 12 and then 34 56 78 90"
    groups = [[text[t.start : t.end] for t in chain.tokens] for chain in chains(text, [])]
    assert groups == [["34", "56", "78", "90"]]


def _phones(text: str, country: str | None = None) -> list[str]:
    from unveil.extract.extractor import extract_post

    return [item.value for item in extract_post(text, country).identifiers if item.type == "phone"]


def test_failure_classes_seen_on_real_ads() -> None:
    """Invented examples of what real ads from other countries write (issue 17)."""
    assert _phones("Tel: 310 742 5519 ask for Rosa") == ["+13107425519"]
    assert _phones("Tel:(323) 590-1847") == ["+13235901847"]
    assert _phones("818-472-9051 Rosa") == ["+18184729051"]
    assert _phones("(424) 615-2280 hh special") == ["+14246152280"]
    assert _phones("0497•221•308 🌹🌹") == ["+32497221308"]
    assert _phones("Nouvelle à Lille, appelle 06 12 34 56 78", "BE") == ["+33612345678"]
    assert _phones("seven02 fivefivethree eightoneone4") == ["+17025538114"]
    assert _phones("4tofour 5six0 zeroeight8two") == ["+14245600882"]
    assert _phones("for15 3ninetwo one8zerofor") == ["+14153921804"]
    assert _phones("Phone213-556-0917") == ["+12135560917"]
    assert _phones("call 818-472-4471Text me") == ["+18184724471"]
    assert _phones("0470x12x34x56 or 0470=12=34=56") == ["+32470123456", "+32470123456"]
    assert _phones("818 472 9051 💋 818 472 9051") == ["+18184729051", "+18184729051"]
    assert _phones("ZIP 90046, 90069 only") == []
    assert _phones("30-60, 100 ❄️ 1, 160") == []
    assert _phones("I want to go for it too, 2 for 1, to 4 for 8") == []


def test_more_failure_classes_of_real_ads() -> None:
    """Session 8's classes (invented): homophones opening a number, look-alike letters, ":" between groups,
    two digits glued to a word, "City, ID", a number written twice with no cue, a sign before the next price."""
    assert _phones("txt too0nine 3for5 sixsix1oh") == ["+12093456610"]
    assert _phones("call 3O5-Z4l-B8S6", "US") == ["+13052418856"]
    assert _phones("Софія, О97 І23 45 67", "UA") == ["+380971234567"]
    assert _phones("ring 917:553:2280 baby", "US") == ["+19175532280"]
    assert _phones("the time is 10:30 to 22:45, 12:15") == []
    assert _phones("Call06-22-41-80-37 now", "FR") == ["+33622418037"]
    assert _phones("Pocatello, ID 208-232-1176") == ["+12082321176"]
    assert _phones("7025513390 ❤️ 7025513390") == ["+17025513390", "+17025513390"]
    assert _phones("Leeds 07712•209•448 £90 hour") == ["+447712209448"]
    assert _phones("NIF B12345678, order S7654321") == []
    # ten digits alone on a line of an English ad: a mobile of a country English votes for
    assert _phones("Sweet and discreet\n3105527716\nno pimps") == ["+13105527716"]
    assert _phones("Pedido n.º 4471923085 enviado el 03/01/2025") == []
