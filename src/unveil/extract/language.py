"""Language of a post: function words and scripts, fast enough for millions of posts.

``lingua`` in low-accuracy mode with a restricted language set costs about 0.4 ms per post on
this machine, over the whole extraction budget (0.4 ms for everything), so the stage uses this
function-word detector; the tests check it against lingua on the development set. Languages:
the ISO 639-1 codes of ``FUNCTION_WORDS``, plus ``ar`` (script); ``und`` when nothing is known.
"""

from __future__ import annotations

import re

from unveil.text import lower_cased

# Short, frequent, distinctive words of each language (articles, pronouns, prepositions, verbs).
FUNCTION_WORDS: dict[str, str] = {
    "en": "the and you for with are your not this that have will from call new only me my is at i'm am we our "
    "be by it of to or now here tonight text number phone job work price hours hour night girl girls available",
    "nl": "de het een en van ik ben je jij niet met voor op bij naar ook maar zijn wij we mijn heb nieuw "
    "bel graag alleen nu of uur per dag nummer werk meisje meisjes vanavond afspraak geen nodig is er te",
    "fr": "le la les et je suis tu vous pour avec dans des une est pas sur au aux mon ma ne nous nouvelle "
    "appelle moi chez très du de en ou par heure heures nuit numéro travail fille filles ce",
    "de": "der die das und ich bin du sie mit für nicht ist ein eine auf bei nur wir mein neu ruf "
    "auch zu von oder nummer arbeit uhr stunde nacht an",
    "es": "el la los las y yo soy tú usted para con en una es no por del mi muy nueva llama solo te "
    "hora noche número trabajo sin al",
    "ro": "și si eu sunt tu cu pentru în la nu este o un de pe din mă te sună doar foarte noua fată "
    "număr lucru ore oră noapte am ani",
    "it": "il lo gli e io sono tu per con non una è di che mi chiama nuova solo molto della",
    "pt": "o os as e eu sou você para com não uma é de do da em me liga nova só muito",
    "pl": "i jestem ty dla z nie na jest w się mnie tylko nowa bardzo do czy",
    "sq": "dhe unë jam ti për me nuk është një në të që më vetëm shumë",
    "tr": "ve ben sen için ile değil bir bu da çok sadece yeni beni ara",
}
# Letter sequences that mark a language (counted once each, half the weight of a function word).
LETTER_CUES: dict[str, str] = {
    "en": r"th|wh|ing\b|ould\b|ight",
    "nl": r"ij|aa|uu|oe|sje|tje|cht\b|ee[^n\W]",
    "fr": r"[éèêàçù]|eau|qu|oi|\b[dlj]'|tion\b|ment\b",
    "de": r"[äöüß]|ung\b|tz|ich\b|eit\b",
    "es": r"[ñ¿¡íóú]|ci[oó]n\b|\bll[aá]|ad[oa]\b",
    "ro": r"[ăâîșşțţ]|ului\b|ești|\bși\b",
    "it": r"zz|gli|[àò]\b",
    "pt": r"[ãõ]|nh[ao]|ção",
}


def _literal_led(alternative: str) -> list[tuple[str, str]]:
    """One cue alternative as alternatives that each start with a literal character (same matches):
    each one's first character and the pattern after it.

    ``[abc]x`` becomes ``ax|bx|cx``; ``\\bx`` becomes ``x(?<!\\w.)``: the engine can then skip in C
    to the characters a cue starts with, and reject most alternatives on their first character.
    """
    boundary = alternative.startswith("\\b")
    body = alternative[2:] if boundary else alternative
    if body.startswith("["):
        end = body.index("]")
        firsts, rest = list(body[1:end]), body[end + 1 :]
    else:
        firsts, rest = [body[0]], body[1:]
    guard = r"(?<!\w.)" if boundary else ""
    return [(first, guard + rest) for first in firsts]


def _cue_pattern() -> re.Pattern[str]:
    """Every cue of every language in one alternation, in order; a named empty group ends each one.

    The cues are grouped by their first character (``t(?:h|je|z...)``), keeping their order within each
    group: at each position the engine tries one branch per first character, not one per cue (the same
    matches: cues with different first characters never match at the same position).
    """
    groups: dict[str, list[str]] = {}
    number = 0
    for language, pattern in LETTER_CUES.items():
        for alternative in pattern.split("|"):
            for first, rest in _literal_led(alternative):
                groups.setdefault(first, []).append(f"{rest}(?P<{language}_{number}>)")
                number += 1
    return re.compile("|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in groups.items()))


CUES = _cue_pattern()
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
ARABIC = re.compile(r"[\u0600-\u06ff]")
CYRILLIC_OR_ARABIC = re.compile(r"[\u0400-\u04ff\u0600-\u06ff]")
UKRAINIAN = re.compile(r"[іїєґ]", re.IGNORECASE)
RUSSIAN = re.compile(r"[ыэё]", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
PRIORITY = ("en", "fr", "nl", "de", "es", "ro", "it", "pt", "pl", "sq", "tr")

_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _language, _words in FUNCTION_WORDS.items():
    for _word in _words.split():
        _LANGUAGES_OF[_word] = (*_LANGUAGES_OF.get(_word, ()), _language)
# The language of each cue's named group ("fr_12" -> "fr").
_CUE_LANGUAGE = {name: name.partition("_")[0] for name in CUES.groupindex} | {"": "und"}


def detect_language(text: str, max_words: int = 120) -> str:
    """ISO 639-1 code of the text's language, or ``und``."""
    sample = text[:2000]
    script = _by_script(sample)
    if script:
        return script
    lowered = lower_cased(sample)
    counts: dict[str, int] = {}
    words = WORD.findall(lowered)
    if len(words) > max_words:
        words = words[:max_words]
    # Function words picked out in C (``map`` of a dictionary lookup, ``filter``): Python sees only them.
    for languages in filter(None, map(_LANGUAGES_OF.get, words)):
        for language in languages:
            counts[language] = counts.get(language, 0) + 2
    if _clear_winner(counts):
        return max(counts, key=counts.__getitem__)
    for cue in CUES.finditer(lowered, 0, 400):
        language = _CUE_LANGUAGE[cue.lastgroup or ""]
        counts[language] = counts.get(language, 0) + 1
    if not counts:
        return "und"
    best = max(counts.values())
    return next(language for language in PRIORITY if counts.get(language) == best)


def _clear_winner(counts: dict[str, int]) -> bool:
    """At least three function words, and twice the score of the runner-up."""
    if not counts:
        return False
    ranked = sorted(counts.values(), reverse=True)
    return ranked[0] >= 6 and (len(ranked) == 1 or ranked[0] >= 2 * ranked[1])


def _by_script(text: str) -> str | None:
    if text.isascii() or CYRILLIC_OR_ARABIC.search(text) is None:
        return None
    cyrillic = len(CYRILLIC.findall(text))
    arabic = len(ARABIC.findall(text))
    letters = sum(1 for char in text if char.isalpha()) or 1
    if arabic / letters > 0.3:
        return "ar"
    if cyrillic / letters <= 0.3:
        return None
    if UKRAINIAN.search(text):
        return "uk"
    if RUSSIAN.search(text):
        return "ru"
    return "bg"
