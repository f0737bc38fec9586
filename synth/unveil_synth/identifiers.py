"""Fictional phone numbers, emails and handles that are valid for their country's numbering plan.

Mobile prefixes are real numbering-plan ranges (checked with ``phonenumbers`` in the tests); the
subscriber digits are random, so numbers are fictional. Names are drawn from first-name lists and
never from real people's data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class NumberingPlan:
    """The mobile ranges of one country: calling code, trunk prefix, ranges and subscriber length."""

    calling_code: str
    trunk: str
    prefixes: tuple[str, ...]
    subscriber_digits: int
    subscriber_first: str = "0123456789"  # the digits a subscriber number may start with (NANP: 2-9)


US_AREA_CODES = tuple(
    "213 214 305 310 312 323 404 415 424 469 512 602 617 702 713 718 786 818 832 909 915 917".split()  # noqa: SIM905
)
PLANS: dict[str, NumberingPlan] = {
    "BE": NumberingPlan(
        "32",
        "0",
        (
            "470",
            "471",
            "472",
            "473",
            "474",
            "475",
            "476",
            "477",
            "478",
            "479",
            "484",
            "485",
            "486",
            "487",
            "488",
            "489",
            "490",
            "491",
            "492",
            "493",
            "494",
            "495",
            "496",
            "497",
            "498",
            "499",
            "465",
            "466",
            "467",
            "468",
        ),
        6,
    ),
    "NL": NumberingPlan("31", "0", ("61", "62", "64", "65"), 7),
    "FR": NumberingPlan("33", "0", ("61", "62", "64", "65", "66", "67", "68", "75", "76", "77", "78"), 7),
    "DE": NumberingPlan("49", "0", ("151", "152", "157", "160", "162", "170", "171", "172", "176", "177", "179"), 8),
    "LU": NumberingPlan("352", "", ("621", "661", "691"), 6),
    "RO": NumberingPlan("40", "0", ("72", "73", "74", "75", "76", "77"), 7),
    "BG": NumberingPlan("359", "0", ("87", "88", "89", "98"), 7),
    "GB": NumberingPlan("44", "0", ("7400", "7500", "7800", "7900"), 6),
    "ES": NumberingPlan("34", "", ("6",), 8),
    "UA": NumberingPlan("380", "0", ("50", "63", "66", "67", "68", "93", "95", "96", "97", "98", "99"), 7),
    "IQ": NumberingPlan("964", "0", ("750", "751", "770", "771", "780", "790"), 7),
    "AL": NumberingPlan("355", "0", ("69",), 7),
    "NG": NumberingPlan("234", "0", ("803", "806", "813", "816", "703", "706", "810", "814", "903"), 7),
    "PL": NumberingPlan("48", "", ("50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88"), 7),
    "VN": NumberingPlan("84", "0", ("90", "91", "93", "94", "96", "97", "98"), 7),
    "SY": NumberingPlan("963", "0", ("93", "94", "95", "96", "98", "99"), 7),
    "TR": NumberingPlan("90", "0", ("50", "53", "54", "55"), 8),
    "HU": NumberingPlan("36", "06", ("20", "30", "70"), 7),
    # North American numbers: an area code and seven digits, no trunk prefix (written "818 472 9051").
    "US": NumberingPlan("1", "", US_AREA_CODES, 7, "23456789"),
}


@dataclass(frozen=True)
class Phone:
    """A phone number: its country and E.164 form (``+32470123456``)."""

    country: str
    e164: str

    @property
    def national(self) -> str:
        """The national significant number (no calling code, no trunk prefix)."""
        return self.e164[1 + len(PLANS[self.country].calling_code) :]

    def local_display(self) -> str:
        """The number as people of its country usually write it (``0470 12 34 56``)."""
        plan, nsn = PLANS[self.country], self.national
        if self.country == "BE" and len(nsn) == 8:
            area = 1 if nsn[0] in "234" else 2
            return f"0{nsn[:area]} {nsn[area : area + 3]} {nsn[area + 3 : area + 5]} {nsn[area + 5 :]}"
        if self.country == "BE":
            return f"{plan.trunk}{nsn[:3]} {nsn[3:5]} {nsn[5:7]} {nsn[7:]}"
        if self.country == "GB":
            return f"0{nsn[:4]} {nsn[4:]}"  # 07400 123456
        if self.country in ("FR", "NL"):
            digits = plan.trunk + nsn
            return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))
        return f"{plan.trunk}{nsn[:3]} {nsn[3:6]} {nsn[6:]}"

    def international_display(self) -> str:
        """``+32 470 12 34 56``."""
        nsn = self.national
        return f"+{PLANS[self.country].calling_code} {nsn[:3]} {nsn[3:6]} {nsn[6:]}"


_DISPLAYS: dict[str, str] = {}


def local_display(phone: Phone) -> str:
    """``phone.local_display()``, cached (a post writes its phone often, the phones are few)."""
    shown = _DISPLAYS.get(phone.e164)
    if shown is None:
        if len(_DISPLAYS) > 100_000:
            _DISPLAYS.clear()
        shown = _DISPLAYS[phone.e164] = phone.local_display()
    return shown


def make_phone(rng: random.Random, country: str) -> Phone:
    """A random mobile number of ``country`` that its numbering plan accepts."""
    plan = PLANS[country]
    prefix = rng.choice(plan.prefixes)
    subscriber = f"{rng.randrange(10**plan.subscriber_digits):0{plan.subscriber_digits}d}"
    if subscriber[0] not in plan.subscriber_first:
        subscriber = plan.subscriber_first[int(subscriber[1]) % len(plan.subscriber_first)] + subscriber[1:]
    return Phone(country, f"+{plan.calling_code}{prefix}{subscriber}")


BELGIAN_AREA_CODES = ("2", "3", "4", "9", "50", "59", "71", "81", "16", "15", "11", "65", "56", "53")


def make_landline(rng: random.Random) -> Phone:
    """A Belgian fixed line (a hotel switchboard, an agency desk): area code + subscriber, 8 digits."""
    area = rng.choice(BELGIAN_AREA_CODES)
    subscriber = str(rng.randrange(2, 10)) + "".join(str(rng.randrange(10)) for _ in range(7 - len(area)))
    return Phone("BE", f"+32{area}{subscriber}")


MAIL_DOMAINS = (
    "gmail.com",
    "hotmail.com",
    "outlook.com",
    "yahoo.com",
    "proton.me",
    "live.be",
    "telenet.be",
    "skynet.be",
    "yahoo.fr",
    "gmx.de",
    "mail.bg",
    "yahoo.ro",
    "icloud.com",
)


def make_email(rng: random.Random, name: str) -> str:
    """A lower-case email built from a first name (canonical form)."""
    base = ascii_fold(name).lower()
    style = rng.randrange(4)
    if style == 0:
        local = f"{base}{rng.randrange(80, 100) if rng.random() < 0.5 else rng.randrange(1, 999)}"
    elif style == 1:
        local = f"{base}.{rng.choice(('vip', 'sexy', 'love', 'sweet', 'hot', 'angel', 'bb'))}{rng.randrange(10, 99)}"
    elif style == 2:
        local = f"{rng.choice(('miss', 'lady', 'the', 'real', 'only'))}{base}{rng.randrange(1, 99)}"
    else:
        local = f"{base}_{rng.choice('abcdefghijklmnopqrstuvwxyz')}{rng.randrange(100, 9999)}"
    return f"{local}@{rng.choice(MAIL_DOMAINS)}"


def make_handle(rng: random.Random, name: str) -> str:
    """A messaging handle (Telegram/Instagram style, lower case, no ``@``)."""
    base = ascii_fold(name).lower()
    tail = rng.choice(("", "_", "__", ".")) + rng.choice(
        ("vip", "bxl", "be", "official", "real", "xo", str(rng.randrange(1, 999)))
    )
    return f"{base}{tail}".replace("..", ".")


_FOLD = str.maketrans("àáâäãåçèéêëìíîïñòóôöõùúûüýÿăâîșşțţ", "aaaaaaceeeeiiiinooooouuuuyyaaisstt")


def ascii_fold(text: str) -> str:
    """Drop accents (``Ioana-Ștefania`` -> ``Ioana-Stefania``) for identifiers built from names."""
    return text.lower().translate(_FOLD).replace(" ", "").replace("-", "")
