"""Cases: a magistrate sees only what the cases shared with them hold; only owners and members change a
case; archived cases are read-only. The route x role matrix of test_permissions runs with a shared
case; here every route a magistrate may use is tried with objects outside their cases."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.web.conftest import CUT_PHONE_E164, PASSWORD, PHONE_E164, USERS, WebWorld
from tests.web.test_permissions import GUARDED, fill, shared_scope
from unveil import cases
from unveil.auth.roles import ROLE_PERMISSIONS, Role
from unveil.auth.users import add_user
from unveil.db import connect
from unveil.workspace import Workspace

MAGISTRATE_GETS = [
    (path, permission)
    for method, path, permission in GUARDED
    if method == "GET" and permission in ROLE_PERMISSIONS[Role.MAGISTRATE] and "{" in path
]


def _network_of(web: WebWorld, source: str) -> str:
    post_id = web.post_id(source)
    rows = web.workspace.table("link.network_posts").read().to_pylist()
    return str(next(row["network_id"] for row in rows if row["post_id"] == post_id))


@pytest.fixture(scope="module")
def outside(web: WebWorld) -> dict[str, str]:
    """Objects in no case shared with the magistrate (a case of the investigator they are not a member of)."""
    case = cases.create_case(web.workspace, "Not shared", USERS["investigator"])
    cases.add_item(web.workspace, case.case_id, "post", web.post_id("W-PLAIN-0"), USERS["investigator"])
    return {
        "post_id": web.post_id("W-PLAIN-0"),
        "network_id": _network_of(web, "W-CUT-0"),
        "kind": "phone",
        "value": CUT_PHONE_E164,
        "case_id": case.case_id,
        "image_sha256": "0" * 64,
    }


@pytest.mark.parametrize(("path", "permission"), MAGISTRATE_GETS, ids=[p for p, _ in MAGISTRATE_GETS])
def test_magistrate_is_refused_what_no_shared_case_holds(
    path: str, permission: object, web: WebWorld, outside: dict[str, str], login: Callable[[str], httpx.Client]
) -> None:
    shared_scope(web)
    response = login("magistrate").get(fill(path, outside))
    expected = 404 if "image_sha256" in path else 403  # no image at all: nothing to refuse
    assert response.status_code == expected, (response.status_code, response.text[:200])


def test_magistrate_sees_the_shared_case_its_posts_networks_and_identifiers(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    case_id, post_id, network_id = shared_scope(web)
    magistrate = login("magistrate")
    assert [c["case_id"] for c in magistrate.get("/api/cases").json()] == [case_id]
    assert magistrate.get(f"/api/cases/{case_id}").status_code == 200
    assert [n["network_id"] for n in magistrate.get("/api/networks").json()["networks"]] == [network_id]
    assert magistrate.get(f"/api/networks/{network_id}/graph").status_code == 200
    members = magistrate.get(f"/api/networks/{network_id}").json()["members"]
    for member in members:  # every post of a shared network
        assert magistrate.get(f"/api/posts/{member['post_id']}").status_code == 200
    assert post_id in {m["post_id"] for m in members}
    identifier = magistrate.get(f"/api/identifiers/phone/{PHONE_E164}").json()
    assert {p["post_id"] for p in identifier["posts"]} <= {m["post_id"] for m in members}
    bundle = magistrate.post(f"/cases/{case_id}/bundle")
    assert bundle.status_code == 200 and bundle.content[:2] == b"PK"
    assert magistrate.post(f"/api/cases/{case_id}/items", json={"kind": "post", "ref": post_id}).status_code == 403


def test_only_owner_and_members_change_a_case_and_archived_cases_are_read_only(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    db = connect(web.workspace)
    if db.execute("SELECT 1 FROM users WHERE name = 'iris'").fetchone() is None:
        add_user(db, "iris", Role.INVESTIGATOR, PASSWORD)
    db.close()
    owner = login("investigator")
    other = httpx.Client(base_url=owner.base_url, timeout=30)
    assert other.post("/api/session", json={"name": "iris", "password": PASSWORD}).status_code == 200
    other.headers["x-csrf-token"] = other.get("/api/me").json()["csrf_token"]
    case_id = owner.post("/api/cases", json={"title": "Owned by ivan"}).json()["case_id"]
    post = {"kind": "post", "ref": web.post_id("W-PLAIN-1")}
    refused = other.post(f"/api/cases/{case_id}/items", json=post)
    assert refused.status_code == 403 and "only its owner and members" in refused.text
    assert other.post("/api/case-items", json={"case_id": case_id, **post}).status_code == 403
    assert other.post(f"/cases/{case_id}/notes", data={"text": "mine now"}).status_code == 403
    assert other.post(f"/cases/{case_id}/status", data={"status": "closed"}).status_code == 403
    assert owner.post(f"/api/cases/{case_id}/members", json={"name": "iris"}).status_code == 201
    assert other.post(f"/api/cases/{case_id}/items", json=post).status_code == 201
    assert owner.post(f"/cases/{case_id}/status", data={"status": "archived"}).status_code == 303
    for response in (
        owner.post(f"/api/cases/{case_id}/items", json={"kind": "post", "ref": web.post_id("W-PLAIN-2")}),
        owner.post(f"/cases/{case_id}/notes", data={"text": "late note"}),
        owner.post(f"/cases/{case_id}/labels", data={**post, "label": "true_positive"}),
        other.post(f"/cases/{case_id}/status", data={"status": "open"}),
    ):
        assert response.status_code == 409, (response.status_code, response.text[:200])
        assert "archived" in response.text and "read-only" in response.text
    assert owner.post(f"/cases/{case_id}/status", data={"status": "open"}).status_code == 303  # the owner reopens
    other.close()


def test_an_existing_database_gains_the_members_table_and_keeps_its_cases(tmp_path: Path) -> None:
    workspace = Workspace.init(tmp_path / "ws", "old")
    case = cases.create_case(workspace, "Before members existed", "ivan")
    db = connect(workspace)
    db.execute("DROP TABLE case_members")  # an unveil.db written before case membership
    db.commit()
    db.close()
    assert cases.is_member(workspace, case.case_id, "ivan")  # the owner is its creator
    assert not cases.is_member(workspace, case.case_id, "max")
    assert cases.cases_of(workspace, "ivan")[0].title == "Before members existed"
    assert cases.members(workspace, case.case_id) == []


def test_the_cli_shares_a_case(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from unveil.cases.commands import case_app

    workspace = Workspace.init(tmp_path / "ws", "cli")
    db = connect(workspace)
    add_user(db, "max", Role.MAGISTRATE, PASSWORD)
    db.close()
    case = cases.create_case(workspace, "Shared by the command line", "ivan")
    result = CliRunner().invoke(case_app, ["share", str(workspace.root), case.case_id, "max", "--actor", "ivan"])
    assert result.exit_code == 0, result.output
    assert [c.case_id for c in cases.cases_of(workspace, "max")] == [case.case_id]
    result = CliRunner().invoke(case_app, ["share", str(workspace.root), case.case_id, "max", "--remove"])
    assert result.exit_code == 0, result.output
    assert cases.cases_of(workspace, "max") == []
