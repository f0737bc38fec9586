"""The one place where errors become pages or JSON.

Every ``UnveilError`` knows its HTTP status. Under ``/api/`` it becomes ``{"error": ..., "status": ...}``;
elsewhere an error page, except "please log in", which sends a browser to the login page.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from unveil.auth.sessions import Session, find_session
from unveil.errors import UnveilError
from unveil.web.deps import BORROWED, SESSION, LoginRequired, open_database, request_database
from unveil.web.pages import PageRenderer, page_address
from unveil.web.security import SESSION_COOKIE


def is_api(request: Request) -> bool:
    """True for JSON API paths."""
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, message: str) -> Response:
    """JSON for the API, an error page otherwise."""
    if is_api(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    renderer = PageRenderer(request, request.app.state.templates, _session(request), request.app.state.nav)
    return renderer.render("error.html", {"status": status, "message": message}, status_code=status)


def _session(request: Request) -> Session | None:
    """The session of the request, if any, so that error pages keep the navigation (the one the request's
    dependencies looked up, when they did)."""
    if SESSION in request.scope:
        known: Session | None = request.scope[SESSION]
        return known
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    if BORROWED in request.scope:
        return find_session(request_database(request), token)
    db = open_database(request.app.state.workspace)
    try:
        return find_session(db, token)
    finally:
        db.close()


async def handle_unveil_error(request: Request, exc: Exception) -> Response:
    """Turn an ``UnveilError`` into its page, JSON or a login redirect."""
    assert isinstance(exc, UnveilError)
    if isinstance(exc, LoginRequired) and not is_api(request) and request.method == "GET":
        return RedirectResponse(f"/login?next={quote(page_address(request), safe='')}", status_code=303)
    return error_response(request, exc.http_status, exc.message)


async def handle_http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (unknown path, wrong method) in the same shape."""
    assert isinstance(exc, StarletteHTTPException)
    return error_response(request, exc.status_code, str(exc.detail))


async def handle_validation_error(request: Request, exc: Exception) -> Response:
    """A parameter with a wrong type or value: 422 with the problems listed."""
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
    return error_response(request, 422, f"invalid request: {problems}")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(UnveilError, handle_unveil_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
