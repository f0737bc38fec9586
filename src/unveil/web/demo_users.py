"""Accounts of the demo: one per role, with fresh generated passwords printed once."""

from __future__ import annotations

from rich.console import Console

from unveil.auth.passwords import generate_password
from unveil.auth.roles import Role
from unveil.auth.sessions import end_user_sessions
from unveil.auth.users import add_user, get_user, set_password
from unveil.db import connect
from unveil.web.schema import WEB
from unveil.workspace import Workspace

DEMO_USERS = {
    Role.ADMIN: "admin",
    Role.INVESTIGATOR: "investigator",
    Role.ANALYST: "analyst",
    Role.MAGISTRATE: "magistrate",
}


def create_demo_users(workspace: Workspace, console: Console) -> dict[str, str]:
    """Create (or reset the passwords of) the demo accounts and print how to log in."""
    passwords: dict[str, str] = {}
    db = connect(workspace, WEB)  # the second run ends the accounts' sessions
    try:
        for role, name in DEMO_USERS.items():
            password = generate_password()
            if get_user(db, name) is None:
                add_user(db, name, role, password)
            else:
                set_password(db, name, password)
                end_user_sessions(db, name)
            passwords[name] = password
    finally:
        db.close()
    console.print("Log in to the web app with one of these accounts (passwords are new at each demo run):")
    for name, password in passwords.items():
        console.print(f"  {name:<13} {password}", markup=False, highlight=False)
    return passwords
