"""Legitimate money activity: remittances home, salaries and rent, landlords, shops, students, travellers.

Several clean patterns look like typologies on purpose (a landlord paid by many tenants, migrants
sending money home every month, a shop depositing its takings, a family booking hotel rooms), so
that a detector has to separate them from the planted instances.
"""

from __future__ import annotations

import random

from unveil_synth.moneywriter import MoneyWriter
from unveil_synth.parties import Party, make_party
from unveil_synth.places import CITIES
from unveil_synth.plan import epoch_of
from unveil_synth.rand import FastRandom

BLOCK = 100
DAY = 86400.0
ROLES = (
    ("remitter", 0.33),
    ("salaried", 0.27),
    ("student", 0.1),
    ("freelancer", 0.1),
    ("landlord", 0.05),
    ("shop", 0.05),
    ("traveller", 0.1),
)
HOME_COUNTRIES = ("RO", "BG", "PL", "FR", "NL", "DE")
BELGIAN_CITIES = tuple(city.name for city in CITIES if city.country == "BE")
MERCHANTS = ("DELHAIZE", "COLRUYT", "CARREFOUR", "ALDI", "LIDL", "BOL.COM", "ZALANDO", "IKEA", "ACTION", "PROXIMUS")


def write_background(money: MoneyWriter, seed: int, first: int, end: int) -> None:
    """Write clean parties ``first`` to ``end`` (multiples of ``BLOCK`` apart from the end) and their transfers."""
    for block in range(first // BLOCK, (end + BLOCK - 1) // BLOCK):
        rng = FastRandom(f"{seed}/clean/{block}")
        _block(money, rng, block, min(BLOCK, end - block * BLOCK))


def _block(money: MoneyWriter, rng: random.Random, block: int, size: int) -> None:
    roles = rng.choices([r for r, _ in ROLES], weights=[w for _, w in ROLES], k=size)
    members = []
    for i, role in enumerate(roles):
        city = rng.choice(BELGIAN_CITIES)
        business = (
            f"{rng.choice(('Bakkerij', 'Frituur', 'Garage', 'Nachtwinkel', 'Kapsalon', 'Épicerie'))} "
            f"{rng.choice(('Centrum', 'De Hoek', 'du Midi', 'Sint-Jan', 'Atlas', 'Europa'))}"
            if role == "shop"
            else ""
        )
        members.append(
            money.party(
                make_party(
                    rng, f"C{block * BLOCK + i:07d}", role, "", "BE", city, female=rng.random() < 0.5, business=business
                ),
                False,
            )
        )
    employer = money.party(
        make_party(
            rng,
            f"C{block:05d}-EMP",
            "employer",
            "",
            "BE",
            members[0].city,
            business=f"{rng.choice(('Van', 'De', 'Les'))} {rng.choice(('Bouw', 'Transport', 'Logistics'))} NV",
        ),
        False,
    )
    landlords = [p for p in members if p.role == "landlord"] or [members[0]]
    for party in members:
        _activity(money, rng, party, employer, landlords[rng.randrange(len(landlords))], members, block)


def _activity(
    money: MoneyWriter,
    rng: random.Random,
    party: Party,
    employer: Party,
    landlord: Party,
    members: list[Party],
    block: int,
) -> None:
    start = epoch_of(rng.uniform(0.0, 0.8))
    months = 1 + int(rng.random() * rng.random() * 5)  # most parties show a month or two of activity
    role = party.role
    if role == "remitter":
        family = money.party(
            make_party(
                rng, f"{party.party_id}-F", "family_abroad", "", rng.choice(("RO", "BG", "PL", "BG")), "Bucharest"
            ),
            False,
        )
        for month in range(months):
            money.send(
                rng,
                "mto",
                "transfer",
                start + month * 30 * DAY + rng.uniform(0, 5 * DAY),
                rng.randrange(80, 650, 10),
                party,
                family,
                agent_city=party.city,
            )
    elif role in ("salaried", "student", "freelancer"):
        for month in range(months):
            when = start + month * 30 * DAY
            payer = employer if role == "salaried" else members[rng.randrange(len(members))]
            money.send(
                rng,
                "bank",
                "transfer",
                when,
                rng.randrange(900, 3600, 10),
                payer,
                party,
                reference="salaris" if role == "salaried" else "factuur",
            )
            if landlord is not party:
                money.send(
                    rng,
                    "bank",
                    "transfer",
                    when + 2 * DAY,
                    rng.randrange(550, 1100, 25),
                    party,
                    landlord,
                    reference="huur / loyer",
                )
            money.send(
                rng,
                "card",
                "payment",
                when + rng.uniform(3, 20) * DAY,
                rng.randrange(12, 180),
                party,
                None,
                merchant=rng.choice(MERCHANTS),
            )
    elif role == "shop":
        for month in range(months):
            money.send(
                rng,
                "bank",
                "cash_deposit",
                start + month * 30 * DAY,
                rng.randrange(1500, 14000, 10),
                None,
                party,
                agent_city=party.city,
            )
    elif role == "traveller":
        for trip in range(rng.randint(1, 3)):
            when = start + trip * 90 * DAY
            money.send(
                rng,
                "card",
                "payment",
                when,
                rng.randrange(180, 900, 10),
                party,
                None,
                merchant=f"HOTEL {rng.choice(('IBIS', 'NOVOTEL', 'MOTEL ONE'))} {rng.choice(BELGIAN_CITIES).upper()}",
                reference=f"{rng.randint(2, 4)} rooms",
            )
            money.send(
                rng,
                "card",
                "payment",
                when - 10 * DAY,
                rng.randrange(60, 600),
                party,
                None,
                merchant=rng.choice(("RYANAIR", "FLIXBUS", "SNCB-NMBS", "EUROSTAR")),
            )
    elif role == "landlord":
        money.send(rng, "bank", "transfer", start, rng.randrange(300, 1200, 10), party, employer, reference="syndic")
