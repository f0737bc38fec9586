"""Tallies of the ground truth kept while the chunks are written, merged once at the end.

Each chunk counts its networks' posts, cities and languages, its templates' posts and edits, and
each identifier's posts, posters and obfuscations. The tallies are small (bounded by the actors
and identifiers a chunk sees, not by its posts), so merging them is cheap and the end of a run
does not have to read the million-row truth files back.
"""

from __future__ import annotations

import csv
import pickle
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

TEMPLATE_COLUMNS = (
    "template_id",
    "actor_id",
    "network_id",
    "kind",
    "label",
    "language",
    "with_indicators",
    "posts",
    "edited_posts",
)
IDENTIFIER_COLUMNS = ("type", "value", "role", "network_id", "posts", "actors", "obfuscations")
# who wrote a post from which template: actor_id, network_id, kind, label, template_id, language, with_indicators
Who = tuple[str, str, str, str, str, str, int]
# what a post is counted by: who, city, edited
PostKey = tuple[Who, str, bool]
# what an identifier mention is counted by: type, value, rule, role, actor_id, network_id
IdentifierKey = tuple[str, str, str, str, str, str]


@dataclass(slots=True)
class NetworkTally:
    """A network's posts, and the cities and languages it posted in."""

    posts: int = 0
    cities: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)


@dataclass(slots=True)
class TemplateTally:
    """A template's description and how many posts (and edited posts) copy it."""

    actor_id: str
    network_id: str
    kind: str
    label: str
    language: str
    with_indicators: int
    posts: int = 0
    edited_posts: int = 0


@dataclass(slots=True)
class IdentifierTally:
    """An identifier's smallest role and network id, its posts, the actors using it and how it was written."""

    type: str
    role: str
    network_id: str
    posts: int = 0
    actors: set[str] = field(default_factory=set)
    obfuscations: set[str] = field(default_factory=set)

    def join(self, role: str, network: str) -> None:
        """Keep the smallest role and the smallest non-empty network id (as ``min`` in SQL would)."""
        if role < self.role:
            self.role = role
        if network and (not self.network_id or network < self.network_id):
            self.network_id = network


@dataclass
class Tally:
    """What one or more chunks wrote, in counts and sets keyed by network, template and identifier."""

    networks: dict[str, NetworkTally] = field(default_factory=dict)
    # by template id (which names its actor) and by identifier value (phones, emails and handles never collide)
    templates: dict[str, TemplateTally] = field(default_factory=dict)
    identifiers: dict[str, IdentifierTally] = field(default_factory=dict)

    def add_counted(self, posts: Counter[PostKey], identifiers: Counter[IdentifierKey]) -> None:
        """Count posts and identifier mentions counted by key (a chunk counts its keys with ``Counter``, in C).

        Args:
            posts: ``(who, city, edited)`` -> posts (``who``: the post's form's ``who``).
            identifiers: ``(type, value, rule, role, actor_id, network_id)`` -> posts naming the identifier.
        """
        networks, templates = self.networks, self.templates
        for (who, city, edited), count in posts.items():
            actor_id, network, kind, label, template_id, language, indicators = who
            if network:
                entry = networks.get(network)
                if entry is None:
                    entry = networks[network] = NetworkTally()
                entry.posts += count
                entry.cities.add(city)
                entry.languages.add(language)
            template = templates.get(template_id)
            if template is None:
                template = templates[template_id] = TemplateTally(actor_id, network, kind, label, language, indicators)
            template.posts += count
            if edited:
                template.edited_posts += count
        known = self.identifiers
        for (kind, value, rule, role, actor_id, network), count in identifiers.items():
            row = known.get(value)
            if row is None:
                known[value] = IdentifierTally(kind, role, network, count, {actor_id}, {rule})
                continue
            if role < row.role or (network and network != row.network_id):
                row.join(role, network)
            row.posts += count  # a post names an identifier once, so posts are counted distinct
            row.actors.add(actor_id)
            row.obfuscations.add(rule)

    def merge(self, other: Tally) -> None:
        """Add another chunk's tally to this one."""
        for network, entry in other.networks.items():
            mine = self.networks.get(network)
            if mine is None:
                self.networks[network] = entry
                continue
            mine.posts += entry.posts
            mine.cities |= entry.cities
            mine.languages |= entry.languages
        for key, template in other.templates.items():
            known = self.templates.get(key)
            if known is None:
                self.templates[key] = template
                continue
            known.posts += template.posts
            known.edited_posts += template.edited_posts
        for key, row in other.identifiers.items():
            seen = self.identifiers.get(key)
            if seen is None:
                self.identifiers[key] = row
                continue
            seen.join(row.role, row.network_id)
            seen.posts += row.posts
            seen.actors |= row.actors
            seen.obfuscations |= row.obfuscations

    def save(self, path: Path) -> None:
        """Write the tally for ``load`` (a private part file of the run).

        Entries are pickled as plain tuples: pickling slotted dataclasses calls a Python
        ``__getstate__`` per object, several times slower.
        """
        plain = (
            "tally",
            {key: (e.posts, e.cities, e.languages) for key, e in self.networks.items()},
            {
                key: (t.actor_id, t.network_id, t.kind, t.label, t.language, t.with_indicators, t.posts, t.edited_posts)
                for key, t in self.templates.items()
            },
            {
                key: (i.type, i.role, i.network_id, i.posts, i.actors, i.obfuscations)
                for key, i in self.identifiers.items()
            },
        )
        with path.open("wb") as handle:
            pickle.dump(plain, handle, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: Path) -> Tally:
        """Read a tally written by ``save`` in this run."""
        with path.open("rb") as handle:
            plain = pickle.load(handle)
        if not (isinstance(plain, tuple) and len(plain) == 4 and plain[0] == "tally"):
            raise TypeError(f"{path} does not hold a tally")
        _, networks, templates, identifiers = plain
        return cls(
            {key: NetworkTally(*entry) for key, entry in networks.items()},
            {key: TemplateTally(*entry) for key, entry in templates.items()},
            {key: IdentifierTally(*entry) for key, entry in identifiers.items()},
        )


def merged(paths: list[Path]) -> Tally:
    """The sum of the tallies at ``paths``."""
    total = Tally()
    for path in paths:
        total.merge(Tally.load(path))
    return total


def write_templates(path: Path, tally: Tally) -> None:
    """``truth/templates.csv``: one row per template, in template order."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(TEMPLATE_COLUMNS)
        for key in sorted(tally.templates):
            t = tally.templates[key]
            writer.writerow(
                (key, t.actor_id, t.network_id, t.kind, t.label, t.language, t.with_indicators, t.posts, t.edited_posts)
            )


def write_identifiers(path: Path, tally: Tally) -> None:
    """``truth/identifiers.csv``: one row per identifier with its role, posts, posters and obfuscations."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(IDENTIFIER_COLUMNS)
        for key in sorted(tally.identifiers, key=lambda value: (tally.identifiers[value].type, value)):
            row = tally.identifiers[key]
            writer.writerow(
                (
                    row.type,
                    key,
                    row.role,
                    row.network_id,
                    row.posts,
                    len(row.actors),
                    ";".join(sorted(row.obfuscations)),
                )
            )
