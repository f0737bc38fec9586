"""Money: alerts with their reasons, a party (alerts, links with weights, ads, transfers), a network's money."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from unveil.auth.roles import Permission
from unveil.auth.users import User
from unveil.errors import NotFound
from unveil.money import queries
from unveil.web.deps import Audit, CanViewMoney, Db, Page, Privacy, Tables
from unveil.web.privacy import PrivacyView
from unveil.web.routes import NavEntry
from unveil.web.routes.collect import editable_cases

router = APIRouter(tags=["money"])
nav = NavEntry("Money", "/money/alerts", Permission.VIEW_MONEY, order=50)

PageNumber = Annotated[int, Query(ge=1, le=10_000)]
TypologyName = Annotated[str, Query(max_length=60)]
Added = Annotated[str, Query(max_length=100)]


def _case_context(db: Db, user: User, added: str) -> dict[str, Any]:
    """What the "add to case" controls of a money page need (none for a role that may not edit cases)."""
    can_cases = user.may(Permission.EDIT_CASES)
    return {"can_cases": can_cases, "cases": editable_cases(db, user.name) if can_cases else [], "added": added}


def _masked_alert(alert: dict[str, Any], privacy: PrivacyView) -> dict[str, Any]:
    """An alert as this user may see it (the party's name masked for pseudonymised roles)."""
    if not privacy.masked:
        return alert
    name = alert.get("party_name")
    forms = [{"type": "author", "value": name}] if name else []
    return dict(
        alert,
        party_name=privacy.person(name),
        reasons=[privacy.text(reason, forms) for reason in alert.get("reasons") or []],
    )


@router.get("/money/alerts", response_class=HTMLResponse, include_in_schema=False)
def alerts_page(
    user: CanViewMoney,
    tables: Tables,
    page: Page,
    privacy: Privacy,
    audit: Audit,
    db: Db,
    p: PageNumber = 1,
    typology: TypologyName = "",
    added: Added = "",
) -> HTMLResponse:
    """Alerts, highest score first, with their reasons; filter by typology."""
    audit.view("money alerts", "list", f"page={p}" + (f"; typology={typology}" if typology else ""))
    found = queries.alerts(tables, typology, p)
    rows, has_more = found if found is not None else ([], False)
    context = {
        "computed": found is not None,
        "alerts": [_masked_alert(alert, privacy) for alert in rows],
        "has_more": has_more,
        "p": p,
        "typology": typology,
        "typologies": queries.typology_counts(tables) if found is not None else [],
        **_case_context(db, user, added),
    }
    return page.render("money/alerts.html", context)


@router.get("/api/money/alerts")
def alerts_api(
    user: CanViewMoney, tables: Tables, privacy: Privacy, audit: Audit, p: PageNumber = 1, typology: TypologyName = ""
) -> dict[str, Any]:
    """One page of alerts (50), highest score first; ``typology`` keeps one detector's alerts."""
    audit.view("money alerts", "list", f"page={p}" + (f"; typology={typology}" if typology else ""))
    found = queries.alerts(tables, typology, p) or ([], False)
    return {"page": p, "has_more": found[1], "alerts": [_masked_alert(alert, privacy) for alert in found[0]]}


@router.get("/money/parties/{party_id}", response_class=HTMLResponse, include_in_schema=False)
def party_page(
    party_id: str, user: CanViewMoney, tables: Tables, audit: Audit, page: Page, db: Db, added: Added = ""
) -> HTMLResponse:
    """One party: who it is, its alerts, the records linked into it and why, its ads, its transfers."""
    detail = _party(tables, party_id)
    audit.view("party", party_id)
    named = [post for alert in detail["alerts"] for post in (alert.get("post_ids") or [])[:20]]
    named += [match["post_id"] for match in detail["online"]]
    posts = post_titles(tables, list(dict.fromkeys(named)))
    return page.render("money/party.html", {**detail, "posts": posts, **_case_context(db, user, added)})


def post_titles(tables: Tables, post_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Title, city and time of these posts, by id (a party's posts shown as what they are, not bare ids)."""
    if not post_ids or not tables.has("ingest.posts"):
        return {}
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(post_ids), 1000):
        chunk = post_ids[start : start + 1000]
        marks = ", ".join("?" for _ in chunk)
        for row in tables.rows(
            f"SELECT post_id, title, city, posted_at FROM ingest.posts WHERE post_id IN ({marks})", chunk
        ):
            found[str(row["post_id"])] = row
    return found


@router.get("/api/money/parties/{party_id}")
def party_api(party_id: str, user: CanViewMoney, tables: Tables, audit: Audit) -> dict[str, Any]:
    """One party with its alerts, record links (with match weights), online matches and latest transfers."""
    detail = _party(tables, party_id)
    audit.view("party", party_id)
    return detail


def _party(tables: Tables, party_id: str) -> dict[str, Any]:
    detail = queries.party(tables, party_id) if tables.has("money.parties") else None
    if detail is None:
        raise NotFound("party", party_id)
    return detail


@router.get("/money/networks/{network_id}", response_class=HTMLResponse, include_in_schema=False)
def network_money_page(
    network_id: str, user: CanViewMoney, tables: Tables, audit: Audit, page: Page, db: Db, added: Added = ""
) -> HTMLResponse:
    """A network's money: the alerts on parties found in its posts and the flows between them."""
    detail = queries.network_money(tables, network_id)
    audit.view("network", network_id)
    context = {"computed": detail is not None, "network_id": network_id, **(detail or {})}
    return page.render("money/network.html", {**context, **_case_context(db, user, added)})


@router.get("/api/money/networks/{network_id}")
def network_money_api(network_id: str, user: CanViewMoney, tables: Tables, audit: Audit) -> dict[str, Any]:
    """The alerts and money flows linked to a network."""
    audit.view("network", network_id)
    return queries.network_money(tables, network_id) or {"network_id": network_id, "alerts": [], "flows": []}
