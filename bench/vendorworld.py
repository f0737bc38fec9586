"""A world of vendors for linking without identifiers, with the failure classes of real ads.

Every post has one true *vendor* (its author). The classes that real ads have and that the older
link worlds lacked:

- **boilerplate shared by unrelated vendors**: agencies whose stock text their (unrelated)
  advertisers post with a few personal words, and sites that append their footer to many ads;
- **authors with a stable personal style who rewrite their ads**: each vendor has habits (emoji,
  punctuation, capitals, layout, how prices, ages and the contact line are written) and a few pet
  phrases, and writes new ads from them rather than only copying one;
- **vendors that change phones**: a vendor's phones follow each other in time, and only some posts
  list one (as extraction would find them); some vendors also keep a handle;
- **light and heavy edits**: copies with a few words changed, or with half their sentences rewritten.

Texts carry no phone, e-mail or handle (identifiers stripped); the identifiers live only in the
``extract.identifiers`` table, which linking uses as weak labels and as edges.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

START = datetime(2024, 1, 1, tzinfo=UTC)
CITIES = ["Houston", "Dallas", "Austin", "Atlanta", "Miami", "Orlando", "Phoenix", "Denver", "Tampa", "Vegas"]
NAMES = [
    "Amber", "Bella", "Candy", "Daisy", "Ebony", "Faith", "Gigi", "Honey", "Ivy", "Jade", "Kiki", "Lexi",
    "Mia", "Nina", "Paris", "Roxy", "Sasha", "Tina", "Vicky", "Zoe", "Coco", "Lola", "Ruby", "Star",
]  # fmt: skip
COMMON_WORDS = (
    "the a and you i me my to for in with of your is be will it all this at on so just have are what "
    "need come see time make feel love want sweet sexy fun good best hot new real nice clean safe discreet "
    "available now today tonight here there baby honey gentlemen guys call text let us enjoy relax pleasure "
    "beautiful gorgeous petite curvy young busty friendly classy exotic unforgettable experience moment "
    "satisfaction guaranteed place private upscale incall outcall only serious no rush"
)
COMMON = COMMON_WORDS.split()
EMOJI = ["😘", "💋", "🔥", "🌹", "💕", "😍", "✨", "🍑", "💦", "👅", "😈", "🥰", "💯", "⭐", "🌸", "💎"]
PRICE_FORMATS = ["${p}/hr", "{p} roses", "{p}hh", "${p} hh", "{p}$ hour", "donation {p}", "{p} special", "qv {p}"]
AGE_FORMATS = ["{a}yo", "{a} y/o", "age {a}", "{a} years young", "{a}yrs", "({a})", "{a} yrs old"]
CONTACT_LINES = [
    "call or text", "text only", "no calls text only", "hit me up", "txt me", "serious inquiries only",
    "call me now", "text for appointment", "no private numbers", "screening required",
]  # fmt: skip
BULLETS = ["", "", "", "• ", "✔ ", "- ", "* ", "➡ "]


@dataclass
class Style:
    """How one vendor writes."""

    pet_phrases: list[str]
    emoji: list[str]
    exclaim: str
    ellipsis: bool
    caps_title: bool
    lower: bool
    lines: bool
    bullet: str
    price: str
    age: str
    contact: str
    name: str
    tilde: bool


@dataclass
class VendorWorld:
    """Posts, identifiers and truth: the vendor and the class of every post."""

    posts: dict[str, list[Any]] = field(
        default_factory=lambda: {n: [] for n in ("post_id", "source_id", "title", "text", "posted_at", "city")}
    )
    identifiers: dict[str, list[str]] = field(default_factory=lambda: {"post_id": [], "type": [], "value": []})
    vendor: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)  # copy, light, heavy, rewrite, agency
    language: list[str] = field(default_factory=list)


class VendorWorldBuilder:
    """Deterministic generator of a ``VendorWorld``."""

    def __init__(self, seed: int, identifier_share: float = 0.6) -> None:
        self.rng = random.Random(seed)
        self.identifier_share = identifier_share
        self.words = sorted({self._word() for _ in range(5000)})
        self.world = VendorWorld()
        self.sites = [self._sentence(14, 22) + ". " + self._sentence(10, 16) + "." for _ in range(4)]
        self.agencies = [[self._sentence(8, 14) for _ in range(5)] for _ in range(12)]

    def _word(self) -> str:
        return "".join(self.rng.choice("abcdefghiklmnoprstuvwyz") for _ in range(self.rng.randint(3, 9)))

    def _sentence(self, low: int, high: int, own: list[str] | None = None) -> str:
        rng = self.rng
        pool = own or self.words
        return " ".join(
            rng.choice(COMMON) if rng.random() < 0.55 else rng.choice(pool) for _ in range(rng.randint(low, high))
        )

    def style(self) -> Style:
        rng = self.rng
        own = [rng.choice(self.words) for _ in range(6)]
        return Style(
            pet_phrases=[self._sentence(2, 4, own) for _ in range(rng.randint(3, 6))],
            emoji=rng.sample(EMOJI, rng.choice((0, 1, 2, 2, 3))),
            exclaim=rng.choice(("!", "!!", "!!!", ".", ".", "")),
            ellipsis=rng.random() < 0.3,
            caps_title=rng.random() < 0.35,
            lower=rng.random() < 0.25,
            lines=rng.random() < 0.6,
            bullet=rng.choice(BULLETS),
            price=rng.choice(PRICE_FORMATS),
            age=rng.choice(AGE_FORMATS),
            contact=rng.choice(CONTACT_LINES),
            name=rng.choice(NAMES),
            tilde=rng.random() < 0.15,
        )

    def compose(self, style: Style, lines: list[str]) -> str:
        """Dress sentences in the vendor's habits."""
        rng = self.rng
        dressed = []
        for line in lines:
            end = style.exclaim + (" " + rng.choice(style.emoji) if style.emoji and rng.random() < 0.6 else "")
            if style.ellipsis and rng.random() < 0.3:
                end = "..." + end
            if style.tilde and rng.random() < 0.4:
                line = "~ " + line + " ~"
            dressed.append(style.bullet + line + end)
        text = ("\n" if style.lines else " ").join(dressed)
        return text.lower() if style.lower else text

    def base_ad(self, style: Style, city: str) -> tuple[str, list[str]]:
        """A title and sentences: greeting, pet phrases, description, price, age, contact."""
        rng = self.rng
        age, price = rng.randint(19, 34), rng.choice((100, 120, 150, 160, 200, 250))
        title = f"{style.name} {style.age.format(a=age)} {self._sentence(2, 5)}"
        title = title.upper() if style.caps_title else title
        sentences = [self._sentence(5, 12) for _ in range(rng.randint(2, 4))]
        sentences += rng.sample(style.pet_phrases, min(len(style.pet_phrases), rng.randint(2, 3)))
        rng.shuffle(sentences)
        sentences.insert(
            0, f"{rng.choice(('hey', 'hi', 'hello'))} {rng.choice(('guys', 'gentlemen', 'baby'))} in {city}"
        )
        sentences.append(style.price.format(p=price))
        sentences.append(style.contact)
        return title, sentences

    def edit(self, sentences: list[str], heavy: bool) -> list[str]:
        rng = self.rng
        copy = list(sentences)
        if heavy:
            for i in range(1, len(copy) - 2):
                if rng.random() < 0.5:
                    copy[i] = self._sentence(5, 12)
            return copy
        for _ in range(rng.choice((1, 1, 2, 3))):
            i = rng.randrange(1, max(2, len(copy) - 2))
            words = copy[i].split()
            if words:
                words[rng.randrange(len(words))] = rng.choice(self.words)
                copy[i] = " ".join(words)
        return copy

    def add(
        self, vendor: str, kind: str, title: str, text: str, city: str, when: datetime, ids: list[tuple[str, str]]
    ) -> None:
        post_id = f"V{len(self.world.vendor):08d}"
        for name, value in zip(self.world.posts, (post_id, post_id, title, text, when, city), strict=True):
            self.world.posts[name].append(value)
        if self.rng.random() < self.identifier_share:
            for kind_, value in ids:
                self.world.identifiers["post_id"].append(post_id)
                self.world.identifiers["type"].append(kind_)
                self.world.identifiers["value"].append(value)
        self.world.vendor.append(vendor)
        self.world.kind.append(kind)
        self.world.language.append("en")

    def vendor(self, v: int, size: int) -> None:
        rng = self.rng
        style = self.style()
        vendor = f"vendor{v}"
        phones = [f"+1713{v:04d}{k:03d}" for k in range(rng.choice((1, 1, 2, 3, 4)))]
        handle = [("handle", f"@{style.name.lower()}{v}")] if rng.random() < 0.25 else []
        site = self.sites[v % len(self.sites)] if rng.random() < 0.3 else ""
        agency = self.agencies[v % len(self.agencies)] if rng.random() < 0.2 else None
        cities = rng.sample(CITIES, rng.randint(1, 3))
        when = START + timedelta(days=rng.randrange(45))
        bases = [self.base_ad(style, cities[0]) for _ in range(rng.choice((1, 1, 2)))]
        for k in range(size):
            city = cities[(k * len(cities)) // size]
            phone = phones[(k * len(phones)) // size]
            draw = rng.random()
            title, sentences = bases[k % len(bases)]
            if agency is not None and draw < 0.6:
                kind = "agency"
                personal = [f"{style.name} {style.age.format(a=rng.randint(19, 34))}", rng.choice(style.pet_phrases)]
                sentences, title = agency[:3] + personal + agency[3:], f"{style.name} {agency[0][:30]}"
            elif draw < 0.3:
                kind = "copy"
            elif draw < 0.55:
                kind, sentences = "light", self.edit(sentences, heavy=False)
            elif draw < 0.8:
                kind, sentences = "heavy", self.edit(sentences, heavy=True)
            else:
                kind = "rewrite"
                title, sentences = self.base_ad(style, city)
            sentences = [s.replace(cities[0], city) for s in sentences]
            text = self.compose(style, sentences) + (("\n" if style.lines else " ") + site if site else "")
            self.add(vendor, kind, title, text, city, when, [("phone", phone), *handle])
            when += timedelta(hours=rng.randint(4, 60))

    def build(self, posts: int) -> VendorWorld:
        v = 0
        while len(self.world.vendor) < posts:
            size = min(int(self.rng.paretovariate(1.3)) + self.rng.randint(0, 3), 60, posts - len(self.world.vendor))
            self.vendor(v, max(1, size))
            v += 1
        return self.world
