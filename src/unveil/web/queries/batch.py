"""Batch search: a pasted list of phones, handles, e-mails... which are known, how often, where, in which networks.

Each line is read as one identifier and canonicalised as the extraction writes it
(``unveil.identifiers.canonical``: a phone in any formatting becomes E.164, an e-mail loses case and
spaces, an IBAN its spaces...); a line no identifier type accepts is matched as written, like the
search's identifier field. An analyst may only paste pseudonyms: a line that is not one makes the
whole batch answer 403 "no access", whether or not the workspace holds it (docs/security.md), so a
batch can never test a real identifier.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from unveil.identifiers import canonical
from unveil.web.privacy import PSEUDONYM, PrivacyView
from unveil.web.queries.search import NoAccess, identifier_posts, normalise_identifier, resolve_pseudonym
from unveil.web.readmodel import ReadModel

MAX_LINES = 200
ORDER = ("phone", "email", "iban", "wallet", "handle", "url")


def read_line(line: str, region: str) -> list[tuple[str, str]]:
    """The (type, canonical value) pairs one pasted line stands for."""
    digits = sum(ch.isdigit() for ch in line)
    for kind in ORDER:
        if kind == "phone" and (digits < 6 or any(ch.isalpha() for ch in line)):
            continue
        if (kind == "email" and "@" not in line) or (kind == "url" and "." not in line):
            continue
        value = canonical(kind, line, region)
        if value:
            return [(kind, value)]
    return normalise_identifier(line, region)


def lines_of(text: str) -> list[str]:
    """The distinct non-empty lines of a pasted list (commas and semicolons separate too), at most ``MAX_LINES``."""
    found = [part.strip() for line in text.splitlines() for part in line.replace(";", ",").split(",")]
    return list(dict.fromkeys(part for part in found if part))[:MAX_LINES]


@dataclass
class Line:
    """What the workspace knows of one pasted identifier."""

    written: str
    type: str
    shown: str
    value: str = ""
    posts: int = 0
    first_seen: Any = None
    last_seen: Any = None
    cities: list[tuple[str, int]] = field(default_factory=list)
    networks: list[tuple[str, int]] = field(default_factory=list)

    @property
    def known(self) -> bool:
        """True when at least one post holds it."""
        return self.posts > 0


def batch(tables: ReadModel, text: str, region: str, privacy: PrivacyView) -> list[Line]:
    """Each pasted line with its posts' count, first and last post, cities and networks (as this user may see)."""
    lines = lines_of(text)
    if privacy.masked and any(not PSEUDONYM.fullmatch(line) for line in lines):
        raise NoAccess()
    found = []
    for written in lines:
        pairs = [resolve_pseudonym(tables, privacy, written)] if privacy.masked else read_line(written, region)
        rows = identifier_posts(tables, pairs)
        kind = pairs[0][0] if pairs else ""
        value = pairs[0][1] if pairs else written
        line = Line(written, kind, written if privacy.masked else value, "" if privacy.masked else value)
        if rows:
            times = [row["posted_at"] for row in rows if row.get("posted_at") is not None]
            line.posts = len(rows)
            line.first_seen, line.last_seen = (min(times), max(times)) if times else (None, None)
            line.cities = Counter(row["city"] for row in rows if row.get("city")).most_common(5)
            line.networks = Counter(row["network_id"] for row in rows if row.get("network_id")).most_common(5)
        found.append(line)
    return found
