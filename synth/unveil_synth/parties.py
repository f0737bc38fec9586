"""Parties of the money world: people and businesses with accounts, phones and spelling variants of their names."""

from __future__ import annotations

import random
from dataclasses import dataclass

from unveil_synth.identifiers import Phone, make_email, make_phone
from unveil_synth.phrases.words import FIRST_NAMES, MALE_NAMES, SURNAMES

BANK_CODES = {
    "BE": ("001", "068", "310", "363", "539", "645", "735", "930"),
    "NL": ("INGB", "ABNA", "RABO"),
    "FR": ("30004", "30003", "20041"),
    "DE": ("37040044", "50010517"),
    "RO": ("RNCB", "BTRL", "INGB"),
    "BG": ("UNCR", "STSA", "FINV"),
}
TRANSLITERATION = (
    ("ph", "f"),
    ("c", "k"),
    ("sh", "ch"),
    ("ou", "u"),
    ("y", "i"),
    ("ss", "s"),
    ("ae", "e"),
    ("escu", "esku"),
    ("ov", "off"),
    ("ch", "tch"),
    ("mohammed", "mohamed"),
    ("ahmed", "ahmad"),
)


@dataclass(frozen=True)
class Party:
    """A person or business that sends or receives money (``party_id`` is the true identity)."""

    party_id: str
    role: str
    network_id: str
    first: str
    last: str
    country: str
    city: str
    phone: Phone
    email: str
    account: str
    business: bool = False

    @property
    def name(self) -> str:
        """The name as written in official records."""
        return self.last if self.business else f"{self.first} {self.last}"


def name_variant(party: Party, rng: random.Random) -> str:
    """The party's name as a clerk or a customer might write it (order, case, initials, transliteration)."""
    if party.business:
        return party.last if rng.random() < 0.8 else party.last.upper()
    draw = rng.random()
    if draw < 0.55:
        return party.name
    if draw < 0.7:
        return f"{party.last.upper()} {party.first}"
    if draw < 0.8:
        return f"{party.first[0]}. {party.last}"
    if draw < 0.9:
        return f"{party.first} {_transliterate(party.last)}"
    return f"{_transliterate(party.first)} {party.last}".lower()


def _transliterate(name: str) -> str:
    lowered = name.lower()
    for source, target in TRANSLITERATION:
        if source in lowered:
            return lowered.replace(source, target, 1).capitalize()
    return name[:-1] + name[-1] * 2 if len(name) > 3 else name


def make_iban(rng: random.Random, country: str) -> str:
    """A fictional IBAN whose check digits (and national checks: Belgian mod 97, French RIB key) are valid."""
    if country not in BANK_CODES:
        country = "BE"
    code = rng.choice(BANK_CODES[country])

    def digits(count: int) -> str:
        return f"{rng.randrange(10**count):0{count}d}"

    if country == "BE":
        first_ten = code + digits(7)
        return iban("BE", f"{first_ten}{int(first_ten) % 97 or 97:02d}")
    if country == "FR":
        branch, account = digits(5), digits(11)
        key = 97 - (89 * int(code) + 15 * int(branch) + 3 * int(account)) % 97
        return iban("FR", f"{code}{branch}{account}{key:02d}")
    if country == "BG":
        return iban("BG", f"{code}{digits(4)}{digits(2)}{digits(8)}")
    sizes = {"NL": 10, "DE": 10, "RO": 16}
    return iban(country, code + digits(sizes[country]))


_BASE36 = str.maketrans({letter: str(int(letter, 36)) for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})


def iban(country: str, bban: str) -> str:
    """The IBAN of a BBAN: ISO 7064 mod 97-10 check digits, letters counted as 10..35."""
    numeric = (bban + country).translate(_BASE36) + "00"
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def make_party(
    rng: random.Random,
    party_id: str,
    role: str,
    network_id: str,
    country: str,
    city: str,
    *,
    female: bool = False,
    business: str = "",
    phone: Phone | None = None,
) -> Party:
    """A party with a fictional name, phone, email and account."""
    first = rng.choice(FIRST_NAMES if female else MALE_NAMES)
    last = business or rng.choice(SURNAMES)
    phone = phone or make_phone(rng, country if country in ("BE", "NL", "FR", "DE", "RO", "BG") else "BE")
    email = make_email(rng, first) if rng.random() < 0.6 else ""
    account = make_iban(rng, country)
    return Party(party_id, role, network_id, first, last, country, city, phone, email, account, bool(business))
