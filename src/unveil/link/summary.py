"""The networks table: one row per network, with its size, reach in time and place, and risk."""

from __future__ import annotations

IDENTIFIER_TYPES = "('phone', 'email', 'handle', 'iban', 'wallet')"


def networks_sql(with_scores: bool) -> str:
    """Aggregate network members, their facts, identifiers, edges, movements (and scores).

    The indicator profile feeds text, so its averages must not depend on the order in which an
    engine sums floats: scores are summed as integer millionths and rounded half up to two
    decimals with exact integer arithmetic (in doubles, below 2**53), the same on DuckDB and Spark.
    """
    profile_cte = (
        """,
profile_rows AS (
    SELECT n.network_id, s.domain, sum(CAST(round(s.score * 1000000) AS BIGINT)) AS micros, count(*) AS scored
    FROM network_posts n JOIN scores s ON s.post_id = n.post_id
    GROUP BY n.network_id, s.domain
),
profiles AS (
    SELECT network_id,
           array_to_string(list_sort(list(domain || ' ' || CAST(
               floor((CAST(micros AS DOUBLE) * 200 + CAST(scored AS DOUBLE) * 1000000)
                     / (CAST(scored AS DOUBLE) * 2000000)) / CAST(100 AS DOUBLE) AS VARCHAR
           ))), ', ') AS profile
    FROM profile_rows GROUP BY network_id
)"""
        if with_scores
        else ""
    )
    profile_join = "LEFT JOIN profiles pr ON pr.network_id = b.network_id" if with_scores else ""
    profile = "pr.profile" if with_scores else "CAST(NULL AS VARCHAR)"
    return f"""
WITH facts AS (
    SELECT n.network_id, f.post_id, f.posted_at, f.city, f.language, f.risk, f.new_in_town
    FROM network_posts n JOIN post_facts f ON f.post_id = n.post_id
),
base AS (
    SELECT network_id, count(*) AS posts, min(posted_at) AS first_seen, max(posted_at) AS last_seen,
           list_sort(list(DISTINCT city) FILTER (WHERE city IS NOT NULL)) AS cities,
           list_sort(list(DISTINCT language) FILTER (WHERE language IS NOT NULL)) AS languages,
           max(risk) AS risk,
           CAST(sum(CASE WHEN new_in_town THEN 1 ELSE 0 END) AS BIGINT) AS arrivals
    FROM facts GROUP BY network_id
),
ids AS (
    SELECT n.network_id, count(DISTINCT i.type || ':' || i.value) AS identifiers,
           count(DISTINCT CASE WHEN i.type = 'phone' THEN i.value END) AS phones
    FROM network_posts n JOIN identifiers i ON i.post_id = n.post_id
    WHERE i.type IN {IDENTIFIER_TYPES}
    GROUP BY n.network_id
),
kinds AS (
    SELECT network_id,
           count(DISTINCT CASE WHEN kind = 'template' THEN key END) AS templates,
           count(DISTINCT CASE WHEN kind = 'image' THEN key END) AS images
    FROM edges GROUP BY network_id
),
moves AS (
    SELECT network_id, count(*) AS stays, CAST(sum(CASE WHEN revisit THEN 1 ELSE 0 END) AS BIGINT) AS returns
    FROM movements WHERE phone IS NULL GROUP BY network_id
){profile_cte}
SELECT b.network_id, b.posts,
       coalesce(i.identifiers, 0) AS identifiers, coalesce(i.phones, 0) AS phones,
       coalesce(k.templates, 0) AS templates, coalesce(k.images, 0) AS images,
       b.cities, b.languages, b.first_seen, b.last_seen, b.risk, {profile} AS profile,
       coalesce(m.stays, 0) AS stays, coalesce(m.returns, 0) AS returns, b.arrivals,
       concat(
           CAST(b.posts AS VARCHAR), ' posts, ', CAST(coalesce(i.phones, 0) AS VARCHAR), ' phones, ',
           CAST(coalesce(k.templates, 0) AS VARCHAR), ' text templates, ',
           CAST(coalesce(k.images, 0) AS VARCHAR), ' re-used photos; seen in ',
           CAST(array_length(b.cities) AS VARCHAR), ' cities (', array_to_string(b.cities, ', '), ') from ',
           CAST(CAST(b.first_seen AS DATE) AS VARCHAR), ' to ', CAST(CAST(b.last_seen AS DATE) AS VARCHAR),
           '; ', CAST(coalesce(m.stays, 0) AS VARCHAR), ' stays, ', CAST(coalesce(m.returns, 0) AS VARCHAR),
           ' returns to a city already visited, ', CAST(b.arrivals AS VARCHAR), ' posts announce an arrival'
       ) AS summary
FROM base b
LEFT JOIN ids i ON i.network_id = b.network_id
LEFT JOIN kinds k ON k.network_id = b.network_id
LEFT JOIN moves m ON m.network_id = b.network_id
{profile_join}
ORDER BY b.network_id
"""
