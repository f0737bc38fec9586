"""Text normalisation for near-duplicate detection: what stays the same across copies of an ad.

Identifiers (emails, URLs, handles, phone numbers), numbers, emoji, punctuation and case vary
between copies of one template, so they are removed before shingling: only words of letters stay.
"""

from __future__ import annotations

import re
import unicodedata

IDENTIFIER_SPANS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # emails
    r"|(?:https?://|www\.)\S+"  # urls
    r"|@\w+",  # handles
    re.UNICODE,
)
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

NEW_IN_TOWN = re.compile(
    r"\b(?:new\s+in\b|just\s+arrived|first\s+time\s+in|newly\s+arrived|nieuw\s+in\b|net\s+aangekomen"
    r"|pas\s+aangekomen|nouvelle?\s+(?:à|a|sur|en|dans)\b|tout\s+juste\s+arrivée?|première\s+fois\s+à"
    r"|neu\s+in\b|gerade\s+angekommen|nueva\s+en\b|recién\s+llegada|nou[aă]\s+[iî]n\b|proaspăt\s+sosit[aă]"
    r"|nuova\s+a\b|appena\s+arrivata)",
    re.IGNORECASE | re.UNICODE,
)


def normalise_words(text: str) -> list[str]:
    """The lower-cased words of letters of a text, identifiers and numbers removed."""
    text = text or ""
    folded = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    if "@" in folded or "http" in folded or "www." in folded:
        folded = IDENTIFIER_SPANS.sub(" ", folded)
    return WORD.findall(folded)


def announces_arrival(text: str) -> bool:
    """True when a post announces an arrival ("new in town", "nieuw in", "nouvelle à" ...)."""
    return NEW_IN_TOWN.search(text or "") is not None
