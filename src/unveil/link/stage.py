"""Stage ``link``: near-duplicate templates, re-used photos, identifier graph, networks, movement.

Steps, in order (each writes one ``link.*`` table through the engine):

1. ``signatures``: MinHash signatures and LSH band keys of every post (per-record, NumPy);
   ``post_style``: each post's shingles and writing habits (per-record, ``unveil.link.style``);
2. ``post_facts``: when and where each post was written, its language and risk (SQL);
3. ``candidates`` (LSH banding and verification, SQL), ``near_pairs`` (verified, SQL),
   ``template_members`` (clusters);
4. ``image_files``, ``image_hashes`` (perceptual hashes from the evidence store), ``images``
   (exact and near copies grouped through a banded neighbour search);
5. ``shared_identifiers`` (SQL) and ``vendors`` (posts joined by non-hub identifiers: the weak
   author labels);
6. ``shingle_weights``, ``post_shingles``, ``post_totals`` and ``pairs`` (rarity-weighted pair
   features, SQL), then ``templates`` (shared text, slots, the generic guard), ``calibration``
   (thresholds set on the labelled pairs) and ``style_links`` (the author model; ``unveil.link.authors``);
7. ``network_posts``, ``edges``, ``hubs`` (hub guard, components, Leiden) and ``movements``,
   ``networks`` (SQL);
8. ``link_phrases``: the shared rare phrases of each network's strongest template and style links,
   with their character spans in both posts (``unveil.link.phrases``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from functools import partial

import numpy as np
import pyarrow as pa

from unveil.link import authors, images, minhash, movement, neardup, networks, phrases, style, summary, templates
from unveil.link.schema import SCHEMAS
from unveil.pipeline import Stage, StageContext
from unveil.tables import TableRef

LINKED_TYPES = "('phone', 'email', 'handle', 'iban', 'wallet')"

SHARED_IDENTIFIERS_SQL = f"""
WITH ids AS (
    SELECT DISTINCT post_id, type, value FROM identifiers
    WHERE type IN {LINKED_TYPES} AND value IS NOT NULL AND post_id IS NOT NULL
    UNION
    SELECT DISTINCT i.post_id, 'image' AS type, g.group_id AS value
    FROM post_images i JOIN image_groups g ON g.image_sha256 = i.image_sha256
    WHERE i.post_id IS NOT NULL
),
counted AS (
    SELECT type, value FROM ids GROUP BY type, value HAVING count(*) >= 2
),
per_post AS (
    SELECT post_id, count(*) AS post_identifiers FROM ids GROUP BY post_id
)
SELECT i.post_id, i.type, i.value, f.city, n.post_identifiers
FROM ids i
JOIN counted c ON c.type = i.type AND c.value = i.value
JOIN per_post n ON n.post_id = i.post_id
JOIN post_facts f ON f.post_id = i.post_id
ORDER BY i.type, i.value, i.post_id
"""


def template_pairs_sql(text_threshold: float | None) -> str:
    """Verified near-duplicate pairs of non-generic templates, and, once calibrated, only those whose
    rarity-weighted similarity reaches the calibrated threshold (a pair that shares only common
    phrases does not link)."""
    rare_enough = "" if text_threshold is None else f"AND x.text_similarity >= {text_threshold!r}"
    return f"""
SELECT p.post_a, p.post_b, p.similarity, m.template_id
FROM near_pairs p
JOIN template_members m ON m.post_id = p.post_a
JOIN templates t ON t.template_id = m.template_id
JOIN pairs x ON x.post_a = p.post_a AND x.post_b = p.post_b
WHERE NOT t.generic {rare_enough}
ORDER BY p.post_a, p.post_b
"""


TEMPLATE_PAIRS_SQL = template_pairs_sql(None)

MEMBERS_SQL = "SELECT post_id, template_id FROM template_members ORDER BY post_id"


def run_link(context: StageContext) -> None:
    """Run every linking step; see the module docstring."""
    _signatures_and_facts(context)
    _near_duplicates(context)
    _images(context)
    _vendors(context)
    _pairs(context)
    _templates(context)
    _authors(context)
    _networks(context)
    _phrases(context)


def _signatures_and_facts(context: StageContext) -> None:
    posts = context.input("ingest.posts")
    context.progress.start("link: text signatures", posts.num_rows())
    context.engine.map_batches(
        posts,
        minhash.signature_batch,
        minhash.SIGNATURES,
        context.output("signatures"),
        columns=["post_id", "title", "text"],
        progress=context.progress,
    )
    context.progress.finish()
    context.progress.start("link: writing style", posts.num_rows())
    context.engine.map_batches(
        posts,
        style.post_style_batch,
        style.POST_STYLE,
        context.output("post_style"),
        columns=["post_id", "title", "text"],
        progress=context.progress,
    )
    context.progress.finish()
    with_places = "extract.posts" in context.stage.inputs
    with_scores = "score.scores" in context.stage.inputs
    inputs = {"posts": posts, "signatures": context.staged("signatures")}
    if with_places:
        inputs["extracted"] = context.input("extract.posts")
    if with_scores:
        inputs["scores"] = context.input("score.scores")
    context.engine.sql_to_table(movement.post_facts_sql(with_places, with_scores), inputs, context.output("post_facts"))


def _near_duplicates(context: StageContext) -> None:
    engine, staged = context.engine, context.staged
    context.progress.start("link: near-duplicate texts", None)
    engine.sql_to_table(neardup.CANDIDATES_SQL, {"signatures": staged("signatures")}, context.output("candidates"))
    engine.sql_to_table(neardup.NEAR_PAIRS_SQL, {"candidates": staged("candidates")}, context.output("near_pairs"))
    pairs = engine.query(
        "SELECT post_a, post_b FROM near_pairs ORDER BY post_a, post_b", {"near_pairs": staged("near_pairs")}
    )
    engine.write_table(neardup.template_clusters(pairs), neardup.TEMPLATE_MEMBERS, context.output("template_members"))
    context.progress.finish()


def _shared(context: StageContext) -> pa.Table:
    return context.engine.query(
        "SELECT post_id, type, value, city, post_identifiers FROM shared ORDER BY type, value, post_id",
        {"shared": context.staged("shared_identifiers")},
    )


def _vendors(context: StageContext) -> None:
    """Shared identifiers, and the vendors they define (weak author labels, hubs and photos left out)."""
    engine, staged = context.engine, context.staged
    context.progress.start("link: vendors", None)
    shared_inputs = {
        "identifiers": context.input("extract.identifiers"),
        "post_images": context.input("ingest.images"),
        "image_groups": staged("images"),
        "post_facts": staged("post_facts"),
    }
    engine.sql_to_table(SHARED_IDENTIFIERS_SQL, shared_inputs, context.output("shared_identifiers"))
    near = engine.query(
        "SELECT p.post_a, p.post_b, p.similarity, m.template_id FROM near_pairs p "
        "JOIN template_members m ON m.post_id = p.post_a ORDER BY p.post_a, p.post_b",
        {"near_pairs": staged("near_pairs"), "template_members": staged("template_members")},
    )
    members = engine.query(MEMBERS_SQL, {"template_members": staged("template_members")})
    table = networks.vendors(_shared(context), near, members, context.workspace.settings.hub_max_posts)
    engine.write_table(table, authors.VENDORS, context.output("vendors"))
    context.progress.finish()


def _pairs(context: StageContext) -> None:
    """Rarity weights of shingles and the features of every candidate pair (SQL)."""
    engine, staged = context.engine, context.staged
    context.progress.start("link: weighted pairs", None)
    engine.sql_to_table(
        authors.SHINGLE_WEIGHTS_SQL, {"post_style": staged("post_style")}, context.output("shingle_weights")
    )
    weights = {"post_style": staged("post_style"), "shingle_weights": staged("shingle_weights")}
    engine.sql_to_table(authors.POST_SHINGLES_SQL, weights, context.output("post_shingles"))
    totals = {"post_style": staged("post_style"), "post_shingles": staged("post_shingles")}
    engine.sql_to_table(authors.POST_TOTALS_SQL, totals, context.output("post_totals"))
    inputs = {name: staged(name) for name in ("candidates", "post_shingles", "post_totals", "signatures", "vendors")}
    engine.sql_to_table(authors.PAIRS_SQL, inputs, context.output("pairs"))
    context.progress.finish()


def _templates(context: StageContext) -> None:
    engine, staged = context.engine, context.staged
    context.progress.start("link: templates", None)
    members = {"template_members": staged("template_members"), "posts": context.input("ingest.posts")}
    samples = engine.query(templates.SAMPLE_SQL, members)
    spread_inputs = {
        "template_members": staged("template_members"),
        "identifiers": context.input("extract.identifiers"),
    }
    spread = engine.query(templates.IDENTIFIER_SPREAD_SQL, spread_inputs)
    common_inputs = {name: staged(name) for name in ("template_members", "post_style", "post_shingles")}
    commonness = engine.query(templates.COMMONNESS_SQL, common_inputs)
    table = templates.build_templates(samples, spread, commonness)
    engine.write_table(table, templates.TEMPLATES, context.output("templates"))
    context.progress.finish()


def _authors(context: StageContext) -> None:
    """Calibrate the text threshold and train the author model on the workspace's labelled pairs, then
    score every candidate pair in batches (``authors.SCORE_BATCH_PAIRS``): memory holds the labelled
    pairs (at most ``authors.MAX_LABELLED_PAIRS``, a seeded sample beyond) and one batch, never the
    whole pairs table."""
    engine, staged = context.engine, context.staged
    context.progress.start("link: authors", None)
    target = context.workspace.settings.link_precision_target
    labelled = {name: staged(name) for name in ("pairs", "vendors", "post_facts", "template_members", "templates")} | {
        "identifiers": context.input("extract.identifiers")
    }
    sample = authors.labelled_sample(engine.query_batches(authors.KNOWN_PAIRS_SQL, labelled))
    vendors = engine.query(authors.PAIR_VENDORS_SQL, {"pairs": staged("pairs"), "vendors": staged("vendors")})
    pairs = sample.pairs
    labels = authors.weak_labels(pairs) if pairs.num_rows else authors.no_labels()
    labels = dataclasses.replace(labels, vendors=int(vendors["vendors"][0].as_py() or 0))
    features = authors.feature_matrix(pairs) if pairs.num_rows else np.zeros((0, len(authors.FEATURES)))
    similarity = pairs["text_similarity"].to_numpy(zero_copy_only=False) if pairs.num_rows else np.zeros(0)
    text = authors.calibrate("text", np.asarray(similarity, dtype=np.float64), labels.label, target, labels.vendors)
    model = authors.author_model(features, labels, target)
    for threshold in (text, model.threshold):
        threshold.note += sample.note()
    links: Iterator[pa.Table] = iter(())
    if model.threshold.threshold is not None:
        generic_members = engine.query(
            "SELECT m.post_id, m.template_id FROM template_members m JOIN templates t ON t.template_id = m.template_id "
            "WHERE t.generic ORDER BY m.post_id",
            {"template_members": staged("template_members"), "templates": staged("templates")},
        )
        scored = engine.query_batches(
            authors.SCORED_PAIRS_SQL,
            {"pairs": staged("pairs"), "vendors": staged("vendors")},
            authors.SCORE_BATCH_PAIRS,
        )
        links = (authors.style_link_rows(pa.Table.from_batches([b]), model, generic_members) for b in scored)
    engine.write_table(_rebatched(links, authors.SCORE_BATCH_PAIRS), authors.STYLE_LINKS, context.output("style_links"))
    calibration = pa.Table.from_pylist([text.row(), model.threshold.row()], schema=authors.CALIBRATION)
    engine.write_table(calibration, authors.CALIBRATION, context.output("calibration"))
    context.progress.finish()


def _rebatched(tables: Iterator[pa.Table], rows: int) -> Iterator[pa.RecordBatch]:
    """The rows of ``tables`` in batches of at least ``rows`` (the last one smaller), so that a table
    written from many small results keeps few, large row groups."""
    held: list[pa.Table] = []
    count = 0
    for table in tables:
        held.append(table)
        count += table.num_rows
        if count >= rows:
            yield from pa.concat_tables(held).combine_chunks().to_batches()
            held, count = [], 0
    if count:
        yield from pa.concat_tables(held).combine_chunks().to_batches()


def _images(context: StageContext) -> None:
    engine, staged = context.engine, context.staged
    files = context.output("image_files")
    count = engine.sql_to_table(images.IMAGE_FILES_SQL, {"images": context.input("ingest.images")}, files)
    context.progress.start("link: photo hashes", count)
    engine.map_batches(
        staged("image_files"),
        partial(images.hash_images_batch, workspace_root=str(context.workspace.root)),
        images.IMAGE_HASHES,
        context.output("image_hashes"),
        progress=context.progress,
    )
    hashes = engine.query(
        "SELECT image_sha256, posts, phash, error FROM image_hashes ORDER BY image_sha256",
        {"image_hashes": staged("image_hashes")},
    )
    candidates = engine.query(images.NEAR_CANDIDATES_SQL, {"image_hashes": staged("image_hashes")})
    engine.write_table(images.image_groups(hashes, candidates), images.IMAGES, context.output("images"))
    context.progress.finish()


def _networks(context: StageContext) -> None:
    engine, staged = context.engine, context.staged
    identifiers = context.input("extract.identifiers")
    context.progress.start("link: networks", None)
    calibration = engine.query(
        "SELECT method, threshold FROM calibration ORDER BY method", {"calibration": staged("calibration")}
    )
    thresholds = dict(zip(calibration["method"].to_pylist(), calibration["threshold"].to_pylist(), strict=True))
    text_inputs = {name: staged(name) for name in ("near_pairs", "template_members", "templates", "pairs")}
    style_links = engine.query(
        "SELECT post_a, post_b, probability, reason FROM style_links ORDER BY post_a, post_b",
        {"style_links": staged("style_links")},
    )
    result = networks.build_networks(
        _shared(context),
        engine.query(template_pairs_sql(thresholds.get("text")), text_inputs),
        engine.query(MEMBERS_SQL, text_inputs),
        context.workspace.settings.hub_max_posts,
        style_links=style_links,
    )
    engine.write_table(result.network_posts, networks.NETWORK_POSTS, context.output("network_posts"))
    engine.write_table(result.edges, networks.EDGES, context.output("edges"))
    engine.write_table(result.hubs, networks.HUBS, context.output("hubs"))
    _movements_and_summary(context, identifiers)
    context.progress.finish()


def _phrases(context: StageContext) -> None:
    """The shared rare phrases of each network's strongest template and style links, with their spans."""
    engine, staged = context.engine, context.staged
    inputs = {name: staged(name) for name in ("edges", "post_shingles", "post_totals")}
    shared = engine.query(phrases.SHARED_SQL, inputs)
    texts = engine.query(phrases.POSTS_SQL, inputs | {"posts": context.input("ingest.posts")})
    engine.write_table(phrases.phrase_rows(shared, texts), phrases.LINK_PHRASES, context.output("link_phrases"))


def _movements_and_summary(context: StageContext, identifiers: TableRef) -> None:
    staged = context.staged
    inputs = {
        "network_posts": staged("network_posts"),
        "post_facts": staged("post_facts"),
        "identifiers": identifiers,
    }
    context.engine.sql_to_table(movement.MOVEMENTS_SQL, inputs, context.output("movements"))
    with_scores = "score.scores" in context.stage.inputs
    inputs |= {"edges": staged("edges"), "movements": staged("movements")}
    if with_scores:
        inputs["scores"] = context.input("score.scores")
    context.engine.sql_to_table(summary.networks_sql(with_scores), inputs, context.output("networks"))


LINK = Stage(
    name="link",
    inputs=("ingest.posts", "ingest.images", "extract.identifiers", "extract.posts", "score.scores"),
    outputs=(
        "signatures",
        "post_style",
        "post_facts",
        "candidates",
        "near_pairs",
        "template_members",
        "image_files",
        "image_hashes",
        "images",
        "shared_identifiers",
        "vendors",
        "shingle_weights",
        "post_shingles",
        "post_totals",
        "pairs",
        "templates",
        "calibration",
        "style_links",
        "network_posts",
        "edges",
        "hubs",
        "movements",
        "networks",
        "link_phrases",
    ),
    run=run_link,
    schemas=SCHEMAS,
    description=(
        "near-duplicate templates with a generic guard, re-used photos, rarity-weighted text and style links "
        "calibrated on the workspace's identifiers, identifier networks with a hub guard, movement"
    ),
    version="7",
)
