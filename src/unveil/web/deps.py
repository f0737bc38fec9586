"""Dependencies of every route, in one place: workspace, database, read model, user, roles, audit.

Routes declare what they need with the ``Annotated`` aliases below; permissions are enforced here
and nowhere else::

    @router.get("/posts/{post_id}", include_in_schema=False)
    def post_page(post_id: str, user: CanViewPosts, tables: Tables, audit: Audit, page: Page) -> HTMLResponse:
        audit.view("post", post_id)
        ...
"""

from __future__ import annotations

import hmac
import queue
import sqlite3
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from unveil.auth import audit as audit_log
from unveil.auth.pseudonyms import Pseudonymiser
from unveil.auth.roles import Permission
from unveil.auth.sessions import Session, find_session
from unveil.auth.users import User
from unveil.errors import AuthenticationError, PermissionDenied
from unveil.web.pages import PageRenderer
from unveil.web.privacy import PrivacyView
from unveil.web.readmodel import ReadModel
from unveil.web.security import CSRF_FIELD, CSRF_HEADER, LOGIN_CSRF_COOKIE, SESSION_COOKIE
from unveil.workspace import Workspace

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class LoginRequired(AuthenticationError):
    """The page needs a logged-in user."""

    def __init__(self) -> None:
        super().__init__("please log in")


class CsrfFailed(PermissionDenied):
    """An unsafe request came without this session's CSRF token."""

    def __init__(self) -> None:
        super().__init__("anonymous", "send a form without its CSRF token (reload the page and try again)")


async def get_workspace(request: Request) -> Workspace:
    """The workspace this app serves."""
    workspace: Workspace = request.app.state.workspace
    return workspace


def open_database(workspace: Workspace) -> sqlite3.Connection:
    """A connection to unveil.db for one request (tables were created when the app started)."""
    connection = sqlite3.connect(workspace.database, timeout=30, check_same_thread=False)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


async def get_db(request: Request) -> AsyncIterator[sqlite3.Connection]:
    """A connection to the workspace database from the app's pool, returned to it after the request.

    Whatever the request left uncommitted is rolled back first, as closing the connection would.
    """
    pool: queue.SimpleQueue[sqlite3.Connection] = request.app.state.db_pool
    try:
        connection = pool.get_nowait()
    except queue.Empty:
        connection = open_database(request.app.state.workspace)
    try:
        yield connection
    finally:
        if connection.in_transaction:
            connection.rollback()
        pool.put(connection)


async def get_read_model(request: Request) -> ReadModel:
    """The DuckDB snapshot of the workspace's tables."""
    model: ReadModel = request.app.state.read_model
    return model


WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]
Db = Annotated[sqlite3.Connection, Depends(get_db)]
Tables = Annotated[ReadModel, Depends(get_read_model)]


async def get_session(request: Request, db: Db) -> Session | None:
    """The session of the request's cookie, or None."""
    token = request.cookies.get(SESSION_COOKIE)
    return find_session(db, token) if token else None


OptionalSession = Annotated[Session | None, Depends(get_session)]


async def current_user(session: OptionalSession) -> User:
    """The logged-in user; ``LoginRequired`` (401, or a redirect to the login page) otherwise."""
    if session is None:
        raise LoginRequired()
    return session.user


CurrentUser = Annotated[User, Depends(current_user)]


class Require:
    """Dependency that lets through users whose role holds ``permission`` (403 otherwise)."""

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    async def __call__(self, user: CurrentUser) -> User:
        if not user.may(self.permission):
            raise PermissionDenied(user.role.value, self.permission.value)
        return user

    def __repr__(self) -> str:
        return f"Require({self.permission.name})"


CanViewDashboard = Annotated[User, Depends(Require(Permission.VIEW_DASHBOARD))]
CanSearch = Annotated[User, Depends(Require(Permission.SEARCH))]
CanViewPosts = Annotated[User, Depends(Require(Permission.VIEW_POSTS))]
CanViewRaw = Annotated[User, Depends(Require(Permission.VIEW_RAW))]
CanViewNetworks = Annotated[User, Depends(Require(Permission.VIEW_NETWORKS))]
CanViewIdentifiers = Annotated[User, Depends(Require(Permission.VIEW_IDENTIFIERS))]
CanViewMoney = Annotated[User, Depends(Require(Permission.VIEW_MONEY))]
CanViewStatistics = Annotated[User, Depends(Require(Permission.VIEW_STATISTICS))]
CanSaveSearches = Annotated[User, Depends(Require(Permission.SAVE_SEARCHES))]
CanReadCases = Annotated[User, Depends(Require(Permission.READ_CASES))]
CanEditCases = Annotated[User, Depends(Require(Permission.EDIT_CASES))]
CanExport = Annotated[User, Depends(Require(Permission.EXPORT))]
CanManageUsers = Annotated[User, Depends(Require(Permission.MANAGE_USERS))]
CanReadAudit = Annotated[User, Depends(Require(Permission.READ_AUDIT))]


class Auditor:
    """Records what the current user views and searches (committed before the page is sent)."""

    def __init__(self, writer: audit_log.AuditWriter, user: User) -> None:
        self.writer = writer
        self.user = user

    def view(self, kind: str, object_id: str, detail: str = "") -> None:
        """Record a view of a post, network, identifier, party, case..."""
        self.writer.record(self.user.name, audit_log.VIEW, kind, object_id, detail)

    def search(self, description: str) -> None:
        """Record a search and its filters."""
        self.writer.record(self.user.name, audit_log.SEARCH, "search", description[:500])

    def event(self, action: str, kind: str, object_id: str, detail: str = "") -> None:
        """Record any other action (exports, changes)."""
        self.writer.record(self.user.name, action, kind, object_id, detail)


async def get_auditor(request: Request, user: CurrentUser) -> Auditor:
    """The auditor of this request."""
    return Auditor(request.app.state.audit_writer, user)


Audit = Annotated[Auditor, Depends(get_auditor)]


async def get_privacy(request: Request, user: CurrentUser) -> PrivacyView:
    """How this user may see identifiers: in clear, or as pseudonyms (analysts)."""
    pseudonymiser: Pseudonymiser = request.app.state.pseudonymiser
    region = request.app.state.workspace.settings.default_region
    return PrivacyView(pseudonymiser if user.pseudonymised else None, region)


Privacy = Annotated[PrivacyView, Depends(get_privacy)]


async def get_page(request: Request, session: OptionalSession) -> PageRenderer:
    """The renderer of this request's page."""
    return PageRenderer(request, request.app.state.templates, session, request.app.state.nav)


Page = Annotated[PageRenderer, Depends(get_page)]


def _is_json(request: Request) -> bool:
    """JSON bodies cannot be sent across sites without CORS (which this app never allows)."""
    return request.headers.get("content-type", "").split(";")[0].strip() == "application/json"


async def verify_csrf(request: Request, session: OptionalSession) -> None:
    """Refuse unsafe requests that lack the CSRF token of their session (or of the login form)."""
    if request.method not in UNSAFE_METHODS or _is_json(request):
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = session.csrf_token if session else request.cookies.get(LOGIN_CSRF_COOKIE)
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise CsrfFailed()
