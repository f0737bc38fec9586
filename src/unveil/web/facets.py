"""Totals, facet counts and template groups of a search, over every matching post, in milliseconds.

A search page shows how many posts match and, for each facet (city, language, indicator, network,
site, month), the values of the matching posts with their counts. Over a million posts a common
word matches a third of them: counting them with SQL per request (a semi-join of the matches with
the posts, then a GROUP BY per facet) costs tens of milliseconds of CPU, which twenty users on two
cores cannot afford. So the ``publish`` stage writes a facet table (``unveil.publish.stage``), and each
serving process loads it once per snapshot into arrays indexed by the post's rank (``pos``):
``web.post_facets``, one row per post in rank order: ``city``, ``language``, ``site`` (platform),
``month`` (``YYYY-MM`` of ``posted_at``), ``template`` (``link.template_members``), the *sets* of values
a post may have several of (``indicator_set``, ``domain_set`` for the indicator filter, ``network_set``:
sorted values joined by ``FACET_SEPARATOR``), ``risk``, ``posted`` and ``ingested`` (epoch seconds: the post's
time, and when its part was ingested).

A search is then a boolean mask over the ranks: the words' and identifiers' posting lists come from
``web.terms`` and ``web.identifier_posts`` (sorted: a few row groups each), every other filter is a
comparison on an array. The total is the mask's count; a facet's counts are one ``bincount`` of its
codes at the matching ranks. Per snapshot, the totals and facets of the last ``CACHE_SIZE`` searches
and the matching ranks of the last ``RANK_CACHE_SIZE`` are kept (paging through a search, or clicking a
facet and back, costs nothing again); a search that several requests ask for at once is computed once,
the others wait for it. The result page of a search that neither the lookup file nor the word and
identifier tables answer alone (``queries.search``) reads its ranks here too: one code path, so the
page, its total and its facets always agree.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from unveil.publish.stage import FACET_SEPARATOR
from unveil.web.queries.search import (
    HIDDEN_RANGE,
    LAST_CHARACTER,
    SearchFilters,
    identifier_condition,
    identifier_posts,
    like,
    month_range,
    query_words,
)

if TYPE_CHECKING:
    from unveil.web.readmodel import ReadModel

FACETS = ("city", "language", "indicator", "network", "site", "month")
"""The facets a search page shows, in order (each is also a filter of ``SearchFilters``)."""
SINGLE = ("city", "language", "site", "month", "template")
MULTI = ("indicator", "domain", "network")
TOP = 10
"""Values shown per facet (the months: the newest ``MONTHS``)."""
MONTHS = 24
CACHE_SIZE = 512
RANK_CACHE_SIZE = 64
"""Searches whose matching ranks are kept (4 bytes a match: a common word's third of a million posts is 1.3 MB)."""
GROUP_PAGE = 50
GROUP_EXAMPLES = 5

Codes = npt.NDArray[np.int32]
Mask = npt.NDArray[np.bool_]


@dataclass
class Single:
    """A facet with at most one value per post: ``codes[pos]`` indexes ``labels`` (-1: none)."""

    codes: Codes
    labels: list[str]

    def matching(self, wanted: str, fold: bool = False) -> Mask:
        """The posts whose value is ``wanted`` (case-insensitive with ``fold``)."""
        chosen = np.zeros(len(self.labels) + 1, bool)  # the last entry stands for "none" (code -1)
        for n, label in enumerate(self.labels):
            chosen[n] = label.lower() == wanted.lower() if fold else label == wanted
        return chosen[self.codes]  # one gather: np.isin over a million codes sorts them


@dataclass
class Sets:
    """A facet with any number of values per post, as the post's *set* of values: ``sets.codes[pos]`` indexes
    the distinct sets; set ``k`` holds the values ``members[owner == k]`` (codes into ``labels``).

    Posts share few distinct sets (of indicators, of networks): counting the values among matching posts
    is a count of their sets (one gather and one ``bincount`` over the matching ranks, as a single-valued
    facet), then one weighted ``bincount`` over the sets' members.
    """

    sets: Single
    labels: list[str]
    members: Codes
    owner: Codes

    def counts(self, ranks: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """How many of the ranked posts hold each value."""
        per_set = np.bincount(self.sets.codes[ranks] + 1, minlength=len(self.sets.labels) + 1)[1:]
        found = np.bincount(self.members, weights=per_set[self.owner], minlength=len(self.labels))
        return np.rint(found).astype(np.int64)

    def matching(self, wanted: str) -> Mask:
        """The posts holding the value ``wanted``."""
        chosen = np.zeros(len(self.sets.labels) + 1, bool)  # the last entry stands for "none" (code -1)
        if wanted in self.labels:
            chosen[self.owner[self.members == self.labels.index(wanted)]] = True
        return chosen[self.sets.codes]


def _sets(column: pa.ChunkedArray) -> Sets:
    encoded = _encode(column)
    labels: dict[str, int] = {}
    members: list[int] = []
    owner: list[int] = []
    for number, joined in enumerate(encoded.labels):
        for value in joined.split(FACET_SEPARATOR):
            members.append(labels.setdefault(value, len(labels)))
            owner.append(number)
    return Sets(encoded, list(labels), np.array(members, dtype=np.int32), np.array(owner, dtype=np.int32))


@dataclass
class FacetIndex:
    """The facet tables of one snapshot, as arrays indexed by ``pos``."""

    size: int
    single: dict[str, Single]
    multi: dict[str, Sets]
    risk: npt.NDArray[np.float32]
    posted: npt.NDArray[np.float64]
    ingested: npt.NDArray[np.float64]
    cache: OrderedDict[Any, Any] = field(default_factory=OrderedDict)
    rank_cache: OrderedDict[Any, Any] = field(default_factory=OrderedDict)
    pending: dict[Any, threading.Event] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _encode(column: pa.ChunkedArray | pa.Array) -> Single:
    encoded = pc.dictionary_encode(column).combine_chunks() if isinstance(column, pa.ChunkedArray) else None
    if encoded is None:
        encoded = pc.dictionary_encode(column)
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
    return Single(codes, [str(label) for label in encoded.dictionary.to_pylist()])


def load_index(tables: ReadModel) -> FacetIndex:
    """The facet table of the current snapshot as arrays (read once per snapshot and process)."""
    names = ", ".join([*SINGLE, *(f"{name}_set" for name in MULTI)])
    with tables.cursor() as thread_cursor:
        # a cursor of its own: a relation refuses to run on one with an unfinished result (``ReadModel.value``)
        cursor = thread_cursor.cursor()
        try:
            posts = cursor.sql(
                f"SELECT {names}, risk, posted, ingested FROM web.post_facets ORDER BY pos"
            ).to_arrow_table()
        finally:
            cursor.close()
    single = {name: _encode(posts[name]) for name in SINGLE}
    multi = {name: _sets(posts[f"{name}_set"]) for name in MULTI}
    risk = posts["risk"].to_numpy(zero_copy_only=False).astype(np.float32)
    posted = posts["posted"].to_numpy(zero_copy_only=False).astype(np.float64)
    ingested = posts["ingested"].to_numpy(zero_copy_only=False).astype(np.float64)
    return FacetIndex(posts.num_rows, single, multi, risk, posted, ingested)


def index_of(tables: ReadModel) -> FacetIndex:
    """This process's facet index of the current snapshot."""
    return tables.cached("facet_index", lambda: load_index(tables))


def _positions(tables: ReadModel, sql: str, params: list[Any]) -> npt.NDArray[np.int64]:
    with tables.cursor() as cursor:
        found = cursor.execute(sql, params).fetchnumpy()
    return np.asarray(found["pos"], dtype=np.int64)


def _epoch(tables: ReadModel, day: date) -> float:
    """``day`` at midnight as the search's SQL reads it (a naive time in the database's time zone), in epoch seconds."""
    return float(tables.value("SELECT epoch(?::TIMESTAMPTZ)", [datetime.combine(day, time()).isoformat()]))


def match_mask(
    tables: ReadModel, index: FacetIndex, filters: SearchFilters, pairs: list[tuple[str, str]], hide: bool
) -> Mask:
    """The posts (by rank) matching every criterion."""
    mask = np.ones(index.size, bool)
    words = query_words(filters.q) if filters.q else []
    for word in words:
        found = np.zeros(index.size, bool)
        found[
            _positions(tables, "SELECT pos FROM web.terms WHERE term >= ? AND term < ?", [word, word + LAST_CHARACTER])
        ] = True
        if hide:
            found[_positions(tables, HIDDEN_RANGE, [word, word + LAST_CHARACTER])] = False
        mask &= found
    if filters.q and not words:
        text = like(filters.q)
        found = np.zeros(index.size, bool)
        found[
            _positions(
                tables,
                "SELECT pos FROM web.posts p WHERE p.text ILIKE ? ESCAPE '\\' OR p.title ILIKE ? ESCAPE '\\'",
                [text, text],
            )
        ] = True
        mask &= found
    if pairs:
        found = np.zeros(index.size, bool)
        if tables.has("extract.identifiers") and tables.has_lookups():  # the lookup file's rows: a fraction of a ms
            found[[int(row["pos"]) for row in identifier_posts(tables, pairs)]] = True
        elif tables.has("extract.identifiers"):
            where, params = identifier_condition(pairs)
            found[_positions(tables, f"SELECT pos FROM web.identifier_posts WHERE {where}", params)] = True
        mask &= found
    start, end = filters.date_from, filters.date_to
    if filters.month:
        first, following = month_range(filters.month)
        start = max(start, first) if start else first
        end = min(end, following - timedelta(days=1)) if end else following - timedelta(days=1)
    if start:
        mask &= index.posted >= _epoch(tables, start)
    if end:
        mask &= index.posted < _epoch(tables, end + timedelta(days=1))
    if filters.city:
        mask &= index.single["city"].matching(filters.city, fold=True)
    for name in ("language", "site", "template"):
        wanted = getattr(filters, name)
        if wanted:
            mask &= index.single[name].matching(wanted)
    if filters.indicator and tables.has("score.indicators"):
        mask &= index.multi["indicator"].matching(filters.indicator) | index.multi["domain"].matching(filters.indicator)
    if filters.risk_min is not None:
        mask &= index.risk >= filters.risk_min
    if filters.network:
        mask &= index.multi["network"].matching(filters.network)
    return mask


@dataclass(frozen=True)
class Summary:
    """What a search page shows beside its results: the total and each facet's values with counts."""

    total: int
    facets: dict[str, list[tuple[str, int]]]


def _top(counts: npt.NDArray[np.int64], labels: list[str], name: str) -> list[tuple[str, int]]:
    present = np.flatnonzero(counts)
    if name == "month":  # newest months first
        chosen = sorted(present.tolist(), key=lambda n: labels[n], reverse=True)[:MONTHS]
    else:
        if len(present) > TOP:  # only the values counted at least as often as the TOP-th are sorted
            found = counts[present]
            present = present[found >= np.partition(found, len(found) - TOP)[len(found) - TOP]]
        chosen = sorted(present.tolist(), key=lambda n: (-int(counts[n]), labels[n]))[:TOP]
    return [(labels[n], int(counts[n])) for n in chosen]


def facet_counts(index: FacetIndex, ranks: npt.NDArray[Any]) -> dict[str, list[tuple[str, int]]]:
    """Each facet's most frequent values among the posts at ``ranks``, with their counts."""
    facets: dict[str, list[tuple[str, int]]] = {}
    for name in FACETS:
        if name in index.single:
            column = index.single[name]
            counts = np.bincount(column.codes[ranks] + 1, minlength=len(column.labels) + 1)[1:]
            facets[name] = _top(counts, column.labels, name)
        else:
            values = index.multi[name]
            facets[name] = _top(values.counts(ranks), values.labels, name)
    return facets


def _key(filters: SearchFilters, pairs: list[tuple[str, str]], hide: bool, what: str) -> tuple[Any, ...]:
    return (what, filters.criteria(), tuple(pairs), hide)


def _cached(index: FacetIndex, cache: OrderedDict[Any, Any], size: int, key: tuple[Any, ...], compute: Any) -> Any:
    """``compute()``, kept in ``cache`` (the ``size`` last used); a key another request is computing is waited for."""
    with index.lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
        pending = index.pending.get(key)
        owner = pending is None
        if pending is None:
            pending = index.pending[key] = threading.Event()
    if not owner:
        pending.wait()
        with index.lock:
            if key in cache:
                return cache[key]
        return compute()  # the other request failed: compute it here
    try:
        value = compute()
        with index.lock:
            cache[key] = value
            while len(cache) > size:
                cache.popitem(last=False)
    finally:
        with index.lock:
            index.pending.pop(key, None)
        pending.set()
    return value


def ranked(
    tables: ReadModel, filters: SearchFilters, pairs: list[tuple[str, str]], hide: bool
) -> npt.NDArray[np.int32]:
    """Every matching rank, newest first (kept for the last ``RANK_CACHE_SIZE`` searches)."""
    index = index_of(tables)

    def compute() -> npt.NDArray[np.int32]:
        return np.flatnonzero(match_mask(tables, index, filters, pairs, hide)).astype(np.int32)

    ranks: npt.NDArray[np.int32] = _cached(
        index, index.rank_cache, RANK_CACHE_SIZE, _key(filters, pairs, hide, "ranks"), compute
    )
    return ranks


def summarise(tables: ReadModel, filters: SearchFilters, pairs: list[tuple[str, str]], hide: bool) -> Summary:
    """The total and the facet counts of a search (``filters`` and ``pairs`` as the search ran them)."""
    index = index_of(tables)

    def compute() -> Summary:
        ranks = ranked(tables, filters, pairs, hide)
        return Summary(len(ranks), facet_counts(index, ranks))

    summary: Summary = _cached(index, index.cache, CACHE_SIZE, _key(filters, pairs, hide, "summary"), compute)
    return summary


@dataclass(frozen=True)
class Group:
    """One template's matching posts (or one post without a template): its count, newest first."""

    template: str
    count: int
    ranks: list[int]


def template_groups(
    tables: ReadModel, filters: SearchFilters, pairs: list[tuple[str, str]], hide: bool, page: int
) -> tuple[list[Group], int]:
    """One page of the matching posts grouped by template (newest group first), and the number of groups."""
    index = index_of(tables)

    def compute() -> tuple[list[str], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        ranks = ranked(tables, filters, pairs, hide).astype(np.int64)
        column = index.single["template"]
        codes = column.codes[ranks].astype(np.int64)
        keys = np.where(codes >= 0, codes, len(column.labels) + ranks)
        order = np.argsort(keys, kind="stable")  # ranks ascending within each key: newest first
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]) if len(keys) else np.array([], int)
        newest = ranks[order[starts]] if len(keys) else np.array([], int)
        by_newest = np.argsort(newest, kind="stable")
        return column.labels, ranks[order], starts[by_newest], np.diff(np.r_[starts, len(keys)])[by_newest]

    key = _key(filters, pairs, hide, "groups")
    labels, ordered, starts, sizes = _cached(index, index.cache, CACHE_SIZE, key, compute)
    first = (max(page, 1) - 1) * GROUP_PAGE
    column = index.single["template"]
    groups = []
    for start, size in zip(starts[first : first + GROUP_PAGE], sizes[first : first + GROUP_PAGE], strict=True):
        ranks = [int(rank) for rank in ordered[start : start + min(int(size), GROUP_EXAMPLES)]]
        code = int(column.codes[ranks[0]])
        groups.append(Group(labels[code] if code >= 0 else "", int(size), ranks))
    return groups, len(starts)


def matching_ranks(
    tables: ReadModel, filters: SearchFilters, pairs: list[tuple[str, str]], hide: bool, limit: int
) -> tuple[list[int], int]:
    """The first ``limit`` matching ranks in the search's order (newest or riskiest first), and the total."""
    index = index_of(tables)
    ranks = ranked(tables, filters, pairs, hide)
    if filters.sort == "risk":
        risk = np.nan_to_num(index.risk[ranks], nan=-1.0)
        ranks = ranks[np.lexsort((ranks, -risk))]
    return [int(rank) for rank in ranks[:limit]], len(ranks)


def count_ingested_after(
    tables: ReadModel, filters: SearchFilters, pairs: list[tuple[str, str]], hide: bool, since: float
) -> int:
    """How many posts match the search among those ingested after ``since`` (epoch seconds)."""
    index = index_of(tables)
    return int((index.ingested[ranked(tables, filters, pairs, hide)] > since).sum())
