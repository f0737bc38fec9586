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
import ipaddress
import queue
import sqlite3
from typing import Annotated

from fastapi import Depends, Request, params
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from starlette.types import Scope as ASGIScope

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


def client_address(request: Request) -> str:
    """The address of the client: the TCP peer, or, when the peer is a configured proxy
    (``trusted_proxies``), the last address of ``X-Forwarded-For`` that is not one. Nothing
    else is believed: by default no proxy is trusted and the header is ignored."""
    peer = request.client.host if request.client else "unknown"
    trusted = request.app.state.trusted_proxies
    if not trusted or not _in(peer, trusted):
        return peer
    forwarded = [part.strip() for value in request.headers.getlist("x-forwarded-for") for part in value.split(",")]
    for address in reversed([part for part in forwarded if part]):
        if not _in(address, trusted):
            return address if _valid(address) else peer
    return peer


def _in(address: str, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def trusted_networks(addresses: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The ``trusted_proxies`` setting as networks (an address or a CIDR range each)."""
    return [ipaddress.ip_network(address.strip(), strict=False) for address in addresses if address.strip()]


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


BORROWED = "unveil.borrowed"
"""Key of the request's scope holding what it borrowed from the app's pools (``give_back`` returns it)."""
SESSION = "unveil.session"
"""Key of the request's scope holding its session once looked up (None: no session)."""


def _borrowed(request: Request) -> list[sqlite3.Connection]:
    held: list[sqlite3.Connection] = request.scope[BORROWED]
    return held


def request_database(request: Request) -> sqlite3.Connection:
    """The request's connection to the workspace database, borrowed from the app's pool on first use.

    One per request, shared by the session lookup and the route; ``give_back`` rolls back whatever
    the request left uncommitted and puts it back after the response.
    """
    held = _borrowed(request)
    if not held:
        pool: queue.SimpleQueue[sqlite3.Connection] = request.app.state.db_pool
        try:
            held.append(pool.get_nowait())
        except queue.Empty:
            held.append(open_database(request.app.state.workspace))
    return held[0]


def give_back(scope: ASGIScope) -> None:
    """Put what a request borrowed (its database connection) back in the app's pool, rolling back whatever
    it left uncommitted (as closing the connection would); ``frame.RequestFrame`` calls it after the response.

    Cheaper than a generator dependency (FastAPI's exit stack costs a few tenths of a millisecond a request).
    """
    held: list[sqlite3.Connection] = scope[BORROWED]
    pool: queue.SimpleQueue[sqlite3.Connection] = scope["app"].state.db_pool
    for connection in held:
        if connection.in_transaction:
            connection.rollback()
        pool.put(connection)


async def get_db(request: Request) -> sqlite3.Connection:
    """A connection to the workspace database from the app's pool, returned to it after the request."""
    return request_database(request)


async def get_read_model(request: Request) -> ReadModel:
    """The DuckDB snapshot of the workspace's tables."""
    model: ReadModel = request.app.state.read_model
    return model


WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]
Db = Annotated[sqlite3.Connection, Depends(get_db)]
Tables = Annotated[ReadModel, Depends(get_read_model)]


async def get_session(request: Request) -> Session | None:
    """The session of the request's cookie, or None (looked up once per request)."""
    if SESSION not in request.scope:
        token = request.cookies.get(SESSION_COOKIE)
        request.scope[SESSION] = find_session(request_database(request), token) if token else None
    session: Session | None = request.scope[SESSION]
    return session


OptionalSession = Annotated[Session | None, Depends(get_session)]


async def current_user(request: Request) -> User:
    """The logged-in user; ``LoginRequired`` (401, or a redirect to the login page) otherwise."""
    session = await get_session(request)
    if session is None:
        raise LoginRequired()
    return session.user


CurrentUser = Annotated[User, Depends(current_user)]


class Require:
    """Dependency that lets through users whose role holds ``permission`` (403 otherwise).

    It asks ``current_user`` itself rather than declaring ``CurrentUser``: FastAPI resolves a declared
    sub-dependency on every use, cached or not (about 18 µs each), and every page asks for the user two or
    three times (the permission, the audit, the page).
    """

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    async def __call__(self, request: Request) -> User:
        user = await current_user(request)
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


async def get_auditor(request: Request) -> Auditor:
    """The auditor of this request (its user asked for directly, as ``Require`` does)."""
    return Auditor(request.app.state.audit_writer, await current_user(request))


Audit = Annotated[Auditor, Depends(get_auditor)]


class CaseScope:
    """What a user without ``BROWSE_ALL`` (a magistrate) may see: the items of the cases shared with them.

    Posts: post items and the posts of network items; networks: network items; identifiers:
    identifier items and the identifiers of those posts. Anything else answers 403.
    """

    def __init__(self, workspace: Workspace, tables: ReadModel, user: User) -> None:
        from unveil.cases import scope_of

        items = scope_of(workspace, user.name)
        self.user = user
        self.networks = set(items.get("network", set()))
        self.posts = set(items.get("post", set()))
        self.identifiers = set(items.get("identifier", set()))
        if self.networks and tables.has("link.network_posts"):
            marks = ", ".join("?" for _ in self.networks)
            self.posts |= {
                str(row[0])
                for row in tables.tuples(
                    f"SELECT post_id FROM link.network_posts WHERE network_id IN ({marks})", sorted(self.networks)
                )
            }
        if self.posts and tables.has("extract.identifiers"):
            marks = ", ".join("?" for _ in self.posts)
            self.identifiers |= {
                f"{row[0]}:{row[1]}"
                for row in tables.tuples(
                    f"SELECT DISTINCT type, value FROM extract.identifiers WHERE post_id IN ({marks})",
                    sorted(self.posts),
                )
            }

    def require(self, kind: str, ref: str) -> None:
        """``PermissionDenied`` unless the item is in a case shared with the user."""
        held = {"post": self.posts, "network": self.networks, "identifier": self.identifiers}.get(kind, set())
        if ref not in held:
            raise PermissionDenied(self.user.role.value, f"see {kind} {ref}: it is in no case shared with you")


async def get_scope(request: Request) -> CaseScope | None:
    """None for users who see everything (on the event loop: no thread hop on hot pages); else the items
    of the cases shared with them (read in a worker thread)."""
    user = await current_user(request)
    if user.may(Permission.BROWSE_ALL):
        return None
    return await run_in_threadpool(CaseScope, request.app.state.workspace, request.app.state.read_model, user)


Scope = Annotated[CaseScope | None, Depends(get_scope)]


async def get_privacy(request: Request) -> PrivacyView:
    """How this user may see identifiers: in clear, or as pseudonyms (analysts)."""
    user = await current_user(request)
    pseudonymiser: Pseudonymiser = request.app.state.pseudonymiser
    region = request.app.state.workspace.settings.default_region
    return PrivacyView(pseudonymiser if user.pseudonymised else None, region)


Privacy = Annotated[PrivacyView, Depends(get_privacy)]


async def get_page(request: Request) -> PageRenderer:
    """The renderer of this request's page."""
    return PageRenderer(request, request.app.state.templates, await get_session(request), request.app.state.nav)


Page = Annotated[PageRenderer, Depends(get_page)]


def _json_api_route(request: Request) -> bool:
    """True for a JSON API route that takes a JSON body, called with ``Content-Type: application/json``.

    Browsers cannot send such a request across sites without CORS (which this app never allows), so
    these alone need no token. A route without a JSON body (a form, a ``DELETE``, a page) always does,
    whatever ``Content-Type`` the request claims.
    """
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return False
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.path.startswith("/api/"):
        return False
    body = route.body_field
    return body is not None and not isinstance(body.field_info, params.Form)


async def verify_csrf(request: Request) -> None:
    """Refuse unsafe requests that lack the CSRF token of their session (or of the login form)."""
    if request.method not in UNSAFE_METHODS or _json_api_route(request):
        return
    session = await get_session(request)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = session.csrf_token if session else request.cookies.get(LOGIN_CSRF_COOKIE)
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise CsrfFailed()
