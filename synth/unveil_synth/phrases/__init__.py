"""The generator's own phrase banks: per kind and language, roles with alternative phrasings.

A bank is a list of roles; a role is a tuple of alternatives. A role whose name starts with ``?``
is optional; ``!`` marks the role that carries textbook indicators (present only when the post is
drawn "with indicators"). These phrases belong to the generator only: detectors must take their
lexicons from published indicator lists (see docs/synthetic-world.md), never from here.
"""

from __future__ import annotations

from unveil_synth.phrases.benign import BENIGN_BANKS
from unveil_synth.phrases.escort import ESCORT_BANKS
from unveil_synth.phrases.labour import LABOUR_BANKS
from unveil_synth.phrases.smuggling import SMUGGLING_BANKS
from unveil_synth.phrases.words import Bank

BANKS: dict[tuple[str, str], Bank] = {**ESCORT_BANKS, **SMUGGLING_BANKS, **LABOUR_BANKS, **BENIGN_BANKS}

__all__ = ["BANKS", "Bank"]
