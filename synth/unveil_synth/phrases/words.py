"""Slot fillers of the posts and parties (names, nationalities, jobs...), read from ``words.yaml``."""

from __future__ import annotations

from unveil_synth.phrases import load_data

_WORDS = load_data("words")

FIRST_NAMES: tuple[str, ...] = tuple(_WORDS["first_names"])
MALE_NAMES: tuple[str, ...] = tuple(_WORDS["male_names"])
SURNAMES: tuple[str, ...] = tuple(_WORDS["surnames"])
NATIONALITIES: dict[str, tuple[str, ...]] = {language: tuple(v) for language, v in _WORDS["nationalities"].items()}
HOTELS: tuple[str, ...] = tuple(_WORDS["hotels"])
SALONS: tuple[str, ...] = tuple(_WORDS["salons"])
COMPANIES: tuple[str, ...] = tuple(_WORDS["companies"])
JOBS: dict[str, tuple[str, ...]] = {language: tuple(v) for language, v in _WORDS["jobs"].items()}
