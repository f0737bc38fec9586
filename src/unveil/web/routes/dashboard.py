"""The dashboard: what is new and what matters, and the state of the pipeline."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from unveil.auth.roles import Permission
from unveil.web.deps import Audit, CanViewDashboard, CurrentUser, Db, Page, Privacy, Tables, WorkspaceDep
from unveil.web.privacy import PrivacyView
from unveil.web.queries import dashboard
from unveil.web.routes import NavEntry
from unveil.web.routes.networks import visible_networks

router = APIRouter(tags=["dashboard"])
nav = NavEntry("Dashboard", "/", Permission.VIEW_DASHBOARD, order=10)


def _masked(data: dict[str, Any], privacy: PrivacyView) -> dict[str, Any]:
    """The dashboard as this user may see it (titles and summaries through ``PrivacyView.text``)."""
    if not privacy.masked:
        return data
    posts, networks = data["high_risk_posts"], data["top_networks"]
    return dict(
        data,
        high_risk_posts=[dict(row, title=privacy.maybe(row["title"])) for row in posts] if posts else posts,
        top_networks=visible_networks(networks, privacy) if networks else networks,
    )


def _dashboard(workspace: WorkspaceDep, tables: Tables, user: CurrentUser) -> dict[str, Any]:
    show = {
        "posts": user.may(Permission.VIEW_POSTS),
        "networks": user.may(Permission.VIEW_NETWORKS),
        "money": user.may(Permission.VIEW_MONEY),
    }
    data = {
        "show": show,
        # stage states hash their inputs: computed once per snapshot of the tables
        "status": tables.cached(
            "ingestion_status", lambda: [line.__dict__ for line in dashboard.ingestion_status(workspace)]
        ),
        "quarantined": tables.cached("quarantined", lambda: dashboard.quarantined(workspace)),
        # the same for everyone: computed once per snapshot, then shown to the roles that may see them
        "risk_from": tables.cached("triage_threshold", lambda: dashboard.triage_threshold(tables)),
        "high_risk_posts": tables.cached(
            "high_risk_posts",
            lambda: dashboard.new_high_risk_posts(tables, threshold=dashboard.triage_threshold(tables)),
        )
        if show["posts"]
        else None,
        "top_networks": tables.cached("top_networks", lambda: dashboard.top_networks(tables))
        if show["networks"]
        else None,
        "money_alerts": tables.cached("money_alerts", lambda: dashboard.money_alerts(tables))
        if show["money"]
        else None,
    }
    return data


def _saved(db: Db, user: CurrentUser) -> Any:
    """The user's saved searches with their new posts (counted by the last pipeline run), most new first."""
    if not user.may(Permission.SAVE_SEARCHES):
        return None
    from unveil.web.routes.saved import listing

    found = listing(db, user.name)
    return sorted(found, key=lambda s: (-(s["new"] or 0), s["name"]))[:10]


def _cards(
    workspace: WorkspaceDep, tables: Tables, user: CurrentUser, privacy: PrivacyView, page: Page
) -> tuple[Markup, Markup]:
    """The cards that are the same for every user who sees what this user sees (the sections their role shows,
    in clear or pseudonymised): rendered once per snapshot and kind of viewer, as escaped HTML. Rendering them
    was most of the dashboard's CPU; only the saved searches are the user's own."""
    show = [user.may(p) for p in (Permission.VIEW_POSTS, Permission.VIEW_NETWORKS, Permission.VIEW_MONEY)]
    key = "dashboard-cards:" + "".join("1" if s else "0" for s in show) + (":masked" if privacy.masked else "")

    def render() -> tuple[Markup, Markup]:
        data = _masked(_dashboard(workspace, tables, user), privacy)
        environment = page.environment
        findings = environment.get_template("dashboard/_findings.html").render(data)
        status = environment.get_template("dashboard/_status.html").render(data)
        return Markup(findings), Markup(status)  # rendered by Jinja with autoescaping: every value escaped

    return tables.cached(key, render)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def dashboard_page(
    workspace: WorkspaceDep,
    tables: Tables,
    db: Db,
    user: CanViewDashboard,
    privacy: Privacy,
    audit: Audit,
    page: Page,
) -> HTMLResponse:
    """The start page."""
    audit.view("dashboard", "/")
    findings, status = _cards(workspace, tables, user, privacy, page)
    values = {"findings": findings, "status_card": status, "saved_searches": _saved(db, user)}
    return page.render("dashboard/index.html", values)


@router.get("/api/dashboard")
def dashboard_api(
    workspace: WorkspaceDep, tables: Tables, db: Db, user: CanViewDashboard, privacy: Privacy, audit: Audit
) -> dict[str, Any]:
    """The dashboard's data (sections the role may not see, or not computed yet, are null); ``saved_searches``:
    the user's, with ``new`` posts since the last visit and ``words`` (the criteria in words)."""
    audit.view("dashboard", "/api/dashboard")
    data = _masked(_dashboard(workspace, tables, user), privacy)
    return {**data, "saved_searches": _saved(db, user)}
