"""One post: its text from the author's template, its slots, its contacts (often obfuscated), its truth."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from unveil.synth.actors import Actor, Persona
from unveil.synth.identifiers import Phone
from unveil.synth.obfuscate import pick_phone_rule, write_email, write_handle, write_phone
from unveil.synth.phrases import BANKS
from unveil.synth.phrases.words import JOBS, NATIONALITIES
from unveil.synth.places import CITY_BY_NAME
from unveil.synth.plan import VARIANTS, WorldPlan, epoch_of

DESTINATIONS = {
    "ar": {"UK": "بريطانيا", "London": "لندن", "Italy": "إيطاليا", "Germany": "ألمانيا", "France": "فرنسا"},
    "fa": {"UK": "انگلیس", "London": "لندن", "Italy": "ایتالیا", "Germany": "آلمان", "France": "فرانسه"},
    "fr": {"UK": "Angleterre", "London": "Londres", "Italy": "Italie", "Germany": "Allemagne"},
}
TRAVEL_ORIGINS = ("Sofia", "Bucharest", "Plovdiv", "Iasi", "Casablanca", "Tirana", "Warsaw", "Varna", "Constanta")
EDIT_EMOJI = ("😘", "🌹", "🔥", "✅", "📞", "🙏", "⭐")
CONTACT_LABELS = {"email": ("✉️ ", "Email: ", "Mail: ", "", "📧 "), "handle": ("", "👉 ", "+ ", "➡️ ")}


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
    posted_at: str = ""


def make_post(plan: WorldPlan, rng: random.Random, number: int) -> Post:
    """Draw post number ``number`` (posts are numbered in time order)."""
    when = (number + rng.random()) / plan.posts
    kind = plan.pick_kind(rng)
    actor = plan.pools[kind.name].pick(rng, when) if kind.network_run else plan.pick_author(rng, kind, when)
    template = actor.templates[int(rng.random() * len(actor.templates))]
    persona = actor.personas[int(rng.random() * len(actor.personas))]
    city, days = _city(actor, persona, when, rng)
    identifiers: list[tuple[str, str, str, str, str]] = []
    role = "network" if actor.is_network else "independent"
    phone = _active_phone(actor, when, rng)
    rule = pick_phone_rule(rng, template.language)
    contact = write_phone(phone, rule, template.language, rng)
    identifiers.append(("phone", phone.e164, contact, rule, role))
    slots = _slots(actor, persona, template.language, city, days, contact, rng)
    bank = BANKS[(actor.kind.bank, template.language)]
    formats = [bank[r][1][a] for r, a in template.choices]
    parts = [text.format_map(slots) for text in formats]
    if not any("{contact}" in text for text in formats):  # "message me here": no number in this post
        identifiers.clear()
    text = template.prefix + template.joiner.join(parts) + template.suffix
    text += _extra_contacts(actor, rng, identifiers, role)
    text += _hub_line(plan, actor, rng, identifiers, template.language)
    edited, edit = _light_edit(text, rng, 0.35 if actor.is_network else 0.25)
    if all(row[2] in edited for row in identifiers):  # an edit never touches a phone, an email or a handle
        text = edited
    else:
        text, edit = text + " " + EDIT_EMOJI[number % len(EDIT_EMOJI)], "emoji"
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
        iso_time(epoch_of(when)),
    )


def _city(actor: Actor, persona: Persona, when: float, rng: random.Random) -> tuple[str, int]:
    """Where the post is placed, and the days of the current stay (networks move victims around a circuit)."""
    if actor.kind.bank in ("smuggling", "migration_info"):
        departure = actor.departure[int(rng.random() * len(actor.departure))]
        return (departure if departure in CITY_BY_NAME else "Calais"), 0
    if not actor.is_network:
        return actor.circuit[0], 2 + int(rng.random() * 4)
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


_STATIC_SLOTS: dict[tuple[str, str, int], dict[str, Any]] = {}


def _slots(
    actor: Actor, persona: Persona, language: str, city: str, days: int, contact: str, rng: random.Random
) -> dict[str, Any]:
    """The template's slot values: the actor's own (cached) and this post's (city, contact, prices, date)."""
    key = (actor.actor_id, language, persona.nationality * 100 + persona.age)
    static = _STATIC_SLOTS.get(key)
    if static is None:
        if len(_STATIC_SLOTS) > 50_000:
            _STATIC_SLOTS.clear()
        static = _STATIC_SLOTS[key] = _static_slots(actor, persona, language)
    slots = static.copy()
    draw = rng.random()
    slots["city"] = CITY_BY_NAME[city].local(language)
    if actor.kind.bank in ("smuggling", "migration_info"):
        slots["dep"] = slots["city"]  # the departure point the post is placed at
        slots["dest"] = DESTINATIONS.get(language, {}).get(actor.route[0], actor.route[0])
    slots["contact"] = contact
    slots["days"] = days
    slots["date"] = f"{1 + int(draw * 28)}/{1 + int(draw * 1000) % 12}"
    if actor.kind.bank == "smuggling":
        low, high = actor.route[2], actor.route[3]
        slots["price_pp"] = low + int(draw * 7919) % ((high - low) // 100 + 1) * 100
    elif actor.kind.bank == "labour":
        slots["wage"] = 4 + int(draw * 5)
        slots["wage_month"] = 900 + int(draw * 12) * 50
    elif actor.kind.bank == "escort":
        slots["price2"] = actor.price * 2 - (0, 20, 40)[int(draw * 3)]
    return slots


def _static_slots(actor: Actor, persona: Persona, language: str) -> dict[str, Any]:
    nationalities = NATIONALITIES.get(language, NATIONALITIES["en"])
    jobs = JOBS.get(language, JOBS["en"])
    return {
        "name": persona.name,
        "age": persona.age,
        "nat": nationalities[persona.nationality % len(nationalities)],
        "price": actor.price,
        "price2": actor.price * 2 if actor.kind.bank != "massage" else 60 + actor.price % 20,
        "price3": 85 + actor.price % 30,
        "hotel": actor.hotel,
        "dep": actor.departure[0],
        "dest": actor.route[0],
        "origin": TRAVEL_ORIGINS[actor.price % 9],
        "price_pp": actor.price + 40,
        "job": jobs[actor.job % len(jobs)],
        "wage": 14 + actor.price % 5,
        "wage_month": 1800 + actor.price * 3,
        "salon": actor.salon,
        "company": actor.company,
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


def _images(plan: WorldPlan, persona: Persona, rng: random.Random) -> list[str]:
    if persona.photo < 0 or rng.random() > 0.8:
        return []
    first = rng.randrange(4)
    names = [f"images/{persona.photo:04d}-{VARIANTS[first]}.jpg"]
    if rng.random() < 0.3:
        names.append(f"images/{persona.photo:04d}-{VARIANTS[(first + 1 + rng.randrange(3)) % 4]}.jpg")
    return names


_DAY_ISO: dict[int, str] = {}


def iso_time(epoch: float) -> str:
    """``2021-03-04T12:34:56+00:00`` of ``epoch`` (the date part cached: isoformat per post is slow)."""
    seconds = int(epoch)
    day, rest = divmod(seconds, 86400)
    date = _DAY_ISO.get(day)
    if date is None:
        date = _DAY_ISO[day] = datetime.fromtimestamp(day * 86400, UTC).date().isoformat()
    return f"{date}T{rest // 3600:02d}:{rest // 60 % 60:02d}:{rest % 60:02d}+00:00"


def post_time(post: Post) -> datetime:
    """The post's time, to the second."""
    return datetime.fromtimestamp(int(post.epoch), UTC)
