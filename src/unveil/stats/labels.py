"""Cleaning of the labels and values found in official statistics files.

Published tables are messy: country names in three languages, nationality adjectives instead of
country names, capitals, typos, thousands separators, suppressed small counts. Every cleaning is
recorded in the importer's ``MappingReport`` (raw label, cleaned label, rule), so the rapporteur
can check what was changed and why.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml
from followthemoney.types import registry

from unveil.stats.schema import SUPPRESSED, MappingReport

_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"^[+-]?\d{1,3}(?:[,\s\u00a0\u202f]\d{3})+(?:\.\d+)?$|^[+-]?\d+(?:\.\d+)?$")
_EUROPEAN = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^[+-]?\d+,\d{1,2}$")
_SUPPRESSED = re.compile(r"^<\s*(\d+)$")


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    text = resources.files("unveil.stats").joinpath("country_aliases.yaml").read_text("utf-8")
    loaded: dict[str, str] = yaml.safe_load(text)
    return {key.casefold(): value for key, value in loaded.items()}


def tidy(raw: object) -> str:
    """Trim and collapse white space; turn shouting capitals into title case."""
    text = _SPACES.sub(" ", str(raw if raw is not None else "")).strip()
    if "Ã" in text or "Â" in text:
        text = _undo_mojibake(text)
    if len(text) > 3 and text.isupper():
        text = text.title()
    return text


def _undo_mojibake(text: str) -> str:
    """UTF-8 bytes once read as Latin-1 (``CÃ´te``) back to the intended text (``Côte``)."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def clean_label(field: str, raw: object, report: MappingReport) -> str:
    """A tidy label, with the change (if any) recorded in the report.

    Machine identifiers (``migrant_smuggling``) become words (``Migrant smuggling``).
    """
    text = tidy(raw)
    if "_" in text and " " not in text:
        words = text.replace("_", " ").strip()
        report.record(field, str(raw), words[:1].upper() + words[1:], "identifier to words")
        return words[:1].upper() + words[1:]
    report.record(field, str(raw), text, "whitespace and capitals")
    return text


@lru_cache(maxsize=4096)
def _country_name(text: str) -> tuple[str, str] | None:
    alias = _aliases().get(text.casefold())
    if alias is not None:
        return alias, "alias list"
    for candidate, rule in ((text, "country name"), (text.rstrip("s"), "plural adjective")):
        code = registry.country.clean(candidate)
        if code:
            return registry.country.caption(code), rule
    return None


def clean_country(field: str, raw: object, report: MappingReport) -> str:
    """A country's English short name from a name, adjective or foreign spelling.

    Labels that are not countries ("Abroad", "Other Europe") are kept tidy as they are.
    """
    text = tidy(raw)
    found = _country_name(text) if text else None
    if found is None:
        report.record(field, str(raw), text, "whitespace and capitals")
        return text
    name, rule = found
    report.record(field, str(raw), name, rule)
    return name


def parse_count(raw: object, whole: bool = False, negative: bool = False) -> tuple[float | None, str]:
    """A count and its flags from a published cell: ``1,282`` -> 1282; ``<5`` -> (None, "<5").

    European formats are read too: ``1.234`` and ``1 234`` are 1234 (a dot followed by exactly
    three digits groups thousands). Negative counts are refused unless ``negative`` (the FBI's UCR
    publishes negative adjustments); with ``whole``, fractions are refused too.

    Raises:
        ValueError: when the cell is neither a count nor a suppression marker.
    """
    if raw is None:
        raise ValueError("empty cell")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw)
    else:
        text = str(raw).strip()
        suppressed = _SUPPRESSED.match(text)
        if suppressed:
            return None, f"<{suppressed.group(1)}"
        if _EUROPEAN.match(text):
            value = float(text.replace(".", "").replace(",", "."))
        elif _NUMBER.match(text):
            value = float(re.sub(r"[,\s\u00a0\u202f]", "", text))
        else:
            raise ValueError(f"not a count: {text!r}")
    if value < 0 and not negative:
        raise ValueError(f"negative count: {raw!r}")
    if whole and not float(value).is_integer():
        raise ValueError(f"not a whole count: {raw!r}")
    return value, ""


__all__ = ["SUPPRESSED", "clean_country", "clean_label", "parse_count", "tidy"]
