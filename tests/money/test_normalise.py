"""Normalising transfer parties and amounts; rates; merchant kinds; references."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unveil.errors import InputError
from unveil.money.rates import load_rates, read_rates, to_eur
from unveil.money.transfers import (
    merchant_kind,
    name_key,
    normalise_account,
    normalise_country,
    normalise_email,
    normalise_phone,
    record_id,
    reference_people,
    reference_person,
)


def test_name_order_case_and_accents_do_not_matter() -> None:
    assert name_key("POPESCU, Ion") == name_key("ion  popescu") == "ion popescu"
    assert name_key("Ştefan Dumitrescu") == "dumitrescu stefan"


def test_phone_written_locally_becomes_e164() -> None:
    assert normalise_phone("0470 12 34 56", "BE") == "+32470123456"
    assert normalise_phone("+40 721 000 001", "BE") == "+40721000001"
    assert normalise_phone("12", "BE") is None


def test_emails_are_lower_cased_and_checked() -> None:
    assert normalise_email(" Boss@Example.COM ") == "boss@example.com"
    assert normalise_email("not an email") is None


def test_ibans_are_compacted_and_a_bad_checksum_is_noted() -> None:
    assert normalise_account("be71 0961 2345 6769") == ("BE71096123456769", None)
    value, problem = normalise_account("BE71 0961 2345 6768")
    assert value == "BE71096123456768" and problem is not None and "not a valid IBAN" in problem


def test_country_names_become_codes() -> None:
    assert normalise_country("Romania") == "RO" and normalise_country("ng") == "NG" and normalise_country("") is None


def test_record_id_is_stable_and_empty_sides_have_none() -> None:
    fields = {"name_key": "ion popescu", "phone": "+40721000001"}
    assert record_id(fields) == record_id(dict(fields)) and record_id({}) is None


def test_shipped_rates_convert_to_eur() -> None:
    rates = {code: rate.units_per_eur for code, rate in load_rates().items()}
    assert to_eur(100, "EUR", rates) == 100
    assert to_eur(497.46, "RON", rates) == pytest.approx(100, abs=0.01)
    assert to_eur(100, "XXX", rates) is None


def test_a_workspace_rates_file_overrides_the_default(tmp_path: Path) -> None:
    (tmp_path / "rates.csv").write_text("currency,units_per_eur,source\nRON,5.0,court order\n", "utf-8")
    assert load_rates(tmp_path)["RON"].units_per_eur == 5.0 and load_rates(tmp_path)["RON"].source == "court order"


def test_a_rates_file_without_a_positive_rate_is_refused(tmp_path: Path) -> None:
    (tmp_path / "rates.csv").write_text("currency,units_per_eur\nRON,zero\n", "utf-8")
    with pytest.raises(InputError, match="positive"):
        read_rates(tmp_path / "rates.csv")


def test_merchant_kinds_come_from_the_sourced_list() -> None:
    assert merchant_kind("VIVASTREET.BE") == "ad_site"
    assert merchant_kind("HOTEL IBIS GENT") == "lodging"
    assert merchant_kind("FLIXBUS") == "travel"
    assert merchant_kind("DELHAIZE") is None


def test_references_count_people_and_name_others() -> None:
    assert reference_people("3 rooms x 4 nights") == 3 and reference_people("5 passengers") == 5
    assert reference_people("2 nights") is None
    assert reference_person("room for Ana Marin") == "ana marin" and reference_person("for rent") is None


@given(st.text(max_size=200))
def test_name_key_never_fails_and_is_idempotent(text: str) -> None:
    key = name_key(text)
    assert key is None or name_key(key) == key


@given(st.text(max_size=80))
def test_phone_normaliser_never_fails(text: str) -> None:
    value = normalise_phone(text, "BE")
    assert value is None or value.startswith("+")
