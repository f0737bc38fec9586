"""Serving tables: the ``publish`` stage's page tables, loaded into the snapshot database as they are.

Nothing is computed here: the ``publish`` stage
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

The post and network pages, the first pages of a search and the identifier page read the lookup
file (``lookups.py``), written from ``publish.post_pages``, ``publish.network_pages`` and
``publish.search_rows`` (which stay views over their Parquet parts here) and, for the identifier
page's transfers and parties, from the money stage's tables (``publish`` does not read them).
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
