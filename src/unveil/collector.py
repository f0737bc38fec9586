"""Pausing Python's cyclic garbage collector around hot loops that make no reference cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_off() -> Iterator[None]:
    """Switch the cyclic garbage collector off for a block, then back on if it was on (also on error).

    For code whose many small objects hold no reference cycles (reference counting frees them):
    each collection would only re-scan the long-lived objects for nothing.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
