"""One archive rate budget for every worker, kept in the database.

Why: several workers behind one address share the archive's limit for that address; each
pacing itself at the full rate would together exceed it and get the address blocked. With
`archive_budget = "shared"`, every worker's limiter takes its turns from one row per budget.

How: GCRA (a token bucket written as one timestamp). The row holds the theoretical arrival
time `tat` of the next free turn. One `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` reserves
a turn atomically: the turn is `max(tat, now - (burst - 1) * interval)`, the row moves on by one
interval, and the caller sleeps until its turn. One round trip, no retry loop, turns handed out
in arrival order across machines. A 429 moves `tat` past the pause, so every worker waits.
The database's clock is used, not the workers': machines with skewed clocks still agree.

Budgets: `archive:cdx` and `archive:replay` (the lookups of `corpus work --archive`) and
`archive:save` (Save Page Now, `citeaudit archive` and `corpus archive` on a PostgreSQL store).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import psycopg

from citeaudit.corpus.db import connect, failed

_RESERVE = (
    "WITH c AS (SELECT coalesce(%(now)s::timestamptz, clock_timestamp()) AS now) "
    "INSERT INTO corpus_rate_buckets AS b (name, tat) "
    "SELECT %(name)s, c.now - %(early)s + %(interval)s FROM c "
    "ON CONFLICT (name) DO UPDATE SET tat = greatest(b.tat, EXCLUDED.tat - %(interval)s) "
    "+ %(interval)s "
    "RETURNING extract(epoch FROM (b.tat - %(interval)s - (SELECT now FROM c)))::float8"
)
_PAUSE = (
    "INSERT INTO corpus_rate_buckets AS b (name, tat) "
    "SELECT %(name)s, coalesce(%(now)s::timestamptz, clock_timestamp()) + %(pause)s "
    "ON CONFLICT (name) DO UPDATE SET tat = greatest(b.tat, EXCLUDED.tat)"
)


class BudgetMode(StrEnum):
    """Whether the archive budget is one for all workers or each worker's own."""

    SHARED = "shared"
    WORKER = "worker"


class SharedBucket:
    """A limiter whose turns come from one database row shared by every worker."""

    def __init__(
        self,
        conn: psycopg.Connection[Any],
        name: str,
        per_minute: float,
        *,
        burst: int = 1,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        clock: Callable[[], datetime | None] = lambda: None,
        lock: threading.Lock | None = None,
    ) -> None:
        """`conn` (autocommit) holds the budget row `name`; `clock` None means the server's."""
        if per_minute <= 0:
            raise ValueError(f"archive rate must be positive, got {per_minute} a minute")
        self._conn = conn
        self.name = name
        self.interval = timedelta(seconds=60.0 / per_minute)
        self._early = self.interval * (max(1, burst) - 1)
        self._sleep = sleep
        self._clock = clock
        self._lock = lock or threading.Lock()

    def reserve(self) -> float:
        """Take the next turn; returns the seconds until it (0 when it is now)."""
        params = {
            "name": self.name,
            "now": self._clock(),
            "early": self._early,
            "interval": self.interval,
        }
        with self._lock:
            row = self._conn.execute(_RESERVE, params).fetchone()
        return max(0.0, float(row[0])) if row else 0.0

    async def acquire(self, give_up: Callable[[], bool] | None = None) -> float:
        """Wait for a turn of the shared budget; returns the seconds waited."""
        if give_up is not None and give_up():
            return 0.0
        wait = self.reserve()
        if wait > 0:
            await self._sleep(wait)
        return wait

    def pause(self, seconds: float) -> None:
        """No turn for anyone before `seconds` from now (the archive answered 429)."""
        params = {"name": self.name, "now": self._clock(), "pause": timedelta(seconds=seconds)}
        with self._lock:
            self._conn.execute(_PAUSE, params)


def shared_buckets(
    conn: psycopg.Connection[Any], *, prefix: str = "archive", **kw: Any
) -> Callable[[str, float], SharedBucket]:
    """An `ArchiveSession(buckets=...)` factory whose budgets live in the database."""
    lock = threading.Lock()
    return lambda name, per_minute: SharedBucket(
        conn, f"{prefix}:{name}", per_minute, lock=lock, **kw
    )


SAVE = "save"
"""The Save Page Now budget's name (under the `archive` prefix, as `cdx` and `replay`)."""


@contextmanager
def save_budget(
    url: str | None, mode: BudgetMode, per_minute: float
) -> Iterator[SharedBucket | None]:
    """The Save Page Now budget shared through the PostgreSQL store at `url`, open for a run.

    None (each process spaces its own captures) without a PostgreSQL store or in `worker` mode.
    """
    if url is None or mode is BudgetMode.WORKER:
        yield None
        return
    conn = connect(url)
    try:
        yield shared_buckets(conn)(SAVE, per_minute)
    except psycopg.Error as exc:
        raise failed(url, exc) from None
    finally:
        conn.close()
