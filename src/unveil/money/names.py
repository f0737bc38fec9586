"""Name forms for party resolution: spelling variants and initials set aside, the same on every engine.

Clerks write one person's name in many ways: ``Petrova`` / ``Petroffa``, ``Yilmaz`` / ``Iilmaz``,
``Karim Leroy`` / ``K. Leroy``. Edit distance misses the initials and the longer respellings, and
Jaro-Winkler, which catches them, gives slightly different scores on DuckDB and on Spark. So the
forms are computed here, in Python, once per party record, and Splink compares them as sets
(``ArraySubsetLevel``), which both engines evaluate exactly.

A name's forms are its *skeleton* (each word spelled by sound: doubled letters, ``ph``/``f``,
``c``/``k``, ``y``/``i``, ``w``/``v``... made one) and, for a name written in full, each form with one
word cut to its initial. A name that already holds an initial has only its skeleton, so ``K. Leroy``
meets ``Karim Leroy`` and ``Kevin Leroy``, while ``Karim Leroy`` and ``Kevin Leroy`` do not meet.
"""

from __future__ import annotations

import functools
import re

import pyarrow as pa

CACHE_SIZE = 1 << 16
MAX_WORDS = 6  # initial forms are made for names of at most this many words
# Respellings made one, in order (longest first where they overlap); then doubled letters collapse.
_SOUNDS = (
    ("tch", "ch"),
    ("sch", "ch"),
    ("sh", "ch"),
    ("ph", "f"),
    ("ck", "k"),
    ("ou", "u"),
    ("oo", "u"),
    ("ae", "e"),
    ("ff", "v"),
    ("w", "v"),
    ("c", "k"),
    ("q", "k"),
    ("y", "i"),
    ("z", "s"),
)
_DOUBLED = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=CACHE_SIZE)
def skeleton(word: str) -> str:
    """A word spelled by sound, so common respellings and transliterations agree (``petroffa`` -> ``petrova``)."""
    for written, said in _SOUNDS:
        word = word.replace(written, said)
    return _DOUBLED.sub(r"\1", word)


@functools.lru_cache(maxsize=CACHE_SIZE)
def name_forms(key: str | None) -> tuple[str, ...]:
    """The forms of a name key (its words sorted): its skeleton, and for a full name each one-initial form.

    Splink's ``ArraySubsetLevel`` compares them: two names agree when the forms of one are all among
    the forms of the other (the same skeleton, or an initial where the other has the word).
    """
    if not key:
        return ()
    words = key.split()
    sounded = [skeleton(word) for word in words]
    forms = [" ".join(sorted(sounded))]
    if len(words) > 1 and len(words) <= MAX_WORDS and all(len(word) > 1 for word in words):
        for position in range(len(words)):
            cut = [*sounded[:position], sounded[position][0], *sounded[position + 1 :]]
            forms.append(" ".join(sorted(cut)))
    return tuple(dict.fromkeys(forms))


def with_name_forms(records: pa.Table, column: str = "name_key") -> pa.Table:
    """``records`` with a ``name_forms`` list column computed from ``column``."""
    forms = [list(name_forms(key)) or None for key in records.column(column).to_pylist()]
    return records.append_column("name_forms", pa.array(forms, type=pa.list_(pa.string())))
