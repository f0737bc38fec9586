"""De-obfuscation of phone numbers: digit tokens, spelled-out digits, keycaps, letters for digits.

The layer never rewrites the text. It reads it as a sequence of *digit tokens*, each with its
span in the original text, and joins neighbouring tokens into *chains* when only separators or
decoration lie between them. Phone validation (``identifiers.phone``) then picks the numbers out
of each chain. A word is read as digits only when it is a number word of one of the supported
languages, or a run of ``0-9 O o I l`` that holds at least one real digit, so "tonight" stays
"tonight". Spans of prices, dates, times, ages, IBANs and other identifiers are masked first:
a masked token breaks a chain, so they never become phone numbers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import NamedTuple

from unveil.text import lower_cased, trie_pattern

# Digits spelled out, one digit per word, as people write numbers to evade filters.
NUMBER_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4",
        "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    },
    "nl": {
        "nul": "0", "een": "1", "één": "1", "twee": "2", "drie": "3", "vier": "4",
        "vijf": "5", "zes": "6", "zeven": "7", "acht": "8", "negen": "9",
    },
    "fr": {
        "zéro": "0", "zero": "0", "un": "1", "une": "1", "deux": "2", "trois": "3", "quatre": "4",
        "cinq": "5", "six": "6", "sept": "7", "huit": "8", "neuf": "9",
    },
    "de": {
        "null": "0", "eins": "1", "zwei": "2", "zwo": "2", "drei": "3", "vier": "4",
        "fünf": "5", "fuenf": "5", "sechs": "6", "sieben": "7", "acht": "8", "neun": "9",
    },
    "es": {
        "cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4",
        "cinco": "5", "seis": "6", "siete": "7", "ocho": "8", "nueve": "9",
    },
    "bg": {
        "нула": "0", "едно": "1", "един": "1", "една": "1", "две": "2", "два": "2", "три": "3", "четири": "4",
        "пет": "5", "шест": "6", "седем": "7", "осем": "8", "девет": "9",
    },
    "ro": {
        "zero": "0", "unu": "1", "doi": "2", "două": "2", "doua": "2", "trei": "3", "patru": "4",
        "cinci": "5", "șase": "6", "şase": "6", "sase": "6", "șapte": "7", "şapte": "7", "sapte": "7",
        "opt": "8", "nouă": "9", "noua": "9",
    },
}  # fmt: skip

WORD_DIGIT: dict[str, str] = {word: digit for table in NUMBER_WORDS.values() for word, digit in table.items()}
# Letters written for the digits they look like: Latin O/o 0, I/l/i 1, S 5, B 8, Z 2, and the Cyrillic
# О/о 0, І/і 1 of Cyrillic-script ads ("О888 І23"). Read only in a run with at least one real digit.
LETTER_DIGIT = {
    "O": "0", "o": "0", "I": "1", "l": "1", "i": "1", "S": "5", "B": "8", "Z": "2",
    "\u041e": "0", "\u043e": "0", "\u0406": "1", "\u0456": "1",
}  # fmt: skip
LOOKALIKES = "".join(LETTER_DIGIT)
# Look-alikes that also open codes (a Spanish NIF "B12345678", "S1234567"): one of them alone before five
# digits or more is a code's letter.
CODE_LETTERS = frozenset("SBZi")

# Words written wholly in look-alike letters ("OiSZ 3B47", "BlB SOS lZBS"): read as digits only in a post that
# writes digits as letters elsewhere (a run holding a real digit and a letter) or holds a word whose case rises
# inside it ("lZBS": a lower-case look-alike, then an upper-case one), as no ordinary word does; and only words
# with an upper-case look-alike ("il", "lol", "oil" stay words).
UPPER_LOOKALIKES = "OISBZ\u041e\u0406"
LOOKALIKE_WORD = re.compile(rf"(?<![^\W_])(?=[{LOOKALIKES}]*[{UPPER_LOOKALIKES}])[{LOOKALIKES}]{{2,}}(?![^\W_])")
# (Led by the upper-case letter, rarer than "o", "l" and "i": the engine skips from one to the next in C.)
CASE_RISE = re.compile(rf"[{UPPER_LOOKALIKES}](?<=[oli\u043e\u0456].)")

CIRCLED = "⓪①-⑨⓿❶-❾➀-➈➊-➒"
# One character class first (so the engine skips from candidate to candidate in C), then the branch:
# a keycap, a run of digits and O/o/I/l not inside a word that holds at least one real digit (so "lol",
# "I" and "Io" are rejected in C, not in Python), six digits or more glued to a word, three or more glued
# to a word on one side, circled digits.
# The empty named group of each branch tells which one matched. A look-alike letter inside a word (most
# "o", "i" and "l" of a text) can start no branch: one look-behind turns it away before the branches.
DIGIT_TOKEN = re.compile(
    rf"[\d{LOOKALIKES}{CIRCLED}](?<![^\W\d_][{LOOKALIKES}])(?:"
    r"(?<=[0-9])(?P<keycap>)\uFE0F?\u20E3"
    rf"|(?<=[\d{LOOKALIKES}])(?<![^\W\d_].)(?:(?<=\d)|(?=[{LOOKALIKES}]*+\d))(?P<digits>)[\d{LOOKALIKES}]*+(?![^\W\d_])"
    r"|(?<=\d)(?P<glued>)\d{5,}+"
    # two digits or more glued to a word on one side only: "Phone213-556-0917", "Call06-16-99-44-20", "...4471Text"
    r"|(?<=[0-9])(?<=[^\W\d_][0-9])(?P<glued_left>)[0-9]++(?![^\W\d_])"
    r"|(?<=[0-9])(?<![^\W\d_][0-9])(?P<glued_right>)[0-9]{2,}+(?=[^\W\d_])"
    rf"|(?<=[{CIRCLED}])(?P<circled>)[{CIRCLED}]*"
    r")"
)
DIGIT_RUN = re.compile(r"\d+")
WORD = re.compile(r"[^\W\d_]+")
# A number word that is a whole word (the same words as ``WORD`` then a ``WORD_DIGIT`` lookup), one scan.
NUMBER_WORD = re.compile(
    "(?:"
    + "|".join(
        # Each branch led by its first letter, the word-start check after it: the engine skips in C to those letters.
        re.escape(first)
        + rf"(?<![^\W\d_]{re.escape(first)})"
        + trie_pattern(sorted(w[1:] for w in WORD_DIGIT if w[0] == first))
        for first in sorted({word[0] for word in WORD_DIGIT})
    )
    + r")(?![^\W\d_])"
)
# What may lie between two groups of one number: spaces, line breaks, punctuation, emoji.
MAX_GAP = 8
GAP = re.compile(rf"(?:[^\w:%€$£@#&?]|_){{0,{MAX_GAP}}}")
# "tel:" marks an international number only before "+" or "00" ("Tel: 310 742 5519" is national).
INTERNATIONAL_BEFORE = re.compile(r"(?:\+|\bwa\.me/|phone=)[\s(]*$", re.IGNORECASE)
# English digits and number words glued into one word ("seven02", "fivefivethree", "4tofour", "for15"),
# with the homophones people use (to/too 2, for 4, ate 8, oh 0): read only inside such a word or
# between digit tokens, never as ordinary words.
HOMOPHONES = {"oh": "0", "to": "2", "too": "2", "for": "4", "ate": "8"}
EN_PIECES = {**NUMBER_WORDS["en"], **HOMOPHONES}
_PIECE = "(?:" + "|".join(sorted(EN_PIECES, key=len, reverse=True)) + "|[0-9])"
COMPOUND = re.compile(rf"(?<![^\W_]){_PIECE}{_PIECE}+(?![^\W_])")
COMPOUND_PIECE = re.compile(_PIECE)
# A number word glued to a letter or digit after it, or a digit glued to a number word or homophone: two
# patterns, each led by what the engine skips to in C (one alternation of both is tried at every position).
WORD_BEFORE_DIGIT_HINT = re.compile(r"(?:zero|one|two|three|four|five|six|seven|eight|nine)(?=[a-z0-9])")
DIGIT_BEFORE_WORD_HINT = re.compile(r"\d(?=zero|one|two|three|four|five|six|seven|eight|nine|oh|to|for|ate)")
HOMOPHONE = re.compile(r"(?:o(?<![^\W\d_]o)h|t(?<![^\W\d_]t)oo?|f(?<![^\W\d_]f)or|a(?<![^\W\d_]a)te)(?![^\W\d_])")
# Digit groups separated by "x" or "×" ("0470x12x34x56").
# (Led by the digit, the look-behind after it: the engine skips from digit to digit in C.)
X_SEPARATED = re.compile(r"[0-9](?<![^\W_][0-9])[0-9]*(?:[x×][0-9]+)+(?![^\W_])")

DATE = r"(?<![\d/.\-])(?:[0-2]?\d|3[01])[./\-](?:0?[1-9]|1[0-2])[./\-](?:(?:19|20)\d\d|\d\d)(?![\d/.\-])"
ISO_DATE = r"(?<!\d)(?:19|20)\d\d-[01]\d-[0-3]\d(?!\d)"
TIME = r"(?<!\d)(?:[01]?\d|2[0-4])\s?(?:[:hu]|uur)\s?[0-5]\d(?!\d)|(?<!\d)(?:[01]?\d|2[0-4])\s?(?:h|u|uur|uhr|am|pm)\b"
ROUND_THE_CLOCK = r"(?<!\d)(?:24|7)\s?/\s?(?:24|7)(?!\d)|(?<!\d)24h?\s?/\s?24h?"
POSTAL_CODE = r"(?<![\d\w])(?:B-|F-|NL-|L-|D-)?[1-9]\d{3}(?:\s?[A-Z]{2})?(?=\s+[A-ZÀ-Ý][a-zà-ÿ'\-]+)"
PERCENT = r"\d+(?:[.,]\d+)?\s?%"
# Belgian enterprise / VAT numbers (0xxx.xxx.xxx) after their label: not phones.
ENTERPRISE = (
    r"(?i:\b(?:BTW|TVA|VAT|KBO|BCE|ondernemingsnummer|d'entreprise)\W{0,4}(?:BE\s?)?[01]\d{3}[.\s]?\d{3}[.\s]?\d{3})"
)
# Dates, times, "24/7", postal codes before a place name and percentages, anchored where a digit token
# starts (postal prefixes such as "B-" up to 3 back); enterprise numbers: ``ENTERPRISE_BEFORE``.
MASK_AT_TOKEN = re.compile("|".join(f"(?:{p})" for p in (DATE, ISO_DATE, TIME, ROUND_THE_CLOCK, POSTAL_CODE, PERCENT)))
ENTERPRISE_BEFORE = re.compile(ENTERPRISE)
# Searched in the lower-cased text (a case-sensitive alternation of literals: a fast scan).
ENTERPRISE_LABEL = re.compile(r"btw|tva|vat|kbo|bce|ondernemingsnummer|d'entreprise")
MASK_REACH = 16
# Where a ``MASK_AT_TOKEN`` match can start (a necessary condition, tried by the engine before the patterns, so a
# token where no mask starts costs one failed look-ahead in C): a postal prefix letter ("B-", "F-", "NL-", "L-",
# "D-"), a digit with one of ``./-:huap`` in the 4 characters after it (a date's separator, a time's ":", "h",
# "u", "uur", "am", "pm", the "/" of "24/7"), or a postal code's digit 1-9 and three more digits. A text with
# a "%" lets any digit start (a percentage's digits can run on for any length before it).
MASK_AT_GUARDED = re.compile(r"(?=[BFNLD]|\d(?=(?s:.){0,3}[./\-:huap])|[1-9]\d{3})(?:" + MASK_AT_TOKEN.pattern + ")")
MASK_AT_WITH_PERCENT = re.compile(r"(?=[BFNLD]|\d)(?:" + MASK_AT_TOKEN.pattern + ")")


class DigitToken(NamedTuple):
    """A piece of text read as digits: its span in the original text and how it was read.

    A named tuple, not a dataclass: several are made per post, and a tuple is the cheapest object.
    """

    start: int
    end: int
    digits: str
    rule: str


class Chain(NamedTuple):
    """Neighbouring digit tokens, separated only by separators or decoration (a named tuple: one per post or more)."""

    tokens: tuple[DigitToken, ...]
    multiline: bool


def masks_near_tokens(text: str, tokens: list[DigitToken]) -> list[tuple[int, int]]:
    """The masked spans that start at (or 2 or 3 characters before) a digit token: the only ones that matter."""
    spans: list[tuple[int, int]] = []
    covered = -1
    mask_at = (MASK_AT_WITH_PERCENT if "%" in text else MASK_AT_GUARDED).match
    for token in tokens:
        start = token.start
        if start < covered or token.rule == "spelled":
            continue
        match = mask_at(text, start)
        if match is None:
            match = _mask_just_before(mask_at, text, start)
        if match is not None:
            spans.append(match.span())
            covered = match.end()
    if ENTERPRISE_LABEL.search(lower_cased(text)) is not None:
        spans.extend(match.span() for match in ENTERPRISE_BEFORE.finditer(text))
    return spans


def _mask_just_before(
    mask_at: Callable[[str, int], re.Match[str] | None], text: str, start: int
) -> re.Match[str] | None:
    """A mask starting 2 or 3 characters before ``start`` ("B-1000") that reaches past it."""
    for position in (start - 2, start - 3):
        if position >= 0:
            match = mask_at(text, position)
            if match is not None and match.end() > start:
                return match
    return None


def masks_near_chains(text: str, tokens: list[DigitToken], long_chains: list[Chain]) -> list[tuple[int, int]]:
    """The masked spans that can break ``long_chains``: those of tokens in or just before them.

    A date, time, postal code or percentage mask starts at most 3 characters before its first
    token and spans fewer than ``MASK_REACH`` characters, so tokens further before a chain (or in
    short chains far from it: prices, hours, ages) cannot change it and are not examined.
    """
    windows = [(chain.tokens[0].start - MASK_REACH, chain.tokens[-1].end) for chain in long_chains]
    if len(windows) == 1:
        low, high = windows[0]
        near = [token for token in tokens if low <= token.start < high]
    else:
        near = [token for token in tokens if any(low <= token.start < high for low, high in windows)]
    return masks_near_tokens(text, near)


def digit_tokens(text: str) -> list[DigitToken]:
    """Every piece of the text that reads as digits, in order."""
    tokens: list[DigitToken] = []
    append = tokens.append
    lettered = False  # a run holding a real digit and a look-alike letter ("3B47")
    # Plain digits, most tokens, first and made without the named tuple's Python ``__new__`` (same
    # type, same fields): a keycap ("\u20e3") or a circled digit is never ASCII.
    new = tuple.__new__
    for match in DIGIT_TOKEN.finditer(text):
        raw = match.group()
        if raw.isascii() and raw.isdigit():
            start, end = match.span()
            append(new(DigitToken, (start, end, raw, "digits")))
            continue
        start, end = match.span()
        kind = match.lastgroup
        if kind == "keycap":
            append(DigitToken(start, end, raw[0], "keycap"))
        elif kind == "circled":
            append(DigitToken(start, end, "".join(str(unicodedata.digit(char)) for char in raw), "circled"))
        elif raw[0] in CODE_LETTERS and len(raw) >= 6 and raw[1:].isdigit():
            continue  # a code such as "B12345678" (a tax or order number), not "8" written as "B"
        else:
            token = DigitToken(start, end, *_read_digit_run(raw))
            lettered = lettered or token.rule == "letters-for-digits"
            append(token)
    if lettered or CASE_RISE.search(text) is not None:
        tokens = _with_lookalike_words(text, tokens)
    spelled = _spelled_tokens(text)
    if spelled:
        glued = _runs_glued_to_words(text, tokens, spelled) if _touches_digit(text, spelled) else []
        # Tuples sort by their start first, and no two tokens start at the same place.
        tokens = sorted(tokens + spelled + glued)
    lowered = lower_cased(text)
    if len(lowered) == len(text) and tokens:
        extra = _compound_tokens(lowered) if _may_hold_compounds(lowered) else []
        if "x" in lowered or "×" in lowered:
            extra += _x_separated_tokens(lowered)
        if extra:
            spans = [(token.start, token.end) for token in extra]
            tokens = sorted([t for t in tokens if not _overlaps_any(t.start, t.end, spans)] + extra)
        tokens = _with_homophones(lowered, tokens)
    return tokens


def _may_hold_compounds(lowered: str) -> bool:
    """True when a number word and a digit or letter are glued ("seven02", "4tofour"): ``_compound_tokens`` may read."""
    return WORD_BEFORE_DIGIT_HINT.search(lowered) is not None or DIGIT_BEFORE_WORD_HINT.search(lowered) is not None


def _with_lookalike_words(text: str, tokens: list[DigitToken]) -> list[DigitToken]:
    """``tokens`` and the words of ``LOOKALIKE_WORD`` (no real digit: not tokens yet), in order."""
    words = [
        DigitToken(word.start(), word.end(), "".join(LETTER_DIGIT[char] for char in word.group()), "letters-for-digits")
        for word in LOOKALIKE_WORD.finditer(text)
    ]
    return sorted(tokens + words) if words else tokens


def _overlaps_any(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in spans)


def _compound_tokens(lowered: str) -> list[DigitToken]:
    """Words made of English number words and digits ("seven02", "eightoneone4"), one token per piece.

    At least one piece is a digit or a number word that is not a homophone ("toto", "for" alone are
    words), and one is a word (a run of digits alone is an ordinary digit token).
    """
    tokens: list[DigitToken] = []
    for match in COMPOUND.finditer(lowered):
        pieces = list(COMPOUND_PIECE.finditer(lowered, match.start(), match.end()))
        words = [piece.group() for piece in pieces if not piece.group().isdigit()]
        if not words or (all(word in HOMOPHONES for word in words) and len(words) == len(pieces)):
            continue
        for piece in pieces:
            value = piece.group()
            digit = value if value.isdigit() else EN_PIECES[value]
            tokens.append(DigitToken(piece.start(), piece.end(), digit, "digits" if value.isdigit() else "spelled"))
    return tokens


def _x_separated_tokens(lowered: str) -> list[DigitToken]:
    """Digit groups separated by "x" ("0470x12x34x56"), one token per group."""
    return [
        DigitToken(run.start(), run.end(), run.group(), "digits")
        for match in X_SEPARATED.finditer(lowered)
        for run in DIGIT_RUN.finditer(lowered, match.start(), match.end())
    ]


def _with_homophones(lowered: str, tokens: list[DigitToken]) -> list[DigitToken]:
    """Homophones standing alone ("four oh seven", "5 to 5") read as digits only between two digit tokens."""
    if len(tokens) < 2:
        return tokens
    between = lowered[tokens[0].end : tokens[-1].start]
    if "to" not in between and "for" not in between and "oh" not in between and "ate" not in between:
        return tokens
    ends = {token.end for token in tokens}
    starts = {token.start for token in tokens}
    found = []
    for match in HOMOPHONE.finditer(lowered, tokens[0].end, tokens[-1].start):
        before = match.start() - 1 if lowered[match.start() - 1 : match.start()] == " " else match.start()
        after = match.end() + 1 if lowered[match.end() : match.end() + 1] == " " else match.end()
        # A homophone inside a word of digits and number words ("4to1") is a token already (``_compound_tokens``).
        if before in ends and after in starts and match.start() not in starts:
            found.append(DigitToken(match.start(), match.end(), HOMOPHONES[match.group()], "spelled"))
    return sorted(tokens + found) if found else tokens


def _touches_digit(text: str, spelled: list[DigitToken]) -> bool:
    """True when a digit stands right before or right after a number word ("zero4", "4nine")."""
    size = len(text)
    return any(
        (token.end < size and text[token.end].isdecimal()) or (token.start > 0 and text[token.start - 1].isdecimal())
        for token in spelled
    )


def _spelled_tokens(text: str) -> list[DigitToken]:
    """Number words standing alone ("zero", "vier", "cinq"), each read as one digit."""
    lowered = lower_cased(text)
    if len(lowered) == len(text):
        return [
            DigitToken(word.start(), word.end(), WORD_DIGIT[word.group()], "spelled")
            for word in NUMBER_WORD.finditer(lowered)
        ]
    return [
        DigitToken(word.start(), word.end(), WORD_DIGIT[lowered_word], "spelled")
        for word in WORD.finditer(text)
        if (lowered_word := word.group().lower()) in WORD_DIGIT
    ]


def _runs_glued_to_words(text: str, tokens: list[DigitToken], spelled: list[DigitToken]) -> list[DigitToken]:
    """Digit runs written against a number word ("zero4nine3"), which the word check otherwise skips."""
    taken = {token.start for token in tokens}
    edges = {token.start for token in spelled} | {token.end for token in spelled}
    return [
        DigitToken(run.start(), run.end(), run.group(), "digits")
        for run in DIGIT_RUN.finditer(text)
        if run.start() not in taken and (run.start() in edges or run.end() in edges) and run.group().isascii()
    ]


def _read_digit_run(raw: str) -> tuple[str, str]:
    if raw.isascii() and raw.isdigit():
        return raw, "digits"
    digits = []
    rule = "digits"
    for char in raw:
        if char in LETTER_DIGIT:
            digits.append(LETTER_DIGIT[char])
            rule = "letters-for-digits"
        elif "0" <= char <= "9":
            digits.append(char)
        else:
            digits.append(str(unicodedata.digit(char)))
            rule = "fullwidth" if rule == "digits" else rule
    return "".join(digits), rule


def chains(text: str, masks: list[tuple[int, int]], tokens: list[DigitToken] | None = None) -> list[Chain]:
    """Digit tokens joined into chains; masked tokens and real words break chains."""
    result: list[Chain] = []
    current: list[DigitToken] = []
    multiline = False
    gap_match = GAP.fullmatch
    for token in digit_tokens(text) if tokens is None else tokens:
        start, end, _, rule = token  # (unpacked: cheaper than the named fields)
        if masks and _is_masked(start, end, masks):
            _close(current, multiline, result)
            current, multiline = [], False
            continue
        if current:
            last = current[-1]
            previous = last[1]
            # ``GAP`` takes one character per repetition, at most 8: a longer gap never matches.
            if (
                start - previous > MAX_GAP
                or (
                    gap_match(text, previous, start) is None
                    and not _x_between(text, previous, start)
                    and not _colon_between(text, last, token)
                )
                # A comma between two digit groups separates list items ("90046, 90069"; "50, 80, 100"), not a
                # number's groups; spelled digits may be written with commas ("zero four seven one, two three").
                or (last[3] != "spelled" and rule != "spelled" and text.find(",", previous, start) >= 0)
            ):
                # (One short token, the usual run cut off here, is never a chain: no call to ``_close``.)
                if len(current) > 1 or len(last[2]) >= 7:
                    _close(current, multiline, result)
                current, multiline = [], False
            elif text.find("\n", previous, start) >= 0:
                multiline = True
        current.append(token)
    _close(current, multiline, result)
    return result


X_GAP = re.compile(r" ?[x×] ?")


def _x_between(text: str, previous: int, start: int) -> bool:
    """One "x" between two digit groups ("0470x12x34x56", "602 x 918 x 4472")."""
    return start - previous <= 3 and X_GAP.fullmatch(text, previous, start) is not None


def _colon_between(text: str, previous: DigitToken, token: DigitToken) -> bool:
    """One ":" between two groups of three digits or more ("617:376:5327"): a separator, not a time's (10:30)."""
    return (
        token.start - previous.end == 1
        and text[previous.end] == ":"
        and len(previous.digits) >= 3
        and len(token.digits) >= 3
    )


def _is_masked(start: int, end: int, masks: list[tuple[int, int]]) -> bool:
    """A plain loop: ``any`` over a generator costs more than the few masks of a post."""
    for mask_start, mask_end in masks:  # noqa: SIM110
        if start < mask_end and mask_start < end:
            return True
    return False


def _close(tokens: list[DigitToken], multiline: bool, result: list[Chain]) -> None:
    """Keep ``tokens`` as a chain when they hold 7 tokens or 7 digits (a plain loop: most runs are one short token)."""
    if len(tokens) < 7:
        digits = 0
        for token in tokens:
            digits += len(token[2])
        if digits < 7:
            return
    result.append(Chain(tuple(tokens), multiline))


def written_international(text: str, start: int) -> bool:
    """True when the number starting at ``start`` is preceded by ``+``, ``wa.me/`` or ``tel:+``."""
    window = text[max(0, start - 24) : start]
    if "+" not in window and "/" not in window and "=" not in window and ":" not in window:
        return False
    return INTERNATIONAL_BEFORE.search(text, max(0, start - 24), start) is not None


def chain_rule(tokens: tuple[DigitToken, ...], multiline: bool) -> str:
    """Name of the de-obfuscation rules that read these tokens, e.g. ``spelled+digits``."""
    if not multiline and len(tokens) == 1:
        return tokens[0].rule
    rules = sorted({token.rule for token in tokens})
    if multiline:
        rules.append("split-lines")
    return "+".join(rules)
