"""Progress reporting: stages report, the CLI draws bars, the web app reads a status file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class Progress(Protocol):
    """Receives progress of long steps."""

    def start(self, description: str, total: int | None) -> None: ...

    def advance(self, amount: int) -> None: ...

    def finish(self) -> None: ...


class SilentProgress:
    """Progress that shows nothing (tests, library use)."""

    def start(self, description: str, total: int | None) -> None:
        return None

    def advance(self, amount: int) -> None:
        return None

    def finish(self) -> None:
        return None


class RichProgress:
    """Progress bars on the terminal."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import Progress as Bars

        self._bars = Bars(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=False,
        )
        self._task: int | None = None

    def start(self, description: str, total: int | None) -> None:
        if self._task is None:
            self._bars.start()
        else:
            self._bars.stop_task(self._task)  # type: ignore[arg-type]
        self._task = self._bars.add_task(description, total=total)

    def advance(self, amount: int) -> None:
        if self._task is not None:
            self._bars.advance(self._task, amount)  # type: ignore[arg-type]

    def finish(self) -> None:
        if self._task is not None:
            task = self._task
            total = self._bars.tasks[task].total
            if total is None:
                self._bars.update(task, total=self._bars.tasks[task].completed)  # type: ignore[arg-type]
            else:
                self._bars.update(task, completed=total)  # type: ignore[arg-type]

    def close(self) -> None:
        if self._task is not None:
            self._bars.stop()
            self._task = None


@contextmanager
def step(progress: Progress, description: str, total: int | None = None) -> Iterator[Progress]:
    """Report one step: start, then finish even when the step fails."""
    progress.start(description, total)
    try:
        yield progress
    finally:
        progress.finish()
