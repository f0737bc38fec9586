"""Sessions, passwords, CSRF, rate limiting, headers, hostile text, pseudonyms and the audit log."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

import httpx

from tests.web.conftest import PASSWORD, PHONE_E164, USERS, WebWorld
from unveil.auth.pseudonyms import Pseudonymiser
from unveil.db import connect


def _db(web: WebWorld) -> sqlite3.Connection:
    return connect(web.workspace)


def test_passwords_are_stored_as_argon2id_hashes(web: WebWorld) -> None:
    db = _db(web)
    hashes = [row[0] for row in db.execute("SELECT password_hash FROM users")]
    db.close()
    assert hashes and all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_login_form_sets_a_strict_httponly_session_cookie(anonymous: httpx.Client) -> None:
    form = anonymous.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    response = anonymous.post(
        "/login", data={"name": USERS["investigator"], "password": PASSWORD, "csrf_token": token.group(1), "next": "/"}
    )
    cookie = response.headers["set-cookie"].lower()
    assert response.status_code == 303
    assert "unveil_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie


def test_login_form_without_its_csrf_token_is_refused(anonymous: httpx.Client) -> None:
    response = anonymous.post("/login", data={"name": USERS["investigator"], "password": PASSWORD})
    assert response.status_code == 403


def test_post_without_csrf_token_is_refused(web: WebWorld, login: Callable[[str], httpx.Client]) -> None:
    client = login("investigator")
    del client.headers["x-csrf-token"]
    assert client.post("/logout").status_code == 403
    assert client.get("/api/me").status_code == 200


def test_open_redirect_after_login_is_refused(anonymous: httpx.Client) -> None:
    page = anonymous.get("/login", params={"next": "//evil.example/x"})
    assert 'value="/"' in page.text and "evil.example" not in page.text


def test_logout_ends_the_session_on_the_server(web: WebWorld) -> None:
    with httpx.Client(base_url=web.base_url) as client:
        client.post("/api/session", json={"name": USERS["analyst"], "password": PASSWORD})
        token = client.get("/api/me").json()["csrf_token"]
        stolen = client.cookies.get("unveil_session")
        assert client.delete("/api/session", headers={"x-csrf-token": token}).status_code == 204
    with httpx.Client(base_url=web.base_url, cookies={"unveil_session": stolen or ""}) as replay:
        assert replay.get("/api/me").status_code == 401


def test_repeated_wrong_passwords_are_rate_limited(web: WebWorld) -> None:
    with httpx.Client(base_url=web.base_url) as client:
        codes = [
            client.post("/api/session", json={"name": "nobody-here", "password": "wrong password"}).status_code
            for _ in range(4)
        ]
    assert codes[:3] == [401] * 3
    assert codes[3] == 429  # then a delay that grows (tests/web/test_throttle.py)


def test_pages_carry_security_headers(login: Callable[[str], httpx.Client]) -> None:
    response = login("investigator").get("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


def test_hostile_ad_is_escaped_everywhere(web: WebWorld, login: Callable[[str], httpx.Client]) -> None:
    page = login("investigator").get(f"/posts/{web.post_id('W-XSS')}").text
    assert "<script>window.__xss" not in page
    assert "&lt;script&gt;window.__xss" in page
    assert "onerror=" not in page.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
    assert 'href="javascript:' not in page
    assert "<svg onload" not in page and "<iframe" not in page
    assert "{{ 7*7 }}" in page or "49" not in page


def test_raw_capture_is_served_as_sandboxed_plain_text(web: WebWorld, login: Callable[[str], httpx.Client]) -> None:
    response = login("investigator").get(f"/posts/{web.post_id('W-XSS')}/raw.txt")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["content-security-policy"].startswith("sandbox")


def test_analyst_sees_the_same_pseudonym_for_a_phone_in_every_ad(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    client = login("analyst")
    pseudonym = Pseudonymiser(web.workspace.settings.secret_key).mask("phone", PHONE_E164)
    for n in range(4):
        post = client.get(f"/api/posts/{web.post_id(f'W-PHONE-{n}')}").json()
        assert PHONE_E164 not in str(post) and "0470" not in post["post"]["text"]
        assert pseudonym in post["post"]["text"]
        assert [i["shown"] for i in post["identifiers"] if i["type"] == "phone"] == [pseudonym]
    page = client.get(f"/posts/{web.post_id('W-PHONE-1')}").text
    assert pseudonym in page and "470/12.34.56" not in page


def test_analyst_search_results_are_pseudonymised(login: Callable[[str], httpx.Client]) -> None:
    result = login("analyst").get("/api/posts", params={"q": "Lina"}).json()
    assert result["posts"] and all("0470" not in (p["snippet"] or "") for p in result["posts"])


def test_views_and_searches_are_audited_and_exported_for_admins(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    investigator = login("investigator")
    post_id = web.post_id("W-PHONE-2")
    investigator.get(f"/posts/{post_id}")
    investigator.get("/search", params={"identifier": "0470 12 34 56"})
    admin = login("admin")
    entries = admin.get("/api/admin/audit", params={"actor": USERS["investigator"]}).json()["entries"]
    seen = {(e["action"], e["object_kind"], e["object_id"]) for e in entries}
    assert ("view", "post", post_id) in seen
    assert any(action == "search" and "identifier=0470 12 34 56" in obj for action, _, obj in seen)
    csv_text = admin.get("/admin/audit.csv", params={"actor": USERS["investigator"]}).text
    assert csv_text.startswith("id,at,actor,action") and post_id in csv_text
    assert investigator.get("/admin/audit.csv").status_code == 403


def test_bidirectional_and_zero_width_characters_are_shown_not_obeyed(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    page = login("investigator").get(f"/posts/{web.post_id('W-BIDI')}").text
    assert "[U+202E]admin" in page and "[U+202E]Hot new[U+202C]" in page and "Sweet[U+200B]" in page
    assert not any(ch in page for ch in "\u202e\u202c\u200b\u2066\u2069")


def test_csrf_exemption_is_only_for_json_api_routes_with_a_json_body(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    admin = login("admin")
    token = admin.headers.pop("x-csrf-token")
    json_type = {"content-type": "application/json"}
    # a page's form route, or an API route without a body, needs the token whatever the Content-Type says
    refused = admin.post(f"/admin/users/{USERS['analyst']}/disable", content="{}", headers=json_type)
    assert refused.status_code == 403 and "CSRF" in refused.text
    analyst = login("analyst")
    analyst.headers.pop("x-csrf-token")
    assert analyst.delete("/api/saved-searches/999999", headers=json_type).status_code == 403
    assert analyst.delete("/api/session", headers=json_type).status_code == 403
    # a JSON API route that takes a JSON body: browsers cannot send it across sites
    kept = analyst.post("/api/saved-searches", json={"name": "no token", "query": "q=lina"})
    assert kept.status_code == 201
    assert analyst.post("/api/saved-searches", data={"name": "form", "query": "q=lina"}).status_code == 403
    admin.headers["x-csrf-token"] = token


def test_schema_and_workspace_name_only_after_login(
    web: WebWorld, anonymous: httpx.Client, login: Callable[[str], httpx.Client]
) -> None:
    name = web.workspace.settings.name
    assert anonymous.get("/api/openapi.json").status_code == 401
    assert name not in anonymous.get("/login").text
    schema = login("analyst").get("/api/openapi.json")
    assert schema.status_code == 200 and name in schema.json()["info"]["title"]
    assert name in login("analyst").get("/search").text


def test_lists_dashboard_and_saved_searches_are_audited(web: WebWorld, login: Callable[[str], httpx.Client]) -> None:
    analyst, investigator = login("analyst"), login("investigator")
    for path in ("/", "/api/dashboard", "/networks", "/api/networks", "/saved-searches", "/api/saved-searches"):
        assert analyst.get(path).status_code == 200, path
    for path in ("/statistics", "/api/statistics/report", "/api/statistics/series"):
        assert analyst.get(path).status_code < 500, path
    for path in ("/money/alerts", "/api/money/alerts", "/cases", "/api/cases"):
        assert investigator.get(path).status_code in (200, 409), path
    db = connect(web.workspace)
    kinds = {
        (row[0], row[1])
        for row in db.execute("SELECT actor, object_kind FROM audit_log WHERE action = 'view'").fetchall()
    }
    db.close()
    for kind in ("dashboard", "networks", "saved searches", "statistics"):
        assert (USERS["analyst"], kind) in kinds, kind
    for kind in ("money alerts", "cases"):
        assert (USERS["investigator"], kind) in kinds, kind


def test_out_of_range_dates_and_bad_saved_searches_answer_400(
    web: WebWorld, login: Callable[[str], httpx.Client]
) -> None:
    from unveil.web.queries import saved

    db = connect(web.workspace)
    saved.save(db, USERS["analyst"], "kept before the check", "date_to=9999-12-31")  # an older, bad one
    db.close()
    analyst = login("analyst")
    for params in ({"date_to": "9999-12-31"}, {"date_from": "0001-01-01"}, {"date_to": "2024-02-30"}):
        response = analyst.get("/search", params=params)
        assert response.status_code == 400, (params, response.status_code)
        assert analyst.get("/api/posts", params=params).status_code == 400
    bad = analyst.post("/api/saved-searches", json={"name": "bad", "query": "date_to=9999-12-31"})
    assert bad.status_code == 400 and "date_to" in bad.text
    assert analyst.get("/saved-searches").status_code == 200
    listed = {s["name"]: s for s in analyst.get("/api/saved-searches").json()}
    assert listed["kept before the check"]["new"] is None and "date_to" in listed["kept before the check"]["error"]
