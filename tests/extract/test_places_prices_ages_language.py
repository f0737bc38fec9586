"""Places from the gazetteer, prices with units, stated ages and the language of a post."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unveil.extract.ages import find_ages
from unveil.extract.language import detect_language
from unveil.extract.places import best_city, find_places, read_gazetteer_rows
from unveil.extract.prices import find_prices

DEVSET = Path(__file__).parent / "devset"


def place_names(text: str) -> list[tuple[str, str]]:
    return [(m.place.name, m.place.kind) for m in find_places(text)]


def test_belgian_municipalities_in_three_languages() -> None:
    assert place_names("Luik, Liège, Lüttich") == [("Liège", "city")] * 3
    assert place_names("Bergen? no: Mons. Anvers and Antwerpen, Bruxelles") == [
        ("Mons", "city"), ("Antwerp", "city"), ("Antwerp", "city"), ("Brussels", "city"),
    ]  # fmt: skip


def test_ports_rest_areas_and_countries() -> None:
    text = "from Dunkerque or Calais via parking Jabbeke to Hoek van Holland, girls from Roemenië"
    assert place_names(text) == [
        ("Dunkirk", "port"), ("Calais", "port"), ("Parking Jabbeke (E40)", "rest_area"),
        ("Hook of Holland", "port"), ("Romania", "country"),
    ]  # fmt: skip


def test_names_that_are_also_words_need_their_capital() -> None:
    assert place_names("spa massage with a boom box and a mol") == []
    assert place_names("Spa and Boom") == [("Boom", "city")]  # Spa needs a place cue (issue 17)
    assert place_names("in Spa and Boom") == [("Spa", "city"), ("Boom", "city")]


def test_every_belgian_municipality_is_in_the_gazetteer() -> None:
    rows = [(place, names) for place, names in read_gazetteer_rows() if place.place_id.startswith("BE-NIS-")]
    codes = [place.place_id for place, _ in rows]
    assert len(codes) == len(set(codes)) == 581
    names = {name for _, row_names in rows for name in row_names}
    # Dutch, French and German names of the same municipality, small ones included.
    assert {"Sint-Genesius-Rode", "Rhode-Saint-Genèse", "Kasterlee", "Komen-Waasten", "Comines-Warneton"} <= names
    assert {"Kelmis", "La Calamine", "Büllingen", "Bullange", "Bleiberg", "Plombières", "Zoutleeuw", "Léau"} <= names


@pytest.mark.parametrize(
    "text",
    [
        "As you like it. Peer support. Ham and cheese, lens cleaning, 22 ans, spa and sauna.",
        "Silly me! Manage your time. Dour face. Lint free towels. Halen en brengen.",
        "We halen je op. Landen van herkomst: Roemenië. Essen und Trinken. Herne Bay? no.",
        "Peer review, Bree straat, Ham sandwich, Lens flare, Ans to call.",
        "Celles qui veulent, appelle. Graven en lessen.",
    ],
)
def test_municipality_names_that_are_common_words_are_not_places(text: str) -> None:
    assert [name for name, _ in place_names(text) if name != "Romania"] == []


def test_municipality_names_that_are_common_words_are_places_after_a_place_word() -> None:
    found = place_names("Nieuw in Peer, ook te Bree en in Ham, niet en Ham")
    assert found == [("Peer", "city"), ("Bree", "city"), ("Ham", "city")]
    assert place_names("De passage à Ans, puis 7870 Lens") == [("Ans", "city"), ("Lens", "city")]
    assert place_names("Girls from Lille") == [("Lille", "city")]
    assert find_places("Girls from Lille")[0].place.country == "FR"


def test_best_city_is_the_most_named() -> None:
    mentions = find_places("Gent, Brussel, Gent, Belgium")
    assert best_city(mentions) == "Ghent"


def test_every_gazetteer_row_is_complete() -> None:
    rows = read_gazetteer_rows()
    assert len(rows) > 250
    for place, names in rows:
        assert place.place_id and place.kind in {"city", "port", "rest_area", "country", "nationality"}
        assert len(place.country) == 2 and names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30min 100€", (100.0, "EUR", "half_hour")),
        ("150 roses/h", (150.0, "ROSES", "hour")),
        ("2500 EUR per person", (2500.0, "EUR", "person")),
        ("1 500 € la nuit", (1500.0, "EUR", "night")),
        ("€ 80 /uur", (80.0, "EUR", "hour")),
        ("salaris 1.200 euro per maand", (1200.0, "EUR", "month")),
        ("500 lei pe noapte", (500.0, "RON", "night")),
    ],
)
def test_prices_with_currency_and_unit(text: str, expected: tuple[float, str, str]) -> None:
    [price] = find_prices(text)
    assert (price.amount, price.currency, price.unit) == expected


@pytest.mark.parametrize(
    ("text", "age"),
    [("22 ans", 22), ("19 jaar", 19), ("22yo", 22), ("age: 21", 21), ("20 de ani", 20), ("I am 17", 17)],
)
def test_stated_ages(text: str, age: int) -> None:
    assert [a.age for a in find_ages(text)] == [age]


def test_durations_and_measures_are_not_ages() -> None:
    assert find_ages("5 years experience, 165 cm, 2024, 14h30") == []


def test_language_of_the_devset_texts_is_mostly_right() -> None:
    records = [json.loads(line) for path in DEVSET.glob("*.jsonl") for line in path.read_text().splitlines()]
    judged = [r for r in records if r["lang"] in {"en", "nl", "fr", "de", "es", "ro", "bg"}]
    right = sum(detect_language(r["text"]) == r["lang"] for r in judged)
    print(f"\nlanguage accuracy {right / len(judged):.3f} on {len(judged)} texts")
    assert right / len(judged) >= 0.8


def test_language_agrees_with_lingua_on_clear_sentences() -> None:
    from lingua import Language, LanguageDetectorBuilder

    lingua = LanguageDetectorBuilder.from_languages(
        Language.ENGLISH, Language.DUTCH, Language.FRENCH, Language.GERMAN, Language.SPANISH, Language.ROMANIAN
    ).build()
    sentences = [
        "I am new in town and I am waiting for your call tonight",
        "Ik ben nieuw in de stad en ik wacht op je telefoontje",
        "Je suis nouvelle en ville et je suis disponible pour vous",
        "Ich bin neu in der Stadt und warte auf deinen Anruf",
        "Soy nueva en la ciudad y estoy esperando tu llamada",
        "Sunt nouă în oraș și aștept telefonul tău",
    ]
    for sentence in sentences:
        detected = lingua.detect_language_of(sentence)
        assert detected is not None
        assert detect_language(sentence) == detected.iso_code_639_1.name.lower()


def test_prices_as_the_market_writes_them() -> None:
    """No currency sign, market units; the currency comes from the post's region (issue 17)."""
    from unveil.extract.extractor import extract_post

    found = extract_post("New in Houston, TX 💋 150 hh, 250 hr, 100 qv, 40/hr, ovn 800, donation 200").prices
    assert [(p.amount, p.currency, p.unit) for p in found] == [
        (150.0, "USD", "half_hour"), (250.0, "USD", "hour"), (100.0, "USD", "quick_visit"), (40.0, "USD", "hour"),
        (800.0, "USD", "night"), (200.0, "USD", None),
    ]  # fmt: skip
    assert [(p.amount, p.unit) for p in find_prices("1 hr 250")] == [(250.0, "hour")]
    assert find_prices("5'7 120 lbs 36DD, 115 pounds, open 24 hr, 24 hours") == []
    assert [p.currency for p in find_prices("150 pounds per hour")] == ["GBP"]


def test_a_clients_age_is_not_the_posters() -> None:
    assert find_ages("only men over 35 years old, clients 35+ welcome") == []
    assert [age.age for age in find_ages("I am 22 years old")] == [22]


def test_world_cities_need_a_place_cue() -> None:
    assert place_names("Paris Hilton style, Asian Spa, Florence is 22") == []
    assert [(m.place.name, m.place.country) for m in find_places("Call girls in Delhi, Dallas, TX")] == [
        ("Delhi", "IN"), ("Dallas", "US"), ("Texas", "US"),
    ]  # fmt: skip
    assert [m.place.country for m in find_places("Sydney CBD, 0412 345 678")] == ["AU"]
    # the last group of a phone before a name is no postal code before a city
    assert place_names("ring 0802 331 5570 Victoria, 0803-117-2290 Regina") == []
    assert [m.place.name for m in find_places("Wetstraat 16, 1040 Etterbeek")] == ["Etterbeek"]


def regions_named(text: str) -> list[tuple[str, str, str]]:
    return [(m.place.name, m.place.kind, m.place.country) for m in find_places(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Petite blonde touring Arizona next week", [("Arizona", "region", "US")]),
        ("incall only, in AZ till Sunday", [("Arizona", "region", "US")]),
        ("Reno, Nevada 💋 outcall", [("Reno", "city", "US"), ("Nevada", "region", "US")]),
        ("Tucson, AZ. Text me", [("Tucson", "city", "US"), ("Arizona", "region", "US")]),
        ("Houston TX, upscale", [("Houston", "city", "US"), ("Texas", "region", "US")]),
        ("Salem, OR and nearby", [("Salem", "city", "US"), ("Oregon", "region", "US")]),
        ("Visiting Maidstone, Kent 🌸", [("Maidstone", "city", "GB"), ("Kent", "region", "GB")]),
        ("new girl in Surrey, outcalls", [("Surrey", "region", "GB")]),
        ("Leeds, West Yorkshire", [("Leeds", "city", "GB"), ("West Yorkshire", "region", "GB")]),
        ("Cowes, Isle of Wight", [("Isle of Wight", "region", "GB")]),
        ("Belfast, Co. Down", [("Belfast", "city", "GB"), ("County Down", "region", "GB")]),
        (
            "Girls from Northern Ireland and the USA",
            [("United Kingdom", "country", "GB"), ("United States", "country", "US")],
        ),
    ],
)
def test_states_and_counties_are_places(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert regions_named(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I am OK with it, HI guys, call ME or text IN the morning",  # codes that are words need a place before
        "Essex girl, Kent is my name, Virginia 24",  # county and state names that are names need a cue
        "Toronto, CA and Casablanca, MA",  # a code that is the country of the place before
        "I love New York and Georgia. Washington is my name",  # also cities or countries: only after a place
    ],
)
def test_state_codes_and_names_that_are_words_need_a_cue(text: str) -> None:
    assert [name for name, kind, _ in regions_named(text) if kind == "region"] == []


def test_a_state_or_county_chooses_the_phone_region() -> None:
    from unveil.extract.extractor import extract_post

    phones = {
        text: [item.value for item in extract_post(text, None).identifiers if item.type == "phone"]
        for text in ("Touring Nevada, text 702 555 0134", "in Kent now 07400 123456", "Cardiff, Wales 07911 123456")
    }
    assert phones == {
        "Touring Nevada, text 702 555 0134": ["+17025550134"],
        "in Kent now 07400 123456": ["+447400123456"],
        "Cardiff, Wales 07911 123456": ["+447911123456"],
    }
    mention = find_places("Touring Nevada")[0]
    assert (mention.place.kind, mention.place.country) == ("region", "US")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$180 hh, $300/hr", [(180.0, "USD", "half_hour"), (300.0, "USD", "hour")]),
        ("£140 ph, 90 ph for regulars", [(140.0, "GBP", "hour"), (90.0, None, "hour")]),
        ("120 roses hh", [(120.0, "ROSES", "half_hour")]),
        ("half hour 130, hour 220", [(130.0, None, "half_hour"), (220.0, None, "hour")]),
        ("30 min 90 60 min 160", [(90.0, None, "half_hour"), (160.0, None, "hour")]),
        ("qv 70, hhr 110, hr 190", [(70.0, None, "quick_visit"), (110.0, None, "half_hour"), (190.0, None, "hour")]),
        ("only 260 per hour", [(260.0, None, "hour")]),
        ("1hr 200, 2 hrs 380", [(200.0, None, "hour"), (380.0, None, "two_hours")]),
        ("HH 140 H 230", [(140.0, None, "half_hour"), (230.0, None, "hour")]),
        ("open 11 h 30 till late", []),
        ("£90 30 mins, £150 1 hr", [(90.0, "GBP", "half_hour"), (150.0, "GBP", "hour")]),
        ("60 min 160€ 30 min 90€", [(160.0, "EUR", "hour"), (90.0, "EUR", "half_hour")]),
    ],
)
def test_market_units_after_and_before_an_amount(text: str, expected: list[tuple[float, str | None, str]]) -> None:
    assert [(p.amount, p.currency, p.unit) for p in find_prices(text)] == expected


def test_a_weight_is_not_money_even_in_pounds() -> None:
    assert find_prices("I weigh 125 pounds, 5 ft 5") == []
    assert find_prices("she weighs 118 pounds") == []
    assert find_prices("open 24 hour, 7 days") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Roses: 150 hh 250 h 400 2h",
            [(150.0, "ROSES", "half_hour"), (250.0, "ROSES", "hour"), (400.0, "ROSES", "two_hours")],
        ),
        ("🌹: 120 hh 200 hr", [(120.0, "ROSES", "half_hour"), (200.0, "ROSES", "hour")]),
        (
            "Donations: 100 qv, 180 hh, 300 h",
            [(100.0, None, "quick_visit"), (180.0, None, "half_hour"), (300.0, None, "hour")],
        ),
        ("incall 160 h / outcall 250 h", [(160.0, None, "hour"), (250.0, None, "hour")]),
        ("5'4 118lbs 34C, 200 h, 9172284410", [(200.0, None, "hour")]),
        ("Rates: 150 hh, 250 hr", [(150.0, None, "half_hour"), (250.0, None, "hour")]),
        (
            "Roses: 150 hh, $250 hr, 300 2h",
            [(150.0, "ROSES", "half_hour"), (250.0, "USD", "hour"), (300.0, None, "two_hours")],
        ),
        ("open 24 h, delivery in 48 h, 10 h 30", []),
    ],
)
def test_a_currency_heading_and_an_hourly_h(text: str, expected: list[tuple[float, str | None, str]]) -> None:
    """A currency written as a price list's heading is the currency of its amounts (up to one written with its
    own); "200 h" after an amount of 80 or more is an hourly price ("24 h" stays a duration)."""
    assert [(p.amount, p.currency, p.unit) for p in find_prices(text)] == expected
