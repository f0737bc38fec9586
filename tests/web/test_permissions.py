"""Every route and every role: the permission a route declares is the only thing that decides."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from tests.web.conftest import PHONE_E164, USERS, WebWorld
from unveil.auth.roles import ROLE_PERMISSIONS, Permission, Role
from unveil.web.app import create_app
from unveil.web.deps import Require
from unveil.workspace import Workspace

PUBLIC = {("GET", "/login"), ("POST", "/login"), ("POST", "/api/session")}


def required_permission(dependant: Dependant) -> Permission | None:
    """The permission a route's dependencies ask for (``Require``), searched depth first."""
    for sub in dependant.dependencies:
        if isinstance(sub.call, Require):
            return sub.call.permission
        found = required_permission(sub)
        if found is not None:
            return found
    return None


def needs_login(dependant: Dependant) -> bool:
    """True when the route depends on the current user (``Require`` and the auditor ask for it themselves)."""
    from unveil.web.deps import current_user, get_auditor

    return any(
        sub.call is current_user or sub.call is get_auditor or isinstance(sub.call, Require) or needs_login(sub)
        for sub in dependant.dependencies
    )


def all_routes(workspace: Workspace) -> Iterator[tuple[str, str, Permission | None, bool]]:
    """(method, path, permission, needs login) of every API route of the app."""
    for route in create_app(workspace).routes:
        if isinstance(route, APIRoute):
            for method in sorted(route.methods):
                yield method, route.path, required_permission(route.dependant), needs_login(route.dependant)


def shared_scope(web: WebWorld) -> tuple[str, str, str]:
    """A case of the investigator holding the network of W-PHONE-0, shared with the magistrate:
    (case id, post id, network id), the same on every call."""
    from unveil import cases

    post_id = web.post_id("W-PHONE-0")
    network = web.workspace.table("link.network_posts").read().to_pylist()
    network_id = next(row["network_id"] for row in network if row["post_id"] == post_id)
    found = [c for c in cases.list_cases(web.workspace) if c.title == "Shared with the magistrate"]
    if found:
        return found[0].case_id, post_id, network_id
    case = cases.create_case(web.workspace, "Shared with the magistrate", USERS["investigator"])
    cases.add_item(web.workspace, case.case_id, "network", network_id, USERS["investigator"])
    cases.add_member(web.workspace, case.case_id, USERS["magistrate"], USERS["investigator"])
    return case.case_id, post_id, network_id


@pytest.fixture(scope="module")
def values(web: WebWorld) -> dict[str, str]:
    """Values for path parameters: real objects of the crafted workspace (in a case shared with the magistrate)."""
    _, post_id, network_id = shared_scope(web)
    return {
        "post_id": post_id,
        "network_id": network_id,
        "kind": "phone",
        "value": PHONE_E164,
        "search_id": "1",
        "name": "nobody",
        "image_sha256": "0" * 64,
        "case_id": "C-0001",
    }


def fill(path: str, values: dict[str, str]) -> str:
    """A path with its parameters replaced by sample values."""
    return re.sub(r"\{(\w+)(:path)?\}", lambda m: values.get(m.group(1), "x"), path)


def discovered_routes() -> list[tuple[str, str, Permission | None, bool]]:
    """(method, path, permission, needs login) of every route of every discovered module (no app needed)."""
    from unveil.web.routes import discover

    found = []
    for module in discover():
        for route in module.router.routes:
            if isinstance(route, APIRoute):
                for method in sorted(route.methods):
                    found.append(
                        (method, route.path, required_permission(route.dependant), needs_login(route.dependant))
                    )
    return found


GUARDED = [(m, p, permission) for m, p, permission, _ in discovered_routes() if permission is not None]


@pytest.fixture(scope="module")
def routes(web_workspace: Workspace) -> list[tuple[str, str, Permission | None, bool]]:
    return list(all_routes(web_workspace))


@pytest.fixture(scope="module")
def role_clients(web: WebWorld) -> Iterator[dict[str, httpx.Client]]:
    """One logged-in client per role, shared by the module's tests."""
    from tests.web.conftest import PASSWORD

    clients = {}
    for role, name in USERS.items():
        client = httpx.Client(base_url=web.base_url, follow_redirects=False, timeout=30)
        assert client.post("/api/session", json={"name": name, "password": PASSWORD}).status_code == 200
        client.headers["x-csrf-token"] = client.get("/api/me").json()["csrf_token"]
        clients[role] = client
    yield clients
    for client in clients.values():
        client.close()


@pytest.mark.parametrize("role", [role.value for role in Role])
@pytest.mark.parametrize(("method", "path", "permission"), GUARDED, ids=[f"{m} {p}" for m, p, _ in GUARDED])
def test_route_for_role(
    method: str,
    path: str,
    permission: Permission,
    role: str,
    values: dict[str, str],
    role_clients: dict[str, httpx.Client],
) -> None:
    """Allowed roles get an answer (never 403 or a server error); others get 403."""
    allowed = permission in ROLE_PERMISSIONS[Role(role)]
    if method != "GET" and allowed:
        pytest.skip("changes are tested with real bodies in their own tests; here only refusals")
    response = role_clients[role].request(method, fill(path, values), json={} if method != "GET" else None)
    assert response.status_code < 500, response.text
    assert (response.status_code == 403) == (not allowed), (response.status_code, response.text[:300])


def test_every_route_but_login_declares_a_user(routes: list[tuple[str, str, Permission | None, bool]]) -> None:
    unguarded = [(m, p) for m, p, permission, login in routes if not login and (m, p) not in PUBLIC]
    assert unguarded == [("GET", "/api/openapi.json")] or unguarded == []


def test_every_data_route_asks_for_a_permission(routes: list[tuple[str, str, Permission | None, bool]]) -> None:
    only_login = {(m, p) for m, p, permission, login in routes if login and permission is None}
    assert only_login <= {
        ("POST", "/logout"),
        ("DELETE", "/api/session"),
        ("GET", "/api/me"),
        ("GET", "/api/openapi.json"),
    }


def test_anonymous_is_sent_to_login_or_refused(
    routes: list[tuple[str, str, Permission | None, bool]], values: dict[str, str], anonymous: httpx.Client
) -> None:
    for method, path, _, login in routes:
        if not login:
            continue
        response = anonymous.request(method, fill(path, values))
        if path.startswith("/api/"):
            assert response.status_code in (401, 403), (method, path, response.status_code)
        elif method == "GET":
            assert response.status_code == 303 and response.headers["location"].startswith("/login"), (method, path)
        else:
            assert response.status_code in (401, 403), (method, path, response.status_code)


def test_login_comes_back_to_the_page_and_its_query(anonymous: httpx.Client) -> None:
    response = anonymous.get("/search", params={"q": "massage & co", "city": "Liège"})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fsearch%3Fq%3Dmassage%2B%2526%2Bco%26city%3DLi%25C3%25A8ge"
    assert anonymous.get("/networks").headers["location"] == "/login?next=%2Fnetworks"


def test_users_of_the_fixture_cover_every_role() -> None:
    assert set(USERS) == {role.value for role in Role}
