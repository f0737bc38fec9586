"""Ways posters write phone numbers, emails and handles so that filters and scrapers miss them.

Each function returns the written form and the name of the obfuscation (recorded in the ground
truth), so that extraction recall can be measured per obfuscation.
"""

from __future__ import annotations

import random

from unveil_synth.identifiers import PLANS, Phone, local_display

SPELLED: dict[str, tuple[str, ...]] = {
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    "nl": ("nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"),
    "fr": ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"),
    "es": ("cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"),
    "de": ("null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"),
    "ro": ("zero", "unu", "doi", "trei", "patru", "cinci", "șase", "șapte", "opt", "nouă"),
    "bg": ("нула", "едно", "две", "три", "четири", "пет", "шест", "седем", "осем", "девет"),
    "ar": ("صفر", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة"),
    "pl": ("zero", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem", "dziewięć"),
}
KEYCAPS = tuple(f"{d}\ufe0f\u20e3" for d in "0123456789")
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
LOOKALIKE = {"0": ("O", "o"), "1": ("l", "I", "i"), "5": ("S",), "8": ("B",), "2": ("Z",)}

# (rule, weight): about two in three numbers are written plainly, as in studies of escort ads.
PHONE_RULES: tuple[tuple[str, float], ...] = (
    ("plain", 0.36),
    ("compact", 0.12),
    ("dotted", 0.07),
    ("international", 0.12),
    ("spelled", 0.07),
    ("spelled_mixed", 0.05),
    ("lookalike", 0.05),
    ("keycaps", 0.04),
    ("separators", 0.06),
    ("split_lines", 0.04),
    ("arabic_indic", 0.02),
    # the ways seen on real ads from other countries (issue 17): hyphens and North American brackets,
    # a "Tel:" label before a national number, a name or roses after it, English digits and number words
    # glued with homophones, one separator between the groups, digits glued to a word, the number twice
    ("dashed", 0.05),
    ("labelled", 0.04),
    ("name_after", 0.03),
    ("roses_after", 0.03),
    ("english_mixed", 0.03),
    ("group_separators", 0.03),
    ("glued", 0.03),
    ("repeated", 0.02),
)
RULE_NAMES = tuple(rule for rule, _ in PHONE_RULES)
RULE_CUMULATIVE = tuple(sum(w for _, w in PHONE_RULES[: i + 1]) for i in range(len(PHONE_RULES)))
RULE_TOTAL = RULE_CUMULATIVE[-1]


def write_phone(phone: Phone, rule: str, language: str, rng: random.Random) -> str:
    """Write ``phone`` following ``rule`` (see ``PHONE_RULES``).

    Apart from look-alike letters (drawn per digit), a rule writes a number in one of a few ways
    (a separator, a prefix), drawn here; each way of each number is worked out once and cached.
    """
    if rule == "lookalike":
        return "".join(
            rng.choice(LOOKALIKE[d]) if d in LOOKALIKE and rng.random() < 0.6 else d for d in local_display(phone)
        )
    ways = _WAYS.get(rule)
    if ways is None:
        raise ValueError(f"unknown phone rule {rule!r}")
    way = (1 if rng.random() >= 0.7 else 0) if rule == "international" else int(rng.random() * ways) if ways else 0
    key = (phone.e164, rule, language if rule in _BY_LANGUAGE else "", way)
    written = _WRITTEN.get(key)
    if written is None:
        if len(_WRITTEN) > 200_000:  # bounded: a process writes the numbers of the actors it meets
            _WRITTEN.clear()
        written = _WRITTEN[key] = _written(phone, rule, language, way)
    return written


# ways of writing per rule (0: one way); spelled rules depend on the post's language
_WAYS = {
    "plain": 0,
    "compact": 0,
    "dotted": 2,
    "international": 2,
    "spelled": 0,
    "spelled_mixed": 0,
    "keycaps": 0,
    "separators": 5,
    "split_lines": 0,
    "arabic_indic": 0,
    "dashed": 3,
    "labelled": 4,
    "name_after": 5,
    "roses_after": 3,
    "english_mixed": 3,
    "group_separators": 5,
    "glued": 3,
    "repeated": 3,
}
ENGLISH = SPELLED["en"]
# English words read as digits when glued to digits or number words ("4tofour", "for15", "oh8")
HOMOPHONES = {"0": "oh", "2": "to", "4": "for", "8": "ate"}
NAMES_AFTER = ("Rosa", "Kim", "Bella", "Nina", "Jade")
GROUP_SEPARATORS = (" x ", "=", ":", "_", "•")
REPEAT_EMOJI = (" 💋 ", " 🔥🔥 ", " ❤️ ")
_BY_LANGUAGE = ("spelled", "spelled_mixed")
_WRITTEN: dict[tuple[str, str, str, int], str] = {}


def _written(phone: Phone, rule: str, language: str, way: int) -> str:
    """``phone`` written by ``rule`` in its ``way``-th way."""
    local = local_display(phone)
    digits = local.replace(" ", "")
    if rule == "plain":
        return local
    if rule == "compact":
        return digits
    if rule == "dotted":
        return local.replace(" ", "./"[way], 1).replace(" ", ".")
    if rule == "international":
        return phone.international_display() if way == 0 else "00" + phone.e164[1:]
    if rule == "spelled":
        words = SPELLED.get(language, SPELLED["en"])
        return " ".join(words[int(d)] for d in digits)
    if rule == "spelled_mixed":
        words = SPELLED.get(language, SPELLED["en"])
        return "".join(words[int(d)] if i % 3 == 1 else d for i, d in enumerate(digits))
    if rule == "keycaps":
        return "".join(KEYCAPS[int(d)] for d in digits)
    if rule == "separators":
        return "-_*•~"[way].join(digits)
    if rule == "split_lines":
        return f"{digits[:4]}\n{digits[4:7]}\n{digits[7:]}"
    if rule == "arabic_indic":
        return "".join(ARABIC_INDIC[int(d)] for d in digits)
    return _written_abroad(phone, rule, local, way)


def _written_abroad(phone: Phone, rule: str, local: str, way: int) -> str:
    """The ways of writing seen on real ads from other countries (``PHONE_RULES``' second part)."""
    groups = local.split(" ")
    dashed = "-".join(groups)
    if rule == "dashed":
        if way == 1 and phone.country == "US":
            return f"({groups[0]}) {groups[1]}-{groups[2]}"  # (424) 615-2280
        if way == 2:
            return "+" + PLANS[phone.country].calling_code + " " + "-".join(phone.international_display().split()[1:])
        return dashed
    if rule == "labelled":
        return ("Tel: ", "Tel:", "tel. ", "TEL ")[way] + (local if way != 1 or phone.country != "US" else
                                                          f"({groups[0]}) {groups[1]}-{groups[2]}")  # fmt: skip
    if rule == "name_after":
        return f"{dashed} {NAMES_AFTER[way]}"
    if rule == "roses_after":
        return local + (" 🌹🌹", " roses", "🌹")[way]
    if rule == "english_mixed":
        return " ".join(_english_group(group, way + i) for i, group in enumerate(groups))
    if rule == "group_separators":
        return GROUP_SEPARATORS[way].join(groups)
    if rule == "glued":
        return ("Phone" + dashed, local.replace(" ", "") + "Text", "Call" + dashed + " now")[way]
    return REPEAT_EMOJI[way].join((local, local))  # repeated


def _english_group(group: str, shift: int) -> str:
    """One group of digits as English digits, number words and homophones glued together ("seven02")."""
    written = []
    for i, digit in enumerate(group):
        turn = (i + shift) % 3
        if turn == 0:
            written.append(ENGLISH[int(digit)])
        elif turn == 1 and digit in HOMOPHONES and written:
            written.append(HOMOPHONES[digit])
        else:
            written.append(digit)
    return "".join(written)


EMAIL_RULES: tuple[tuple[str, float], ...] = (
    ("plain", 0.7),
    ("at_dot_words", 0.15),
    ("bracketed", 0.1),
    ("spaced", 0.05),
)


def write_email(email: str, rng: random.Random) -> tuple[str, str]:
    """Write ``email`` plainly or with "at"/"dot" words; return (text, rule)."""
    draw, rule = rng.random(), EMAIL_RULES[-1][0]
    for name, weight in EMAIL_RULES:
        if draw < weight:
            rule = name
            break
        draw -= weight
    local, domain = email.split("@")
    if rule == "at_dot_words":
        return f"{local} at {domain.replace('.', ' dot ')}", rule
    if rule == "bracketed":
        return f"{local}[at]{domain.replace('.', '(dot)')}", rule
    if rule == "spaced":
        return f"{local} @ {domain.replace('.', ' . ')}", rule
    return email, rule


def write_handle(service: str, handle: str, phone: Phone | None, rng: random.Random) -> tuple[str, str]:
    """Write a messaging contact as a handle or a link (``t.me/x``, ``wa.me/32470...``); return (text, rule)."""
    if service == "whatsapp" and phone is not None:
        return (
            (f"https://wa.me/{phone.e164[1:]}", "link") if rng.random() < 0.5 else (f"wa.me/{phone.e164[1:]}", "link")
        )
    if service == "telegram":
        return (f"t.me/{handle}", "link") if rng.random() < 0.5 else (f"@{handle}", "handle")
    if service == "instagram":
        return (f"instagram.com/{handle}", "link") if rng.random() < 0.4 else (f"IG: @{handle}", "handle")
    if service == "snapchat":
        return f"snap: {handle}", "handle"
    return f"@{handle}", "handle"
