"""Keep-alive connections handed back after a number of requests, so that the workers share the users.

``unveil serve --workers N`` runs N processes accepting on one socket. A browser or a proxy keeps its
connection open, and every request on it goes to the process that accepted it; a process takes all
the connections waiting when it wakes. Twenty users who log in at once may all land in one process,
which answers them on one core (Python runs one thread at a time) while the other process idles:
measured at a million posts, 2 workers, 20 users, one worker at 1.12 cores and the other at 0.00,
192 requests/s.

So a connection is closed after ``MAX_REQUESTS`` responses (``Connection: close`` on the last one),
as nginx (``keepalive_requests``) and Apache (``MaxKeepAliveRequests``) do. The client opens a new one
at once, and the process that takes it is the first to reach its ``accept``: usually the less busy one,
since a process answering requests waits for Python's lock before its event loop runs. Users see
nothing (the session is a cookie); a reconnection on loopback costs a fraction of a millisecond.
"""

from __future__ import annotations

MAX_REQUESTS = 16
"""Responses on one connection before it is closed (at 300 requests/s over 20 users: every second or so)."""
MAX_TRACKED = 10_000
"""Connections counted at once in a process; beyond, the counts start again (a connection then lives longer)."""
CLOSE = (b"connection", b"close")


class ConnectionTurnover:
    """Counts the responses of each connection: ``closing`` says which one must carry ``Connection: close``.

    A connection is known by its peer address (``scope["client"]``), unique while it is open.

    The count of a connection the client closes before its last response stays until the table is
    full (``MAX_TRACKED``: about 2 MB, measured): ASGI tells an app nothing when a kept-alive
    connection closes between requests. uvicorn answers ``receive()`` with ``http.disconnect`` as soon as
    a response is complete, the connection still open (checked with uvicorn 0.55: the same connection's
    next request followed it), and a scope holds nothing of the connection that could be weakly
    referenced (``client`` is a tuple). A stale count costs little: a new connection from the same
    address and port is closed sooner, and the client reconnects.
    """

    def __init__(self, max_requests: int = MAX_REQUESTS) -> None:
        self.max_requests = max_requests
        self.served: dict[tuple[str, int], int] = {}

    def closing(self, client: tuple[str, int] | None) -> bool:
        """Count one more response on the connection of ``client``; True for its ``max_requests``-th."""
        if not client:
            return False
        peer = (client[0], client[1])
        count = self.served.get(peer, 0) + 1
        if count < self.max_requests:
            if len(self.served) >= MAX_TRACKED:
                self.served.clear()
            self.served[peer] = count
            return False
        self.served.pop(peer, None)
        return True
