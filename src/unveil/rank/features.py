"""What the ranking model knows of a post: named features, as SQL over the pipeline's tables.

Every feature is a row ``(post_id, feature, value)`` of ``rank.features``; a post without a row
for a feature has 0 there. The names say where a feature comes from:

- ``lexicon:logit`` — the log-odds of the lexicon risk (``score.scores``), clipped to
  [0.001, 0.999]; its prior coefficient is 1, every other feature's is 0, so an untrained model
  ranks exactly as the lexicon does;
- ``indicator:<id>``, ``category:<category>`` (1 when present), ``domain:<domain>`` (its score);
- ``identifiers:<type>`` — log(1 + distinct identifiers of that type in the post);
  ``identifier_reuse`` — log of the most posts sharing one of its identifiers;
- ``network:posts|phones|templates|images|cities|stays|returns|arrivals`` — log(1 + n) of the
  post's network (``link.networks``: size, cities, movement);
- ``template:posts|identifiers`` — log(1 + n) of its (non-generic) text template;
- ``style:links`` — log(1 + style links of the post: ``link.style_links``, posts the author model
  says one person wrote);
- ``alert:<typology>`` — 1 when a money alert names the post or its network;
- ``feedback:<network|template|identifier|style>_<positive|negative>`` — log(1 + labelled posts,
  other than the post itself, that share that network, template or identifier, or are style-linked
  to it, and were labelled
  a true positive / a false positive or not relevant). This is how a confirmed network pulls its
  look-alikes up.
"""

from __future__ import annotations

LOGIT_CLIP = 0.001

# Current labels (written by the stage from ``labels.events``) spread to the posts they stand for.
# A post's own label wins over a template's, a template's over a network's, a network's over an
# identifier's or a party's. Posts of a labelled group weigh 1/sqrt(group size) each, so a large
# network counts more than one post but does not drown the rest.
EXAMPLES_SQL = """
WITH spread AS (
    SELECT l.ref AS post_id, l.y, 0 AS priority, l.kind || ':' || l.ref AS source FROM labels l WHERE l.kind = 'post'
    UNION ALL
    SELECT m.post_id, l.y, 1 AS priority, l.kind || ':' || l.ref AS source
    FROM labels l JOIN template_members m ON m.template_id = l.ref WHERE l.kind = 'template'
    UNION ALL
    SELECT n.post_id, l.y, 2 AS priority, l.kind || ':' || l.ref AS source
    FROM labels l JOIN network_posts n ON n.network_id = l.ref WHERE l.kind = 'network'
    UNION ALL
    SELECT DISTINCT i.post_id, l.y, 3 AS priority, l.kind || ':' || l.ref AS source
    FROM labels l JOIN identifiers i ON l.ref = i.type || ':' || i.value WHERE l.kind = 'identifier'
    UNION ALL
    SELECT DISTINCT m.post_id, l.y, 3 AS priority, l.kind || ':' || l.ref AS source
    FROM labels l JOIN party_matches m ON m.party_id = l.ref WHERE l.kind = 'party' AND m.post_id IS NOT NULL
),
known AS (
    SELECT s.* FROM spread s JOIN posts p ON p.post_id = s.post_id
),
sized AS (
    SELECT post_id, y, priority, source, count(*) OVER (PARTITION BY source) AS members FROM known
),
ranked AS (
    SELECT post_id, y, source, members,
           row_number() OVER (PARTITION BY post_id ORDER BY priority, source) AS pick
    FROM sized
)
SELECT post_id, CAST(y AS DOUBLE) AS y, CAST(1.0 / sqrt(members) AS DOUBLE) AS weight, source
FROM ranked WHERE pick = 1
ORDER BY post_id
"""

# The groups a post belongs to: its network, its non-generic template, its shared identifiers, and
# each style link (``link.style_links``: two posts the author model says one person wrote).
GROUPS_SQL = """
SELECT DISTINCT post_id, 'network' AS kind, network_id AS grp FROM network_posts
UNION
SELECT DISTINCT m.post_id, 'template' AS kind, m.template_id AS grp
FROM template_members m JOIN templates t ON t.template_id = m.template_id WHERE NOT t.generic
UNION
SELECT DISTINCT post_id, 'identifier' AS kind, type || ':' || value AS grp FROM shared_identifiers
UNION
SELECT post_a AS post_id, 'style' AS kind, post_a || '~' || post_b AS grp FROM style_links
UNION
SELECT post_b AS post_id, 'style' AS kind, post_a || '~' || post_b AS grp FROM style_links
ORDER BY 1, 2, 3
"""

BASE_CTES = f"""
WITH risk AS (
    SELECT post_id, max(risk) AS risk FROM scores GROUP BY post_id
),
lexicon AS (
    SELECT p.post_id, 'lexicon:logit' AS feature,
           ln(greatest(least(coalesce(r.risk, 0), {1 - LOGIT_CLIP}), {LOGIT_CLIP})
              / (1 - greatest(least(coalesce(r.risk, 0), {1 - LOGIT_CLIP}), {LOGIT_CLIP}))) AS value
    FROM posts p LEFT JOIN risk r ON r.post_id = p.post_id
),
indicator AS (
    SELECT DISTINCT post_id, 'indicator:' || indicator_id AS feature, 1.0 AS value FROM indicators
),
category AS (
    SELECT DISTINCT post_id, 'category:' || category AS feature, 1.0 AS value FROM indicators
),
domain AS (
    SELECT post_id, 'domain:' || domain AS feature, score AS value FROM scores
),
ids AS (
    SELECT DISTINCT post_id, type, value FROM identifiers
    WHERE post_id IS NOT NULL AND value IS NOT NULL AND type IS NOT NULL
),
id_kinds AS (
    SELECT post_id, 'identifiers:' || type AS feature, ln(1 + count(*)) AS value FROM ids GROUP BY post_id, type
),
id_use AS (
    SELECT type, value, count(*) AS posts FROM ids GROUP BY type, value
),
reuse AS (
    SELECT i.post_id, 'identifier_reuse' AS feature, ln(max(u.posts)) AS value
    FROM ids i JOIN id_use u ON u.type = i.type AND u.value = i.value
    GROUP BY i.post_id
),
net AS (
    SELECT p.post_id, n.posts, n.phones, n.templates, n.images, array_length(n.cities) AS cities,
           n.stays, n.returns, n.arrivals
    FROM network_posts p JOIN networks n ON n.network_id = p.network_id
),
network AS (
    SELECT post_id, 'network:posts' AS feature, ln(1 + posts) AS value FROM net
    UNION ALL SELECT post_id, 'network:phones' AS feature, ln(1 + phones) AS value FROM net
    UNION ALL SELECT post_id, 'network:templates' AS feature, ln(1 + templates) AS value FROM net
    UNION ALL SELECT post_id, 'network:images' AS feature, ln(1 + images) AS value FROM net
    UNION ALL SELECT post_id, 'network:cities' AS feature, ln(1 + coalesce(cities, 0)) AS value FROM net
    UNION ALL SELECT post_id, 'network:stays' AS feature, ln(1 + stays) AS value FROM net
    UNION ALL SELECT post_id, 'network:returns' AS feature, ln(1 + returns) AS value FROM net
    UNION ALL SELECT post_id, 'network:arrivals' AS feature, ln(1 + arrivals) AS value FROM net
),
tpl AS (
    SELECT m.post_id, t.posts, t.identifiers
    FROM template_members m JOIN templates t ON t.template_id = m.template_id WHERE NOT t.generic
),
template AS (
    SELECT post_id, 'template:posts' AS feature, ln(1 + posts) AS value FROM tpl
    UNION ALL SELECT post_id, 'template:identifiers' AS feature, ln(1 + identifiers) AS value FROM tpl
),
style AS (
    SELECT post_id, 'style:links' AS feature, ln(1 + count(*)) AS value FROM (
        SELECT post_a AS post_id FROM style_links UNION ALL SELECT post_b AS post_id FROM style_links
    ) GROUP BY post_id
),
alert_posts AS (
    SELECT typology, unnest(post_ids) AS post_id FROM alerts
),
alert_networks AS (
    SELECT typology, unnest(network_ids) AS network_id FROM alerts
),
alert AS (
    SELECT DISTINCT post_id, 'alert:' || typology AS feature, 1.0 AS value FROM (
        SELECT post_id, typology FROM alert_posts
        UNION ALL
        SELECT n.post_id, a.typology FROM alert_networks a JOIN network_posts n ON n.network_id = a.network_id
    )
)
"""

FEATURES_SQL = (
    BASE_CTES
    + """,
labelled_groups AS (
    SELECT o.kind, o.grp, e.post_id AS other, e.y FROM groups o JOIN examples e ON e.post_id = o.post_id
),
neighbours AS (
    SELECT DISTINCT g.post_id, g.kind, x.other, x.y
    FROM labelled_groups x JOIN groups g ON g.kind = x.kind AND g.grp = x.grp
    WHERE g.post_id <> x.other
),
feedback AS (
    SELECT post_id,
           'feedback:' || kind || CASE WHEN y > 0.5 THEN '_positive' ELSE '_negative' END AS feature,
           ln(1 + count(DISTINCT other)) AS value
    FROM neighbours
    GROUP BY post_id, kind, CASE WHEN y > 0.5 THEN '_positive' ELSE '_negative' END
),
every AS (
    SELECT * FROM lexicon
    UNION ALL SELECT * FROM indicator
    UNION ALL SELECT * FROM category
    UNION ALL SELECT * FROM domain
    UNION ALL SELECT * FROM id_kinds
    UNION ALL SELECT * FROM reuse
    UNION ALL SELECT * FROM network
    UNION ALL SELECT * FROM template
    UNION ALL SELECT * FROM style
    UNION ALL SELECT * FROM alert
    UNION ALL SELECT * FROM feedback
)
SELECT post_id, feature, CAST(value AS DOUBLE) AS value FROM every
WHERE post_id IS NOT NULL AND value IS NOT NULL AND value <> 0
ORDER BY post_id, feature
"""
)

# What training reads: the labelled posts and their features.
TRAINING_SQL = """
SELECT e.post_id, e.y, e.weight, f.feature, f.value
FROM examples e JOIN features f ON f.post_id = e.post_id
ORDER BY e.post_id, f.feature
"""

# The ranked queue: lexicon part (log-odds) plus the learned part; ties keep the lexicon's order.
SCORES_SQL = f"""
WITH risk AS (
    SELECT post_id, max(risk) AS risk FROM scores GROUP BY post_id
),
learned AS (
    SELECT post_id, sum(contribution) AS learned FROM contributions GROUP BY post_id
),
parts AS (
    SELECT p.post_id, coalesce(r.risk, 0) AS lexicon_risk,
           ln(greatest(least(coalesce(r.risk, 0), {1 - LOGIT_CLIP}), {LOGIT_CLIP})
              / (1 - greatest(least(coalesce(r.risk, 0), {1 - LOGIT_CLIP}), {LOGIT_CLIP}))) AS lexicon_part,
           round(coalesce(l.learned, 0), 9) AS learned_part
    FROM posts p LEFT JOIN risk r ON r.post_id = p.post_id LEFT JOIN learned l ON l.post_id = p.post_id
)
SELECT post_id, CAST(lexicon_risk AS DOUBLE) AS lexicon_risk, CAST(round(lexicon_part, 9) AS DOUBLE) AS lexicon_part,
       CAST(learned_part AS DOUBLE) AS learned_part,
       CAST(round(lexicon_part + learned_part, 9) AS DOUBLE) AS score,
       CAST(row_number() OVER (ORDER BY round(lexicon_part + learned_part, 9) DESC, lexicon_risk DESC, post_id)
            AS BIGINT) AS rank
FROM parts
ORDER BY rank
"""
