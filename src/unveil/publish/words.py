"""Per-record work of the ``publish`` stage: the search words of each post, and those an analyst never sees.

A post's words are its title's and text's runs of letters and digits, lower-cased and without
accents: the web's search splits a query the same way (``query_words``), so a word typed is a word
stored. A word is *hidden* when it is absent from what an analyst sees of the post: the text with
every identifier span (as extracted) cut out, the title without the written forms of the post's
identifiers, both without invisible characters and runs of six digits (``unveil.text.DIGIT_RUN``,
shown to analysts as pseudonyms). An analyst's word search leaves those posts out, so a prefix
search cannot recover what the pseudonyms hide.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pyarrow as pa

from unveil.text import DIGIT_RUN, INVISIBLE

WORD = re.compile(r"[^\W_]+")
"""Letters and digits."""
INVISIBLE_CHARACTERS = re.compile(f"[{INVISIBLE}]")
POST_WORDS = pa.schema([("term", pa.string()), ("pos", pa.int32()), ("hidden", pa.bool_())])
"""One row per distinct word of a post, and whether an analyst's view of the post lacks it."""


def words(text: str) -> list[str]:
    """The distinct search words of a text, in order: lower case, accents removed."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return list(dict.fromkeys(WORD.findall(plain)))


def shown_to_analysts(title: str, text: str, spans: list[dict[str, Any]]) -> str:
    """What of a post's title and text an analyst reads as written (identifiers and digit runs left out)."""
    forms = sorted({form for span in spans for form in (span["raw"], span["value"]) if form}, key=len, reverse=True)
    for form in forms:
        title = title.replace(form, " ")
    pieces, cursor = [], 0
    for span in sorted(spans, key=lambda s: (s["start"], s["end"])):
        pieces.append(text[cursor : max(span["start"], cursor)])
        cursor = max(cursor, span["end"])
    pieces.append(text[cursor:])
    shown = INVISIBLE_CHARACTERS.sub("", f"{title} {' '.join(pieces)}")
    return DIGIT_RUN.sub(" ", shown)


def post_words(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Rows (pos, title, text, spans) -> one row per distinct word of each post, with ``hidden``."""
    terms: list[str] = []
    positions: list[int] = []
    hidden: list[bool] = []
    for row in batch.to_pylist():
        title, text = row["title"] or "", row["text"] or ""
        found = words(f"{title} {text}")
        spans = row["spans"] or []
        plain = INVISIBLE_CHARACTERS.sub("", f"{title} {text}")
        shown = set(words(shown_to_analysts(title, text, spans))) if spans or DIGIT_RUN.search(plain) else None
        terms += found
        positions += [row["pos"]] * len(found)
        hidden += [shown is not None and word not in shown for word in found]
    return pa.RecordBatch.from_arrays(
        [pa.array(terms, pa.string()), pa.array(positions, pa.int32()), pa.array(hidden, pa.bool_())],
        schema=POST_WORDS,
    )
