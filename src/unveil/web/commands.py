"""``unveil serve``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from unveil.workspace import Workspace


def register(app: typer.Typer) -> None:
    """Add the web commands."""
    app.command()(serve)


def serve(
    directory: Annotated[Path, typer.Argument(help="Workspace folder.")],
    port: Annotated[int | None, typer.Option(help="Port (default: the workspace setting, 8000).")] = None,
    host: Annotated[str | None, typer.Option(help="Address (default 127.0.0.1).")] = None,
) -> None:
    """Serve the web application for a workspace."""
    workspace = Workspace.open(directory)
    serve_workspace(workspace, host or workspace.settings.host, port or workspace.settings.port)


def serve_workspace(workspace: Workspace, host: str, port: int) -> None:
    """Serve the app until interrupted; refuses a default secret outside development."""
    import uvicorn

    from unveil.web.app import create_app

    workspace.settings.require_production_secret()
    Console().print(f"Serving {workspace.root} on http://{host}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(create_app(workspace), host=host, port=port, log_level="warning")
