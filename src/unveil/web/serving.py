"""Serving tables: what the hot pages read, computed once per snapshot so a page is one or two lookups.

Built into the snapshot database after the workspace's tables are loaded (``readmodel.build_snapshot``):

- ``web.posts``: posts newest first (``pos`` is the rank, 0 = newest) with what search filters on;
  ``ingest.posts`` is a view of it.
- ``web.post_details``: per post, its page's columns and every flag of the page as lists (identifiers,
  indicators, scores, places, prices, ages, networks, images): a post page is one lookup by ``post_id``.
- ``web.network_pages``: per network, its row of ``link.networks``, its posts with why they are linked,
  the identifiers two or more of them share, and the places they name: a network page is one lookup by
  ``network_id``.
- ``web.terms``: the words of every post (lower case, accents removed) with the post's rank, sorted
  by word, so a word search reads a few row groups instead of every text.
- ``web.term_heads``: the ``TERM_HEAD`` newest ranks of each word (a word prefix's first pages).
- ``web.identifier_posts``: identifier values (and their lower-case form) with the post's rank and what
  a search result shows of it.
- ``web.hidden_terms``: the words of a post that an analyst does not see (those only inside an
  identifier span as extracted, a written form of one in the title, or a run of six digits): an
  analyst's word search leaves out the posts that match through them, so prefix searches cannot
  recover what the pseudonyms hide.

Sorted tables let DuckDB skip row groups by their min/max, so these need no index on big keys.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import duckdb

from unveil.web.facets import build_facets

WORD = r"[\p{L}\p{N}]+"
"""A word, for search: letters and digits (after lower-casing and removing accents)."""


def words_sql(expression: str) -> str:
    """SQL that splits a text expression into its distinct search words."""
    return f"list_distinct(regexp_extract_all(lower(strip_accents({expression})), '{WORD}'))"


def table_columns(connection: duckdb.DuckDBPyConnection, name: str) -> set[str]:
    """Column names of a ``stage.table`` in a connection's catalogue."""
    stage, _, table = name.partition(".")
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?", [stage, table]
    ).fetchall()
    return {row[0] for row in rows}


def build_posts(connection: duckdb.DuckDBPyConnection, files: list[str], tables: set[str]) -> None:
    """``web.posts``: posts newest first with what search filters on, and ``ingest.posts`` as a view of it.

    Added columns: ``pos`` (rank, newest first), ``ingested_at`` (when the part file was written),
    ``best_city`` and ``language`` (``extract.posts``, else the declared city), ``risk`` (highest
    over domains, ``score.scores``), ``network_id`` (``link.network_posts``).
    """
    connection.execute("CREATE SCHEMA IF NOT EXISTS web")
    connection.execute("CREATE SCHEMA IF NOT EXISTS ingest")
    connection.execute("CREATE TEMP TABLE part_times (filename VARCHAR, ingested_at TIMESTAMPTZ)")
    connection.executemany(
        "INSERT INTO part_times VALUES (?, to_timestamp(?))", [(f, os.path.getmtime(f)) for f in files]
    )
    joins, city, language, risk, network = [], "p.city", "NULL::VARCHAR", "NULL::DOUBLE", "NULL::VARCHAR"
    if "extract.posts" in tables:
        joins.append("LEFT JOIN extract.posts e ON e.post_id = p.post_id")
        city, language = "coalesce(e.city, p.city)", "e.language"
    if "score.scores" in tables and "risk" in table_columns(connection, "score.scores"):
        joins.append(
            "LEFT JOIN (SELECT post_id, max(risk) AS risk FROM score.scores GROUP BY post_id) s "
            "ON s.post_id = p.post_id"
        )
        risk = "s.risk"
    if "link.network_posts" in tables:
        joins.append(
            "LEFT JOIN (SELECT post_id, min(network_id) AS network_id FROM link.network_posts "
            "GROUP BY post_id) n ON n.post_id = p.post_id"
        )
        network = "n.network_id"
    connection.execute(
        "CREATE TABLE web.posts AS SELECT (row_number() OVER (ORDER BY p.posted_at DESC NULLS LAST, p.post_id) - 1)"
        f"::INTEGER AS pos, p.* EXCLUDE (filename), t.ingested_at, {city} AS best_city, "
        f"{language} AS language, {risk} AS risk, {network} AS network_id "
        "FROM read_parquet(?, filename = true) p JOIN part_times t ON t.filename = p.filename "
        f"{' '.join(joins)} ORDER BY pos",
        [files],
    )
    connection.execute("DROP TABLE part_times")
    connection.execute('CREATE INDEX "web_posts_post_id" ON web.posts (post_id)')
    connection.execute(
        "CREATE VIEW ingest.posts AS SELECT * EXCLUDE (pos, best_city, language, risk, network_id) FROM web.posts"
    )


DETAIL_LISTS: dict[str, tuple[str, str, str]] = {
    "identifiers": (
        "extract.identifiers",
        "{'type': type, 'value': value, 'raw': raw, 'start': start, 'end': \"end\", 'rule': rule}",
        "start",
    ),
    "indicators": (
        "score.indicators",
        "{'indicator_id': indicator_id, 'domain': domain, 'category': category, 'start': start, "
        "'end': \"end\", 'matched': matched, 'weight': weight, 'source': source}",
        "start, indicator_id",
    ),
    "scores": ("score.scores", "{'domain': domain, 'score': score, 'risk': risk}", "score DESC"),
    "places": (
        "extract.places",
        "{'place_id': place_id, 'name': name, 'kind': kind, 'country': country, 'lat': lat, 'lon': lon, "
        "'start': start, 'end': \"end\"}",
        "start",
    ),
    "prices": (
        "extract.prices",
        "{'amount': amount, 'currency': currency, 'unit': unit, 'start': start, 'end': \"end\"}",
        "start",
    ),
    "ages": ("extract.ages", "{'age': age, 'start': start, 'end': \"end\"}", "start"),
    "networks": ("link.network_posts", "{'network_id': network_id, 'reason': reason}", "network_id"),
    "images": (
        "ingest.images",
        "{'image_sha256': image_sha256, 'width': width, 'height': height, 'format': format}",
        "image_sha256",
    ),
}
"""Post page lists: field -> (table, struct of one row, order within the post)."""


POST_PAGE_COLUMNS = (
    "post_id", "source_id", "source_file", "record_no", "evidence_sha256", "kind", "platform", "url", "author",
    "title", "text", "posted_at", "captured_at", "region", "city", "best_city", "language", "risk", "network_id",
    "ingested_at", "images",
)  # fmt: skip
"""Columns of ``web.posts`` copied into ``web.post_details``: a post page is one index lookup."""


def build_post_details(connection: duckdb.DuckDBPyConnection, tables: set[str]) -> list[str]:
    """``web.post_details``: one row per post, its page's columns and lists (``list_<field>``); returns the fields.

    The post's own columns are repeated here so that the page reads one row of one table (DuckDB
    costs about a millisecond per index lookup, and a join of two lookups more than both).
    """
    fields = [name for name, (table, _, _) in DETAIL_LISTS.items() if table in tables]
    selects = [f'p."{column}"' for column in POST_PAGE_COLUMNS]
    joins = []
    for name in fields:
        table, struct, order = DETAIL_LISTS[name]
        stage, _, short = table.partition(".")
        selects.append(f"coalesce(d_{name}.items, []) AS list_{name}")
        joins.append(
            f"LEFT JOIN (SELECT post_id, list({struct} ORDER BY {order}) AS items "
            f'FROM "{stage}"."{short}" GROUP BY post_id) d_{name} ON d_{name}.post_id = p.post_id'
        )
    connection.execute(
        # no ORDER BY: rows are found through the index, and sorting a million rows of lists is slow
        f"CREATE TABLE web.post_details AS SELECT {', '.join(selects)} FROM web.posts p {' '.join(joins)}"
    )
    connection.execute('CREATE INDEX "web_post_details_post_id" ON web.post_details (post_id)')
    return fields


LINKS_KEPT = 200
"""What links a network's posts, kept per network (``list_links``): the keys with most pairs."""


def build_networks(connection: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
    """``web.network_pages``: per network, its row of ``link.networks`` and, as ``list_members``,
    ``list_identifiers``, ``list_places`` and ``list_links``, its posts with why (and their template), the
    identifiers two or more share, its places, and what links its posts (``link.edges`` per kind and key).

    ``list_identifier_posts`` holds each shared identifier's posts (same order as ``list_identifiers``):
    only the graph reads them, and the page is cheaper without them.
    """
    if "link.network_posts" not in tables or "link.networks" not in tables:
        return
    template, template_join = "NULL::VARCHAR", ""
    if "link.template_members" in tables:
        template = "tm.template_id"
        template_join = (
            "LEFT JOIN (SELECT post_id, min(template_id) AS template_id FROM link.template_members "
            "GROUP BY post_id) tm ON tm.post_id = np.post_id "
        )
    members = (
        "SELECT np.network_id, list({'post_id': np.post_id, 'reason': np.reason, 'found': p.post_id IS NOT NULL, "
        "'title': p.title, 'snippet': left(p.text, 160), 'posted_at': p.posted_at, 'city': p.best_city, "
        f"'risk': p.risk, 'template_id': {template}}} ORDER BY p.posted_at NULLS LAST, np.post_id) AS members "
        f"FROM link.network_posts np LEFT JOIN web.posts p ON p.post_id = np.post_id {template_join}"
        "GROUP BY np.network_id"
    )
    links = "SELECT NULL::VARCHAR AS network_id, NULL AS links WHERE FALSE"
    if "link.edges" in tables:
        # what links the posts: each identifier, template, photo group or style, with its pairs and a reason
        links = (
            "SELECT network_id, list({'kind': kind, 'key': key, 'pairs': pairs, 'weight': weight, 'reason': reason} "
            f"ORDER BY pairs DESC, kind, key)[:{LINKS_KEPT}] AS links FROM (SELECT network_id, kind, key, "
            "count(*) AS pairs, round(max(weight), 3) AS weight, arg_max(reason, weight) AS reason "
            "FROM link.edges GROUP BY ALL) GROUP BY network_id"
        )
    identifiers = "SELECT NULL::VARCHAR AS network_id, NULL AS identifiers, NULL AS identifier_posts WHERE FALSE"
    if "extract.identifiers" in tables:
        identifiers = (
            "SELECT network_id, list({'type': type, 'value': value, 'posts': posts} "
            "ORDER BY posts DESC, type, value) AS identifiers, "
            "list(post_ids ORDER BY posts DESC, type, value) AS identifier_posts "
            "FROM (SELECT np.network_id, i.type, i.value, "
            "count(DISTINCT i.post_id) AS posts, list_sort(list(DISTINCT i.post_id)) AS post_ids "
            "FROM link.network_posts np JOIN extract.identifiers i ON i.post_id = np.post_id "
            "GROUP BY ALL HAVING count(DISTINCT i.post_id) >= 2) GROUP BY network_id"
        )
    places = "SELECT NULL::VARCHAR AS network_id, NULL AS places WHERE FALSE"
    if "extract.places" in tables:
        places = (
            "SELECT np.network_id, list({'post_id': pl.post_id, 'name': pl.name, 'lat': pl.lat, 'lon': pl.lon} "
            "ORDER BY pl.start, pl.post_id) AS places FROM link.network_posts np "
            "JOIN extract.places pl ON pl.post_id = np.post_id "
            "WHERE pl.lat IS NOT NULL AND pl.lon IS NOT NULL GROUP BY np.network_id"
        )
    connection.execute(
        "CREATE TABLE web.network_pages AS SELECT n.*, coalesce(m.members, []) AS list_members, "
        "coalesce(i.identifiers, []) AS list_identifiers, coalesce(i.identifier_posts, []) AS list_identifier_posts, "
        "coalesce(pl.places, []) AS list_places, coalesce(lk.links, []) AS list_links "
        f"FROM link.networks n LEFT JOIN ({members}) m USING (network_id) "
        f"LEFT JOIN ({links}) lk USING (network_id) "
        f"LEFT JOIN ({identifiers}) i USING (network_id) "
        f"LEFT JOIN ({places}) pl USING (network_id) ORDER BY n.network_id"
    )
    connection.execute('CREATE INDEX "web_network_pages_network_id" ON web.network_pages (network_id)')


TERM_HEAD = 1000
"""Ranks of each word kept in ``web.term_heads``: a one-word search's first 19 pages read only these."""
RESULT_COLUMNS = (
    "p.post_id, p.title, left(p.text, 240) AS snippet, p.posted_at, p.best_city AS city, p.language, p.risk, "
    "p.network_id, p.platform, p.kind"
)
"""What a search result shows of a post (over ``web.posts p``); copied into ``web.identifier_posts``."""
RESULT_NAMES = (
    "post_id",
    "title",
    "snippet",
    "posted_at",
    "city",
    "language",
    "risk",
    "network_id",
    "platform",
    "kind",
)
"""The names of ``RESULT_COLUMNS``."""


def build_search(connection: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
    """``web.terms`` (word, pos) and ``web.identifier_posts`` (value, pos and the result's columns: a search by
    identifier reads this table only), sorted for row-group skipping."""
    words = words_sql("coalesce(title, '') || ' ' || coalesce(text, '')")
    connection.execute(f"CREATE TABLE web.terms AS SELECT unnest({words}) AS term, pos FROM web.posts ORDER BY 1, 2")
    # the newest posts of each word: the first pages of a one-word search, whatever the word's count
    connection.execute(
        "CREATE TABLE web.term_heads AS SELECT term, pos FROM web.terms "
        f"QUALIFY row_number() OVER (PARTITION BY term ORDER BY pos) <= {TERM_HEAD} ORDER BY term, pos"
    )
    if "extract.identifiers" in tables:
        connection.execute(
            "CREATE TABLE web.identifier_posts AS SELECT DISTINCT lower(i.value) AS value_lower, i.type, i.value, "
            f"p.pos, {RESULT_COLUMNS} FROM extract.identifiers i JOIN web.posts p ON p.post_id = i.post_id "
            "ORDER BY value_lower, pos"
        )
        connection.execute('CREATE INDEX "web_identifier_posts_value_lower" ON web.identifier_posts (value_lower)')


INVISIBLE_SQL = r"[\x{200b}-\x{200f}\x{202a}-\x{202e}\x{2060}-\x{2069}\x{feff}\x{00ad}]"
"""Zero-width and bidirectional-control characters (RE2)."""
DIGIT_RUN_SQL = r"\p{Nd}(?:[\s\x{00a0}\x{2000}-\x{200a}\x{202f}\x{205f}\x{3000}./()+\-]{0,3}\p{Nd}){5,}"
"""Six or more digits (``privacy.DIGIT_RUN``), in text whose invisible characters were removed: hidden from analysts."""


def build_hidden_terms(connection: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
    """``web.hidden_terms`` (term, pos): words of a post's title and text absent from what an analyst sees of them.

    What an analyst sees: the text with every identifier span (as extracted) cut out, the title
    without the written forms of the post's identifiers, both without invisible characters and
    without runs of six digits (``privacy.PrivacyView.text`` shows pseudonyms there).
    """
    if "extract.identifiers" in tables:
        connection.execute(
            "CREATE TEMP TABLE hide_spans AS SELECT p.pos, "
            "list({'s': g.prev_end, 'l': greatest(g.start - g.prev_end, 0)} ORDER BY g.start, g.\"end\") AS gaps, "
            'max(g."end") AS tail, '
            "list(g.form ORDER BY length(g.form) DESC) FILTER (WHERE g.form IS NOT NULL AND g.form <> '') AS forms "
            'FROM (SELECT post_id, start, "end", unnest([raw, value]) AS form, coalesce(max("end") OVER ('
            'PARTITION BY post_id ORDER BY start, "end" ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) '
            'AS prev_end FROM extract.identifiers WHERE start IS NOT NULL AND "end" IS NOT NULL) g '
            "JOIN web.posts p ON p.post_id = g.post_id GROUP BY p.pos"
        )
    else:
        connection.execute(
            "CREATE TEMP TABLE hide_spans (pos INTEGER, gaps STRUCT(s BIGINT, l BIGINT)[], "
            "tail BIGINT, forms VARCHAR[])"
        )
    title = "coalesce(p.title, '')"
    text = "coalesce(p.text, '')"
    shown_title = f"list_reduce(coalesce(h.forms, []), lambda acc, f: replace(acc, f, ' '), {title})"
    shown_text = (
        f"CASE WHEN h.pos IS NULL THEN {text} ELSE array_to_string(list_transform(h.gaps, "
        f"lambda g: substring({text}, g.s + 1, g.l)), ' ') || ' ' || substring({text}, h.tail + 1) END"
    )
    shown = (
        f"regexp_replace(regexp_replace({shown_title} || ' ' || {shown_text}, '{INVISIBLE_SQL}', '', 'g'), "
        f"'{DIGIT_RUN_SQL}', ' ', 'g')"
    )
    whole = f"{title} || ' ' || {text}"
    connection.execute(
        f"CREATE TEMP TABLE shown_words AS SELECT p.pos, {words_sql(whole)} AS whole, {words_sql(shown)} AS shown "
        "FROM web.posts p LEFT JOIN hide_spans h ON h.pos = p.pos "
        f"WHERE h.pos IS NOT NULL OR regexp_matches(regexp_replace({whole}, '{INVISIBLE_SQL}', '', 'g'), "
        f"'{DIGIT_RUN_SQL}')"
    )
    connection.execute(
        "CREATE TABLE web.hidden_terms AS SELECT term, pos FROM ("
        "SELECT pos, unnest(whole) AS term FROM shown_words EXCEPT SELECT pos, unnest(shown) AS term FROM shown_words"
        ") ORDER BY term, pos"
    )
    connection.execute("DROP TABLE shown_words")
    connection.execute("DROP TABLE hide_spans")


def build_serving(connection: duckdb.DuckDBPyConnection, post_files: Sequence[str], tables: set[str]) -> None:
    """Every serving table, from the loaded workspace tables."""
    build_posts(connection, list(post_files), tables)
    build_post_details(connection, tables)
    build_networks(connection, tables)
    build_search(connection, tables)
    build_hidden_terms(connection, tables)
    build_facets(connection, tables)
