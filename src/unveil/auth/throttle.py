"""Login throttling: a delay that grows with failed logins, per account and address, never a lockout.

Failures are counted per key in a window (15 minutes). Past a key's free failures, the next try
from that key must wait ``base * 2 ** (extra failures)`` seconds after the last failure, up to a
cap; a try too early is refused with the time left (429). The keys of one login:

- ``pair:NAME@ADDRESS`` (3 free, then 1, 2, 4 ... up to 15 minutes): guessing one account from one
  place slows down fast;
- ``address:ADDRESS`` (20 free, same growth): one place guessing many accounts (an office behind
  one router has room);
- ``user:NAME`` (10 free, the delay capped at 30 seconds): many places guessing one account slow
  down, while its owner, from elsewhere, waits at most 30 seconds: never a lockout.

A good login forgets the pair's and the address's failures (not the account's: an attacker who
also knows another account cannot clear them).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

from unveil.errors import AuthenticationError


class TooManyAttempts(AuthenticationError):
    """Too many failed logins: wait before trying again."""

    http_status = 429

    def __init__(self, wait: int) -> None:
        super().__init__(f"too many failed logins: try again in {wait} s")
        self.wait = wait


@dataclass(frozen=True)
class Rule:
    """Free failures of a kind of key, and how long the delay may grow."""

    free: int
    cap_seconds: float


RULES = {"pair": Rule(3, 900.0), "address": Rule(20, 900.0), "user": Rule(10, 30.0)}


def login_keys(name: str, address: str) -> tuple[str, str, str]:
    """The throttle keys of a login by ``name`` from ``address``."""
    return f"pair:{name}@{address}", f"address:{address}", f"user:{name}"


class LoginThrottle:
    """Failed logins per key in a sliding window, and the delay they impose."""

    def __init__(
        self,
        window_seconds: float = 900.0,
        base_seconds: float = 1.0,
        rules: dict[str, Rule] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window_seconds = window_seconds
        self.base_seconds = base_seconds
        self.rules = rules or RULES
        self.clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, *keys: str) -> None:
        """Raise ``TooManyAttempts`` when any key must still wait."""
        now = self.clock()
        with self._lock:
            wait = max((self._delay(key, now) for key in keys), default=0.0)
        if wait > 0:
            raise TooManyAttempts(int(wait) + 1)

    def fail(self, *keys: str) -> None:
        """Count one failure against every key."""
        now = self.clock()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeed(self, *keys: str) -> None:
        """Forget the failures of keys after a good login (account-wide keys are kept)."""
        with self._lock:
            for key in keys:
                if not key.startswith("user:"):
                    self._failures.pop(key, None)

    def _delay(self, key: str, now: float) -> float:
        recent = self._recent(key, now)
        rule = self.rules[key.partition(":")[0]]
        extra = len(recent) - rule.free
        if extra < 0:
            return 0.0
        wait = min(rule.cap_seconds, self.base_seconds * 2.0 ** min(extra, 30))
        return max(0.0, recent[-1] + wait - now)

    def _recent(self, key: str, now: float) -> deque[float]:
        recent = self._failures[key]
        while recent and now - recent[0] > self.window_seconds:
            recent.popleft()
        return recent
