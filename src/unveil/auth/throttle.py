"""Login rate limiting: too many failures for one name or one address in a window are refused."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from unveil.errors import AuthenticationError


class TooManyAttempts(AuthenticationError):
    """Too many failed logins: wait before trying again."""

    http_status = 429


class LoginThrottle:
    """Counts failed logins per key in a sliding window.

    Keys starting with ``address:`` (a client address, perhaps a whole office behind one router)
    get ``max_failures_per_address``; others (``user:`` names) get ``max_failures``.
    """

    def __init__(
        self, max_failures: int = 5, max_failures_per_address: int = 20, window_seconds: float = 300.0
    ) -> None:
        self.max_failures = max_failures
        self.max_failures_per_address = max_failures_per_address
        self.window_seconds = window_seconds
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, *keys: str) -> None:
        """Raise ``TooManyAttempts`` when any key has used up its failures."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                recent = self._recent(key, now)
                limit = self.max_failures_per_address if key.startswith("address:") else self.max_failures
                if len(recent) >= limit:
                    wait = int(self.window_seconds - (now - recent[0])) + 1
                    raise TooManyAttempts(f"too many failed logins: try again in {wait} s")

    def fail(self, *keys: str) -> None:
        """Count one failure against every key."""
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeed(self, *keys: str) -> None:
        """Forget the failures of keys after a good login."""
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        recent = self._failures[key]
        while recent and now - recent[0] > self.window_seconds:
            recent.popleft()
        return recent
