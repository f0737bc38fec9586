"""Who posts: planted networks and independent authors, each a pure function of (seed, kind, index).

Networks rotate several phones over time, share a few text templates with slots, re-use photos
and move their victims around a circuit of cities. Independent authors re-post their own ad. Both
are rebuilt on demand from their index (cached), so memory does not grow with the number of posts.

Two classes of independent escort and massage authors carry what makes linking without identifiers
hard on real ads (chosen from the author's id, so the rest of the world does not move):

- **rewriters** (``REWRITER_PERCENT``): half-way through their activity they change phone, drop
  their e-mail and handle and reword their ad (every phrase another alternative of its role), but
  keep their personal style: the ad's dress (emoji, separators) and a sign-off line with a
  nickname of their own (``Actor.signoff``). Truth: the same ``actor_id``, ``rewritten`` 1;
- **agency clients** (``AGENCY_PERCENT``): unrelated authors who post an agency's stock text (one
  of ``AGENCIES`` per bank and language) with their own name, age, phone and city. Truth: their
  own ``actor_id``, the agency's ``template_id``, ``boilerplate`` ``agency-N``.
"""

from __future__ import annotations

import bisect
import random
import zlib
from dataclasses import dataclass
from functools import lru_cache

from unveil_synth.identifiers import Phone, make_email, make_handle, make_phone
from unveil_synth.kinds import KIND_BY_NAME, NETWORK_PREFIX, Kind
from unveil_synth.phrases import BANKS
from unveil_synth.phrases.words import COMPANIES, FIRST_NAMES, HOTELS, MALE_NAMES, NATIONALITIES, SALONS
from unveil_synth.places import CIRCUITS, CITIES, CITY_BY_NAME, DEPARTURE_POINTS
from unveil_synth.rand import FastRandom

HOME_COUNTRIES = {
    "escort_network": ("RO", "BG", "HU", "NG", "ES", "UA"),
    "smuggling_offer": ("IQ", "AL", "SY", "TR", "VN"),
    "labour_exploitation": ("RO", "BG", "PL", "UA"),
}
DECORATIONS = (
    ("", "", " "),
    ("💋 ", " 💋", "\n"),
    ("✨", "✨", " ✨ "),
    ("", "", " | "),
    ("🔥 ", "", "\n"),
    ("", " ❤️", ". "),
    ("⭐ ", " ⭐", "\n"),
    ("", "", " - "),
)
SMUGGLING_ROUTES = (
    ("UK", "boat", 1500, 3000),
    ("UK", "truck", 3000, 6000),
    ("UK", "car", 7000, 12000),
    ("Germany", "car", 400, 1200),
    ("Italy", "truck", 1500, 3500),
    ("France", "car", 300, 900),
)
CITY_SHARES = {city.name: city.weight for city in CITIES}
STYLE_BANKS = ("escort", "massage")
REWRITER_PERCENT = 25  # of independent escort and massage authors
AGENCY_PERCENT = 15  # of independent escort and massage authors (not rewriters)
AGENCIES = 2  # stock texts per bank and language
NICK_SYLLABLES = ("bi", "lu", "mi", "ko", "za", "ri", "fe", "ny", "do", "sha", "vi", "ta", "ki", "mo", "lo", "pe")
SIGNOFFS = (
    "kisses from your {nick} {emoji}",
    "ask for {nick}, you will not regret it{mark}",
    "{nick} is waiting for you{mark} {emoji}",
    "xoxo {nick} {emoji}",
    "your sweet {nick} loves long dates{mark}",
    "only for gentlemen who like {nick}{mark}",
    "{emoji} {nick} says hello {emoji}",
    "ps {nick} never rushes{mark}",
)
SIGNOFF_EMOJI = ("😘", "💋", "🌹", "💕", "✨", "🍓", "🦋", "🌸", "💎", "🍒")
SIGNOFF_MARKS = ("!", "!!", "!!!", "...", " ~", "")


# Templates, personas and actors are never changed once built. They are plain slotted classes compared by
# identity: a frozen dataclass sets each field through ``object.__setattr__``, and a world builds tens of
# thousands of authors.


@dataclass(slots=True, eq=False)
class Template:
    """A network's (or author's) ad template: which alternative of each role, in which dress."""

    template_id: str
    language: str
    choices: tuple[tuple[int, int], ...]  # (role index, alternative index), in order of appearance
    prefix: str
    suffix: str
    joiner: str
    with_indicators: bool


@dataclass(slots=True, eq=False)
class Persona:
    """Who an ad presents: a victim of a network, or the independent author herself."""

    name: str
    age: int
    true_age: int
    nationality: int
    photo: int  # base photo id, -1 when the persona has no photo
    offset: float


@dataclass(slots=True, eq=False)
class Actor:
    """A planted network or an independent author."""

    actor_id: str
    kind: Kind
    is_network: bool
    platform: str
    channel: str
    start: float
    end: float
    phones: tuple[Phone, ...]
    emails: tuple[str, ...]
    handles: tuple[tuple[str, str], ...]
    templates: tuple[Template, ...]
    personas: tuple[Persona, ...]
    circuit: tuple[str, ...]
    stay_days: float
    home_country: str
    price: int
    route: tuple[str, str, int, int]
    departure: tuple[str, ...]
    company: str
    job: int
    salon: str
    hotel: str
    signoff: str = ""  # a rewriter's personal line under every ad
    rewrite_at: float = 2.0  # when (0..1 of the world's span) a rewriter changes phone and words; 2: never


_CUMULATIVE: dict[int, tuple[list[str], list[float]]] = {}


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    """A key of ``weights`` drawn in proportion to its weight (cumulative sums cached per table)."""
    table = _CUMULATIVE.get(id(weights))
    if table is None:
        keys, running, cumulative = list(weights), 0.0, []
        for key in keys:
            running += weights[key]
            cumulative.append(running)
        table = _CUMULATIVE[id(weights)] = (keys, cumulative)
    keys, cumulative = table
    return keys[min(len(keys) - 1, bisect.bisect(cumulative, rng.random() * cumulative[-1]))]


# per phrase bank: (role index, "!" for an indicator role, "?" for an optional one, else "", alternatives)
_ROLES: dict[tuple[str, str], tuple[tuple[int, str, int], ...]] = {
    key: tuple(
        (index, name[:1] if name[:1] in "!?" else "", len(alternatives))
        for index, (name, alternatives) in enumerate(bank)
    )
    for key, bank in BANKS.items()
}


def _template(rng: random.Random, template_id: str, kind: Kind, language: str, indicators: bool) -> Template:
    draw = rng.random
    choices: list[tuple[int, int]] = []
    for index, mark, alternatives in _ROLES[(kind.bank, language)]:
        if mark and (not indicators if mark == "!" else draw() < 0.35):
            continue
        choices.append((index, int(draw() * alternatives)))
    if len(choices) > 3 and rng.random() < 0.3:  # some posters put the price or the hook first
        moved = choices.pop(rng.randrange(1, len(choices) - 1))
        choices.insert(rng.randrange(0, 2), moved)
    prefix, suffix, joiner = (
        rng.choice(DECORATIONS)
        if kind.bank in ("escort", "massage")
        else ("", "", rng.choice((" ", "\n", ". ", " | ")))
    )
    return Template(template_id, language, tuple(choices), prefix, suffix, joiner, indicators)


def _window(rng: random.Random, network: bool) -> tuple[float, float]:
    length = rng.uniform(0.15, 0.6) if network else rng.uniform(0.05, 0.4)
    start = rng.uniform(0.0, 1.0 - length * 0.5)
    return start, min(1.0, start + length)


def _persona(rng: random.Random, kind: Kind, photo: int, minor_rate: float) -> Persona:
    true_age = 18 + int(rng.random() * 14)
    if rng.random() < minor_rate:
        true_age = 15 + int(rng.random() * 3)
    shown = max(18, true_age if rng.random() < 0.7 else true_age - int(rng.random() * 4))
    nationalities = len(NATIONALITIES.get("en", ()))
    name = rng.choice(MALE_NAMES) if kind.bank in ("smuggling", "labour") else rng.choice(FIRST_NAMES)
    return Persona(name, shown, true_age, rng.randrange(nationalities), photo, rng.random())


def build_network(seed: int, kind_name: str, index: int, photos: tuple[int, ...]) -> Actor:
    """Network ``index`` of ``kind_name``: a pure function of the seed (same seed, same network)."""
    kind = KIND_BY_NAME[kind_name]
    rng = FastRandom(f"{seed}/network/{kind_name}/{index}")
    actor_id = f"{NETWORK_PREFIX[kind_name]}{index:05d}"
    home = rng.choice(HOME_COUNTRIES[kind_name])
    languages = _network_languages(rng, kind, home)
    start, end = _window(rng, True)
    phone_count = 2 + int(rng.random() * 5) if kind.bank == "escort" else 2 + int(rng.random() * 3)
    phones = tuple(make_phone(rng, _phone_country(rng, home)) for _ in range(phone_count))
    indicator_share = kind.indicator_rate
    templates = tuple(
        _template(rng, f"{actor_id}-T{i}", kind, languages[i % len(languages)], rng.random() < indicator_share)
        for i in range(1 + int(rng.random() * 3))
    )
    persona_count = 3 + int(rng.random() * 8) if kind.bank == "escort" else 1 + int(rng.random() * 3)
    personas = tuple(
        _persona(rng, kind, photos[i % len(photos)] if photos else -1, 0.06 if kind.bank == "escort" else 0.0)
        for i in range(persona_count)
    )
    circuit = list(rng.choice(CIRCUITS))
    rng.shuffle(circuit)
    return _actor(
        rng,
        actor_id,
        kind,
        True,
        start,
        end,
        phones,
        templates,
        personas,
        tuple(circuit[: 2 + int(rng.random() * 3)]),
        home,
    )


def _network_languages(rng: random.Random, kind: Kind, home: str) -> tuple[str, ...]:
    first = _pick(rng, kind.languages)
    native = {"RO": "ro", "BG": "bg", "ES": "es", "PL": "pl", "IQ": "ar", "SY": "ar"}.get(home)
    if native and (kind.bank, native) in BANKS and native != first and rng.random() < 0.4:
        return first, native
    return (first,)


def _phone_country(rng: random.Random, home: str) -> str:
    draw = rng.random()
    if draw < 0.6:
        return "BE"
    if draw < 0.85 and home in ("RO", "BG", "HU", "NG", "UA", "IQ", "AL", "SY", "TR", "VN", "PL", "ES"):
        return home
    return rng.choice(("NL", "FR", "DE", "GB", "US"))


def build_author(
    seed: int, kind_name: str, index: int, photo: int, posting_from: float = 0.0, posting_to: float = 1.0
) -> Actor:
    """Independent author ``index`` of ``kind_name`` (a sex worker, a salon, an employer, an NGO...), who
    posts between ``posting_from`` and ``posting_to`` (0..1 of the world's span; a rewriter rewrites
    in between)."""
    kind = KIND_BY_NAME[kind_name]
    # an integer seed: seeding with a string hashes it with SHA-512, too slow for 100,000 authors
    rng = FastRandom((seed * 1_000_003 + zlib.crc32(kind_name.encode())) * 10_000_019 + index)
    language = _pick(rng, kind.languages)
    start, end = _window(rng, False)
    country = "BE" if rng.random() < 0.8 else rng.choice(("NL", "FR", "DE", "LU", "GB", "US", "RO"))
    phones = (make_phone(rng, country),)
    template = _template(
        rng, f"A{kind_name[:3].upper()}{index:06d}-T0", kind, language, rng.random() < kind.indicator_rate
    )
    home = _pick(rng, CITY_SHARES)
    persona = _persona(rng, kind, photo, 0.0)
    actor = _actor(
        rng,
        f"A{kind_name[:3].upper()}{index:06d}",
        kind,
        False,
        start,
        end,
        phones,
        (template,),
        (persona,),
        (home,),
        CITY_BY_NAME[home].country,
    )
    if kind.bank not in STYLE_BANKS:
        return actor
    code = zlib.crc32(actor.actor_id.encode()) % 100
    if code < REWRITER_PERCENT:
        return _rewriter(seed, actor, country, max(0.0, posting_from), min(1.0, posting_to))
    if code < REWRITER_PERCENT + AGENCY_PERCENT:
        return _agency_client(seed, actor)
    return actor


def _rewriter(seed: int, actor: Actor, country: str, posting_from: float, posting_to: float) -> Actor:
    """The author with a second phone, a reworded template in the same dress and a sign-off of her
    own; no e-mail or handle (nothing but the writing joins her two phases). Drawn from a generator
    of its own, so the author's other draws stay as they were."""
    rng = FastRandom(f"{seed}/rewriter/{actor.actor_id}")
    first = actor.templates[0]
    alternatives = {index: count for index, _, count in _ROLES[(actor.kind.bank, first.language)]}
    reworded = tuple(
        (role, (choice + 1 + int(rng.random() * (alternatives[role] - 1))) % alternatives[role])
        if alternatives[role] > 1
        else (role, choice)
        for role, choice in first.choices
    )
    second = Template(
        f"{actor.actor_id}-T1",
        first.language,
        reworded,
        first.prefix,
        first.suffix,
        first.joiner,
        first.with_indicators,
    )
    nick = "".join(rng.choice(NICK_SYLLABLES) for _ in range(2 + int(rng.random() * 2))).capitalize()
    signoff = rng.choice(SIGNOFFS).format(nick=nick, emoji=rng.choice(SIGNOFF_EMOJI), mark=rng.choice(SIGNOFF_MARKS))
    actor.phones = (actor.phones[0], make_phone(rng, country))
    actor.templates = (first, second)
    actor.emails, actor.handles = (), ()
    actor.signoff = signoff
    actor.rewrite_at = posting_from + (posting_to - posting_from) * rng.uniform(0.35, 0.65)
    return actor


def _agency_client(seed: int, actor: Actor) -> Actor:
    """The author posting one of her agency's stock texts (shared with unrelated authors)."""
    first = actor.templates[0]
    number = zlib.crc32(actor.actor_id.encode()) // 100 % AGENCIES
    template_id = f"AGENCY-{actor.kind.bank}-{first.language}-{number}"
    rng = FastRandom(f"{seed}/{template_id}")
    actor.templates = (_template(rng, template_id, actor.kind, first.language, first.with_indicators),)
    return actor


def _actor(
    rng: random.Random,
    actor_id: str,
    kind: Kind,
    network: bool,
    start: float,
    end: float,
    phones: tuple[Phone, ...],
    templates: tuple[Template, ...],
    personas: tuple[Persona, ...],
    circuit: tuple[str, ...],
    home: str,
) -> Actor:
    name = personas[0].name
    emails = (make_email(rng, name),) if rng.random() < (0.4 if network else 0.3) else ()
    services = ("telegram",) if kind.bank == "smuggling" else ("instagram", "snapchat", "telegram")
    handles = ((rng.choice(services), make_handle(rng, name)),) if rng.random() < 0.45 else ()
    route = rng.choice(SMUGGLING_ROUTES)
    departure = tuple(rng.sample(DEPARTURE_POINTS, 1 + int(rng.random() * 3)))
    channel = _channel_name(rng, kind, name, departure[0])
    return Actor(
        actor_id,
        kind,
        network,
        _pick(rng, kind.platforms),
        channel,
        start,
        end,
        phones,
        emails,
        handles,
        templates,
        personas,
        circuit,
        rng.uniform(3, 10),
        home,
        60 + 10 * int(rng.random() * 10),
        route,
        departure,
        rng.choice(COMPANIES),
        rng.randrange(8),
        rng.choice(SALONS),
        rng.choice(HOTELS),
    )


def _channel_name(rng: random.Random, kind: Kind, name: str, departure: str) -> str:
    if kind.bank == "smuggling":
        return rng.choice(
            (
                f"{departure} UK trips",
                f"Abu {name} travel",
                f"{name} Europe transport",
                f"Safe way {departure}",
                f"Road to UK {rng.randrange(1, 99)}",
            )
        )
    if kind.bank == "migration_info":
        return rng.choice(
            (f"Info {departure} refugees", "Refugee Info Bus", f"Welcome {departure}", "InfoMigrants-like")
        )
    if kind.bank == "travel":
        return rng.choice((f"{name} Transport", "Euro Bus Lines", "Balkan Express", "Atlas Voyages"))
    return name


@lru_cache(maxsize=8192)
def cached_author(
    seed: int, kind_name: str, index: int, photo: int, posting_from: float = 0.0, posting_to: float = 1.0
) -> Actor:
    """``build_author`` with a bounded cache (authors re-post, so the same one is asked for often)."""
    return build_author(seed, kind_name, index, photo, posting_from, posting_to)
