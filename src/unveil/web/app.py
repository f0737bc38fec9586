"""The web application: networks list and network pages over a workspace's tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.compute as pc
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from unveil.errors import NotFound, UnveilError
from unveil.workspace import Workspace

HERE = Path(__file__).parent


def create_app(workspace: Workspace) -> FastAPI:
    """Build the app for one workspace."""
    app = FastAPI(title=f"Unveil — {workspace.settings.name}")
    templates = Jinja2Templates(directory=HERE / "templates")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(UnveilError)
    async def _unveil_error(request: Request, exc: UnveilError) -> HTMLResponse | JSONResponse:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.message}, status_code=exc.http_status)
        context = {"message": exc.message, "status": exc.http_status}
        return templates.TemplateResponse(request, "error.html", context, status_code=exc.http_status)

    @app.get("/", response_class=HTMLResponse)
    def networks_page(request: Request) -> HTMLResponse:
        rows = _networks(workspace)
        return templates.TemplateResponse(
            request, "networks.html", {"networks": rows, "workspace": workspace.settings.name}
        )

    @app.get("/networks/{network_id}", response_class=HTMLResponse)
    def network_page(request: Request, network_id: str) -> HTMLResponse:
        context = _network(workspace, network_id)
        return templates.TemplateResponse(request, "network.html", context)

    @app.get("/api/networks")
    def networks_api() -> list[dict[str, Any]]:
        return _networks(workspace)

    return app


def _networks(workspace: Workspace) -> list[dict[str, Any]]:
    table = workspace.table("link.networks")
    return table.read().to_pylist() if table.exists() else []


def _network(workspace: Workspace, network_id: str) -> dict[str, Any]:
    networks = workspace.table("link.networks").read()
    found = networks.filter(pc.equal(networks["network_id"], network_id)).to_pylist()
    if not found:
        raise NotFound("network", network_id)
    members = workspace.table("link.network_posts").read()
    members = members.filter(pc.equal(members["network_id"], network_id))
    posts = workspace.table("ingest.posts").read(columns=["post_id", "text", "city", "posted_at"])
    posts = posts.filter(pc.is_in(posts["post_id"], members["post_id"]))
    reason = dict(zip(members["post_id"].to_pylist(), members["reason"].to_pylist(), strict=True))
    rows = [dict(post, reason=reason[post["post_id"]]) for post in posts.to_pylist()]
    return {"network": found[0], "posts": sorted(rows, key=lambda r: (r["posted_at"] is None, r["posted_at"]))}
