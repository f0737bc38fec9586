"""Logging in and out (pages and API)."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from unveil.auth import audit
from unveil.auth.roles import Permission
from unveil.auth.sessions import end_session, start_session
from unveil.auth.throttle import LoginThrottle, TooManyAttempts, login_keys
from unveil.auth.users import User, authenticate
from unveil.errors import AuthenticationError
from unveil.web.deps import CurrentUser, Db, OptionalSession, Page, client_address
from unveil.web.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE

router = APIRouter(tags=["session"])


class Credentials(BaseModel):
    """A login request of the API."""

    name: str
    password: str


class UserPublic(BaseModel):
    """Who is logged in."""

    name: str
    role: str
    pseudonymised: bool
    permissions: list[str]
    csrf_token: str = ""


def _public(user: User) -> UserPublic:
    from unveil.auth.roles import ROLE_PERMISSIONS

    permissions = sorted(p.name.lower() for p in ROLE_PERMISSIONS[user.role])
    return UserPublic(name=user.name, role=user.role.value, pseudonymised=user.pseudonymised, permissions=permissions)


def _safe_next(target: str) -> str:
    """Only local paths: never send a user on to another site after login."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def _landing(request: Request, user: User, target: str) -> str:
    """Where to go after login: the asked page, or the first page of the menu the role may open."""
    if target != "/" or user.may(Permission.VIEW_DASHBOARD):
        return target
    return next((entry.path for entry in request.app.state.nav if user.may(entry.permission)), "/")


def _set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/"
    )


def _login(request: Request, db: Db, name: str, password: str) -> tuple[User, str]:
    """Check credentials under the rate limit; return the user and a new session token."""
    throttle: LoginThrottle = request.app.state.throttle
    address = client_address(request)
    peer = request.client.host if request.client else "unknown"
    origin = f"from {address}" + (f" via {peer}" if peer != address else "")
    keys = login_keys(name, address)
    try:
        throttle.check(*keys)
    except TooManyAttempts:
        audit.record(db, name[:64] or "?", audit.LOGIN_FAILED, "user", name[:64], f"{origin}; throttled")
        raise
    user = authenticate(db, name, password)
    if user is None:
        throttle.fail(*keys)
        audit.record(db, name[:64] or "?", audit.LOGIN_FAILED, "user", name[:64], origin)
        raise AuthenticationError("wrong user name or password")
    throttle.succeed(*keys)
    token, _ = start_session(db, user)
    audit.record(db, user.name, audit.LOGIN, "user", user.name, origin)
    return user, token


@router.get("/login", include_in_schema=False)
def login_page(request: Request, page: Page, session: OptionalSession, next: str = "/") -> Response:
    """The login form (with its own CSRF token in a cookie)."""
    if session is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    token = secrets.token_urlsafe(32)
    response = page.render("login.html", {"login_csrf": token, "next": _safe_next(next), "problem": ""})
    _set_cookie(request, response, LOGIN_CSRF_COOKIE, token, 3600)
    return response


@router.post("/login", include_in_schema=False)
def login_submit(
    request: Request,
    db: Db,
    page: Page,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the form; on success set the session cookie and go on."""
    try:
        user, token = _login(request, db, name.strip(), password)
    except AuthenticationError as exc:
        fresh = secrets.token_urlsafe(32)
        values = {"login_csrf": fresh, "next": _safe_next(next), "problem": exc.message}
        response: Response = page.render("login.html", values, status_code=exc.http_status)
        _set_cookie(request, response, LOGIN_CSRF_COOKIE, fresh, 3600)
        return response
    response = RedirectResponse(_landing(request, user, _safe_next(next)), status_code=303)
    _set_cookie(request, response, SESSION_COOKIE, token, None)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, db: Db, user: CurrentUser) -> Response:
    """End the session."""
    token = request.cookies.get(SESSION_COOKIE, "")
    end_session(db, token)
    audit.record(db, user.name, audit.LOGOUT, "user", user.name)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/api/session")
def api_login(request: Request, db: Db, credentials: Credentials) -> Response:
    """Log in with a JSON body; the session cookie is set on the response."""
    user, token = _login(request, db, credentials.name.strip(), credentials.password)
    response = Response(_public(user).model_dump_json(), media_type="application/json")
    _set_cookie(request, response, SESSION_COOKIE, token, None)
    return response


@router.delete("/api/session", status_code=204)
def api_logout(request: Request, db: Db, user: CurrentUser) -> Response:
    """Log out the session of the request's cookie."""
    end_session(db, request.cookies.get(SESSION_COOKIE, ""))
    audit.record(db, user.name, audit.LOGOUT, "user", user.name)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/api/openapi.json", include_in_schema=False)
def openapi_schema(request: Request, user: CurrentUser) -> dict[str, Any]:
    """The OpenAPI schema of the JSON API (after login: it names the workspace)."""
    schema: dict[str, Any] = request.app.openapi()
    return schema


@router.get("/api/me")
def api_me(user: CurrentUser, session: OptionalSession) -> UserPublic:
    """The logged-in user, their role, permissions, and the CSRF token to send with unsafe requests."""
    return _public(user).model_copy(update={"csrf_token": session.csrf_token if session else ""})
