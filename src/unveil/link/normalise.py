"""Text normalisation for near-duplicate detection: what stays the same across copies of an ad.

Identifiers (emails, URLs, handles, phone numbers), numbers, emoji, punctuation and case vary
between copies of one template, so they are removed before shingling: only runs of letters stay.
The work is vectorised with Arrow's compute functions (Unicode NFKC, lower case, RE2 patterns).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

IDENTIFIER_SPANS = (
    r"[\p{L}\p{N}_.+-]+@[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)+"  # emails
    r"|(?:https?://|www\.)\S+"  # urls
    r"|@[\p{L}\p{N}_]+"  # handles
)
NOT_LETTERS = r"[^\p{L}\p{M}]+"

NEW_IN_TOWN_PATTERN = (
    r"\b(?:new\s+in\b|just\s+arrived|first\s+time\s+in|newly\s+arrived|nieuw\s+in\b|net\s+aangekomen"
    r"|pas\s+aangekomen|nouvelle?\s+(?:à|a|sur|en|dans)\s|tout\s+juste\s+arrivée?|première\s+fois\s+à"
    r"|neu\s+in\b|gerade\s+angekommen|nueva\s+en\b|recién\s+llegada|nou[aă]\s+[iî]n\s|proaspăt\s+sosit[aă]"
    r"|nuova\s+a\b|appena\s+arrivata)"
)


def normalised_words(texts: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Every word of every text (lower case, letters only, identifiers removed) and its text's index."""
    folded = pc.utf8_lower(pc.utf8_normalize(pc.fill_null(texts.cast(pa.string()), ""), "NFKC"))
    cleaned = pc.replace_substring_regex(folded, IDENTIFIER_SPANS, " ")
    lists = pc.split_pattern_regex(cleaned, NOT_LETTERS)
    words, parents = pc.list_flatten(lists), pc.list_parent_indices(lists)
    present = pc.not_equal(words, "")
    return words.filter(present), parents.filter(present)
