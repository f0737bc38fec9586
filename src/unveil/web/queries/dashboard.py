"""What the dashboard shows: new high-risk posts, top networks, money alerts, ingestion status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from unveil.money.queries import not_suppressed
from unveil.pipeline import stage_status
from unveil.stages import all_stages
from unveil.web.readmodel import ReadModel
from unveil.workspace import Workspace

HIGH_RISK = 0.7


@dataclass(frozen=True)
class StageLine:
    """One line of the ingestion status."""

    name: str
    state: str
    rows: dict[str, int]
    finished_at: str


def ingestion_status(workspace: Workspace) -> list[StageLine]:
    """Ingest and every pipeline stage with its state and table sizes."""
    ingest = workspace.read_state("ingest") or {}
    outputs = {name: int(out.get("rows", 0)) for name, out in ingest.get("outputs", {}).items()}
    lines = [StageLine("ingest", "source", outputs, str(ingest.get("finished_at", "")))]
    for stage in all_stages():
        state = stage_status(workspace, stage)
        lines.append(StageLine(stage.name, state.state, dict(state.rows), str(state.finished_at or "")))
    return lines


def quarantined(workspace: Workspace) -> int:
    """Records set aside by ingestion, with their reasons (count only)."""
    total = 0
    for path in workspace.quarantine_dir.glob("*.jsonl"):
        with path.open(encoding="utf-8") as handle:
            total += sum(1 for _ in handle)
    return total


def new_high_risk_posts(
    tables: ReadModel, limit: int = 10, threshold: float = HIGH_RISK
) -> list[dict[str, Any]] | None:
    """The latest ingested posts with risk >= ``threshold``, one per template (its newest post, with how many high-risk
    posts it has: ``template_posts``), or None when scores are not computed.

    Near-copies of one ad (a template of ``link.template_members``) are one line: ten copies of one ad are
    one finding, not ten. A post without a template is its own line.
    """
    if not tables.has("score.scores"):
        return None
    # web.post_facets (facets.py) holds each post's template, by rank
    return tables.rows(
        "SELECT post_id, title, city, posted_at, ingested_at, risk, template_id, template_posts FROM ("
        "SELECT p.post_id, p.title, p.city, p.posted_at, p.ingested_at, p.risk, f.template AS template_id, "
        "count(*) OVER (PARTITION BY coalesce(f.template, p.post_id)) AS template_posts, "
        "row_number() OVER (PARTITION BY coalesce(f.template, p.post_id) "
        "ORDER BY p.ingested_at DESC, p.risk DESC, p.pos) AS n "
        "FROM web.posts p JOIN web.post_facets f ON f.pos = p.pos WHERE p.risk >= ?) WHERE n = 1 "
        "ORDER BY ingested_at DESC, risk DESC, posted_at DESC NULLS LAST, post_id LIMIT ?",
        [threshold, limit],
    )


def triage_threshold(tables: ReadModel) -> float:
    """The risk from which the dashboard lists posts: ``HIGH_RISK``, or where no post reaches it (a small or
    calm workspace) the risk of the riskiest 1 % of posts, so triage never starts from an empty list."""
    if not tables.has("score.scores") or tables.value("SELECT count(*) FROM web.posts WHERE risk >= ?", [HIGH_RISK]):
        return HIGH_RISK
    top = tables.value("SELECT quantile_disc(risk, 0.99) FROM web.posts WHERE risk > 0")
    return float(top) if top is not None else HIGH_RISK


def top_networks(tables: ReadModel, limit: int = 10) -> list[dict[str, Any]] | None:
    """The riskiest, then largest networks, or None when linking has not run."""
    if not tables.has("link.networks"):
        return None
    columns = tables.columns("link.networks")
    risk = "risk" if "risk" in columns else "NULL"
    summary = "summary" if "summary" in columns else "NULL"
    return tables.rows(
        f"SELECT network_id, posts, identifiers, cities, first_seen, last_seen, {risk} AS risk, "
        f"{summary} AS summary FROM link.networks ORDER BY {risk} DESC NULLS LAST, posts DESC, network_id LIMIT ?",
        [limit],
    )


def money_alerts(tables: ReadModel, limit: int = 10) -> list[dict[str, Any]] | None:
    """The strongest money alerts, or None when the money stage has not run."""
    if not tables.has("money.alerts"):
        return None
    name = "party_name" if "party_name" in tables.columns("money.alerts") else "NULL::VARCHAR"
    return tables.rows(
        f"SELECT alert_id, typology, score, party_id, {name} AS party_name, reasons FROM money.alerts "
        f"WHERE {not_suppressed(tables)} ORDER BY score DESC, alert_id LIMIT ?",
        [limit],
    )
