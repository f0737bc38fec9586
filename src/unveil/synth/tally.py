"""Tallies of the ground truth kept while the chunks are written, merged once at the end.

Each chunk counts its networks' posts, cities and languages, its templates' posts and edits, and
each identifier's posts, posters and obfuscations. The tallies are small (bounded by the actors
and identifiers a chunk sees, not by its posts), so merging them is cheap and the end of a run
does not have to read the million-row truth files back.
"""

from __future__ import annotations

import csv
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from unveil.synth.posts import Post

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

    def add(self, post: Post) -> None:
        """Count one post."""
        actor = post.actor
        actor_id = actor.actor_id
        network = actor_id if actor.is_network else ""
        if network:
            entry = self.networks.get(network)
            if entry is None:
                entry = self.networks[network] = NetworkTally()
            entry.posts += 1
            entry.cities.add(post.city)
            entry.languages.add(post.language)
        template = self.templates.get(post.template_id)
        if template is None:
            template = self.templates[post.template_id] = TemplateTally(
                actor_id, network, actor.kind.name, actor.kind.label, post.language, int(post.with_indicators)
            )
        template.posts += 1
        if post.edit:
            template.edited_posts += 1
        identifiers = self.identifiers
        for kind, value, _written, rule, role in post.identifiers:
            row = identifiers.get(value)
            if row is None:
                identifiers[value] = IdentifierTally(kind, role, network, 1, {actor_id}, {rule})
                continue
            if role < row.role or (network and network != row.network_id):
                row.join(role, network)
            row.posts += 1  # a post names an identifier once, so posts are counted distinct
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
