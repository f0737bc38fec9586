"""A time limit on reading one file, so that a hostile file cannot hold the workspace lock for long.

Readers are bounded by size, depth and decompression (``unveil.ingest.limits``); this bounds the
time too, whatever a reader does. The deadline is checked after every record, and, in the main
thread, an interval timer (``SIGALRM``) interrupts a reader stuck inside one record: the signal
raises ``FileTimeout`` only while the reader is running (never while a row is being written), so
tables and journals are never left half changed. Code running inside one C call (a parser
working on one bounded document) is interrupted when it returns to Python.

Whatever timer was armed before (a test runner's own) is restored afterwards.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TypeVar

T = TypeVar("T")


class FileTimeout(Exception):
    """Reading one file took longer than its time limit."""


class Deadline:
    """The time limit of one file: ``next_item`` pulls the next item within it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.reading = False  # the signal interrupts only while the reader runs
        self.expired = False

    def next_item(self, items: Iterator[T]) -> T:
        """The reader's next item; ``StopIteration`` at its end; ``FileTimeout`` once the time is up."""
        if self.expired or time.monotonic() > self.ends:
            raise FileTimeout
        self.reading = True
        try:
            return next(items)
        finally:
            self.reading = False

    def _on_alarm(self, signum: int, frame: FrameType | None) -> None:
        self.expired = True
        if self.reading:
            self.reading = False
            raise FileTimeout


@contextmanager
def file_deadline(seconds: float) -> Iterator[Deadline]:
    """A deadline for one file, with the interval timer armed when this is the main thread."""
    deadline = Deadline(seconds)
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield deadline
        return
    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, deadline._on_alarm)
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield deadline
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay > 0:  # someone else's timer: re-armed for what was left of it
            left = max(previous_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, previous_interval)
