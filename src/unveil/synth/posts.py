"""One post: its text from the author's template, its slots, its contacts (often obfuscated), its truth."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from unveil.synth.actors import Actor, Persona
from unveil.synth.identifiers import Phone
from unveil.synth.obfuscate import pick_phone_rule, write_email, write_handle, write_phone
from unveil.synth.phrases import BANKS
from unveil.synth.phrases.words import JOBS, NATIONALITIES
from unveil.synth.places import CITY_BY_NAME
from unveil.synth.plan import VARIANTS, WorldPlan, epoch_of

TRAVEL_ORIGINS = ("Sofia", "Bucharest", "Plovdiv", "Iasi", "Casablanca", "Tirana", "Warsaw", "Varna", "Constanta")
EDIT_EMOJI = ("😘", "🌹", "🔥", "✅", "📞", "🙏", "⭐")
CONTACT_LABELS = {"email": ("✉️ ", "Email: ", "Mail: ", ""), "handle": ("", "Also ", "or ", "➡️ ")}


@dataclass
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


def make_post(plan: WorldPlan, rng: random.Random, number: int) -> Post:
    """Draw post number ``number`` (posts are numbered in time order)."""
    when = (number + rng.random()) / plan.posts
    kind = plan.pick_kind(rng)
    actor = plan.pools[kind.name].pick(rng, when) if kind.network_run else plan.pick_author(rng, kind, when)
    template = actor.templates[rng.randrange(len(actor.templates))]
    persona = actor.personas[rng.randrange(len(actor.personas))]
    city, days = _city(actor, persona, when, rng)
    identifiers: list[tuple[str, str, str, str, str]] = []
    role = "network" if actor.is_network else "independent"
    phone = _active_phone(actor, when, rng)
    rule = pick_phone_rule(rng, template.language)
    contact = write_phone(phone, rule, template.language, rng)
    identifiers.append(("phone", phone.e164, contact, rule, role))
    slots = _slots(actor, persona, template.language, city, days, contact, rng)
    bank = BANKS[(actor.kind.bank, template.language)]
    parts = [bank[r][1][a].format_map(slots) for r, a in template.choices]
    text = template.prefix + template.joiner.join(parts) + template.suffix
    text += _extra_contacts(actor, rng, identifiers, role)
    text += _hub_line(plan, actor, rng, identifiers, template.language)
    text, edit = _light_edit(text, rng, 0.35 if actor.is_network else 0.25)
    post_id = f"P{number:08d}"
    return Post(
        number,
        post_id,
        actor,
        template.language,
        city,
        CITY_BY_NAME[city].country,
        epoch_of(when),
        text,
        parts[0][:80] if actor.kind.post_kind in ("ad", "job") else "",
        _url(actor, city, number),
        _author(actor, persona),
        _images(plan, persona, rng),
        template.template_id,
        edit,
        template.with_indicators,
        persona.true_age < 18 and actor.kind.bank == "escort",
        identifiers,
    )


def _city(actor: Actor, persona: Persona, when: float, rng: random.Random) -> tuple[str, int]:
    """Where the post is placed, and the days of the current stay (networks move victims around a circuit)."""
    if actor.kind.bank in ("smuggling", "migration_info"):
        departure = actor.departure[rng.randrange(len(actor.departure))]
        return (departure if departure in CITY_BY_NAME else "Calais"), 0
    if not actor.is_network:
        return actor.circuit[0], rng.randint(2, 5)
    days_elapsed = max(0.0, (when - actor.start) * 2192)
    stay = days_elapsed / actor.stay_days + persona.offset * len(actor.circuit)
    return actor.circuit[int(stay) % len(actor.circuit)], max(1, round(actor.stay_days))


def _active_phone(actor: Actor, when: float, rng: random.Random) -> Phone:
    """The phone in use at ``when``: networks rotate through their phones, sometimes an older one comes back."""
    phones = actor.phones
    if len(phones) == 1:
        return phones[0]
    span = max(1e-9, actor.end - actor.start)
    index = min(len(phones) - 1, max(0, int((when - actor.start) / span * len(phones))))
    if index and rng.random() < 0.12:
        index -= 1
    return phones[index]


def _slots(
    actor: Actor, persona: Persona, language: str, city: str, days: int, contact: str, rng: random.Random
) -> dict[str, Any]:
    nationalities = NATIONALITIES.get(language, NATIONALITIES["en"])
    low, high = actor.route[2], actor.route[3]
    jobs = JOBS.get(language, JOBS["en"])
    wage = rng.choice((4, 5, 6, 7, 8)) if actor.kind.bank == "labour" else rng.choice((14, 15, 16, 17, 18))
    return {
        "name": persona.name,
        "age": persona.age,
        "city": CITY_BY_NAME[city].local(language),
        "nat": nationalities[persona.nationality % len(nationalities)],
        "price": actor.price,
        "price2": actor.price * 2 - rng.choice((0, 20, 40)) if actor.kind.bank != "massage" else 60 + actor.price % 20,
        "price3": 85 + actor.price % 30,
        "contact": contact,
        "hotel": actor.hotel,
        "days": days,
        "dep": actor.departure[0],
        "dest": actor.route[0],
        "origin": TRAVEL_ORIGINS[actor.price % 9],
        "price_pp": (low + rng.randrange(0, high - low + 1, 100))
        if actor.kind.bank == "smuggling"
        else (actor.price + 40),
        "job": jobs[actor.job % len(jobs)],
        "wage": wage,
        "wage_month": rng.randrange(900, 1500, 50),
        "salon": actor.salon,
        "company": actor.company,
        "date": f"{rng.randint(1, 28)}/{rng.randint(1, 12)}",
    }


def _extra_contacts(
    actor: Actor, rng: random.Random, identifiers: list[tuple[str, str, str, str, str]], role: str
) -> str:
    extra = ""
    if actor.emails and rng.random() < 0.4:
        written, rule = write_email(actor.emails[0], rng)
        identifiers.append(("email", actor.emails[0], written, rule, role))
        extra += "\n" + rng.choice(CONTACT_LABELS["email"]) + written
    if actor.handles and rng.random() < 0.5:
        service, handle = actor.handles[0]
        written, rule = write_handle(service, handle, None, rng)
        identifiers.append(("handle", f"{service}:{handle}", written, rule, role))
        extra += "\n" + rng.choice(CONTACT_LABELS["handle"]) + written
    if len(actor.phones) > 1 and actor.is_network and rng.random() < 0.1:
        second = actor.phones[rng.randrange(len(actor.phones))]
        written = second.local_display()
        if not any(row[1] == second.e164 for row in identifiers):
            identifiers.append(("phone", second.e164, written, "plain", role))
            extra += " / " + written
    return extra


def _hub_line(
    plan: WorldPlan, actor: Actor, rng: random.Random, identifiers: list[tuple[str, str, str, str, str]], language: str
) -> str:
    bank, draw = actor.kind.bank, rng.random()
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
    written = hub.phone.local_display() if hub.phone else hub.value
    identifiers.append((hub.type, hub.value, written, "plain", "hub"))
    label = {
        "hotel": "Hotel reception",
        "ad platform support": "Report abuse:",
        "temporary work agency": "Agency:",
        "NGO helpline": "☎",
    }
    return (
        f"\n{label.get(hub.label, 'Hotel reception')} {written}"
        if hub.label != "hotel switchboard"
        else (
            f"\n{'Receptie' if language == 'nl' else 'Réception' if language == 'fr' else 'Reception'} {actor.hotel}: "
            f"{written}"
        )
    )


def _light_edit(text: str, rng: random.Random, rate: float) -> tuple[str, str]:
    """Edit a template copy lightly (a word dropped, a typo, an emoji), as re-posters do."""
    if rng.random() >= rate:
        return text, ""
    words = text.split(" ")
    kind = rng.choice(("word_drop", "typo", "emoji", "punctuation"))
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
    if kind == "punctuation" and "!" in text:
        return text.replace("!", "!!", 1), kind
    return text + " " + rng.choice(EDIT_EMOJI), "emoji"


def _url(actor: Actor, city: str, number: int) -> str:
    if actor.platform == "telegram":
        return f"https://t.me/{_slug(actor.channel)}/{number}"
    if actor.platform == "facebook":
        return f"https://www.facebook.com/groups/{_slug(actor.channel)}/posts/{900000000 + number}"
    return f"https://{actor.platform}/{_slug(city)}/{actor.kind.post_kind}/{number}"


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


def _images(plan: WorldPlan, persona: Persona, rng: random.Random) -> list[str]:
    if persona.photo < 0 or rng.random() > 0.8:
        return []
    first = rng.randrange(4)
    names = [f"images/{persona.photo:04d}-{VARIANTS[first]}.jpg"]
    if rng.random() < 0.3:
        names.append(f"images/{persona.photo:04d}-{VARIANTS[(first + 1 + rng.randrange(3)) % 4]}.jpg")
    return names


def post_time(post: Post) -> datetime:
    """The post's time, to the second."""
    return datetime.fromtimestamp(int(post.epoch), UTC)
