"""Stage ``publish``: the page tables, computed once per state of the workspace instead of at serve time.

Every table is keyed for one page or one search step; the web app loads them and builds nothing,
and ``unveil network`` reads the same network rows. They hold real identifier values: what an
analyst may see is decided when a page is shown (``unveil.web.privacy``), and ``search_terms.hidden``
marks the words an analyst's search must not match.

- ``posts``: posts newest first (``pos`` is the rank, 0 = newest), every ``ingest.posts`` column and
  what search filters on: ``ingested_at`` (when the post's part was written), ``best_city`` and
  ``language`` (``extract.posts``, else the declared city), ``risk`` (highest over domains),
  ``network_id`` (the post's first network).
- ``post_pages``: per post, its page's columns (``POST_PAGE_COLUMNS``) and every flag of the page as
  a list (``list_<field>`` for each of ``DETAIL_LISTS``), in text order.
- ``network_pages``: per network, its row of ``link.networks`` and ``list_members`` (its posts with
  why they are linked, oldest first), ``list_identifiers`` (identifiers two or more of them share,
  most shared first), ``list_places``
  (places with coordinates, in text order), ``list_links`` (what links its posts: each identifier,
  template, photo group or style key with its pairs, strongest weight and a reason; the ``LINKS_KEPT``
  with most pairs), ``list_movements`` (its stays, in order) and ``list_graphs`` (its graph laid out at
  each cap, ``unveil.publish.network_graph``). Members carry their template.
- ``search_terms``: the words of every post with the post's rank (sorted by word), and ``hidden``
  (``unveil.publish.words``); ``term_heads``: the ``TERM_HEAD`` newest ranks of each word.
- ``identifier_posts``: identifier values (and their lower-case form) with the post's rank and what a
  search result shows of it (``RESULT_NAMES``).
- ``search_rows``: what a result shows, keyed by ``key_kind``/``key``: ``identifier`` (lower-case
  value: every post), ``term`` and ``city`` (the ``FIRST_PAGE`` newest posts of each word and city);
  an identifier's rows also carry every identifier of the post (``others``): the identifier page
  counts the identifiers written beside it from its own rows.
- ``post_facets``: one row per post, in rank order: ``city``, ``language``, ``site`` (platform),
  ``month`` (``YYYY-MM``), ``template``, the sets of values a post may have several of
  (``indicator_set``, ``domain_set``, ``network_set``: sorted, joined by ``FACET_SEPARATOR``), ``risk``,
  ``posted`` and ``ingested`` (epoch seconds). The search's totals and facets read it (``unveil.web.facets``).

Relational work is SQL that both engines run (ordered lists are sorted structs: ``ordered_list``);
the words of a post are per-record Python (``unveil.publish.words``).
"""

from __future__ import annotations

import pyarrow as pa

from unveil.pipeline import Stage, StageContext
from unveil.publish.network_graph import EDGES_KEPT, with_graphs
from unveil.publish.schema import LINK, NETWORK_PAGES, SCHEMAS
from unveil.publish.words import POST_WORDS, post_words
from unveil.tables import TableRef

TERM_HEAD = 1000
"""Ranks of each word kept in ``term_heads``: a one-word search's first 19 pages read only these."""
FIRST_PAGE = 51
"""Rows of each word and city kept in ``search_rows``: a result page (50) and one more, for "next page"."""
LINKS_KEPT = 200
"""What links a network's posts, kept per network (``list_links``): the keys with most pairs."""

POST_PAGE_COLUMNS = (
    "post_id", "source_id", "source_file", "record_no", "evidence_sha256", "kind", "platform", "url", "author",
    "title", "text", "posted_at", "captured_at", "region", "city", "best_city", "language", "risk", "network_id",
    "ingested_at", "images",
)  # fmt: skip
"""Columns of ``publish.posts`` copied into ``publish.post_pages``: a post page is one row."""

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
"""What a search result shows of a post."""
RESULT_COLUMNS = (
    "p.post_id, p.title, left(p.text, 240) AS snippet, p.posted_at, p.best_city AS city, p.language, p.risk, "
    "p.network_id, p.platform, p.kind"
)
"""``RESULT_NAMES`` over ``publish.posts p``."""
SEARCH_COLUMNS = ("pos", "type", "value", *RESULT_NAMES)
"""What a search reads of ``search_rows``, after ``key_kind`` and ``key``."""
SEARCH_ROW_COLUMNS = (*SEARCH_COLUMNS, "others")
"""Columns of ``search_rows`` after ``key_kind`` and ``key``: ``others`` (identifier rows only) holds every
identifier of the post, for the identifier page's co-occurring identifiers (never shown by a search)."""


def ordered_list(keys: list[str], fields: dict[str, str]) -> str:
    """SQL aggregating rows into a list of structs of ``fields``, ordered by ``keys`` (ascending).

    Both engines sort a list of structs field by field: the keys go first in a struct that is sorted,
    then only the value is kept. A key that may be null is given as ``(x IS NULL)`` before ``x``.
    """
    key_fields = ", ".join(f"'k{n}': {key}" for n, key in enumerate(keys))
    value = ", ".join(f"'{name}': {expression}" for name, expression in fields.items())
    return f"list_transform(list_sort(list({{{key_fields}, 'v': {{{value}}}}})), lambda x: x.v)"


def _struct(*names: str) -> dict[str, str]:
    return {name: f'"{name}"' for name in names}


DETAIL_LISTS: dict[str, tuple[str, list[str], dict[str, str]]] = {
    "identifiers": (
        "identifiers",
        ["start IS NULL", "start", '"end"', "type", "value"],
        _struct("type", "value", "raw", "start", "end", "rule"),
    ),
    "indicators": (
        "indicators",
        ["start IS NULL", "start", "indicator_id", '"end"'],
        _struct("indicator_id", "domain", "category", "start", "end", "matched", "weight", "source"),
    ),
    "scores": ("scores", ["-score", "domain"], _struct("domain", "score", "risk")),
    "places": (
        "places",
        ["start IS NULL", "start", '"end"', "place_id"],
        _struct("place_id", "name", "kind", "country", "lat", "lon", "start", "end"),
    ),
    "prices": ("prices", ["start IS NULL", "start", '"end"'], _struct("amount", "currency", "unit", "start", "end")),
    "ages": ("ages", ["start IS NULL", "start", '"end"'], _struct("age", "start", "end")),
    "networks": ("network_posts", ["network_id"], _struct("network_id", "reason")),
    "images": ("images", ["image_sha256"], _struct("image_sha256", "width", "height", "format")),
}
"""Post page lists: field -> (input table, order within the post, struct of one row)."""

INPUTS = {
    "posts": "ingest.posts",
    "images": "ingest.images",
    "extract_posts": "extract.posts",
    "identifiers": "extract.identifiers",
    "places": "extract.places",
    "prices": "extract.prices",
    "ages": "extract.ages",
    "scores": "score.scores",
    "indicators": "score.indicators",
    "networks": "link.networks",
    "network_posts": "link.network_posts",
    "edges": "link.edges",
    "movements": "link.movements",
    "template_members": "link.template_members",
}
"""The name each input table has in the stage's SQL."""

POSTS_SQL = """
SELECT CAST(row_number() OVER (ORDER BY p.posted_at DESC NULLS LAST, p.post_id) - 1 AS INTEGER) AS pos, p.*,
    t.ingested_at, coalesce(e.city, p.city) AS best_city, e.language, s.risk, n.network_id
FROM posts p
LEFT JOIN ingested t ON t.post_id = p.post_id
LEFT JOIN extract_posts e ON e.post_id = p.post_id
LEFT JOIN (SELECT post_id, max(risk) AS risk FROM scores GROUP BY post_id) s ON s.post_id = p.post_id
LEFT JOIN (SELECT post_id, min(network_id) AS network_id FROM network_posts GROUP BY post_id) n
    ON n.post_id = p.post_id
ORDER BY pos
"""


def post_pages_sql() -> str:
    """One row per post: its page's columns and its lists (``list_<field>``)."""
    selects = [f'p."{column}"' for column in POST_PAGE_COLUMNS]
    joins = []
    for name, (table, keys, fields) in DETAIL_LISTS.items():
        selects.append(f"coalesce(d_{name}.items, []) AS list_{name}")
        joins.append(
            f"LEFT JOIN (SELECT post_id, {ordered_list(keys, fields)} AS items FROM {table} "
            f"WHERE post_id IS NOT NULL GROUP BY post_id) d_{name} ON d_{name}.post_id = p.post_id"
        )
    return f"SELECT {', '.join(selects)} FROM published p {' '.join(joins)} ORDER BY p.pos"


MEMBERS = ordered_list(
    ["p.posted_at IS NULL", "p.posted_at", "np.post_id"],
    {
        "post_id": "np.post_id",
        "reason": "np.reason",
        "found": "p.post_id IS NOT NULL",
        "title": "p.title",
        "snippet": "left(p.text, 160)",
        "posted_at": "p.posted_at",
        "city": "p.best_city",
        "risk": "p.risk",
        "template_id": "tm.template_id",
    },
)
POST_TEMPLATES = "SELECT post_id, min(template_id) AS template_id FROM template_members GROUP BY post_id"
SHARED = (
    "list_sort(list({'k0': -posts, 'k1': type, 'k2': value, "
    "'v': {'type': type, 'value': value, 'posts': posts}, 'ids': post_ids}))"
)
PLACES = ordered_list(
    ["pl.start IS NULL", "pl.start", "pl.post_id", "pl.name"],
    {"post_id": "pl.post_id", "name": "pl.name", "lat": "pl.lat", "lon": "pl.lon"},
)
LINKS = ordered_list(["-pairs", "kind", "key"], _struct(*(field.name for field in LINK)))
MOVEMENTS = ordered_list(
    ["phone IS NULL", "phone", "step"],
    _struct(*(field.name for field in SCHEMAS["network_pages"].field("list_movements").type.value_type)),
)
GRAPH_EDGES = ordered_list(
    ["-weight", "src_post_id", "dst_post_id", "kind"], _struct("src_post_id", "dst_post_id", "kind")
)
NETWORK_ROWS_SQL = f"""
SELECT n.*, coalesce(m.members, []) AS list_members,
    coalesce(list_transform(i.shared, lambda x: x.v), []) AS list_identifiers,
    coalesce(pl.places, []) AS list_places, coalesce(l.links, []) AS list_links,
    coalesce(mv.movements, []) AS list_movements,
    coalesce(list_transform(i.shared, lambda x: x.ids), []) AS graph_identifier_posts,
    coalesce(ge.edges, []) AS graph_edges
FROM networks n
LEFT JOIN (
    SELECT np.network_id, {MEMBERS} AS members
    FROM network_posts np LEFT JOIN published p ON p.post_id = np.post_id
    LEFT JOIN ({POST_TEMPLATES}) tm ON tm.post_id = np.post_id
    GROUP BY np.network_id
) m ON m.network_id = n.network_id
LEFT JOIN (
    SELECT network_id, {SHARED} AS shared FROM (
        SELECT np.network_id, i.type, i.value, count(DISTINCT i.post_id) AS posts,
            list_sort(list(DISTINCT i.post_id)) AS post_ids
        FROM network_posts np JOIN identifiers i ON i.post_id = np.post_id
        GROUP BY np.network_id, i.type, i.value HAVING count(DISTINCT i.post_id) >= 2
    ) GROUP BY network_id
) i ON i.network_id = n.network_id
LEFT JOIN (
    SELECT np.network_id, {PLACES} AS places FROM network_posts np JOIN places pl ON pl.post_id = np.post_id
    WHERE pl.lat IS NOT NULL AND pl.lon IS NOT NULL GROUP BY np.network_id
) pl ON pl.network_id = n.network_id
LEFT JOIN (
    SELECT network_id, {LINKS} AS links FROM (
        SELECT *, row_number() OVER (PARTITION BY network_id ORDER BY pairs DESC, kind, key) AS n FROM (
            SELECT network_id, kind, key, count(*) AS pairs, round(max(weight), 3) AS weight,
                arg_max(reason, {{'weight': weight, 'reason': reason}}) AS reason
            FROM edges GROUP BY network_id, kind, key
        )
    ) WHERE n <= {LINKS_KEPT} GROUP BY network_id
) l ON l.network_id = n.network_id
LEFT JOIN (SELECT network_id, {MOVEMENTS} AS movements FROM movements GROUP BY network_id) mv
    ON mv.network_id = n.network_id
LEFT JOIN (
    SELECT network_id, {GRAPH_EDGES} AS edges FROM (
        SELECT *, row_number() OVER (PARTITION BY network_id ORDER BY weight DESC, src_post_id, dst_post_id) AS n
        FROM edges WHERE kind <> 'identifier'
    ) WHERE n <= {EDGES_KEPT} GROUP BY network_id
) ge ON ge.network_id = n.network_id
ORDER BY n.network_id
"""
"""Each network's row of ``publish.network_pages`` and what only its graph is drawn from (``graph_identifier_posts``,
``graph_edges``: ``network_graph.with_graphs`` leaves them out)."""

WORD_SOURCE_SQL = f"""
SELECT p.pos, p.title, p.text, s.spans FROM published p LEFT JOIN (
    SELECT post_id, {ordered_list(["start", '"end"'], _struct("start", "end", "raw", "value"))} AS spans
    FROM identifiers WHERE start IS NOT NULL AND "end" IS NOT NULL GROUP BY post_id
) s ON s.post_id = p.post_id
ORDER BY p.pos
"""
SEARCH_TERMS_SQL = "SELECT term, pos, hidden FROM words ORDER BY term, pos"
TERM_HEADS_SQL = f"""
SELECT term, pos FROM search_terms
QUALIFY row_number() OVER (PARTITION BY term ORDER BY pos) <= {TERM_HEAD}
ORDER BY term, pos
"""
IDENTIFIER_POSTS_SQL = f"""
SELECT DISTINCT lower(i.value) AS value_lower, i.type, i.value, p.pos, {RESULT_COLUMNS}
FROM identifiers i JOIN published p ON p.post_id = i.post_id
ORDER BY value_lower, pos, type, value
"""


def _first(key: str) -> str:
    return f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY p.pos) <= {FIRST_PAGE}"


POST_IDENTIFIERS = (
    "SELECT post_id, array_to_string(list_sort(list(DISTINCT type || chr(31) || value)), chr(30)) AS others "
    "FROM identifiers WHERE post_id IS NOT NULL AND type IS NOT NULL AND value IS NOT NULL GROUP BY post_id"
)
"""Every identifier of a post, as ``type`` chr(31) ``value``, sorted and joined by chr(30) (``others``)."""
NO_OTHERS = "CAST(NULL AS VARCHAR) AS others"

SEARCH_ROWS_SQL = f"""
SELECT * FROM (
    SELECT 'term' AS key_kind, t.term AS key, p.pos, CAST(NULL AS VARCHAR) AS type, CAST(NULL AS VARCHAR) AS value,
        {RESULT_COLUMNS}, {NO_OTHERS}
    FROM term_heads t JOIN published p ON p.pos = t.pos {_first("t.term")}
    UNION ALL
    SELECT 'city' AS key_kind, lower(p.best_city) AS key, p.pos, CAST(NULL AS VARCHAR) AS type,
        CAST(NULL AS VARCHAR) AS value, {RESULT_COLUMNS}, {NO_OTHERS}
    FROM published p WHERE p.best_city IS NOT NULL {_first("lower(p.best_city)")}
    UNION ALL
    SELECT 'identifier' AS key_kind, ip.value_lower AS key, {", ".join(f"ip.{c}" for c in SEARCH_COLUMNS)}, o.others
    FROM identifier_posts ip LEFT JOIN ({POST_IDENTIFIERS}) o ON o.post_id = ip.post_id
) ORDER BY key_kind, key, pos, type, value
"""

FACET_SETS = {
    "indicator": ("indicators", "indicator_id"),
    "domain": ("indicators", "domain"),
    "network": ("network_posts", "network_id"),
}
"""Facets a post may have several values of: (input, column); ``domain`` serves the indicator filter."""
FACET_SEPARATOR = "\x1f"
"""Between the sorted values of a post's set (``<facet>_set`` of ``post_facets``; ``unveil.web.facets`` splits them)."""


def post_facets_sql() -> str:
    """One row per post, in rank order: its single facets, its sets of values, its risk and times."""
    sets = "".join(f", s_{name}.v AS {name}_set" for name in FACET_SETS)
    separator = f"chr({ord(FACET_SEPARATOR)})"
    joins = "".join(
        f" LEFT JOIN (SELECT post_id, array_to_string(list_sort(list(DISTINCT {column})), {separator}) AS v "
        f"FROM {table} WHERE {column} IS NOT NULL GROUP BY post_id) s_{name} ON s_{name}.post_id = p.post_id"
        for name, (table, column) in FACET_SETS.items()
    )
    return (
        "SELECT p.pos, p.best_city AS city, p.language, p.platform AS site, strftime(p.posted_at, '%Y-%m') AS month, "
        f"CAST(t.template_id AS VARCHAR) AS template{sets}, CAST(p.risk AS FLOAT) AS risk, "
        "CAST(epoch(p.posted_at) AS DOUBLE) AS posted, CAST(epoch(p.ingested_at) AS DOUBLE) AS ingested "
        f"FROM published p LEFT JOIN ({POST_TEMPLATES}) t ON t.post_id = p.post_id{joins} ORDER BY p.pos"
    )


INGESTED = pa.schema([("post_id", pa.string()), ("ingested_at", pa.timestamp("us", tz="UTC"))])


def ingested_times(posts: TableRef) -> pa.Table:
    """When each post was ingested: the time its part of ``ingest.posts`` was written."""
    stats = posts.part_stats()
    tables = []
    for part in posts.parts():
        ids = posts.read_part(part, ["post_id"]).column("post_id")
        when = pa.scalar(stats[part.name][1] // 1000, pa.timestamp("us", tz="UTC"))
        tables.append(pa.table({"post_id": ids, "ingested_at": pa.repeat(when, len(ids))}, schema=INGESTED))
    return pa.concat_tables(tables) if tables else INGESTED.empty_table()


def run_publish(context: StageContext) -> None:
    """Write every page table, from the posts outwards."""
    engine, progress = context.engine, context.progress
    inputs = {name: context.input(table) for name, table in INPUTS.items()}
    scratch = context.workspace.new_staging_dir("publish-scratch")
    progress.start("publish page tables", 9)
    try:
        ingested = TableRef("ingested", scratch / "ingested")
        engine.write_table(ingested_times(inputs["posts"]), INGESTED, ingested.path)
        engine.sql_to_table(POSTS_SQL, {**inputs, "ingested": ingested}, context.output("posts"))
        published = {**inputs, "published": context.staged("posts")}
        progress.advance(1)
        engine.sql_to_table(post_pages_sql(), published, context.output("post_pages"))
        progress.advance(1)
        networks = TableRef("network_rows", scratch / "network_rows")
        engine.sql_to_table(NETWORK_ROWS_SQL, published, networks.path)
        engine.map_batches(networks, with_graphs, NETWORK_PAGES, context.output("network_pages"))
        progress.advance(1)
        source = TableRef("word_source", scratch / "word_source")
        engine.sql_to_table(WORD_SOURCE_SQL, published, source.path)
        words = TableRef("words", scratch / "words")
        engine.map_batches(source, post_words, POST_WORDS, words.path)
        engine.sql_to_table(SEARCH_TERMS_SQL, {"words": words}, context.output("search_terms"))
        progress.advance(2)
        searched = {**published, "search_terms": context.staged("search_terms")}
        engine.sql_to_table(TERM_HEADS_SQL, searched, context.output("term_heads"))
        progress.advance(1)
        engine.sql_to_table(IDENTIFIER_POSTS_SQL, published, context.output("identifier_posts"))
        progress.advance(1)
        rows = {
            **published,
            "term_heads": context.staged("term_heads"),
            "identifier_posts": context.staged("identifier_posts"),
        }
        engine.sql_to_table(SEARCH_ROWS_SQL, rows, context.output("search_rows"))
        progress.advance(1)
        engine.sql_to_table(post_facets_sql(), published, context.output("post_facets"))
        progress.advance(1)
    finally:
        from unveil.storage import remove_tree

        remove_tree(scratch)
    progress.finish()


PUBLISH = Stage(
    name="publish",
    inputs=tuple(INPUTS.values()),
    outputs=(
        "posts",
        "post_pages",
        "network_pages",
        "search_terms",
        "term_heads",
        "identifier_posts",
        "search_rows",
        "post_facets",
    ),
    run=run_publish,
    schemas=SCHEMAS,
    description="the page tables the web app and `unveil network` read",
    version="3",
)
