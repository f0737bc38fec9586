"""The generator's own phrase banks, read from the YAML files beside this module.

A bank (one per kind and language) is a list of roles; a role is a tuple of alternative
phrasings, one drawn per post. A role whose name starts with ``?`` is optional; ``!`` marks the
role that carries textbook indicators (present only when the post is drawn "with indicators").
These phrases belong to the generator only: detectors must take their lexicons from published
indicator lists (see docs/synthetic-world.md), never from here. To add a language or a phrasing,
edit the YAML file of its kind; ``words.yaml`` holds the slot fillers (``unveil_synth.phrases.words``).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

Role = tuple[str, tuple[str, ...]]
Bank = tuple[Role, ...]

# The files in the order their banks were always drawn from (the order of BANKS).
FILES = ("escort", "smuggling", "labour", "benign")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_data(name: str) -> Any:
    """A YAML file of this package, parsed."""
    return yaml.load(resources.files(__name__).joinpath(f"{name}.yaml").read_text("utf-8"), Loader=_LOADER)


def _banks() -> dict[tuple[str, str], Bank]:
    banks: dict[tuple[str, str], Bank] = {}
    for name in FILES:
        for kind, languages in load_data(name).items():
            for language, roles in languages.items():
                banks[(kind, language)] = tuple((role, tuple(alternatives)) for role, alternatives in roles.items())
    return banks


BANKS: dict[tuple[str, str], Bank] = _banks()

__all__ = ["BANKS", "Bank", "Role", "load_data"]
