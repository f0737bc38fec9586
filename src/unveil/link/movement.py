"""Movement: where a network and each of its phones appear, stay by stay.

For a network as a whole and for each phone in it, posts with a city and a date are ordered in
time; consecutive posts in the same city form a *stay* (arrival, departure, length in days, posts,
whether a post announced the arrival: "new in town"). A stay in a city already visited by the same
network or phone is a *return*: the network moves on a circuit.
"""

from __future__ import annotations

MOVEMENTS_SQL = """
WITH appearances AS (
    SELECT n.network_id, CAST(NULL AS VARCHAR) AS phone, f.post_id, f.city, f.posted_at, f.new_in_town
    FROM network_posts n JOIN post_facts f ON f.post_id = n.post_id
    WHERE f.city IS NOT NULL AND f.posted_at IS NOT NULL
    UNION ALL
    SELECT DISTINCT n.network_id, i.value AS phone, f.post_id, f.city, f.posted_at, f.new_in_town
    FROM network_posts n
    JOIN post_facts f ON f.post_id = n.post_id
    JOIN identifiers i ON i.post_id = n.post_id
    WHERE i.type = 'phone' AND f.city IS NOT NULL AND f.posted_at IS NOT NULL
),
marked AS (
    SELECT network_id, phone, post_id, city, posted_at, new_in_town,
           CASE WHEN city = lag(city) OVER (PARTITION BY network_id, phone ORDER BY posted_at, post_id)
                THEN 0 ELSE 1 END AS starts_stay
    FROM appearances
),
numbered AS (
    SELECT network_id, phone, city, posted_at, new_in_town,
           sum(starts_stay) OVER (
               PARTITION BY network_id, phone ORDER BY posted_at, post_id
               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
           ) AS step
    FROM marked
),
stays AS (
    SELECT network_id, phone, step, min(city) AS city, min(posted_at) AS arrived, max(posted_at) AS departed,
           count(*) AS posts, max(CASE WHEN new_in_town THEN 1 ELSE 0 END) AS announced
    FROM numbered
    GROUP BY network_id, phone, step
)
SELECT network_id, phone, CAST(step AS BIGINT) AS step, city,
       lag(city) OVER (PARTITION BY network_id, phone ORDER BY step) AS from_city,
       arrived, departed,
       CAST(date_diff('day', CAST(arrived AS DATE), CAST(departed AS DATE)) + 1 AS BIGINT) AS stay_days,
       posts,
       announced = 1 AS new_in_town,
       count(*) OVER (
           PARTITION BY network_id, phone, city ORDER BY step ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
       ) > 1 AS revisit
FROM stays
ORDER BY network_id, phone NULLS FIRST, step
"""


def post_facts_sql(with_places: bool, with_scores: bool) -> str:
    """One row per post: when, where (extraction's best place when there is one), language, risk."""
    city = "coalesce(e.city, p.city)" if with_places else "p.city"
    language = "e.language" if with_places else "CAST(NULL AS VARCHAR)"
    risk = "coalesce(r.risk, 0.0)" if with_scores else "CAST(NULL AS DOUBLE)"
    joins = ""
    if with_places:
        joins += " LEFT JOIN extracted e ON e.post_id = p.post_id"
    if with_scores:
        joins += (
            " LEFT JOIN (SELECT post_id, max(risk) AS risk FROM scores GROUP BY post_id) r ON r.post_id = p.post_id"
        )
    return f"""
SELECT p.post_id, p.posted_at, {city} AS city, {language} AS language, {risk} AS risk,
       coalesce(s.new_in_town, false) AS new_in_town
FROM posts p LEFT JOIN signatures s ON s.post_id = p.post_id{joins}
ORDER BY p.post_id
"""
