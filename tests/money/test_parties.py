"""Party resolution: spelling variants with a shared phone are one party, with the weights that decided it."""

from __future__ import annotations

import math
from typing import Any

from tests.money.conftest import VICTIMS
from unveil.money.parties import BLOCKING_COLUMNS, PartyModel, comparisons
from unveil.workspace import Workspace


def _party_of(workspace: Workspace, name: str) -> str:
    transfers = workspace.table("money.transfers").read().to_pylist()
    return next(row["sender_party_id"] for row in transfers if row["sender_name"] == name)


def _links(workspace: Workspace) -> list[dict[str, Any]]:
    rows = workspace.table("money.party_matches").read().to_pylist()
    return [row for row in rows if row["match_kind"] == "party"]


def test_spelling_variants_sharing_phone_and_address_are_one_party(money_world: Workspace) -> None:
    assert _party_of(money_world, "Ion Popescu") == _party_of(money_world, "POPESCU Ioan")


def test_a_different_name_on_the_same_phone_stays_a_different_party(money_world: Workspace) -> None:
    assert _party_of(money_world, "Maria Dobre") != _party_of(money_world, "Ion Popescu")


def test_each_party_link_shows_the_weights_that_decided_it(money_world: Workspace) -> None:
    party = _party_of(money_world, "Ion Popescu")
    link = next(row for row in _links(money_world) if row["party_id"] == party)
    by_comparison = {weight["comparison"]: weight for weight in link["weights"]}
    assert by_comparison["phone"]["level"] == "same phone" and by_comparison["phone"]["weight"] > 10
    assert by_comparison["prior"]["weight"] < -13
    assert (
        link["match_weight"] == sum(weight["weight"] for weight in link["weights"])
        or abs(link["match_weight"] - sum(weight["weight"] for weight in link["weights"])) < 0.1
    )
    assert "spelling variant" in link["reason"] and "same phone" in link["reason"]


def test_an_initial_and_a_respelling_on_the_same_account_are_one_party(money_world: Workspace) -> None:
    assert _party_of(money_world, "Karim Leroy") == _party_of(money_world, "K. Leroi")
    party = _party_of(money_world, "K. Leroi")
    link = next(row for row in _links(money_world) if row["party_id"] == party and row["match_kind"] == "party")
    assert "same name spelled by sound, or an initial" in link["reason"] and "same account" in link["reason"]


def test_another_first_name_on_the_same_phone_stays_another_party(money_world: Workspace) -> None:
    assert _party_of(money_world, "Kevin Leroy") != _party_of(money_world, "Karl Leroy")


def test_victims_sharing_the_controllers_phone_are_not_merged(money_world: Workspace) -> None:
    parties = {_party_of(money_world, name) for name in VICTIMS}
    assert len(parties) == 5


def test_online_matches_link_a_party_to_the_post_with_its_phone(money_world: Workspace) -> None:
    rows = money_world.table("money.party_matches").read().to_pylist()
    online = [row for row in rows if row["match_kind"] == "online"]
    assert {(row["identifier_type"], row["identifier_value"]) for row in online} == {("phone", "+32470999999")}
    assert len({row["party_id"] for row in online}) == 3  # the controller and the two victims using its phone
    assert "appears in post" in online[0]["reason"]


def test_every_transfer_is_kept_with_its_eur_amount(money_world: Workspace) -> None:
    ingested = money_world.table("ingest.transfers").num_rows()
    transfers = money_world.table("money.transfers").read(columns=["amount_eur"]).column(0).to_pylist()
    assert len(transfers) == ingested and all(amount is not None for amount in transfers)


def test_parties_carry_their_phones_and_totals(money_world: Workspace) -> None:
    party = _party_of(money_world, "Ion Popescu")
    row = next(row for row in money_world.table("money.parties").read().to_pylist() if row["party_id"] == party)
    assert row["phones"] == ["+40721000001"] and set(row["names"]) == {"Ion Popescu", "POPESCU Ioan"}
    assert row["transfers_sent"] == 2


def test_no_pair_outside_the_blocking_rules_could_link() -> None:
    """The highest total match weight of a pair that agrees exactly on none of the blocking columns,
    from the priors (docs/money.md): below the threshold, so blocking loses no link."""
    model = PartyModel()
    best = math.log2(model.prior_match_probability / (1 - model.prior_match_probability))
    for comparison in comparisons():
        weights = [math.log2(comparison.else_m / comparison.else_u), 0.0]  # else level, null level
        for position, level in enumerate(comparison.levels):
            if not (position == 0 and comparison.column in BLOCKING_COLUMNS):
                weights.append(math.log2(level.m / level.u))
        best += max(weights)
    assert best < model.threshold_match_weight
