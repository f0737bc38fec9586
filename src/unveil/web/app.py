"""The web application of one workspace: ``create_app(workspace)``.

Routes come from the modules of ``unveil.web.routes`` (one per resource, found at start-up);
dependencies from ``unveil.web.deps``; errors become pages or JSON in ``unveil.web.errors``.
"""

from __future__ import annotations

import os
import queue
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from unveil import __version__
from unveil.auth.audit import AuditWriter
from unveil.auth.pseudonyms import Pseudonymiser
from unveil.auth.throttle import LoginThrottle
from unveil.cases.schema import CASES
from unveil.db import connect
from unveil.web.deps import trusted_networks, verify_csrf
from unveil.web.errors import install_error_handlers
from unveil.web.frame import RequestFrame
from unveil.web.pages import create_environment
from unveil.web.readmodel import ReadModel
from unveil.web.routes import discover
from unveil.web.schema import WEB
from unveil.workspace import Workspace

STATIC = Path(__file__).parent / "static"
FIRST_ROUTES = ("dashboard", "identifiers", "posts", "networks", "search")
"""Route modules matched first, fewest routes first: a request is matched against the routes in order
(about 2.5 µs a route), and these pages are most of the traffic; the identifier page came after 56
routes (matching it took 150-220 µs, now 20-35), the dashboard after 19 (55-66 µs, now 12-22), and a
search now after 16 (12 -> 50 µs). No two modules' paths overlap, so the order changes nothing else."""
WORKSPACE_VARIABLE = "UNVEIL_SERVE_WORKSPACE"
"""Set by ``unveil serve --workers N`` for its worker processes: the workspace they serve."""


def create_app(workspace: Workspace) -> FastAPI:
    """Build the app for one workspace (creating missing database tables, loading the read model)."""
    connect(workspace, WEB, CASES).close()  # the tables of the areas whose state the pages read and write
    app = FastAPI(
        title=f"Unveil — {workspace.settings.name}",
        version=__version__,
        description="Online investigation, financial cross-check and monitoring. Log in first: "
        "the API uses the same session and permissions as the pages.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served by ``routes/auth.py`` after login: it names the workspace
        dependencies=[Depends(verify_csrf)],
    )
    app.state.workspace = workspace
    app.state.templates = create_environment()
    app.state.read_model = ReadModel(workspace)
    app.state.pseudonymiser = Pseudonymiser(workspace.settings.secret_key)
    app.state.throttle = LoginThrottle()
    app.state.trusted_proxies = trusted_networks(workspace.settings.trusted_proxies)
    app.state.db_pool = queue.SimpleQueue()
    app.state.audit_writer = AuditWriter(workspace.database)
    first = {name: n for n, name in enumerate(FIRST_ROUTES)}
    modules = sorted(discover(), key=lambda m: first.get(m.name, len(first)))
    app.state.nav = sorted((entry for m in modules for entry in m.nav), key=lambda e: (e.order, e.label))
    for module in modules:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    install_error_handlers(app)
    app.add_middleware(RequestFrame)
    return app


def app_from_environment() -> FastAPI:
    """The app of the workspace named by ``UNVEIL_SERVE_WORKSPACE`` (worker processes of ``unveil serve``)."""
    return create_app(Workspace.open(Path(os.environ[WORKSPACE_VARIABLE])))
