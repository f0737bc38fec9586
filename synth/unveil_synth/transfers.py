"""The money world: background legitimate activity and the typologies planted for some networks.

Planted typologies follow published FIU indicators for trafficking and smuggling (FATF 2018,
FinCEN FIN-2020-A008, FINTRAC Project Protect, Egmont/Europol): many unrelated senders to one
receiver, cash deposits then transfers to a source country, amounts just under thresholds, funnel
accounts, payments to ad sites, hotels and travel for several people, round per-person amounts that
match the smuggling prices posted online, and parties whose phone is the one in the ads. What each
kind of network plants (parties, instances, who pays whom, how much, how often) is data: the YAML
files of ``unveil_synth.flows``, run by ``unveil_synth.flows.plant``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from unveil_synth.actors import Actor
from unveil_synth.background import write_background
from unveil_synth.flows import instances_planted, plant
from unveil_synth.ledger import Ledger
from unveil_synth.moneywriter import MoneyWriter
from unveil_synth.plan import WorldPlan
from unveil_synth.rand import FastRandom

CLEAN_PARTIES_PER_INSTANCE = 1100
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
PARTIES_PER_PART = 2000


def money_parts(plan: WorldPlan) -> int:
    """How many parts the money world is written in (part 0 holds the planted networks)."""
    return (clean_parties(plan) + PARTIES_PER_PART - 1) // PARTIES_PER_PART


def clean_parties(plan: WorldPlan) -> int:
    """Clean parties: at least ``CLEAN_PARTIES_PER_INSTANCE`` per planted typology instance."""
    instances = sum(instances_planted(network.kind.name) for network in money_networks(plan))
    return max(1000, instances * CLEAN_PARTIES_PER_INSTANCE)


def write_money_part(out: Path, plan: WorldPlan, part: int) -> Counter[str]:
    """Write part ``part`` of the transfers and of their truth (into ``out/.parts``); return counts."""
    counts: Counter[str] = Counter()
    with Ledger(out, part) as ledger:
        money = MoneyWriter(out, ledger, part)
        if part == 0:
            for network in money_networks(plan):
                plant(money, FastRandom(f"{plan.seed}/money/{network.actor_id}"), network)
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
