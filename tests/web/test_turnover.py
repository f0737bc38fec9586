"""Keep-alive connections are handed back after ``MAX_REQUESTS`` responses, so that workers share the users."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

from tests.web.conftest import WebWorld
from unveil.web.turnover import MAX_REQUESTS


def test_a_connection_is_closed_after_max_requests_and_the_client_goes_on(web: WebWorld) -> None:
    address = urlsplit(web.base_url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
    peers = []
    closing = []
    for _ in range(2 * MAX_REQUESTS):
        connection.request("GET", "/login")
        response = connection.getresponse()
        response.read()
        assert response.status == 200
        peers.append(connection.sock.getsockname() if connection.sock else None)
        closing.append(response.getheader("connection") == "close")
    connection.close()
    assert closing == ([False] * (MAX_REQUESTS - 1) + [True]) * 2
    assert len({peer for peer in peers if peer}) == 2  # the client reconnected after each closing answer
    assert peers[: MAX_REQUESTS - 1] == [peers[0]] * (MAX_REQUESTS - 1)
