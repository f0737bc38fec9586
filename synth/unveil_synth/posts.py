"""One post: its text from the author's template, its slots, its contacts (often obfuscated), its truth."""

from __future__ import annotations

import bisect
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from unveil_synth.actors import Actor, Persona, Template
from unveil_synth.identifiers import Phone, local_display
from unveil_synth.kinds import KINDS
from unveil_synth.obfuscate import RULE_CUMULATIVE, RULE_NAMES, RULE_TOTAL, write_email, write_handle, write_phone
from unveil_synth.phrases import BANKS
from unveil_synth.phrases.words import JOBS, NATIONALITIES
from unveil_synth.places import CITY_BY_NAME
from unveil_synth.plan import VARIANTS, WorldPlan, epoch_of
from unveil_synth.tally import Who

DESTINATIONS = {
    "ar": {"UK": "بريطانيا", "London": "لندن", "Italy": "إيطاليا", "Germany": "ألمانيا", "France": "فرنسا"},
    "fa": {"UK": "انگلیس", "London": "لندن", "Italy": "ایتالیا", "Germany": "آلمان", "France": "فرانسه"},
    "fr": {"UK": "Angleterre", "London": "Londres", "Italy": "Italie", "Germany": "Allemagne"},
}
# Where an escort says she comes back from: cities abroad, written as their own country's ads write them.
FOREIGN_CITIES = ("London, UK", "Las Vegas, Nevada", "Miami, FL", "Manchester", "Lagos", "Bucharest", "Sofia", "Paris")
TRAVEL_ORIGINS = ("Sofia", "Bucharest", "Plovdiv", "Iasi", "Casablanca", "Tirana", "Warsaw", "Varna", "Constanta")
EDIT_EMOJI = ("😘", "🌹", "🔥", "✅", "📞", "🙏", "⭐")
# Boilerplate shared by unrelated advertisers: the footers that sites and agencies paste under ads.
SITE_FOOTERS = (
    "All models are independent and over 18. Time and companionship only, no law enforcement, no screenshots.",
    "Posted via premium listings: verified profiles, real photos, discreet and safe, we respect your privacy.",
    "Agency booking: incall and outcall available 24/7, upscale service, serious gentlemen only, deposit required.",
    "This ad was promoted by top escorts network, the best companions in your city, reviews on our website.",
)
FOOTER_BANKS = ("escort", "massage")
FOOTER_PER_TEN = 3  # three advertisers in ten paste a footer
HEAVY_PER_THREE = 1  # one edited copy in three is rewritten (sentences reordered, one dropped)
EMAIL_LABELS = ("✉️ ", "Email: ", "Mail: ", "", "📧 ")
HANDLE_LABELS = ("", "👉 ", "+ ", "➡️ ")


@dataclass(slots=True)
class Post:
    """A generated post with everything the writers need."""

    number: int
    post_id: str
    actor: Actor
    language: str
    city: str
    country: str
    epoch: float
    text: str
    title: str
    url: str
    author: str
    images: list[str]
    template_id: str
    edit: str
    with_indicators: bool
    minor: bool
    identifiers: list[tuple[str, str, str, str, str]]  # type, value, written, rule, role
    posted_at: str
    form: _Form  # the template dressed for the post's actor and persona (pre-rendered pieces)
    boilerplate: str = ""  # shared by unrelated advertisers: the site footer ("footer-N"), the agency's stock text
    rewritten: bool = False  # written by a rewriter after she changed phone and words (``actors.REWRITER_PERCENT``)


def make_post(plan: WorldPlan, rng: random.Random, number: int) -> Post:
    """Draw post number ``number`` (posts are numbered in time order)."""
    draw = rng.random
    when = (number + draw()) / plan.posts
    kind = KINDS[bisect.bisect_left(plan.kind_cumulative, draw())]
    actor = plan.pools[kind.name].pick(rng, when) if kind.network_run else plan.pick_author(rng, kind, when)
    profile = _PROFILES.get(id(actor))
    if profile is None or profile.actor is not actor:
        profile = _profile(actor)
    chosen_template, chosen_persona = int(draw() * profile.templates), int(draw() * profile.personas)
    rewritten = when >= actor.rewrite_at  # a rewriter's second phase: her second phone and reworded template
    if actor.rewrite_at <= 1.0:
        chosen_template = int(rewritten)
    choice = chosen_template * 64 + chosen_persona
    form = profile.forms.get(choice)
    if form is None:
        form = profile.forms[choice] = _compile(
            profile, actor.templates[chosen_template], actor.personas[chosen_persona]
        )
    language = form.language
    if profile.place == _HOME:  # most posts (``_place`` inline)
        city, days = profile.circuit[0], 2 + int(draw() * 4)
    else:
        city, days = _place(profile, form.offset, when, draw)
    phones = profile.phones
    if actor.rewrite_at <= 1.0:
        phone = phones[int(rewritten)]
    else:
        phone = phones[0] if len(phones) == 1 else _active_phone(profile, when, draw)
    rule = RULE_NAMES[bisect.bisect(RULE_CUMULATIVE, draw() * RULE_TOTAL)]
    if rule == "plain" or (rule == "arabic_indic" and language != "ar"):  # Arabic-Indic digits in Arabic only
        rule, contact = "plain", local_display(phone)
    else:
        contact = write_phone(phone, rule, language, rng)
    identifiers = [("phone", phone.e164, contact, rule, profile.role)] if form.has_contact else []
    slots = _dynamic_slots(profile, language, city, days, contact, draw())
    text = form.body.format_map(slots)
    if profile.extras:
        text += _extra_contacts(actor, rng, identifiers, profile.role)
    if profile.hubs:
        hub_draw = draw()
        if hub_draw < profile.hub_share:  # most posts name no hub: no call
            text += _hub_line(plan, actor, rng, identifiers, language, hub_draw)
    if profile.tail:
        text += profile.tail  # her sign-off and the site footer, fixed per actor
    edit = ""
    if draw() < profile.edit_rate:
        edited, edit = _heavy_edit(text, rng) if number % 3 < HEAVY_PER_THREE else _light_edit(text, rng)
        # an edit never touches a phone, an email or a handle (an emoji is only appended)
        if edit == "emoji" or all(row[2] in edited for row in identifiers):
            text = edited
        else:
            text, edit = text + " " + EDIT_EMOJI[number % len(EDIT_EMOJI)], "emoji"
    prefix = profile.urls.get(city)
    if prefix is None:
        prefix = profile.urls[city] = _url_prefix(actor, city)
    epoch = _START_SECONDS + when * _SPAN_SECONDS  # epoch_of(when), inline
    images = _images(form.photo, draw) if form.photo >= 0 else []
    if rewritten:
        images = []  # a rewriter's second phase shows none of her earlier photos
    return Post(
        number,
        "P" + str(number).zfill(8),
        actor,
        language,
        city,
        _COUNTRY[city],
        epoch,
        text,
        form.title.format_map(slots)[:80] if form.title_slots else form.title,
        f"{prefix}{profile.url_offset + number}",
        form.author,
        images,
        form.template_id,
        edit,
        form.with_indicators,
        form.minor,
        identifiers,
        iso_time(epoch),
        form,
        form.boilerplate,
        rewritten,
    )


def _footer(actor: Actor, bank: str) -> int:
    """Which site footer (1-based; 0: none) an advertiser pastes under every ad: fixed per actor, drawn
    from its id (no random draw, so the rest of the world does not move)."""
    if bank not in FOOTER_BANKS:
        return 0
    code = zlib.crc32(actor.actor_id.encode())
    return 1 + (code // 10) % len(SITE_FOOTERS) if code % 10 < FOOTER_PER_TEN else 0


def _heavy_edit(text: str, rng: random.Random) -> tuple[str, str]:
    """Rewrite a copy heavily, as an author re-posting in her own words: its lines (or sentences) in
    another order and one of them dropped (an edit that loses a contact is not kept, see ``make_post``)."""
    parts = text.split("\n") if text.count("\n") >= 2 else text.split(". ")
    if len(parts) < 3:
        return _light_edit(text, rng)
    del parts[rng.randrange(len(parts))]
    rng.shuffle(parts)
    return ("\n" if "\n" in text else ". ").join(parts), "heavy"


_COUNTRY = {name: city.country for name, city in CITY_BY_NAME.items()}
_START_SECONDS, _SPAN_SECONDS = epoch_of(0.0), epoch_of(1.0) - epoch_of(0.0)


@dataclass(slots=True)
class _Profile:
    """What every post of one actor shares, worked out once: role, edit rate, which extras apply, forms, urls."""

    actor: Actor
    bank: str
    role: str
    edit_rate: float
    extras: bool  # emails, handles or a second phone may be added
    hubs: bool  # a hub identifier may be added
    hub_share: float  # ... when the post's draw is under this (``HUB_SHARES``)
    templates: int
    personas: int
    url_offset: int
    forms: dict[int, _Form]  # by template * 64 + persona
    urls: dict[str, str]
    slots: dict[str, dict[str, Any]]  # by language: the actor's fixed slots and the per-post fields (``_actor_slots``)
    place: int  # how posts are placed: _DEPARTURE, _HOME or _CIRCUIT
    departures: tuple[str, ...]  # smuggling and information posts: departure points that are cities
    circuit: tuple[str, ...]
    start: float
    span: float  # of the actor's activity (0..1 of the world's span), for rotating phones
    stay_days: float
    stay: int  # days shown for a stay on the circuit
    phones: tuple[Phone, ...]
    price: int
    route_low: int
    route_steps: int  # price per person: route_low + 100 * (0..route_steps - 1)
    footer: int  # the site footer pasted under every ad (``_footer``)
    tail: str  # what follows every post's text: the sign-off and the footer


# keyed by the actor object (an actor id means another actor in another world), which the entry keeps alive
_PROFILES: dict[int, _Profile] = {}
HUB_BANKS = ("escort", "massage", "job", "labour", "migration_info", "smuggling")


_DEPARTURE, _HOME, _CIRCUIT = 0, 1, 2


def _profile(actor: Actor) -> _Profile:
    """Work out (and cache, bounded) the profile of ``actor``."""
    if len(_PROFILES) > 20_000:
        _PROFILES.clear()
    bank = actor.kind.bank
    place = _DEPARTURE if bank in ("smuggling", "migration_info") else _CIRCUIT if actor.is_network else _HOME
    low, high = actor.route[2], actor.route[3]
    footer = _footer(actor, bank)
    profile = _PROFILES[id(actor)] = _Profile(
        actor,
        bank,
        "network" if actor.is_network else "independent",
        0.35 if actor.is_network else 0.25,
        bool(actor.emails or actor.handles or (actor.is_network and len(actor.phones) > 1)),
        bank in HUB_BANKS,
        HUB_SHARES.get(bank, 0.0),
        len(actor.templates),
        len(actor.personas),
        900000000 if actor.platform == "facebook" else 0,
        {},
        {},
        {},
        place,
        tuple(point if point in CITY_BY_NAME else "Calais" for point in actor.departure),
        actor.circuit,
        actor.start,
        max(1e-9, actor.end - actor.start),
        actor.stay_days,
        max(1, round(actor.stay_days)),
        actor.phones,
        actor.price,
        low,
        (high - low) // 100 + 1,
        footer,
        ("\n" + actor.signoff if actor.signoff else "") + ("\n" + SITE_FOOTERS[footer - 1] if footer else ""),
    )
    return profile


@dataclass(slots=True, eq=False)
class _Form:
    """A template dressed for one actor and persona: the text with only the per-post slots left to fill."""

    body: str
    title: str  # a format string when ``title_slots``, else the title itself (cut to 80 characters)
    title_slots: bool
    has_contact: bool
    author: str
    minor: bool
    language: str
    template_id: str
    with_indicators: bool
    photo: int  # the persona's base photo, -1 for none
    offset: float  # the persona's place in the circuit
    who: Who  # the tally key of its posts
    truth: str  # the form's part of a truth row: network_id,actor_id,kind,label,language,template_id
    boilerplate: str  # the post's ``boilerplate``: the agency's stock text, the site footer


# slots that change from post to post (the rest are fixed per actor, language and persona)
_DYNAMIC = ("city", "contact", "days", "date")
_DYNAMIC_BY_BANK = {
    "smuggling": ("dep", "price_pp"),
    "migration_info": ("dep",),
    "labour": ("wage", "wage_month"),
    "escort": ("price2",),
}


def _compile(profile: _Profile, template: Template, persona: Persona) -> _Form:
    """Fill the fixed slots of a template once; the per-post slots stay as ``{name}`` fields."""
    actor, language = profile.actor, template.language
    base = profile.slots.get(language)
    if base is None:
        base = profile.slots[language] = _actor_slots(actor, language)
    nationalities = NATIONALITIES.get(language, NATIONALITIES["en"])
    slots = {
        **base,
        "name": _escaped(persona.name),
        "age": persona.age,
        "nat": _escaped(nationalities[persona.nationality % len(nationalities)]),
    }
    bank = BANKS[(profile.bank, language)]
    formats = [bank[r][1][a] for r, a in template.choices]
    parts = [text.format_map(slots) for text in formats]
    author = _author(actor, persona)
    title = parts[0] if parts and actor.kind.post_kind in ("ad", "job") else ""
    title_slots = any("{" + key + "}" in title for key in _DYNAMIC + _DYNAMIC_BY_BANK.get(profile.bank, ()))
    who = (
        actor.actor_id,
        actor.actor_id if actor.is_network else "",
        actor.kind.name,
        actor.kind.label,
        template.template_id,
        template.language,
        int(template.with_indicators),
    )
    return _Form(
        template.prefix + template.joiner.join(parts) + template.suffix,
        title if title_slots else title.format_map({})[:80],  # no per-post slot: the title is fixed
        title_slots,
        any("{contact}" in text for text in formats),  # "message me here": no number in this post
        author,
        persona.true_age < 18 and actor.kind.bank == "escort",
        template.language,
        template.template_id,
        template.with_indicators,
        persona.photo,
        persona.offset,
        who,
        f"{who[1]},{who[0]},{who[2]},{who[3]},{who[5]},{who[4]}",
        ";".join(
            name
            for name in (
                template.template_id if template.template_id.startswith("AGENCY-") else "",
                f"footer-{profile.footer}",
            )
            if name and name != "footer-0"
        ),
    )


_LOCAL_CITY: dict[tuple[str, str], str] = {}
_DATES = [f"{1 + day}/{1 + month}" for day in range(28) for month in range(12)]


def _dynamic_slots(profile: _Profile, language: str, city: str, days: int, contact: str, draw: float) -> dict[str, Any]:
    """This post's slot values: its city, contact, stay, date and (per kind) price or wage."""
    local = _LOCAL_CITY.get((city, language))
    if local is None:
        local = _LOCAL_CITY[(city, language)] = CITY_BY_NAME[city].local(language)
    slots: dict[str, Any] = {
        "city": local,
        "contact": contact,
        "days": days,
        "date": _DATES[int(draw * 28) * 12 + int(draw * 1000) % 12],
    }
    bank = profile.bank
    if bank == "escort":
        slots["price2"] = profile.price * 2 - (0, 20, 40)[int(draw * 3)]
    elif bank == "labour":
        slots["wage"] = 4 + int(draw * 5)
        slots["wage_month"] = 900 + int(draw * 12) * 50
    elif bank == "smuggling":
        slots["price_pp"] = profile.route_low + int(draw * 7919) % profile.route_steps * 100
        slots["dep"] = local  # the departure point the post is placed at
    elif bank == "migration_info":
        slots["dep"] = local
    return slots


def _place(profile: _Profile, offset: float, when: float, draw: Callable[[], float]) -> tuple[str, int]:
    """Where the post is placed, and the days of the current stay (networks move victims around a circuit)."""
    place = profile.place
    if place == _DEPARTURE:
        departures = profile.departures
        return departures[int(draw() * len(departures))], 0
    if place == _HOME:
        return profile.circuit[0], 2 + int(draw() * 4)
    circuit = profile.circuit
    days_elapsed = max(0.0, (when - profile.start) * 2192)
    stay = days_elapsed / profile.stay_days + offset * len(circuit)
    return circuit[int(stay) % len(circuit)], profile.stay


def _active_phone(profile: _Profile, when: float, draw: Callable[[], float]) -> Phone:
    """The phone in use at ``when``: networks rotate through their phones, sometimes an older one comes back."""
    phones = profile.phones
    count = len(phones)
    index = min(count - 1, max(0, int((when - profile.start) / profile.span * count)))
    if index and draw() < 0.12:
        index -= 1
    return phones[index]


def _actor_slots(actor: Actor, language: str) -> dict[str, Any]:
    """The slots an actor fills the same way in every post in ``language`` (escaped for ``format_map``), and the
    per-post slots as ``{name}`` fields; the persona's name, age and nationality are added per form."""
    jobs = JOBS.get(language, JOBS["en"])
    slots: dict[str, Any] = {
        "price": actor.price,
        "price2": actor.price * 2 if actor.kind.bank != "massage" else 60 + actor.price % 20,
        "price3": 85 + actor.price % 30,
        "hotel": _escaped(actor.hotel),
        "dep": _escaped(actor.departure[0]),
        "dest": _escaped(
            DESTINATIONS.get(language, {}).get(actor.route[0], actor.route[0])
            if actor.kind.bank in ("smuggling", "migration_info")
            else actor.route[0]
        ),
        "origin": TRAVEL_ORIGINS[actor.price % 9],
        "abroad": FOREIGN_CITIES[actor.price % len(FOREIGN_CITIES)],
        "price_pp": actor.price + 40,
        "job": _escaped(jobs[actor.job % len(jobs)]),
        "wage": 14 + actor.price % 5,
        "wage_month": 1800 + actor.price * 3,
        "salon": _escaped(actor.salon),
        "company": _escaped(actor.company),
    }
    for key in _DYNAMIC + _DYNAMIC_BY_BANK.get(actor.kind.bank, ()):
        slots[key] = "{" + key + "}"
    return slots


def _escaped(text: str) -> str:
    """``text`` as a literal in a format string."""
    return text.replace("{", "{{").replace("}", "}}") if "{" in text or "}" in text else text


def _extra_contacts(
    actor: Actor, rng: random.Random, identifiers: list[tuple[str, str, str, str, str]], role: str
) -> str:
    if not actor.emails and not actor.handles and not actor.is_network:
        return ""
    extra, draw = "", rng.random
    if actor.emails and draw() < 0.4:
        written, rule = write_email(actor.emails[0], rng)
        identifiers.append(("email", actor.emails[0], written, rule, role))
        extra += "\n" + EMAIL_LABELS[int(draw() * len(EMAIL_LABELS))] + written
    if actor.handles and draw() < 0.5:
        service, handle = actor.handles[0]
        written, rule = write_handle(service, handle, None, rng)
        identifiers.append(("handle", f"{service}:{handle}", written, rule, role))
        extra += "\n" + HANDLE_LABELS[int(draw() * len(HANDLE_LABELS))] + written
    if len(actor.phones) > 1 and actor.is_network and draw() < 0.1:
        second = actor.phones[int(draw() * len(actor.phones))]
        written = local_display(second)
        if not any(row[1] == second.e164 for row in identifiers):
            identifiers.append(("phone", second.e164, written, "plain", role))
            extra += " / " + written
    return extra


HUB_LABELS = {
    "hotel": "Hotel reception",
    "ad platform support": "Report abuse:",
    "temporary work agency": "Agency:",
    "NGO helpline": "☎",
}


# per bank, the draw under which a post names a hub (``_hub_line``'s largest threshold)
HUB_SHARES = {"escort": 0.09, "massage": 0.09, "job": 0.08, "labour": 0.08, "migration_info": 0.6, "smuggling": 0.03}


def _hub_line(
    plan: WorldPlan,
    actor: Actor,
    rng: random.Random,
    identifiers: list[tuple[str, str, str, str, str]],
    language: str,
    draw: float,
) -> str:
    """The line naming a hub when ``draw`` (the post's draw) says so (see ``HUB_SHARES``)."""
    bank = actor.kind.bank
    if bank == "escort" and draw < 0.06:
        hub = plan.hubs["hotel"][actor.price % len(plan.hubs["hotel"])]
    elif bank in ("escort", "massage") and draw < 0.09:
        hub = plan.hubs["support"][rng.randrange(len(plan.hubs["support"]))]
    elif bank in ("job", "labour") and draw < 0.08:
        hub = plan.hubs["agency"][rng.randrange(len(plan.hubs["agency"]))]
    elif (bank == "migration_info" and draw < 0.6) or (bank == "smuggling" and draw < 0.03):
        hub = plan.hubs["helpline"][rng.randrange(len(plan.hubs["helpline"]))]
    else:
        return ""
    written = local_display(hub.phone) if hub.phone else hub.value
    identifiers.append((hub.type, hub.value, written, "plain", "hub"))
    return (
        f"\n{HUB_LABELS.get(hub.label, 'Hotel reception')} {written}"
        if hub.label != "hotel switchboard"
        else (
            f"\n{'Receptie' if language == 'nl' else 'Réception' if language == 'fr' else 'Reception'} {actor.hotel}: "
            f"{written}"
        )
    )


def _light_edit(text: str, rng: random.Random) -> tuple[str, str]:
    """Edit a template copy lightly (a word dropped, a typo, an emoji), as re-posters do."""
    kind = rng.choice(("word_drop", "typo", "emoji", "punctuation"))
    if kind == "emoji" or kind == "punctuation":  # (the split below draws nothing: the draws are the same)
        if kind == "punctuation" and "!" in text:
            return text.replace("!", "!!", 1), kind
        return text + " " + rng.choice(EDIT_EMOJI), "emoji"
    words = text.split(" ")
    if kind == "word_drop" and len(words) > 8:
        position = rng.randrange(1, len(words) - 1)
        if not any(c.isdigit() for c in words[position]):
            del words[position]
            return " ".join(words), kind
    if kind == "typo":
        position = rng.randrange(len(words))
        word = words[position]
        if len(word) > 4 and word.isalpha():
            i = rng.randrange(1, len(word) - 2)
            words[position] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            return " ".join(words), kind
    return text + " " + rng.choice(EDIT_EMOJI), "emoji"


def _url_prefix(actor: Actor, city: str) -> str:
    """The post's address without its number (Facebook numbers are offset, see ``_Profile.url_offset``)."""
    if actor.platform == "telegram":
        return f"https://t.me/{_slug(actor.channel)}/"
    if actor.platform == "facebook":
        return f"https://www.facebook.com/groups/{_slug(actor.channel)}/posts/"
    return f"https://{actor.platform}/{_slug(city)}/{actor.kind.post_kind}/"


@lru_cache(maxsize=65536)
def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_") or "channel"


def _author(actor: Actor, persona: Persona) -> str:
    if actor.platform in ("telegram", "facebook") and actor.kind.bank in ("smuggling", "migration_info", "travel"):
        return actor.channel
    if actor.kind.bank in ("job", "labour"):
        return actor.company
    if actor.kind.bank == "massage":
        return actor.salon
    return persona.name


def _images(photo: int, draw: Callable[[], float]) -> list[str]:
    if draw() > 0.8:
        return []
    first = int(draw() * 4)
    names = [f"images/{photo:04d}-{VARIANTS[first]}.jpg"]
    if draw() < 0.3:
        names.append(f"images/{photo:04d}-{VARIANTS[(first + 1 + int(draw() * 3)) % 4]}.jpg")
    return names


_DAY_ISO: dict[int, str] = {}
_CLOCK = [f"T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}+00:00" for second in range(86400)]


def iso_time(epoch: float) -> str:
    """``2021-03-04T12:34:56+00:00`` of ``epoch`` (dates and clock times looked up: isoformat per post is slow)."""
    day, rest = divmod(int(epoch), 86400)
    date = _DAY_ISO.get(day)
    if date is None:
        date = _DAY_ISO[day] = datetime.fromtimestamp(day * 86400, UTC).date().isoformat()
    return date + _CLOCK[rest]


def post_time(post: Post) -> datetime:
    """The post's time, to the second."""
    return datetime.fromtimestamp(int(post.epoch), UTC)
