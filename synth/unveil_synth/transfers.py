"""The money world: background legitimate activity and the typologies planted for some networks.

Planted typologies follow published FIU indicators for trafficking and smuggling (FATF 2018,
FinCEN FIN-2020-A008, FINTRAC Project Protect, Egmont/Europol): many unrelated senders to one
receiver, cash deposits then transfers to a source country, amounts just under thresholds, funnel
accounts, payments to ad sites, hotels and travel for several people, round per-person amounts that
match the smuggling prices posted online, and parties whose phone is the one in the ads.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from unveil_synth.actors import Actor
from unveil_synth.background import write_background
from unveil_synth.kinds import AD_SITES
from unveil_synth.ledger import Ledger
from unveil_synth.moneywriter import MoneyWriter
from unveil_synth.parties import make_party
from unveil_synth.phrases.words import HOTELS
from unveil_synth.plan import WorldPlan, epoch_of
from unveil_synth.rand import FastRandom

CLEAN_PARTIES_PER_INSTANCE = 1100
DAY = 86400.0
TRAVEL_MERCHANTS = ("FLIXBUS", "RYANAIR", "SNCB-NMBS", "BLABLACAR BUS", "WIZZ AIR")
PARTY_COLUMNS = (
    "party_id",
    "role",
    "network_id",
    "name",
    "phone",
    "email",
    "account",
    "country",
    "city",
    "planted",
    "phone_in_posts",
)


INSTANCES_PER_NETWORK = {"escort_network": 7, "smuggling_offer": 5, "labour_exploitation": 3}
PARTIES_PER_PART = 2000


def money_parts(plan: WorldPlan) -> int:
    """How many parts the money world is written in (part 0 holds the planted networks)."""
    return (clean_parties(plan) + PARTIES_PER_PART - 1) // PARTIES_PER_PART


def clean_parties(plan: WorldPlan) -> int:
    """Clean parties: at least ``CLEAN_PARTIES_PER_INSTANCE`` per planted typology instance."""
    instances = sum(INSTANCES_PER_NETWORK[n.kind.name] for n in money_networks(plan))
    return max(1000, instances * CLEAN_PARTIES_PER_INSTANCE)


def write_money_part(out: Path, plan: WorldPlan, part: int) -> Counter[str]:
    """Write part ``part`` of the transfers and of their truth (into ``out/.parts``); return counts."""
    counts: Counter[str] = Counter()
    with Ledger(out, part) as ledger:
        money = MoneyWriter(out, ledger, part)
        if part == 0:
            for network in money_networks(plan):
                rng = FastRandom(f"{plan.seed}/money/{network.actor_id}")
                plant = {
                    "escort_network": _plant_escort,
                    "smuggling_offer": _plant_smuggling,
                    "labour_exploitation": _plant_labour,
                }[network.kind.name]
                plant(money, rng, network)
        first = part * PARTIES_PER_PART
        write_background(money, plan.seed, first, min(clean_parties(plan), first + PARTIES_PER_PART))
        money.close()
        counts.update(ledger.counts)
        counts["planted_instances"] = money.instances
    return counts


def money_networks(plan: WorldPlan) -> list[Actor]:
    """The networks whose money is in the records: a bounded share (most networks are never seen by an FIU)."""
    per_kind = min(3, plan.posts // 100_000)
    chosen = plan.pools["escort_network"].networks[: per_kind + 1]
    for name in ("smuggling_offer", "labour_exploitation"):
        chosen.extend(plan.pools[name].networks[: per_kind + (1 if plan.posts >= 5_000 else 0)])
    return chosen


def _span(rng: random.Random, network: Actor) -> tuple[float, float]:
    start, end = epoch_of(network.start), epoch_of(network.end)
    return start, max(start + 60 * DAY, end)


def _plant_escort(money: MoneyWriter, rng: random.Random, network: Actor) -> None:
    nid, (start, end) = network.actor_id, _span(rng, network)
    controller = money.party(
        make_party(
            rng,
            f"{nid}-P00",
            "controller",
            nid,
            network.home_country if network.home_country in ("RO", "BG") else "BE",
            network.circuit[0],
            phone=network.phones[0],
        ),
        True,
        True,
    )
    straw = money.party(make_party(rng, f"{nid}-P01", "funnel_account_holder", nid, "BE", network.circuit[0]), True)
    victims = [
        money.party(
            make_party(
                rng,
                f"{nid}-V{i:02d}",
                "victim",
                nid,
                "BE",
                network.circuit[i % len(network.circuit)],
                female=True,
                phone=network.phones[i % len(network.phones)],
            ),
            True,
            True,
        )
        for i in range(len(network.personas))
    ]
    weeks = max(8, int((end - start) / (7 * DAY)))
    instance = money.instance(
        nid, "many_senders_one_receiver", controller, "victims send their earnings to one controller abroad"
    )
    for week in range(0, weeks, 3):
        for victim in victims:
            when = start + week * 7 * DAY + rng.uniform(0, 6 * DAY)
            money.send(
                rng,
                "mto",
                "transfer",
                when,
                rng.randrange(150, 950, 10),
                victim,
                controller,
                instance=instance,
                typology="many_senders_one_receiver",
                network=nid,
                agent_city=rng.choice(network.circuit),
            )
    structuring = money.instance(nid, "structuring", straw, "cash deposits just under EUR 10,000")
    funnel = money.instance(nid, "funnel_account", straw, "cash deposited in several cities, sent abroad")
    abroad = money.instance(nid, "cash_then_source_country", controller, "cash deposits then a transfer home")
    money.instance(nid, "party_in_posts", controller, "the controller's phone is the network's ad phone")
    for month in range(0, max(3, weeks // 4), 2):
        when = start + month * 30 * DAY
        money.send(
            rng,
            "bank",
            "cash_deposit",
            when,
            rng.randrange(9000, 9950, 50),
            None,
            straw,
            instance=structuring,
            typology="structuring",
            network=nid,
            agent_city=rng.choice(network.circuit),
        )
        for city in network.circuit:
            money.send(
                rng,
                "bank",
                "cash_deposit",
                when + rng.uniform(DAY, 5 * DAY),
                rng.randrange(1500, 4000, 100),
                None,
                straw,
                instance=funnel,
                typology="funnel_account",
                network=nid,
                agent_city=city,
            )
        money.send(
            rng,
            "bank",
            "transfer",
            when + 6 * DAY,
            rng.randrange(8000, 15000, 500),
            straw,
            controller,
            instance=abroad,
            typology="cash_then_source_country",
            network=nid,
            reference="family support",
        )
    ads = money.instance(nid, "ad_site_payments", straw, "many payments to escort ad sites")
    travel = money.instance(nid, "hotel_travel_third_parties", straw, "hotels and tickets for several women")
    for week in range(weeks):
        when = start + week * 7 * DAY
        for _ in range(rng.randint(1, 4)):
            money.send(
                rng,
                "card",
                "payment",
                when + rng.uniform(0, 7 * DAY),
                rng.choice((19.99, 29.99, 49.0, 79.0)),
                straw,
                None,
                instance=ads,
                typology="ad_site_payments",
                network=nid,
                merchant=rng.choice(list(AD_SITES)).upper(),
            )
        if week % 2 == 0:
            hotel = f"{rng.choice(HOTELS).upper()} {rng.choice(network.circuit).upper()}"
            money.send(
                rng,
                "card",
                "payment",
                when + DAY,
                rng.randrange(240, 900, 10),
                straw,
                None,
                instance=travel,
                typology="hotel_travel_third_parties",
                network=nid,
                merchant=hotel,
                reference=f"{rng.randint(2, 4)} rooms x {rng.randint(3, 7)} nights",
            )
            money.send(
                rng,
                "card",
                "payment",
                when + 2 * DAY,
                rng.randrange(3, 6) * rng.randrange(19, 89),
                straw,
                None,
                instance=travel,
                typology="hotel_travel_third_parties",
                network=nid,
                merchant=rng.choice(TRAVEL_MERCHANTS),
                reference=f"{rng.randint(2, 5)} passengers",
            )


def _plant_smuggling(money: MoneyWriter, rng: random.Random, network: Actor) -> None:
    nid, (start, end) = network.actor_id, _span(rng, network)
    collector = money.party(
        make_party(rng, f"{nid}-P00", "collector", nid, "BE", "Brussels", phone=network.phones[0]), True, True
    )
    money.instance(nid, "party_in_posts", collector, "the collector's phone is the one in the smuggling posts")
    boss = money.party(make_party(rng, f"{nid}-P01", "organiser", nid, "BE", "Antwerp"), True)
    boss_abroad = money.party(make_party(rng, f"{nid}-P02", "organiser_abroad", nid, "RO", "Bucharest"), True)
    price = network.route[2] + (network.route[3] - network.route[2]) // 2 // 500 * 500
    payers = []
    for i in range(rng.randint(12, 30)):
        country = rng.choice(("DE", "NL", "FR", "BE"))
        payers.append(
            money.party(
                make_party(
                    rng,
                    f"{nid}-M{i:02d}",
                    "migrant_payer",
                    nid,
                    country,
                    rng.choice(("Cologne", "Rotterdam", "Paris", "Liège")),
                ),
                True,
            )
        )
    many = money.instance(nid, "many_senders_one_receiver", collector, "relatives of migrants pay one collector")
    rounds = money.instance(
        nid, "round_per_person_amounts", collector, f"round amounts of EUR {price} per person, as posted online"
    )
    for payer in payers:
        people = rng.choice((1, 1, 1, 2, 3))
        when = rng.uniform(start, end)
        money.send(
            rng,
            "mto",
            "transfer",
            when,
            price * people,
            payer,
            collector,
            instance=rounds if people > 1 else many,
            typology="round_per_person_amounts" if people > 1 else "many_senders_one_receiver",
            network=nid,
            agent_city=payer.city,
            reference=rng.choice(("", "trip", f"{people} persons", "family")),
        )
    source = money.instance(nid, "cash_then_source_country", boss_abroad, "collected money moved on")
    under = money.instance(nid, "structuring", collector, "MTO sends just under the EUR 1,000 ID threshold")
    for month in range(max(3, int((end - start) / (30 * DAY)))):
        when = start + month * 30 * DAY
        for _ in range(rng.randint(2, 5)):
            money.send(
                rng,
                "mto",
                "transfer",
                when + rng.uniform(0, 9 * DAY),
                rng.randrange(900, 999),
                collector,
                boss_abroad,
                instance=under,
                typology="structuring",
                network=nid,
                agent_city="Brussels",
            )
        money.send(
            rng,
            "bank",
            "cash_deposit",
            when + 10 * DAY,
            rng.randrange(5000, 9900, 100),
            None,
            boss,
            instance=source,
            typology="cash_then_source_country",
            network=nid,
            agent_city="Antwerp",
        )
        money.send(
            rng,
            "bank",
            "transfer",
            when + 12 * DAY,
            rng.randrange(4000, 9000, 100),
            boss,
            boss_abroad,
            instance=source,
            typology="cash_then_source_country",
            network=nid,
            reference="import goods",
        )


def _plant_labour(money: MoneyWriter, rng: random.Random, network: Actor) -> None:
    nid, (start, end) = network.actor_id, _span(rng, network)
    employer = money.party(
        make_party(rng, f"{nid}-P00", "front_company", nid, "BE", network.circuit[0], business=f"{network.company} BV"),
        True,
    )
    boss = money.party(
        make_party(rng, f"{nid}-P01", "exploiter", nid, "BE", network.circuit[0], phone=network.phones[0]), True, True
    )
    money.instance(nid, "party_in_posts", boss, "the exploiter's phone is the one in the job ads")
    workers = [
        money.party(make_party(rng, f"{nid}-W{i:02d}", "worker", nid, "BE", network.circuit[0]), True)
        for i in range(rng.randint(6, 16))
    ]
    funnel = money.instance(nid, "many_senders_one_receiver", boss, "workers hand back most of their wage")
    housing = money.instance(nid, "hotel_travel_third_parties", boss, "rent and travel paid for many workers")
    for month in range(max(3, int((end - start) / (30 * DAY)))):
        when = start + month * 30 * DAY
        for worker in workers:
            wage = rng.randrange(1500, 1900, 10)
            money.send(rng, "bank", "transfer", when, wage, employer, worker, network=nid, reference="loon / salaire")
            money.send(
                rng,
                "bank",
                "transfer",
                when + rng.uniform(DAY, 3 * DAY),
                wage - rng.randrange(200, 400, 10),
                worker,
                boss,
                instance=funnel,
                typology="many_senders_one_receiver",
                network=nid,
                reference=rng.choice(("huur", "rent", "voorschot", "")),
            )
        money.send(
            rng,
            "card",
            "payment",
            when + 4 * DAY,
            95 * len(workers),
            boss,
            None,
            instance=housing,
            typology="hotel_travel_third_parties",
            network=nid,
            merchant=f"HOTEL {rng.choice(HOTELS).upper()}",
            reference=f"{len(workers)} persons",
        )
