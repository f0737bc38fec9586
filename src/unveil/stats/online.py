"""What the online pillar sees, as figures: posts per city and month, networks, indicators, routes.

Reads the pipeline's tables (``ingest.posts``, ``extract.posts``, ``extract.places``,
``score.indicators``, ``link.networks``); a table that is missing (its stage has not run) gives
an empty figure and a note saying which table is missing, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from unveil.workspace import Workspace

UNKNOWN_CITY = "(no city)"


@dataclass
class OnlineFigures:
    """The workspace's own figures, and the tables that were missing."""

    posts_per_city_month: pd.DataFrame
    networks: pd.DataFrame
    indicator_prevalence: pd.DataFrame
    smuggling_routes: pd.DataFrame
    total_posts: int = 0
    missing: list[str] = field(default_factory=list)


def _read(workspace: Workspace, name: str, columns: list[str], missing: list[str]) -> pd.DataFrame | None:
    table = workspace.table(name)
    if not table.exists():
        missing.append(name)
        return None
    present = [c for c in columns if c in table.schema().names]
    if len(present) < len(columns):
        missing.append(f"{name} (columns {sorted(set(columns) - set(present))})")
        return None
    return table.read(columns=columns).to_pandas()


def posts_per_city_month(posts: pd.DataFrame, best_city: pd.DataFrame | None) -> pd.DataFrame:
    """Posts per city (the extracted city, else the declared one) and month."""
    data = posts
    if best_city is not None and not best_city.empty:
        data = posts.merge(best_city.rename(columns={"city": "found_city"}), on="post_id", how="left")
        data["city"] = data["found_city"].where(data["found_city"].notna(), data["city"])
    when = pd.to_datetime(data["posted_at"], utc=True, errors="coerce")
    data = data.assign(month=when.dt.strftime("%Y-%m").fillna("(no date)"), city=data["city"].fillna(UNKNOWN_CITY))
    counts = data.groupby(["city", "month"]).size().rename("posts").reset_index()
    return counts.sort_values(["month", "posts", "city"], ascending=[True, False, True]).reset_index(drop=True)


def indicator_prevalence(indicators: pd.DataFrame, total_posts: int) -> pd.DataFrame:
    """Posts flagged per domain and category, and their share of all posts."""
    flagged = indicators.drop_duplicates(["post_id", "domain", "category"])
    counts = flagged.groupby(["domain", "category"]).size().rename("posts").reset_index()
    counts = counts.assign(share=counts["posts"] / total_posts if total_posts else 0.0)
    return counts.sort_values(["posts", "domain", "category"], ascending=[False, True, True]).reset_index(drop=True)


def smuggling_routes(indicators: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Smuggling posts per route: the first two distinct places a smuggling post names, in text order."""
    smuggling = set(indicators.loc[indicators["domain"] == "smuggling", "post_id"])
    named = places[places["post_id"].isin(smuggling)].sort_values(["post_id", "start"])
    routes: dict[str, int] = {}
    for _, group in named.groupby("post_id", sort=True):
        names = list(dict.fromkeys(group["name"].astype(str)))
        route = f"{names[0]} → {names[1]}" if len(names) > 1 else f"{names[0]} (one place)"
        routes[route] = routes.get(route, 0) + 1
    without = len(smuggling) - named["post_id"].nunique()
    if without:
        routes["(no place named)"] = without
    table = pd.DataFrame(sorted(routes.items()), columns=["route", "posts"])
    table["partial"] = table["route"].str.endswith(")")  # "(one place)", "(no place named)" after real routes
    ordered = table.sort_values(["posts", "partial", "route"], ascending=[False, True, True])
    return ordered.drop(columns="partial").reset_index(drop=True)


def online_figures(workspace: Workspace) -> OnlineFigures:
    """Every online figure that the workspace's tables allow."""
    missing: list[str] = []
    posts = _read(workspace, "ingest.posts", ["post_id", "posted_at", "city"], missing)
    best = _read(workspace, "extract.posts", ["post_id", "city"], missing)
    indicators = _read(workspace, "score.indicators", ["post_id", "domain", "category"], missing)
    places = _read(workspace, "extract.places", ["post_id", "name", "start"], missing)
    networks = _read(workspace, "link.networks", ["network_id", "posts", "cities", "risk", "summary"], missing)
    total = len(posts) if posts is not None else 0
    empty = pd.DataFrame()
    return OnlineFigures(
        posts_per_city_month=posts_per_city_month(posts, best) if posts is not None else empty,
        networks=_networks(networks) if networks is not None else empty,
        indicator_prevalence=indicator_prevalence(indicators, total) if indicators is not None else empty,
        smuggling_routes=smuggling_routes(indicators, places)
        if indicators is not None and places is not None
        else empty,
        total_posts=total,
        missing=missing,
    )


def _networks(networks: pd.DataFrame) -> pd.DataFrame:
    data = networks.assign(cities=networks["cities"].map(lambda c: ", ".join(map(str, c)) if c is not None else ""))
    return data.sort_values(["posts", "network_id"], ascending=[False, True]).reset_index(drop=True)
