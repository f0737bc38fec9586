"""Login throttling (a growing delay per account and address, never a lockout) and whose address is believed.

The outside attacker of docs/security.md guesses passwords over the network and may send any
header: an ``X-Forwarded-For`` is believed only from a configured proxy, and the audit log records
the real peer.
"""

from __future__ import annotations

import asyncio
import sqlite3

import httpx
import pytest

from tests.web.conftest import PASSWORD, USERS
from unveil.auth.throttle import LoginThrottle, TooManyAttempts, login_keys
from unveil.web.app import create_app
from unveil.web.deps import trusted_networks
from unveil.workspace import Workspace


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_delay_grows_per_pair_and_never_locks_the_owner_out() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    attacker = login_keys("anna", "6.6.6.6")
    for _ in range(3):
        throttle.check(*attacker)
        throttle.fail(*attacker)
    waits = []
    for _ in range(6):
        with pytest.raises(TooManyAttempts) as refused:
            throttle.check(*attacker)
        waits.append(refused.value.wait)
        clock.now += refused.value.wait  # the wait announced, rounded up to whole seconds
        throttle.check(*attacker)  # allowed once the delay has passed: a delay, not a lockout
        throttle.fail(*attacker)
    assert waits == sorted(waits) and waits[-1] >= 16 * waits[0]
    throttle.check(*login_keys("anna", "10.1.1.1"))  # the owner, elsewhere, is not held up


def test_many_places_guessing_one_account_delay_it_at_most_thirty_seconds() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    refused = 0
    for n in range(200):
        keys = login_keys("anna", f"6.6.6.{n}")
        try:
            throttle.check(*keys)
        except TooManyAttempts as error:
            assert error.wait <= 31
            refused += 1
        else:
            throttle.fail(*keys)
        clock.now += 1
    assert refused > 100
    with pytest.raises(TooManyAttempts) as account:
        throttle.check("user:anna")
    assert account.value.wait <= 31
    clock.now += 30
    throttle.check(*login_keys("anna", "10.1.1.1"))


def _login(app: object, peer: str, name: str, password: str, forwarded: str = "") -> int:
    async def go() -> int:
        transport = httpx.ASGITransport(app=app, client=(peer, 40000))  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://unveil.test") as client:
            headers = {"x-forwarded-for": forwarded} if forwarded else {}
            response = await client.post("/api/session", json={"name": name, "password": password}, headers=headers)
            return response.status_code

    return asyncio.run(go())


def _last_login(workspace: Workspace) -> str:
    db = sqlite3.connect(workspace.database)
    row = db.execute("SELECT detail FROM audit_log WHERE action LIKE 'login%' ORDER BY id DESC LIMIT 1").fetchone()
    db.close()
    return str(row[0])


def test_forwarded_for_is_ignored_unless_the_peer_is_a_configured_proxy(web_workspace: Workspace) -> None:
    app = create_app(web_workspace)  # no trusted_proxies: the default
    assert _login(app, "10.0.0.9", USERS["analyst"], PASSWORD, forwarded="1.2.3.4") == 200
    assert _last_login(web_workspace) == "from 10.0.0.9"
    app.state.trusted_proxies = trusted_networks(["10.0.0.9"])
    assert _login(app, "10.0.0.9", USERS["analyst"], PASSWORD, forwarded="6.6.6.6, 1.2.3.4") == 200
    assert _last_login(web_workspace) == "from 1.2.3.4 via 10.0.0.9"  # the proxy's own entry, not the forged one
    assert _login(app, "10.0.0.8", USERS["analyst"], PASSWORD, forwarded="1.2.3.4") == 200
    assert _last_login(web_workspace) == "from 10.0.0.8"  # not a proxy: the header is ignored


def test_wrong_passwords_from_one_place_do_not_block_the_right_one_from_another(web_workspace: Workspace) -> None:
    app = create_app(web_workspace)
    app.state.trusted_proxies = trusted_networks(["10.0.0.9"])
    codes = [_login(app, "10.0.0.9", USERS["magistrate"], "wrong password", "6.6.6.6") for _ in range(5)]
    assert codes[:3] == [401] * 3 and codes[3:] == [429, 429]
    assert _login(app, "10.0.0.9", USERS["magistrate"], PASSWORD, "6.6.6.6") == 429  # this place waits
    assert _login(app, "10.0.0.9", USERS["magistrate"], PASSWORD, "10.1.1.1") == 200  # the owner does not
    # a forged header from a client that is not a proxy changes nothing: its own address is throttled
    spoofed = [_login(app, "7.7.7.7", USERS["investigator"], "wrong", f"8.8.8.{n}") for n in range(5)]
    assert spoofed[3:] == [429, 429]
