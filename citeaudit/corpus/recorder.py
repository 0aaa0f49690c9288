"""The cache a corpus host job hands the checker: verdicts into the history and the schedule.

Why batched: one commit per verdict (a probe row, then the schedule row, each its own round
trip and transaction) was about a fifth of a worker's time. Verdicts wait in memory and are
committed together every `BATCH_SECONDS` (50 ms) or `BATCH_ROWS` (100), whichever comes first,
as the single-machine checker's store does, and before a host job ends. A worker killed with
`kill -9` loses at most that window; those URLs are still due, so the next worker to take the
host probes them again. A probe and the schedule move it makes are one transaction, so neither
is ever committed without the other.

One recorder serves every host job of a worker: they run in one event loop, so the batch and
the timer are only ever touched from that loop's thread. The commits run on a thread of their
own, one batch after the other, on the recorder's own connection: a commit is a round trip to
the database (several milliseconds on a loaded machine, a few seconds per 20,000 verdicts), and
in the loop's thread it held every host job's network I/O still. A host job waits for its last
batch (`drain`) before it ends, so its host is never scheduled again before its verdicts are in.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import psycopg

from citeaudit.check.cache import BATCH_ROWS, BATCH_SECONDS
from citeaudit.check.store_pg import PostgresStore, probe_statement
from citeaudit.models import Verdict

_MOVE_SCHEDULE = (
    "UPDATE corpus_urls SET checked_at = %(t)s, verdict = %(v)s, "
    "fail_streak = CASE WHEN %(live)s THEN 0 WHEN %(lost)s THEN fail_streak + 1 "
    "ELSE fail_streak END, "
    "first_failed = CASE WHEN %(live)s THEN NULL WHEN %(lost)s "
    "THEN coalesce(first_failed, %(t)s) ELSE first_failed END "
    # the same probe stored again (its archive answer added) is not a new check
    "WHERE url = %(url)s AND checked_at IS DISTINCT FROM %(t)s "
    "RETURNING 1"
)


class Recorder:
    """The runner's cache: verdicts committed in batches to the history and the schedule."""

    def __init__(
        self,
        store: PostgresStore,
        conn: psycopg.Connection[Any],
        *,
        batch_seconds: float = BATCH_SECONDS,
        batch_rows: int = BATCH_ROWS,
    ) -> None:
        """`conn` (autocommit, the recorder's alone) writes the batches; `store` answers the
        runner's reads."""
        self._store = store
        self._conn = conn
        self._batch_seconds = batch_seconds
        self._batch_rows = max(1, batch_rows)
        self._pending: list[Verdict] = []
        self._timer: asyncio.TimerHandle | None = None
        self.probed = 0
        """URLs whose schedule moved on: probed and committed."""
        self.commits = 0
        """Batches committed so far (for tests and benchmarks)."""
        self.error: Exception | None = None
        """The first failure to commit (the runner goes on without its cache; the job must not)."""
        # one thread: batches are committed in the order they were sent
        self._committer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="citeaudit-commit")
        self._last: Future[None] | None = None

    def get(self, url: str, **kw: Any) -> Verdict | None:
        """Never reuse: a URL handed to a host job is due."""
        return None

    def get_many(self, urls: Iterable[str], **kw: Any) -> dict[str, Verdict]:
        """Never reuse, for many URLs at once."""
        return {}

    def put(self, verdict: Verdict) -> None:
        """Queue the probe; the batch is committed when full, else within the window."""
        if self.error is not None:
            raise self.error
        if verdict.checked_at is None or verdict.from_cache:
            checked = verdict.checked_at or datetime.now(UTC)
            verdict = dataclasses.replace(verdict, checked_at=checked, from_cache=False)
        self._pending.append(verdict)
        if len(self._pending) >= self._batch_rows:
            self._send()
        elif self._timer is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no loop to wait in: commit now
                self.flush()
            else:
                self._timer = loop.call_later(self._batch_seconds, self._send)

    def _send(self) -> None:
        """Hand the waiting verdicts to the commit thread."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._pending = self._pending, []
        if batch and self.error is None:
            self._last = self._committer.submit(self._commit, batch)

    def flush(self) -> None:
        """Commit every waiting verdict now and wait for it; the commit's error if it failed."""
        self._send()
        if self._last is not None:
            self._last.result()
        if isinstance(self.error, psycopg.Error):
            raise self.error

    async def drain(self) -> None:
        """`flush` without holding the event loop: the other host jobs go on meanwhile."""
        self._send()
        if self._last is not None:
            await asyncio.wrap_future(self._last)
        if isinstance(self.error, psycopg.Error):
            raise self.error

    def close(self) -> None:
        """Commit what waits, then stop the commit thread (its error, if any, is kept)."""
        try:
            self.flush()
        except psycopg.Error:
            pass
        finally:
            self._committer.shutdown(wait=True)

    def _commit(self, batch: list[Verdict]) -> None:
        """One batch, each probe with its schedule move, in one transaction (commit thread)."""
        if self.error is not None:
            return
        try:
            moved = 0
            with self._conn.transaction(), self._conn.cursor() as cur:
                # a probe with a snapshot files it in archive_lookups too: group by statement
                by_statement: dict[str, list[tuple[Any, ...]]] = {}
                for verdict in batch:
                    sql, params = probe_statement(verdict)
                    by_statement.setdefault(sql, []).append(params)
                for sql, rows in by_statement.items():
                    cur.executemany(sql, rows)
                cur.executemany(_MOVE_SCHEDULE, [_schedule_move(v) for v in batch], returning=True)
                while True:
                    moved += len(cur.fetchall())
                    if not cur.nextset():
                        break
        except psycopg.Error as exc:
            self.error = self.error or exc  # raised by the next put, flush or drain
            return
        self.commits += 1
        self.probed += moved

    def get_host_probe(self, host: str, **kw: Any) -> dict | None:
        """The shared soft-404 probe of `host`."""
        return self._store.get_host_probe(host, **kw)

    def put_host_probe(self, host: str, data: dict) -> None:
        """Share the soft-404 probe of `host`."""
        self._store.put_host_probe(host, data)

    def history(self, url: str) -> list[Verdict]:
        """The probe history (drift and confirmation read it), this worker's batch included."""
        self.flush()
        return self._store.history(url)


def _schedule_move(verdict: Verdict) -> dict[str, Any]:
    return {
        "t": verdict.checked_at,
        "v": str(verdict.status),
        "live": verdict.status.is_live,
        "lost": verdict.status.is_lost,
        "url": verdict.url,
    }
