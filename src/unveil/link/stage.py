"""Stage ``link``: posts joined through shared identifiers into networks."""

from __future__ import annotations

import igraph
import pyarrow as pa

from unveil.pipeline import Stage, StageContext

NETWORK_POSTS = pa.schema([("network_id", pa.string()), ("post_id", pa.string()), ("reason", pa.string())])

SHARED_IDENTIFIERS_SQL = """
WITH per_identifier AS (
    SELECT type, value, count(DISTINCT post_id) AS posts
    FROM identifiers GROUP BY type, value
)
SELECT DISTINCT i.post_id, i.type, i.value
FROM identifiers i JOIN per_identifier p USING (type, value)
WHERE p.posts BETWEEN 2 AND {hub_max}
ORDER BY i.post_id, i.type, i.value
"""

NETWORKS_SQL = """
SELECT n.network_id,
       count(DISTINCT n.post_id) AS posts,
       count(DISTINCT i.type || ':' || i.value) AS identifiers,
       min(p.posted_at) AS first_seen,
       max(p.posted_at) AS last_seen,
       list(DISTINCT p.city ORDER BY p.city) FILTER (WHERE p.city IS NOT NULL) AS cities
FROM network_posts n
JOIN posts p USING (post_id)
LEFT JOIN identifiers i USING (post_id)
GROUP BY n.network_id
ORDER BY posts DESC, n.network_id
"""


def components(links: pa.Table) -> dict[str, int]:
    """Connected component of each post in the post-identifier graph, numbered by size."""
    posts = links.column("post_id").to_pylist()
    keys = [
        f"{t}:{v}" for t, v in zip(links.column("type").to_pylist(), links.column("value").to_pylist(), strict=True)
    ]
    post_names = sorted(set(posts))
    names = post_names + sorted(set(keys))
    index = {name: i for i, name in enumerate(names)}
    graph = igraph.Graph(n=len(names), edges=[(index[p], index[k]) for p, k in zip(posts, keys, strict=True)])
    members = [sorted(names[v] for v in c if v < len(post_names)) for c in graph.connected_components()]
    members.sort(key=lambda group: (-len(group), group[0] if group else ""))
    return {post: number for number, group in enumerate(members, start=1) for post in group}


def reasons(links: pa.Table) -> dict[str, str]:
    """Why each post is linked: the identifiers it shares with others."""
    shared: dict[str, list[str]] = {}
    for post, kind, value in zip(*(links.column(c).to_pylist() for c in ("post_id", "type", "value")), strict=True):
        shared.setdefault(post, []).append(f"{kind} {value}")
    return {post: "shares " + ", ".join(items) for post, items in shared.items()}


def run_link(context: StageContext) -> None:
    identifiers = context.input("extract.identifiers")
    hub_max = context.workspace.settings.hub_max_posts
    context.progress.start("link shared identifiers", None)
    links = context.engine.query(SHARED_IDENTIFIERS_SQL.format(hub_max=hub_max), {"identifiers": identifiers})
    network_of = components(links)
    why = reasons(links)
    rows = pa.table(
        {
            "network_id": [f"N{network_of[p]:05d}" for p in sorted(network_of)],
            "post_id": sorted(network_of),
            "reason": [why[p] for p in sorted(network_of)],
        },
        schema=NETWORK_POSTS,
    )
    context.engine.write_table(rows, NETWORK_POSTS, context.output("network_posts"))
    inputs = {
        "network_posts": context.staged("network_posts"),
        "posts": context.input("ingest.posts"),
        "identifiers": identifiers,
    }
    context.engine.sql_to_table(NETWORKS_SQL, inputs, context.output("networks"))
    context.progress.finish()


LINK = Stage(
    name="link",
    inputs=("ingest.posts", "extract.identifiers"),
    outputs=("network_posts", "networks"),
    run=run_link,
    description="networks of posts that share identifiers",
)
