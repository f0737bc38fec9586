"""Administration: accounts and the audit log (browse, export); pages and API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from unveil.auth import audit as audit_log
from unveil.auth.passwords import generate_password
from unveil.auth.roles import Permission, Role, parse_role
from unveil.auth.sessions import end_user_sessions
from unveil.auth.users import add_user, list_users, set_active, set_password, set_role
from unveil.web.deps import Audit, CanManageUsers, CanReadAudit, Db, Page
from unveil.web.routes import NavEntry

router = APIRouter(tags=["admin"])
nav = [
    NavEntry("Users", "/admin/users", Permission.MANAGE_USERS, order=80),
    NavEntry("Audit log", "/admin/audit", Permission.READ_AUDIT, order=81),
]
PAGE_SIZE = 100
Field = Annotated[str, Query(max_length=200)]


async def audit_filter(
    actor: Field = "",
    action: Field = "",
    object_kind: Field = "",
    object_id: Field = "",
    since: Field = "",
    until: Field = "",
) -> audit_log.AuditFilter:
    """Audit log filters from the query string."""
    return audit_log.AuditFilter(actor, action, object_kind, object_id, since, until)


AuditQuery = Annotated[audit_log.AuditFilter, Depends(audit_filter)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]


@router.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(user: CanManageUsers, db: Db, audit: Audit, page: Page) -> HTMLResponse:
    """Accounts, and a form to add one."""
    audit.view("user", "list")
    return page.render("admin/users.html", {"users": list_users(db), "roles": list(Role), "created": None})


@router.post("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def add_user_form(
    user: CanManageUsers,
    db: Db,
    audit: Audit,
    page: Page,
    name: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form(max_length=20)],
) -> HTMLResponse:
    """Create an account with a generated password, shown once."""
    password = generate_password()
    created = add_user(db, name.strip(), parse_role(role), password)
    audit.event(audit_log.CHANGE, "user", created.name, f"created with role {created.role.value}")
    values = {"users": list_users(db), "roles": list(Role), "created": {"name": created.name, "password": password}}
    return page.render("admin/users.html", values)


@router.post("/admin/users/{name}/disable", include_in_schema=False)
def disable_form(name: str, user: CanManageUsers, db: Db, audit: Audit) -> Response:
    """Disable an account and end its sessions (never one's own, never the last admin)."""
    set_active(db, name, False, actor=user.name)
    end_user_sessions(db, name)
    audit.event(audit_log.CHANGE, "user", name, "disabled")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{name}/enable", include_in_schema=False)
def enable_form(name: str, user: CanManageUsers, db: Db, audit: Audit) -> Response:
    """Enable a disabled account again."""
    set_active(db, name, True, actor=user.name)
    audit.event(audit_log.CHANGE, "user", name, "enabled")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{name}/role", include_in_schema=False)
def role_form(
    name: str, user: CanManageUsers, db: Db, audit: Audit, role: Annotated[str, Form(max_length=20)]
) -> Response:
    """Change an account's role and end its sessions (never one's own, never the last admin's)."""
    chosen = parse_role(role)
    set_role(db, name, chosen, actor=user.name)
    end_user_sessions(db, name)
    audit.event(audit_log.CHANGE, "user", name, f"role set to {chosen.value}")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{name}/password", response_class=HTMLResponse, include_in_schema=False)
def password_form(name: str, user: CanManageUsers, db: Db, audit: Audit, page: Page) -> HTMLResponse:
    """Reset an account's password to a generated one (shown once) and end its sessions."""
    password = generate_password()
    set_password(db, name, password)
    end_user_sessions(db, name)
    audit.event(audit_log.CHANGE, "user", name, "password reset")
    values = {"users": list_users(db), "roles": list(Role), "created": {"name": name, "password": password}}
    return page.render("admin/users.html", values)


@router.get("/admin/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(
    user: CanReadAudit, db: Db, audit: Audit, page: Page, where: AuditQuery, p: PageNumber = 1
) -> HTMLResponse:
    """The audit log, newest first, with filters."""
    audit.view("audit", "log", where.where()[0] or "all")
    entries = audit_log.browse(db, where, PAGE_SIZE + 1, (p - 1) * PAGE_SIZE)
    values = {
        "entries": entries[:PAGE_SIZE],
        "has_more": len(entries) > PAGE_SIZE,
        "p": p,
        "where": where.__dict__,
        "total": audit_log.count(db, where),
    }
    return page.render("admin/audit.html", values)


@router.get("/admin/audit.csv", include_in_schema=False)
def audit_export(user: CanReadAudit, db: Db, audit: Audit, where: AuditQuery) -> Response:
    """The matching entries as CSV (the export itself is audited)."""
    text = audit_log.to_csv(audit_log.iter_entries(db, where))
    audit.event(audit_log.EXPORT, "audit", "csv", where.where()[0] or "all")
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="unveil-audit.csv"'},
    )


@router.get("/api/admin/users")
def users_api(user: CanManageUsers, db: Db, audit: Audit) -> list[dict[str, Any]]:
    """Accounts with their role and state."""
    audit.view("user", "list")
    return [{"name": u.name, "role": u.role.value, "active": u.active} for u in list_users(db)]


@router.get("/api/admin/audit")
def audit_api(user: CanReadAudit, db: Db, audit: Audit, where: AuditQuery, p: PageNumber = 1) -> dict[str, Any]:
    """Audit entries, newest first, 100 a page."""
    audit.view("audit", "log", where.where()[0] or "all")
    entries = audit_log.browse(db, where, PAGE_SIZE + 1, (p - 1) * PAGE_SIZE)
    return {"page": p, "has_more": len(entries) > PAGE_SIZE, "entries": [e.__dict__ for e in entries[:PAGE_SIZE]]}
