"""Writes that wait a moment in memory and are committed together, within a bounded window.

Why: one commit per verdict cost a second on a cold run of a few thousand URLs. A batch is
committed once it holds `rows` items or `seconds` after its first item, whichever comes first,
so `kill -9` at any point loses at most that window.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from citeaudit.errors import CacheError

Statement = tuple[str, tuple[Any, ...]]
"""One SQL statement and its parameters."""
Item = tuple[Statement, ...]
"""What one stored item writes (a probe with its snapshot is one item), counted as one row."""
Schedule = Callable[[float, Callable[[], None]], Callable[[], None]]
"""Call a function once after some seconds, from another thread; returns its cancel function."""


def thread_timer(seconds: float, action: Callable[[], None]) -> Callable[[], None]:
    """`Schedule` on a daemon `threading.Timer` (a killed process simply never fires it)."""
    timer = threading.Timer(seconds, action)
    timer.daemon = True
    timer.start()
    return timer.cancel


class WriteBatch:
    """The items waiting for their commit; `commit` writes a batch in one transaction."""

    def __init__(
        self,
        commit: Callable[[Sequence[Item]], None],
        lock: threading.RLock,
        *,
        seconds: float,
        rows: int,
        schedule: Schedule,
    ) -> None:
        self._commit = commit
        self._lock = lock
        self._seconds = seconds
        self._rows = max(1, rows)
        self._schedule = schedule
        self._pending: list[Item] = []
        self._cancel_timer: Callable[[], None] | None = None
        self._deferred: CacheError | None = None
        self.commits = 0
        """Batches committed so far (for tests and benchmarks)."""

    def add(self, *statements: Statement) -> None:
        """Queue one item's writes; commit the batch when it is full, else within the window."""
        with self._lock:
            self.raise_deferred()
            self._pending.append(statements)
            if len(self._pending) >= self._rows:
                self.flush()
            elif self._cancel_timer is None:
                self._cancel_timer = self._schedule(self._seconds, self._timed_flush)

    def _timed_flush(self) -> None:
        # runs in the timer's thread: an error there is kept and raised to the next caller
        try:
            self.flush()
        except CacheError as exc:
            with self._lock:
                self._deferred = exc

    def raise_deferred(self) -> None:
        """Raise the error a timed commit met, once, to whoever calls next."""
        if self._deferred is not None:
            exc, self._deferred = self._deferred, None
            raise exc

    def flush(self) -> None:
        """Commit every waiting item now, in one transaction."""
        with self._lock:
            if self._cancel_timer is not None:
                self._cancel_timer()
                self._cancel_timer = None
            if not self._pending:
                return
            batch, self._pending = self._pending, []
            self._commit(batch)
            self.commits += 1
