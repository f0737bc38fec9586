"""Series, growth, shares and drivers on a small table whose answers are known."""

from __future__ import annotations

import pandas as pd
import pytest

from unveil.stats import trends
from unveil.stats.report.sentences import change_phrase, trend_sentence
from unveil.stats.schema import Observation, observations_frame


def _offences() -> pd.DataFrame:
    rows = [
        ("Gent", "E40", 2012, 10.0),
        ("Brugge", "E40", 2012, 5.0),
        ("Arlon", "South", 2012, 5.0),
        ("Gent", "E40", 2016, 40.0),
        ("Brugge", "E40", 2016, 15.0),
        ("Arlon", "South", 2016, 5.0),
    ]
    return observations_frame(
        [
            Observation(
                "offences_recorded", "offence_type", "smuggling", place, year, value, "offences", "t", i, region=region
            )
            for i, (place, region, year, value) in enumerate(rows, start=2)
        ]
    )


def test_growth_factor_and_annual_rate() -> None:
    change = trends.growth(trends.totals_by_year(_offences()), 2012, 2016)
    assert change.factor == 3.0
    assert change.annual_rate == pytest.approx(3 ** (1 / 4) - 1)
    assert change_phrase(change) == "tripled"


def test_drivers_name_the_places_that_make_the_change() -> None:
    table = trends.drivers(_offences(), 2012, 2016, "place")
    assert list(table["place"])[:2] == ["Gent", "Brugge"]
    assert table.set_index("place").loc["Gent", "contribution"] == pytest.approx(0.75)
    assert trends.main_drivers(table, "place") == ["Gent"]
    regions = trends.drivers(_offences(), 2012, 2016, "region")
    assert trends.main_drivers(regions, "region") == ["E40"]


def test_trend_sentence_reads_like_the_rapporteur() -> None:
    change = trends.growth(trends.totals_by_year(_offences()), 2012, 2016)
    sentence = trend_sentence("Smuggling offences", change, ["Gent", "Brugge"])
    assert sentence.startswith("Smuggling offences tripled between 2012 and 2016 (20 to 60")
    assert sentence.endswith("mainly in Gent and Brugge.")


def test_shares_sum_to_one_and_keep_their_rows() -> None:
    shares = trends.shares(_offences(), 2016, "place")
    assert shares["share"].sum() == pytest.approx(1.0)
    assert shares.iloc[0]["refs"] == ["t#5"]


def test_sex_and_age_totals_are_not_added_to_their_breakdowns() -> None:
    cells = [
        Observation("detected_victims", "form", "labour", "BE", 2018, 10.0, "persons", "g", 2),
        Observation("detected_victims", "form", "labour", "BE", 2018, 6.0, "persons", "g", 3, sex="Female"),
        Observation("detected_victims", "form", "labour", "BE", 2018, None, "persons", "g", 4, flags="<5", sex="Male"),
    ]
    series = trends.series(observations_frame(cells))
    assert series["value"].tolist() == [10.0]
