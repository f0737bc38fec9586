"""Every detector on the fixture world: a positive case, a near miss, and the words of the explanation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.money.builders import alerts_of
from unveil.workspace import Workspace


def _alert(workspace: Workspace, typology: str, party_name: str) -> dict[str, Any] | None:
    found = [alert for alert in alerts_of(workspace, typology) if alert["party_name"] == party_name]
    return found[0] if found else None


def _text(alert: dict[str, Any] | None) -> str:
    assert alert is not None
    return " | ".join(alert["reasons"])


def test_many_mto_senders_to_one_controller_raise_an_alert(money_world: Workspace) -> None:
    text = _text(_alert(money_world, "many_senders", "Viktor Boss"))
    assert "from 5 different senders" in text and "through a money-transfer operator" in text
    assert "Ana Marin" in text


def test_three_senders_are_below_the_many_senders_threshold(money_world: Workspace) -> None:
    assert _alert(money_world, "many_senders", "Near Receiver") is None


def test_three_senders_paying_again_and_again_raise_an_alert(money_world: Workspace) -> None:
    text = _text(_alert(money_world, "many_senders", "Regular Collector"))
    assert "from 3 different senders" in text and "3 of the senders paid 2 times or more" in text


def test_workers_handing_back_their_wages_raise_an_alert(money_world: Workspace) -> None:
    text = _text(_alert(money_world, "many_senders", "Kamil Gangmaster"))
    assert "handing over at least 70%" in text


def test_a_landlord_paid_rent_by_salaried_tenants_is_not_flagged(money_world: Workspace) -> None:
    assert _alert(money_world, "many_senders", "Louis Landlord") is None


def test_cash_deposits_then_transfers_to_a_source_country_raise_an_alert(money_world: Workspace) -> None:
    alert = _alert(money_world, "cash_to_source", "Cash Mover")
    text = _text(alert)
    assert "3 cash deposits" in text and "to NG" in text
    assert alert is not None and len(alert["transfer_ids"]) == 6


def test_transfers_to_a_source_country_iban_without_a_written_country_raise_an_alert(money_world: Workspace) -> None:
    alert = _alert(money_world, "cash_to_source", "Iban Mover")
    text = _text(alert)
    assert "2 cash deposits" in text and "to RO" in text
    assert "country of the receiving IBAN" in text
    assert alert is not None and len(alert["transfer_ids"]) == 4


def test_transfers_to_a_home_country_iban_are_not_flagged(money_world: Workspace) -> None:
    assert _alert(money_world, "cash_to_source", "Home Mover") is None


def test_one_deposit_then_a_transfer_to_a_non_source_country_is_not_flagged(money_world: Workspace) -> None:
    assert _alert(money_world, "cash_to_source", "Once Mover") is None


def test_repeated_amounts_just_under_the_id_threshold_raise_an_alert(money_world: Workspace) -> None:
    text = _text(_alert(money_world, "structuring", "Split Sender"))
    assert "between EUR 950 and EUR 980" in text and "EUR 1,000" in text


def test_two_amounts_under_the_threshold_are_a_near_miss(money_world: Workspace) -> None:
    assert _alert(money_world, "structuring", "Careful Sender") is None


def test_cash_in_four_cities_sent_on_quickly_is_a_funnel_account(money_world: Workspace) -> None:
    text = _text(_alert(money_world, "funnel_account", "Straw Holder"))
    assert "4 different places" in text and "Liège" in text and "88%" in text


def test_a_shop_depositing_its_takings_in_one_city_is_not_a_funnel(money_world: Workspace) -> None:
    assert _alert(money_world, "funnel_account", "Bakkerij Centrum") is None


def test_repeated_payments_to_an_ad_site_raise_an_alert(money_world: Workspace) -> None:
    text = _text(_alert(money_world, "ad_site_payments", "Ad Buyer"))
    assert "4 card payments" in text and "VIVASTREET.BE" in text


def test_two_ad_site_payments_are_a_near_miss(money_world: Workspace) -> None:
    assert _alert(money_world, "ad_site_payments", "Casual Client") is None


def test_hotel_rooms_for_several_people_every_fortnight_raise_an_alert(money_world: Workspace) -> None:
    text = _text(_alert(money_world, "lodging_for_others", "Room Payer"))
    assert "3 lodging bills" in text and "each for 3 people" in text


def test_a_family_trip_every_quarter_is_not_flagged(money_world: Workspace) -> None:
    assert _alert(money_world, "lodging_for_others", "Family Traveller") is None


def test_a_party_whose_phone_is_in_an_ad_is_cross_checked(money_world: Workspace) -> None:
    alert = _alert(money_world, "online_identifiers", "Viktor Boss")
    text = _text(alert)
    assert "phone +32470999999" in text and "1 online posts" in text
    assert alert is not None and len(alert["post_ids"]) == 1


def test_a_party_whose_phone_is_not_online_is_not_cross_checked(money_world: Workspace) -> None:
    assert _alert(money_world, "online_identifiers", "Near Receiver") is None


def test_other_alerts_of_a_party_found_online_carry_its_ads(money_world: Workspace) -> None:
    alert = _alert(money_world, "many_senders", "Viktor Boss")
    assert alert is not None and alert["post_ids"]
    assert any("also found online" in reason for reason in alert["reasons"])


@pytest.mark.parametrize("column", ["reasons", "transfer_ids", "source"])
def test_every_alert_says_why_and_which_rows(money_world: Workspace, column: str) -> None:
    alerts = alerts_of(money_world)
    assert alerts and all(alert[column] for alert in alerts)


def test_round_amounts_matching_a_posted_price_per_person_raise_an_alert(money_world: Workspace) -> None:
    alert = _alert(money_world, "smuggling_prices", "Omar Collector")
    text = _text(alert)
    assert "4 different senders" in text and "EUR 2,500" in text and "1 to 3 times" in text
    assert alert is not None and len(alert["post_ids"]) == 1


def test_round_amounts_matching_no_posted_price_are_a_near_miss(money_world: Workspace) -> None:
    assert _alert(money_world, "smuggling_prices", "Other Receiver") is None
