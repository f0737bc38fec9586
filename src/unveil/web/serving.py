"""Serving tables: the ``publish`` stage's page tables, loaded into the snapshot database as they are.

Nothing is computed here but one projection (``KEYED``, below): the ``publish`` stage
(``unveil.publish.stage``) wrote every table a hot page reads, and the snapshot copies the ones
the pages query with SQL into memory, in their stored
order (sorted tables let DuckDB skip row groups by their min/max), with an index where a page
looks one key up:

- ``web.posts`` (``publish.posts``): posts newest first (``pos``), with what search filters on;
  ``ingest.posts`` is a view of it;
- ``web.terms`` (``publish.search_terms``: ``term``, ``pos``, ``hidden``) and ``web.term_heads``;
- ``web.identifier_posts`` (indexed by ``value_lower``);
- ``web.post_facets``: what the search's totals and facets count (``facets.py`` loads it into
  arrays once per snapshot).

One table is a projection of another stage's, keyed for a page (``KEYED``): ``web.identifier_parties``,
the identifier values of ``money.party_matches`` (a few rows among tens of millions of post matches),
indexed by value for the identifier page (``publish`` does not read the money stage's tables).

The post and network pages and the first pages of a search read the lookup file (``lookups.py``),
written from ``publish.post_pages``, ``publish.network_pages`` and ``publish.search_rows``, which
stay views over their Parquet parts here.
"""

from __future__ import annotations

import duckdb

LOADED: dict[str, tuple[str, tuple[str, ...]]] = {
    "publish.posts": ("web.posts", ("post_id",)),
    "publish.search_terms": ("web.terms", ()),
    "publish.term_heads": ("web.term_heads", ()),
    "publish.identifier_posts": ("web.identifier_posts", ("value_lower",)),
    "publish.post_facets": ("web.post_facets", ()),
}
"""Published tables copied into memory: name in the snapshot and indexed columns."""
KEYED: dict[str, tuple[str, str, str]] = {
    "web.identifier_parties": (
        "money.party_matches",
        "SELECT DISTINCT identifier_type, identifier_value, party_id, reason FROM read_parquet(?) "
        "WHERE identifier_value IS NOT NULL",
        "identifier_value",
    ),
}
"""Tables keyed for one page: name -> (source table, projection of its parts, indexed column)."""
POST_EXTRAS = ("pos", "best_city", "language", "risk", "network_id")
"""Columns of ``web.posts`` that ``ingest.posts`` has not."""


def table_columns(connection: duckdb.DuckDBPyConnection, name: str) -> set[str]:
    """Column names of a ``stage.table`` in a connection's catalogue."""
    stage, _, table = name.partition(".")
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?", [stage, table]
    ).fetchall()
    return {row[0] for row in rows}


def load_published(connection: duckdb.DuckDBPyConnection, parts: dict[str, list[str]]) -> None:
    """Copy the published tables the pages query into ``web.*``; ``ingest.posts`` becomes a view of ``web.posts``."""
    connection.execute("CREATE SCHEMA IF NOT EXISTS web")
    for published, (name, indexed) in LOADED.items():
        connection.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet(?)", [parts[published]])
        for column in indexed:
            connection.execute(f'CREATE INDEX "{name.replace(".", "_")}_{column}" ON {name} ("{column}")')
    connection.execute("CREATE SCHEMA IF NOT EXISTS ingest")
    connection.execute(f"CREATE VIEW ingest.posts AS SELECT * EXCLUDE ({', '.join(POST_EXTRAS)}) FROM web.posts")


def load_keyed(connection: duckdb.DuckDBPyConnection, parts: dict[str, list[str]]) -> None:
    """The ``KEYED`` tables whose source is committed, with their index."""
    for name, (source, sql, column) in KEYED.items():
        if source in parts:
            connection.execute("CREATE SCHEMA IF NOT EXISTS web")
            connection.execute(f"CREATE TABLE {name} AS {sql}", [parts[source]])
            connection.execute(f'CREATE INDEX "{name.replace(".", "_")}_{column}" ON {name} ("{column}")')
