"""Stage ``link``: near-duplicate templates, re-used photos, identifier graph, networks, movement.

Steps, in order (each writes one ``link.*`` table through the engine):

1. ``signatures``: MinHash signatures and LSH band keys of every post (per-record, NumPy);
2. ``post_facts``: when and where each post was written, its language and risk (SQL);
3. ``candidates`` (LSH banding and verification, SQL), ``near_pairs`` (verified, SQL),
   ``template_members`` (clusters), ``templates`` (shared text and slots);
4. ``image_files``, ``image_hashes`` (perceptual hashes from the evidence store), ``images``
   (exact and near copies grouped through a banded neighbour search);
5. ``shared_identifiers`` (SQL), then ``network_posts``, ``edges``, ``hubs`` (hub guard,
   components, Leiden) and ``movements``, ``networks`` (SQL).
"""

from __future__ import annotations

from functools import partial

from unveil.link import images, minhash, movement, neardup, networks, summary, templates
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

TEMPLATE_PAIRS_SQL = """
SELECT p.post_a, p.post_b, p.similarity, m.template_id
FROM near_pairs p
JOIN template_members m ON m.post_id = p.post_a
JOIN templates t ON t.template_id = m.template_id
WHERE NOT t.generic
ORDER BY p.post_a, p.post_b
"""

MEMBERS_SQL = "SELECT post_id, template_id FROM template_members ORDER BY post_id"


def run_link(context: StageContext) -> None:
    """Run every linking step; see the module docstring."""
    _signatures_and_facts(context)
    _templates(context)
    _images(context)
    _networks(context)


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
    with_places = "extract.posts" in context.stage.inputs
    with_scores = "score.scores" in context.stage.inputs
    inputs = {"posts": posts, "signatures": context.staged("signatures")}
    if with_places:
        inputs["extracted"] = context.input("extract.posts")
    if with_scores:
        inputs["scores"] = context.input("score.scores")
    context.engine.sql_to_table(movement.post_facts_sql(with_places, with_scores), inputs, context.output("post_facts"))


def _templates(context: StageContext) -> None:
    engine, staged = context.engine, context.staged
    context.progress.start("link: near-duplicate texts", None)
    engine.sql_to_table(neardup.CANDIDATES_SQL, {"signatures": staged("signatures")}, context.output("candidates"))
    engine.sql_to_table(neardup.NEAR_PAIRS_SQL, {"candidates": staged("candidates")}, context.output("near_pairs"))
    pairs = engine.query(
        "SELECT post_a, post_b FROM near_pairs ORDER BY post_a, post_b", {"near_pairs": staged("near_pairs")}
    )
    engine.write_table(neardup.template_clusters(pairs), neardup.TEMPLATE_MEMBERS, context.output("template_members"))
    members = {"template_members": staged("template_members"), "posts": context.input("ingest.posts")}
    samples = engine.query(templates.SAMPLE_SQL, members)
    spread_inputs = {
        "template_members": staged("template_members"),
        "identifiers": context.input("extract.identifiers"),
    }
    spread = engine.query(templates.IDENTIFIER_SPREAD_SQL, spread_inputs)
    engine.write_table(templates.build_templates(samples, spread), templates.TEMPLATES, context.output("templates"))
    context.progress.finish()


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
    shared_inputs = {
        "identifiers": identifiers,
        "post_images": context.input("ingest.images"),
        "image_groups": staged("images"),
        "post_facts": staged("post_facts"),
    }
    engine.sql_to_table(SHARED_IDENTIFIERS_SQL, shared_inputs, context.output("shared_identifiers"))
    shared = engine.query(
        "SELECT post_id, type, value, city, post_identifiers FROM shared ORDER BY type, value, post_id",
        {"shared": staged("shared_identifiers")},
    )
    text_inputs = {name: staged(name) for name in ("near_pairs", "template_members", "templates")}
    result = networks.build_networks(
        shared,
        engine.query(TEMPLATE_PAIRS_SQL, text_inputs),
        engine.query(MEMBERS_SQL, text_inputs),
        context.workspace.settings.hub_max_posts,
    )
    engine.write_table(result.network_posts, networks.NETWORK_POSTS, context.output("network_posts"))
    engine.write_table(result.edges, networks.EDGES, context.output("edges"))
    engine.write_table(result.hubs, networks.HUBS, context.output("hubs"))
    _movements_and_summary(context, identifiers)
    context.progress.finish()


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
        "post_facts",
        "candidates",
        "near_pairs",
        "template_members",
        "templates",
        "image_files",
        "image_hashes",
        "images",
        "shared_identifiers",
        "network_posts",
        "edges",
        "hubs",
        "movements",
        "networks",
    ),
    run=run_link,
    description="near-duplicate templates, re-used photos, identifier networks with a hub guard, movement",
    version="4",
)
