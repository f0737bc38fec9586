"""Post search: words, an identifier written any way, and filters, newest posts first.

``web.posts`` is stored newest first (``pos``). Words are looked up in ``web.terms`` (every word of
every post, sorted): a post matches when, for each word of the query, one of its words starts with
it ("girl" finds "girls"), case and accents ignored. Identifier queries are normalised before
matching ``extract.identifiers`` (through ``web.identifier_posts``): a phone written ``0470 12 34 56``,
``+32 (0)470/12.34.56`` or ``0032470123456`` becomes ``+32470123456``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from unveil.errors import PermissionDenied
from unveil.identifiers import canonical_phone, find_identifiers
from unveil.publish.stage import FIRST_PAGE, RESULT_COLUMNS, SEARCH_COLUMNS, TERM_HEAD
from unveil.publish.words import words as text_words
from unveil.web.lookups import search_row
from unveil.web.privacy import PSEUDONYM, PrivacyView
from unveil.web.readmodel import ReadModel

PAGE_SIZE = 50
NO_MATCH = ("pseudonym", "")
"""An identifier pair that matches nothing (a pseudonym this workspace does not know)."""
HIDDEN_RANGE = "SELECT pos FROM web.terms WHERE term >= ? AND term < ? AND hidden"
HIDDEN = f"p.pos NOT IN ({HIDDEN_RANGE})"
MAX_WORDS = 10
LAST_CHARACTER = "\U0010ffff"
"""Sorts after every character: ``word <= term < word + LAST_CHARACTER`` means "term starts with word"."""
SORTS = ("newest", "risk")


@dataclass(frozen=True)
class SearchFilters:
    """What the user asked for; every field optional."""

    q: str = ""
    identifier: str = ""
    date_from: date | None = None
    date_to: date | None = None
    city: str = ""
    language: str = ""
    indicator: str = ""
    risk_min: float | None = None
    network: str = ""
    site: str = ""
    month: str = ""
    template: str = ""
    sort: str = "newest"

    def is_empty(self) -> bool:
        """True when no criterion is set."""
        return not self.criteria()

    def describe(self) -> str:
        """The criteria in one line, for the audit log and saved searches."""
        return "; ".join(f"{k}={v}" for k, v in self.criteria())

    def params(self) -> dict[str, str]:
        """The criteria as query-string parameters."""
        params = {k: str(v) for k, v in self.criteria()}
        if self.sort not in ("", "newest"):
            params["sort"] = self.sort
        return params

    def has_other_than(self, *names: str) -> bool:
        """True when a criterion other than ``names`` is set (what emptying those fields with ``replace``, then
        ``not is_empty()``, tells, without building a copy)."""
        return any(key not in names for key, _ in self.criteria())

    def criteria(self) -> tuple[tuple[str, Any], ...]:
        """(name, value) of the criteria that are set, in their order (``sort`` is no criterion): what
        ``dataclasses.asdict`` gave, without its deep copy of each value (three calls a search took 3% of its
        CPU); hashable, as the key of a search's cached counts."""
        return tuple((name, value) for name in CRITERIA if (value := getattr(self, name)) not in ("", None))


CRITERIA = tuple(item.name for item in fields(SearchFilters) if item.name != "sort")


@dataclass
class SearchResult:
    """One page of matching posts."""

    rows: list[dict[str, Any]]
    has_more: bool
    page: int
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    filters: SearchFilters | None = None
    """The filters as the search ran them (an analyst's: pseudonyms taken out of the words)."""
    hidden: bool = False
    """True when words hidden from the user were left out (an analyst's search)."""
    ranks: list[int] = field(default_factory=list)
    """Each row's rank in ``web.posts`` (``pos``), in the rows' order: where its whole text is read."""


def month_range(month: str) -> tuple[date, date]:
    """The first day of ``YYYY-MM`` and of the next month."""
    first = date.fromisoformat(f"{month}-01")
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following


def normalise_identifier(query: str, region: str) -> list[tuple[str, str]]:
    """The (type, canonical value) pairs a user's identifier query stands for.

    A phone in any formatting is read by ``identifiers.canonical_phone`` (the workspace's region for
    numbers without a country code); other identifiers go through the identifier registry (e-mail, IBAN,
    handle, wallet, URL, and obfuscated phones); anything else is matched as written, lower-cased.
    """
    return list(_normalised(query.strip(), region))


@lru_cache(maxsize=4096)
def _normalised(text: str, region: str) -> tuple[tuple[str, str], ...]:
    """``normalise_identifier`` of a stripped query, remembered: reading a phone's region rules took a sixth of
    an identifier search's CPU, and people search the same identifiers again and again."""
    if not text:
        return ()
    phone = _phone(text, region)
    if phone:
        return (("phone", phone),)
    found = _registry_identifiers(text, region)
    return tuple(found) or (("", text.lower()),)


def _phone(text: str, region: str) -> str | None:
    """A phone in any formatting, canonical as the extractor and the money area write it."""
    if sum(ch.isdigit() for ch in text) < 6 or any(ch.isalpha() for ch in text):
        return None
    return canonical_phone(text, region)


def _registry_identifiers(text: str, region: str) -> list[tuple[str, str]]:
    return sorted({(item.type, item.value) for item in find_identifiers(text, region)})


def query_words(text: str) -> list[str]:
    """The search words of a query, split as the posts were (``unveil.publish.words``): lower case, no accents."""
    return text_words(text[:500])[:MAX_WORDS]


def like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


SELECT_ROWS = f"SELECT {RESULT_COLUMNS}, p.pos FROM web.posts p"


class NoAccess(PermissionDenied):
    """An analyst searched for a real identifier: they may only search pseudonyms."""

    def __init__(self) -> None:
        super().__init__("analyst", "search real identifiers: no access (search a pseudonym such as phone#0123456789)")


def analyst_query(
    tables: ReadModel, filters: SearchFilters, region: str, privacy: PrivacyView
) -> tuple[SearchFilters, list[tuple[str, str]]]:
    """An analyst's search: pseudonyms (in either field) become identifier pairs; a real identifier is refused.

    Whatever names an identifier in clear (a phone in any formatting, an e-mail, a word of six or
    more digits, anything in the identifier field that is not a pseudonym) answers ``NoAccess``,
    whether or not the workspace holds it.
    """
    pairs = [
        resolve_pseudonym(tables, privacy, f"{kind}#{digest}") for kind, digest in PSEUDONYM.findall(filters.identifier)
    ]
    pairs += [resolve_pseudonym(tables, privacy, f"{kind}#{digest}") for kind, digest in PSEUDONYM.findall(filters.q)]
    rest_identifier = PSEUDONYM.sub(" ", filters.identifier).strip()
    rest_q = PSEUDONYM.sub(" ", filters.q).strip()
    if rest_identifier:
        raise NoAccess()
    digits = any(sum(ch.isdigit() for ch in word) >= 6 for word in rest_q.split())
    if rest_q and (digits or any(kind for kind, _ in normalise_identifier(rest_q, region))):
        raise NoAccess()
    return replace(filters, q=rest_q, identifier=""), pairs


def resolve_pseudonym(tables: ReadModel, privacy: PrivacyView, pseudonym: str) -> tuple[str, str]:
    """The (type, value) behind a pseudonym of this workspace, or a pair matching nothing.

    The table of every identifier's pseudonym is computed once per snapshot, on the first
    analyst search by pseudonym (one keyed hash per distinct identifier).
    """

    def table() -> dict[str, tuple[str, str]]:
        return {
            privacy.identifier(kind, value): (kind, value)
            for kind, value in tables.tuples("SELECT DISTINCT type, value FROM extract.identifiers")
        }

    return tables.cached(f"pseudonyms:{id(privacy.pseudonymiser)}", table).get(pseudonym, NO_MATCH)


RankSource = Callable[[SearchFilters, list[tuple[str, str]], bool, int], list[int]]
"""(filters, identifier pairs, hide, n) -> the first ``n`` matching ranks in the search's order
(``unveil.web.facets.matching_ranks``: the mask that also counts the total and the facets)."""


def search_posts(
    tables: ReadModel,
    filters: SearchFilters,
    region: str,
    ranks: RankSource,
    page: int = 1,
    privacy: PrivacyView | None = None,
) -> SearchResult:
    """One page of posts matching every criterion (for a pseudonymised ``privacy``, an analyst's search).

    The first page of a one-word or one-city search, and a search by words and identifiers alone, are
    read from the lookup file and the sorted word and identifier tables; any other search takes its
    page of ranks from ``ranks`` and fetches those posts.
    """
    tables.require("publish.posts")
    hide = privacy is not None and privacy.masked
    if hide:
        assert privacy is not None
        filters, pairs = analyst_query(tables, filters, region, privacy)
        if not pairs and filters.is_empty():
            return SearchResult([], False, max(page, 1), filters=filters, hidden=True)
    else:
        pairs = normalise_identifier(filters.identifier, region)
    offset = (max(page, 1) - 1) * PAGE_SIZE
    ranked = _ranks_of_words_and_identifiers(tables, filters, pairs, offset, hide)
    missing: list[str] = []
    stored = None if hide and filters.q else _stored_first_page(tables, filters, pairs, offset)
    if stored is not None:
        rows = stored
    elif ranked is not None and not filters.q:
        rows = _identifier_rows(tables, pairs, offset)
    elif ranked is not None:
        rows = _rows_at(tables, ranked, offset)
    else:
        rows = rows_at_ranks(tables, ranks(filters, pairs, hide, offset + PAGE_SIZE + 1)[offset:])
    ranked_rows = [int(row.pop("pos")) for row in rows]
    shown = rows[:PAGE_SIZE]
    return SearchResult(
        shown, len(rows) > PAGE_SIZE, max(page, 1), pairs, missing, filters, hide, ranked_rows[:PAGE_SIZE]
    )


def _ranks_of_words_and_identifiers(
    tables: ReadModel, filters: SearchFilters, pairs: list[tuple[str, str]], offset: int = 0, hide: bool = False
) -> tuple[str, list[Any]] | None:
    """For a search by words and/or identifier only, newest first: the SQL of the matching ranks.

    Such a search is answered from ``web.terms`` and ``web.identifier_posts`` alone (sorted, so a
    few row groups are read), then only the page's posts are fetched. None for other searches.
    One word alone, on its first pages, reads ``web.term_heads`` (the newest ranks of each word):
    a common word matches a third of the posts, which the page would otherwise sort.
    ``hide`` (analysts): each word leaves out the posts where it is hidden (``web.terms.hidden``).
    """
    if filters.sort != "newest" or filters.has_other_than("q", "identifier") or not (filters.q or pairs):
        return None
    words = query_words(filters.q) if filters.q else []
    if filters.q and not words:
        return None
    heads = len(words) == 1 and not pairs and offset + PAGE_SIZE + 1 <= TERM_HEAD and not hide
    table = "web.term_heads" if heads else "web.terms"
    term = f"SELECT pos FROM {table} WHERE term >= ? AND term < ?"
    if hide:
        term = f"SELECT pos FROM ({term} EXCEPT {HIDDEN_RANGE})"
    parts = [term for _ in words]
    repeat = term.count("?") // 2
    params: list[Any] = [value for word in words for _ in range(repeat) for value in (word, word + LAST_CHARACTER)]
    if pairs:
        where, values = identifier_condition(pairs)
        parts.append(f"SELECT pos FROM web.identifier_posts WHERE {where}")
        params += values
    return " INTERSECT ".join(parts), params


def identifier_condition(pairs: list[tuple[str, str]]) -> tuple[str, list[Any]]:
    """The condition on ``web.identifier_posts`` matching any of the (type, value) pairs, and its parameters.

    ``value_lower`` is compared with a constant (``lower`` of a parameter is folded), so DuckDB skips
    the row groups whose min/max cannot hold it (the table is sorted by it).
    """
    ors, params = [], []
    for kind, value in pairs:
        if kind:
            ors.append("(value_lower = lower(?) AND type = ? AND value = ?)")
            params += [value, kind, value]
        else:
            ors.append("value_lower = ?")
            params.append(value)
    return " OR ".join(ors), params


def _identifier_rows(tables: ReadModel, pairs: list[tuple[str, str]], offset: int) -> list[dict[str, Any]]:
    """One page (and one more row) of the posts of an identifier search, newest first."""
    ordered = identifier_posts(tables, pairs)[offset : offset + PAGE_SIZE + 1]
    return [{k: v for k, v in row.items() if k not in ("type", "value")} for row in ordered]


def identifier_posts(tables: ReadModel, pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Every post holding one of the (type, value) pairs (what a result shows), newest first.

    The lookup file's ``search_rows`` hold every post of each identifier value (lower case) with
    what a result shows: each value is one lookup.
    """
    if not pairs or not tables.has("publish.posts"):
        return []
    found: dict[int, dict[str, Any]] = {}
    for looked_up in dict.fromkeys(value for _, value in pairs):
        wanted = {(kind, value) for kind, value in pairs if value == looked_up}
        for row in _stored_rows(tables, "identifier", _lower(tables, looked_up)):
            if ("", looked_up) in wanted or (row["type"], row["value"]) in wanted:
                found.setdefault(row["pos"], row)
    return [found[pos] for pos in sorted(found)]


def _lower(tables: ReadModel, text: str) -> str:
    """``text`` in lower case as DuckDB writes it (the serving tables' keys): Python's for ASCII, else DuckDB's."""
    return text.lower() if text.isascii() else str(tables.value("SELECT lower(?)", [text]))


def _stored_rows(tables: ReadModel, kind: str, low: str, high: str | None = None) -> list[dict[str, Any]]:
    """``search_rows`` of the lookup file whose key is ``low`` (or in ``[low, high)``), one per post, newest first."""
    columns = ", ".join(SEARCH_COLUMNS)
    if high is None:
        names, rows = tables.lookup(
            f"SELECT {columns} FROM search_rows WHERE key_kind = ? AND key = ? ORDER BY pos", [kind, low]
        )
        return [search_row(names, row) for row in rows]
    # a word prefix spans several words (each with its newest posts): one row per post, the page's first
    names, rows = tables.lookup(
        f"SELECT {columns} FROM search_rows WHERE key_kind = ? AND key >= ? AND key < ? GROUP BY pos ORDER BY pos "
        "LIMIT ?",
        [kind, low, high, FIRST_PAGE],
    )
    return [search_row(names, row) for row in rows]


def _stored_first_page(
    tables: ReadModel, filters: SearchFilters, pairs: list[tuple[str, str]], offset: int
) -> list[dict[str, Any]] | None:
    """The first page (and one more row) of a one-word or one-city search, from the lookup file; else None.

    ``search_rows`` keeps the ``FIRST_PAGE`` newest posts of each word and city: the newest of a
    word prefix are among those of its words. A city the file does not know goes the general way.
    """
    if offset or filters.sort != "newest" or pairs:
        return None
    if filters.has_other_than("q", "city") or bool(filters.q) == bool(filters.city):
        return None
    if filters.q:
        words = query_words(filters.q)
        if len(words) != 1:
            return None
        rows = _stored_rows(tables, "term", words[0], words[0] + LAST_CHARACTER)
    else:
        rows = _stored_rows(tables, "city", _lower(tables, filters.city))
        if not rows:
            return None
    return [{k: v for k, v in row.items() if k not in ("type", "value")} for row in rows]


def _rows_at(tables: ReadModel, ranked: tuple[str, list[Any]], offset: int) -> list[dict[str, Any]]:
    """One page (and one more row) of the posts whose ranks ``ranked`` selects, newest first."""
    sql, params = ranked
    ranks = [
        row[0]
        for row in tables.tuples(
            f"SELECT DISTINCT pos FROM ({sql}) ORDER BY pos LIMIT ? OFFSET ?", [*params, PAGE_SIZE + 1, offset]
        )
    ]
    if not ranks:
        return []
    marks = ", ".join("?" for _ in ranks)
    rows = tables.rows(
        f"{SELECT_ROWS} WHERE p.pos BETWEEN ? AND ? AND p.pos IN ({marks})", [ranks[0], ranks[-1], *ranks]
    )
    return sorted(rows, key=lambda row: int(row["pos"]))


def rows_at_ranks(tables: ReadModel, ranks: list[int], columns: str = RESULT_COLUMNS) -> list[dict[str, Any]]:
    """The rows (``columns`` over ``web.posts p``, and ``pos``) of the posts at these ranks, in the ranks' order."""
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ranks), 1000):
        chunk = ranks[start : start + 1000]
        marks = ", ".join("?" for _ in chunk)
        # the bounds let DuckDB skip the row groups of web.posts (sorted by pos) outside them
        sql = f"SELECT {columns}, p.pos FROM web.posts p WHERE p.pos BETWEEN ? AND ? AND p.pos IN ({marks})"
        for row in tables.rows(sql, [min(chunk), max(chunk), *chunk]):
            found[int(row["pos"])] = row
    return [found[rank] for rank in ranks if rank in found]


def facet_values(tables: ReadModel) -> dict[str, list[str]]:
    """Choices of the select filters: cities, languages, indicators (empty when not computed)."""
    facets: dict[str, list[str]] = {"cities": [], "languages": [], "indicators": []}
    if tables.has("publish.posts"):
        facets["cities"] = [
            r["c"]
            for r in tables.rows(
                "SELECT best_city AS c FROM web.posts WHERE best_city IS NOT NULL "
                "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 300"
            )
        ]
        facets["languages"] = [
            r["l"]
            for r in tables.rows(
                "SELECT language AS l FROM web.posts WHERE language IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1"
            )
        ]
    if tables.has("score.indicators"):
        facets["indicators"] = [
            r["i"]
            for r in tables.rows(
                "SELECT DISTINCT domain AS i FROM score.indicators "
                "UNION SELECT DISTINCT indicator_id FROM score.indicators ORDER BY 1"
            )
        ]
    return facets
