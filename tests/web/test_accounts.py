"""Accounts nobody can lock: enable again, change roles, reset passwords (CLI and admin pages), and never
lose the last admin or one's own access; every account change is audited, on the command line too."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import httpx
from typer.testing import CliRunner

from tests.web.conftest import PASSWORD, USERS, WebWorld
from unveil.auth.roles import Role
from unveil.auth.users import add_user, get_user
from unveil.db import connect
from unveil.errors import UsageError
from unveil.web.commands import user_app
from unveil.workspace import Workspace


def _cli(workspace: Workspace, *args: str) -> object:
    return CliRunner().invoke(user_app, [*args, "-w", str(workspace.root)])


def _audited(workspace: Workspace, name: str) -> list[tuple[str, str]]:
    db = sqlite3.connect(workspace.database)
    rows = db.execute("SELECT actor, detail FROM audit_log WHERE object_kind = 'user' AND object_id = ?", (name,))
    found = [(str(a), str(d)) for a, d in rows.fetchall()]
    db.close()
    return found


def test_cli_enables_changes_roles_resets_passwords_and_audits_it(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws")
    for args in (
        ("add", "root", "--role", "admin"),
        ("add", "bob", "--role", "analyst"),
        ("disable", "bob"),
        ("enable", "bob"),
        ("role", "bob", "--role", "investigator"),
        ("password", "bob"),
    ):
        result = _cli(workspace, *args)
        assert result.exit_code == 0, (args, result.output)  # type: ignore[attr-defined]
    db = connect(workspace)
    bob = get_user(db, "bob")
    db.close()
    assert bob is not None and bob.active and bob.role is Role.INVESTIGATOR
    details = [detail for actor, detail in _audited(workspace, "bob")]
    assert details == ["created with role analyst", "disabled", "enabled", "role set to investigator", "password reset"]
    assert all(actor.startswith("cli:") for actor, _ in _audited(workspace, "bob"))
    for args in (("disable", "root"), ("role", "root", "--role", "analyst")):
        result = _cli(workspace, *args)
        assert isinstance(result.exception, UsageError) and "last active admin" in str(result.exception)  # type: ignore[attr-defined]


def test_admin_pages_enable_change_role_reset_and_refuse_self_or_last_admin(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    db = connect(web.workspace)
    if get_user(db, "olga") is None:
        add_user(db, "olga", Role.ANALYST, PASSWORD)
    db.close()
    admin = login("admin")
    form = admin.get("/admin/users").text
    assert '<option value="" selected disabled>choose a role</option>' in form  # no default role
    assert admin.post("/admin/users", data={"name": "nobody-role"}).status_code == 422
    assert admin.post("/admin/users/olga/disable").status_code == 303
    assert admin.post("/admin/users/olga/enable").status_code == 303
    assert admin.post("/admin/users/olga/role", data={"role": "magistrate"}).status_code == 303
    reset = admin.post("/admin/users/olga/password")
    assert reset.status_code == 200 and "new-password" in reset.text
    db = connect(web.workspace)
    olga = get_user(db, "olga")
    db.close()
    assert olga is not None and olga.active and olga.role is Role.MAGISTRATE
    me = USERS["admin"]
    for path, data in ((f"/admin/users/{me}/disable", {}), (f"/admin/users/{me}/role", {"role": "analyst"})):
        refused = admin.post(path, data=data)
        assert refused.status_code == 400 and "yourself" in refused.text
    db = connect(web.workspace)
    if get_user(db, "second-admin") is None:
        add_user(db, "second-admin", Role.ADMIN, PASSWORD)
    db.close()
    other = httpx.Client(base_url=web.base_url, timeout=30)
    assert other.post("/api/session", json={"name": "second-admin", "password": PASSWORD}).status_code == 200
    other.headers["x-csrf-token"] = other.get("/api/me").json()["csrf_token"]
    assert other.post(f"/admin/users/{me}/disable").status_code == 303  # two admins: one may go
    last = other.post("/admin/users/second-admin/role", data={"role": "analyst"})
    assert last.status_code == 400 and "yourself" in last.text
    db = connect(web.workspace)
    from unveil.auth.users import set_active

    try:
        set_active(db, "second-admin", False)
        raise AssertionError("the last admin was disabled")
    except UsageError as refused_last:
        assert "last active admin" in str(refused_last)
    set_active(db, me, True)
    db.close()
    other.close()
