"""``unveil serve`` and ``unveil user add|list|disable|enable|password``."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from unveil.workspace import Workspace

console = Console()
user_app = typer.Typer(help="Accounts of the web application.", no_args_is_help=True)

WorkspaceDir = Annotated[Path, typer.Argument(help="Workspace folder.")]


def register(app: typer.Typer) -> None:
    """Add the web commands."""
    app.command()(serve)
    app.add_typer(user_app, name="user")


def serve(
    directory: WorkspaceDir,
    port: Annotated[int | None, typer.Option(help="Port (default: the workspace setting, 8000).")] = None,
    host: Annotated[str | None, typer.Option(help="Address (default 127.0.0.1).")] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (each answers requests; they share one snapshot).")
    ] = 1,
) -> None:
    """Serve the web application for a workspace."""
    workspace = Workspace.open(directory)
    serve_workspace(workspace, host or workspace.settings.host, port or workspace.settings.port, workers)


WORKER_STARTUP_SECONDS = 300


def serve_workspace(workspace: Workspace, host: str, port: int, workers: int = 1) -> None:
    """Serve the app until interrupted; refuses a default secret outside development.

    With several workers, the snapshot of the tables is built once here, before they start; each
    worker then opens it read-only (``unveil.web.app.app_from_environment``).
    """
    import os

    import uvicorn

    from unveil.web.app import WORKSPACE_VARIABLE, create_app
    from unveil.web.assets import require_assets
    from unveil.web.readmodel import build_snapshot

    workspace.settings.require_production_secret()
    require_assets()
    if workers == 1:
        app = create_app(workspace)
        Console().print(f"Serving {workspace.root} on http://{host}:{port}/ (Ctrl+C to stop)")
        # proxy_headers off: the app decides which X-Forwarded-For to believe (``trusted_proxies``)
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
        return
    build_snapshot(workspace).connection.close()
    os.environ[WORKSPACE_VARIABLE] = str(workspace.root)
    Console().print(f"Serving {workspace.root} on http://{host}:{port}/ with {workers} workers (Ctrl+C to stop)")
    uvicorn.run(
        "unveil.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=False,
        # a worker imports every page's modules (statistics, exports) before it answers: on a busy
        # machine that takes longer than uvicorn's default 5 s, which would kill and restart it
        timeout_worker_healthcheck=WORKER_STARTUP_SECONDS,
    )


@contextmanager
def _database(directory: Path) -> Iterator[sqlite3.Connection]:
    """The workspace database, committed and closed at the end."""
    from unveil.db import connect
    from unveil.web.schema import WEB

    connection = connect(Workspace.open(directory), WEB)  # sessions: a changed account's end
    try:
        with connection:
            yield connection
    finally:
        connection.close()


def _audit(db: sqlite3.Connection, name: str, detail: str) -> None:
    """Record an account change made on the command line (actor ``cli:<system user>``)."""
    import getpass

    from unveil.auth import audit

    audit.record(db, f"cli:{getpass.getuser()}", audit.CHANGE, "user", name, detail)


def _read_password(password_stdin: bool) -> str | None:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    if sys.stdin.isatty():
        return str(typer.prompt("Password (empty: generate one)", hide_input=True, default="", show_default=False))
    return None


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="User name (lower-case letters, digits, . _ -).")],
    role: Annotated[str, typer.Option(help="admin, investigator, analyst or magistrate.")],
    workspace_dir: Annotated[Path, typer.Option("--workspace", "-w", help="Workspace folder.")] = Path("."),
    password_stdin: Annotated[bool, typer.Option(help="Read the password from standard input.")] = False,
) -> None:
    """Create an account; prints a generated password when none is given."""
    from unveil.auth.passwords import generate_password
    from unveil.auth.roles import parse_role
    from unveil.auth.users import add_user

    chosen = parse_role(role)
    password = _read_password(password_stdin) or None
    shown = password is None
    password = password or generate_password()
    with _database(workspace_dir) as db:
        add_user(db, name, chosen, password)
        _audit(db, name, f"created with role {chosen.value}")
    console.print(f"Created user [bold]{name}[/] ({chosen.value}).")
    if shown:
        console.print(f"Password: {password}", markup=False, highlight=False)


@user_app.command("list")
def user_list(
    workspace_dir: Annotated[Path, typer.Option("--workspace", "-w", help="Workspace folder.")] = Path("."),
) -> None:
    """List the accounts."""
    from unveil.auth.users import list_users

    with _database(workspace_dir) as db:
        for user in list_users(db):
            console.print(f"{user.name}\t{user.role.value}\t{'active' if user.active else 'disabled'}", markup=False)


@user_app.command("disable")
def user_disable(
    name: Annotated[str, typer.Argument(help="User name.")],
    workspace_dir: Annotated[Path, typer.Option("--workspace", "-w", help="Workspace folder.")] = Path("."),
) -> None:
    """Disable an account and end its sessions."""
    from unveil.auth.sessions import end_user_sessions
    from unveil.auth.users import set_active

    with _database(workspace_dir) as db:
        set_active(db, name, False)
        end_user_sessions(db, name)
        _audit(db, name, "disabled")
    console.print(f"Disabled {name}.", markup=False)


@user_app.command("enable")
def user_enable(
    name: Annotated[str, typer.Argument(help="User name.")],
    workspace_dir: Annotated[Path, typer.Option("--workspace", "-w", help="Workspace folder.")] = Path("."),
) -> None:
    """Enable a disabled account again."""
    from unveil.auth.users import set_active

    with _database(workspace_dir) as db:
        set_active(db, name, True)
        _audit(db, name, "enabled")
    console.print(f"Enabled {name}.", markup=False)


@user_app.command("role")
def user_role(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Option(help="admin, investigator, analyst or magistrate.")],
    workspace_dir: Annotated[Path, typer.Option("--workspace", "-w", help="Workspace folder.")] = Path("."),
) -> None:
    """Change an account's role (never the last admin's) and end its sessions."""
    from unveil.auth.roles import parse_role
    from unveil.auth.sessions import end_user_sessions
    from unveil.auth.users import set_role

    chosen = parse_role(role)
    with _database(workspace_dir) as db:
        set_role(db, name, chosen)
        end_user_sessions(db, name)
        _audit(db, name, f"role set to {chosen.value}")
    console.print(f"{name} is now {chosen.value}.", markup=False)


@user_app.command("password")
def user_password(
    name: Annotated[str, typer.Argument(help="User name.")],
    workspace_dir: Annotated[Path, typer.Option("--workspace", "-w", help="Workspace folder.")] = Path("."),
    password_stdin: Annotated[bool, typer.Option(help="Read the password from standard input.")] = False,
) -> None:
    """Set a new password (generated when none is given) and end the user's sessions."""
    from unveil.auth.passwords import generate_password
    from unveil.auth.sessions import end_user_sessions
    from unveil.auth.users import set_password

    password = _read_password(password_stdin) or None
    shown = password is None
    password = password or generate_password()
    with _database(workspace_dir) as db:
        set_password(db, name, password)
        end_user_sessions(db, name)
        _audit(db, name, "password reset")
    console.print(f"New password set for {name}.", markup=False)
    if shown:
        console.print(f"Password: {password}", markup=False, highlight=False)


def count_saved_searches(workspace: Workspace) -> int:
    """Count every user's saved searches' new posts on the workspace's tables as they are now, and keep the
    counts for the saved searches page and the dashboard (``unveil.web.queries.saved.count_all``).

    Run after each pipeline run that changed the tables (``unveil run``, ``unveil demo``): the pages only
    read the counts. The snapshot it opens is the one the server then serves (built once per state of
    the tables). Nothing is opened when no one saved a search.
    """
    from unveil.auth.pseudonyms import Pseudonymiser
    from unveil.auth.users import get_user
    from unveil.db import connect
    from unveil.web.privacy import PrivacyView
    from unveil.web.queries.saved import count_all
    from unveil.web.readmodel import ReadModel
    from unveil.web.routes.saved import filters_of
    from unveil.web.schema import WEB

    db = connect(workspace, WEB)
    try:
        if db.execute("SELECT count(*) FROM saved_searches").fetchone()[0] == 0:
            return 0
        region = workspace.settings.default_region
        pseudonymiser = Pseudonymiser(workspace.settings.secret_key)

        def privacy_of(owner: str) -> PrivacyView | None:
            user = get_user(db, owner)
            if user is None:
                return None
            return PrivacyView(pseudonymiser if user.pseudonymised else None, region)

        return count_all(ReadModel(workspace), db, filters_of, region, privacy_of)
    finally:
        db.close()
