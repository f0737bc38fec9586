"""Money flows as data: the parties, typology instances and transfers planted for each kind of network.

Each YAML file beside this module describes the money of one kind of network (``network``); a new
kind's money is a new file (``escort.yaml`` is the commented example):

- ``words``: lists of literal words, bound by name;
- ``let``: values computed from the network before anything is drawn;
- ``parties``: each a planted party made by ``make_party`` (``id`` after the network's id, ``role``,
  ``country``, ``city``, optional ``phone``, ``business``, ``female``, and ``in_posts`` when its phone
  is the one in the network's posts), or with ``count`` a list of them, numbered ``i`` from 0;
- ``instances``: the typology instances (``typology``, ``party``, ``description``), recorded in the
  order written, each name bound to the instance's id;
- ``flows``: steps run in order. A step may loop (``for``: each name bound in turn to every member of
  its expression, nested in the order written), be skipped (``if``), bind names (``let``, in order),
  then either writes one transfer (``send``: ``channel``, ``type``, ``at``, ``amount``, ``from``, ``to``,
  ``instance``, ``agent_city``, ``merchant``, ``reference``) or runs its own steps (``do``).

Every other value is a Python expression over the names bound so far and: the network's fields
``circuit``, ``phones``, ``personas``, ``home_country``, ``route`` and ``company``; ``start`` and ``end``
(epoch seconds of its activity, at least 60 days); ``DAY``, ``WEEK`` and ``MONTH`` (seconds);
``hotels`` and ``ad_sites``; ``len``, ``max``, ``min``, ``int`` and ``range``; and the draws of the
network's seeded generator ``uniform``, ``randrange``, ``randint`` and ``choice``. Draws happen in the
order written (a party's ``country`` before its ``city``; a transfer's ``at``, ``amount``,
``agent_city``, ``merchant`` then ``reference``), so one seed always plants the same money.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from types import CodeType
from typing import Any

import yaml

from unveil_synth.actors import Actor
from unveil_synth.kinds import AD_SITES
from unveil_synth.moneywriter import MoneyWriter
from unveil_synth.parties import Party, make_party
from unveil_synth.phrases.words import HOTELS
from unveil_synth.plan import epoch_of

Step = Mapping[str, Any]
DAY = 86400.0
SEND_DRAWS = ("at", "amount", "agent_city", "merchant", "reference")  # evaluated in this order
SEND_KEYS = frozenset({"channel", "type", "from", "to", "instance", *SEND_DRAWS})
NETWORK_FIELDS = ("circuit", "phones", "personas", "home_country", "route", "company")
STEP_KEYS = frozenset({"for", "if", "let", "send", "do"})
PARTY_KEYS = frozenset({"id", "role", "country", "city", "phone", "business", "female", "in_posts", "count"})
CONSTANTS: dict[str, Any] = {
    "__builtins__": {},
    "DAY": DAY,
    "WEEK": 7 * DAY,
    "MONTH": 30 * DAY,
    "hotels": HOTELS,
    "ad_sites": tuple(AD_SITES),
    "len": len,
    "max": max,
    "min": min,
    "int": int,
    "range": range,
}


@cache
def _code(expression: str) -> CodeType:
    return compile(str(expression), "<money flow>", "eval")


def _value(expression: str, names: dict[str, Any]) -> Any:
    return eval(_code(expression), names)  # expressions of the package's own flow files only


def check_flow(flow: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """A flow whose keys are known and whose expressions compile (a mistake is named at import)."""
    problems = [key for key in flow if key not in ("network", "words", "let", "parties", "instances", "flows")]
    expressions = list(flow.get("let", {}).values())
    for party in flow["parties"].values():
        problems += [key for key in party if key not in PARTY_KEYS]
        expressions += [party[key] for key in ("country", "city", "phone", "business", "count") if key in party]
    expressions += [instance["party"] for instance in flow["instances"].values()]
    steps = list(flow["flows"])
    while steps:
        step = steps.pop()
        problems += [key for key in step if key not in STEP_KEYS]
        problems += [key for key in step.get("send", {}) if key not in SEND_KEYS]
        if ("send" in step) == ("do" in step):
            problems.append("a step with both or neither of send and do")
        expressions += [*step.get("for", {}).values(), *step.get("let", {}).values()]
        expressions += [step["if"]] if "if" in step else []
        send = step.get("send", {})
        expressions += [send[key] for key in (*SEND_DRAWS, "from", "to", "instance") if key in send]
        steps.extend(step.get("do", ()))
    if problems:
        raise ValueError(f"money flow {name}.yaml: unknown or misplaced {sorted(map(str, problems))}")
    for expression in expressions:
        _code(expression)
    return flow


def _load() -> dict[str, Mapping[str, Any]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    flows = {}
    files = sorted((f for f in resources.files(__name__).iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    for file in files:
        flow = yaml.load(file.read_text("utf-8"), Loader=loader)
        flows[flow["network"]] = check_flow(flow, file.name.removesuffix(".yaml"))
    return flows


FLOWS: dict[str, Mapping[str, Any]] = _load()


def instances_planted(kind: str) -> int:
    """How many typology instances the money of one network of ``kind`` plants."""
    return len(FLOWS[kind]["instances"])


class _Planting:
    """One network's flow being run: its writer, seeded generator and instance typologies."""

    def __init__(self, money: MoneyWriter, rng: random.Random, network: Actor) -> None:
        self.money, self.rng, self.network_id = money, rng, network.actor_id
        self.typologies: dict[str, str] = {}

    def parties(self, spec: Step, names: dict[str, Any]) -> Party | list[Party]:
        if "count" not in spec:
            return self.party(spec, names)
        return [self.party(spec, {**names, "i": i}) for i in range(_value(spec["count"], names))]

    def party(self, spec: Step, names: dict[str, Any]) -> Party:
        country, city = _value(spec["country"], names), _value(spec["city"], names)
        party = make_party(
            self.rng,
            f"{self.network_id}-{str(spec['id']).format_map(names)}",
            spec["role"],
            self.network_id,
            country,
            city,
            female=bool(spec.get("female", False)),
            business=_value(spec["business"], names) if "business" in spec else "",
            phone=_value(spec["phone"], names) if "phone" in spec else None,
        )
        return self.money.party(party, True, bool(spec.get("in_posts", False)))

    def instance(self, spec: Step, names: dict[str, Any]) -> str:
        party = _value(spec["party"], names)
        description = str(spec["description"]).format_map(names)
        instance_id = self.money.instance(self.network_id, spec["typology"], party, description)
        self.typologies[instance_id] = spec["typology"]
        return instance_id

    def steps(self, steps: Iterable[Step], names: dict[str, Any]) -> None:
        for step in steps:
            self.loop(step, list(step.get("for", {}).items()), names)

    def loop(self, step: Step, loops: list[tuple[str, str]], names: dict[str, Any]) -> None:
        if loops:
            (name, expression), inner = loops[0], loops[1:]
            for member in _value(expression, names):
                self.loop(step, inner, {**names, name: member})
            return
        if "if" in step and not _value(step["if"], names):
            return
        scope = dict(names)
        for name, expression in step.get("let", {}).items():
            scope[name] = _value(expression, scope)
        if "send" in step:
            self.send(step["send"], scope)
        self.steps(step.get("do", ()), scope)

    def send(self, spec: Step, names: dict[str, Any]) -> None:
        drawn: dict[str, Any] = {key: _value(spec[key], names) if key in spec else "" for key in SEND_DRAWS}
        instance = _value(spec["instance"], names) if "instance" in spec else ""
        self.money.send(
            self.rng,
            spec["channel"],
            spec["type"],
            drawn["at"],
            drawn["amount"],
            _value(spec["from"], names) if "from" in spec else None,
            _value(spec["to"], names) if "to" in spec else None,
            instance=instance,
            typology=self.typologies.get(instance, ""),
            network=self.network_id,
            agent_city=drawn["agent_city"],
            merchant=drawn["merchant"],
            reference=drawn["reference"],
        )


def plant(money: MoneyWriter, rng: random.Random, network: Actor) -> None:
    """Write the parties, instances and transfers of ``network``'s money flow (``FLOWS[network.kind.name]``)."""
    flow = FLOWS[network.kind.name]
    start = epoch_of(network.start)
    names: dict[str, Any] = {
        **CONSTANTS,
        "start": start,
        "end": max(start + 60 * DAY, epoch_of(network.end)),
        **{field: getattr(network, field) for field in NETWORK_FIELDS},
        "uniform": rng.uniform,
        "randrange": rng.randrange,
        "randint": rng.randint,
        "choice": rng.choice,
        **flow.get("words", {}),
    }
    for name, expression in flow.get("let", {}).items():
        names[name] = _value(expression, names)
    planting = _Planting(money, rng, network)
    for name, spec in flow["parties"].items():
        names[name] = planting.parties(spec, names)
    for name, spec in flow["instances"].items():
        names[name] = planting.instance(spec, names)
    planting.steps(flow["flows"], names)
