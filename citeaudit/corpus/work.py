"""`corpus work`: one worker of many, probing one host at a time, until nothing is due.

The work is shared through host jobs on procrastinate (jobs.py): one job per host, locked on the
host, so a host's requests are those of one `check_urls` run, whichever worker runs it.

A host job reads the host's due URLs (due.py), probes them with the checker, and commits the
verdicts in batches of 50 ms or 100 (recorder.py): into the store's probe history and into the
URLs' schedule rows, one transaction per batch, the last batch before the job ends. A worker
killed mid-host loses only the probes in flight and the batch not yet committed; the next worker
to take the host finds the committed URLs no longer due and probes the others.

A host is also held by its worker's connection (a session advisory lock) while its job runs.
procrastinate takes a job over when its worker's heartbeat is late, which is right for a dead
worker but not for a live one whose heartbeat was only delayed (a loaded machine): the second
worker would then probe the host beside the first, and the host would see twice the cap. The
lock goes with the connection, so a worker killed with `kill -9` frees its hosts at once, while
a slow one keeps them: a job that finds its host held ends at once, probing nothing, and the
host is scheduled again once it is free.

Every worker also schedules hosts and takes over stalled jobs, each `poll` seconds. A worker
that is not `forever` stops once no job is waiting or running and nothing is due as of its
start.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import psycopg
from procrastinate.exceptions import ConnectorException
from procrastinate.worker import Worker

from citeaudit.check import CheckOptions, check_urls, make_client
from citeaudit.check.archive import ArchiveClient, ArchiveOptions
from citeaudit.check.eventloop import run_sync
from citeaudit.check.pg_schema import one_line
from citeaudit.check.store import mask_url
from citeaudit.check.store_pg import PostgresStore
from citeaudit.corpus.budget import BudgetMode, shared_buckets
from citeaudit.corpus.db import connect, failed, release, try_hold
from citeaudit.corpus.due import DUE_SQL, Schedule
from citeaudit.corpus.jobs import QUEUE, finished, make_app, retry_stalled, schedule_hosts
from citeaudit.corpus.recorder import Recorder
from citeaudit.errors import CacheError, CiteauditError

HOST_LOCKS = 0x484F5354
"""The advisory lock space of hosts being probed ("HOST"); the key in it is the host's hash."""


@dataclass(frozen=True, slots=True)
class WorkOptions:
    """What one worker does: how it probes, what is due, how it shares the work."""

    check: CheckOptions = field(default_factory=lambda: CheckOptions(refresh=True))
    """Probe settings of every host job (`refresh` is forced: a due URL is probed)."""
    schedule: Schedule = field(default_factory=Schedule)
    archive: ArchiveOptions | None = None
    """None: no archive lookups."""
    archive_budget: BudgetMode = BudgetMode.SHARED
    hosts_at_once: int = 8
    """Host jobs one worker runs at the same time."""
    heartbeat: float = 5.0
    """Seconds between the worker's heartbeats."""
    stalled_after: float = 30.0
    """A worker silent this long is taken for dead and its hosts go to the others."""
    poll: float = 1.0
    """Seconds between two looks at the schedule and at stalled jobs."""
    forever: bool = False
    """Keep working as URLs fall due instead of stopping when nothing is due."""


@dataclass(frozen=True, slots=True)
class WorkSummary:
    """What one worker did."""

    hosts: int = 0
    probed: int = 0
    deferred: int = 0
    stalled_retried: int = 0
    failed: tuple[str, ...] = ()
    """Hosts whose job failed in this worker (their URLs stay due)."""
    held_elsewhere: int = 0
    """Host jobs that found their host still held by another (live) worker, and ended."""

    def to_json(self) -> dict[str, Any]:
        """Stable JSON."""
        return {**dataclasses.asdict(self), "failed": list(self.failed)}


class HostProber:
    """What a host job runs: the host's due URLs through the checker, each verdict committed."""

    def __init__(self, url: str, options: WorkOptions, *, now: datetime) -> None:
        self.options = options
        self.now = now
        self.hosts = 0
        self.failed_hosts: set[str] = set()
        """Hosts whose job failed in this worker (left to the other workers, or the next run)."""
        self.held_elsewhere = 0
        self.conn = connect(url)
        self._running: set[str] = set()
        self._store = PostgresStore(url)
        self._commit_conn = connect(url)  # the recorder's alone: it commits from its own thread
        self._recorder = Recorder(self._store, self._commit_conn)
        self._budget_conn = connect(url) if options.archive is not None else None

    @property
    def probed(self) -> int:
        """URLs this worker has probed and committed."""
        return self._recorder.probed

    def due_urls(self, host: str) -> list[str]:
        """The URLs of `host` due as of this run's start."""
        params = {**self.options.schedule.params(self.now), "host": host}
        rows = self.conn.execute(
            f"SELECT url FROM corpus_urls WHERE host = %(host)s AND {DUE_SQL} ORDER BY url",
            params,
        ).fetchall()
        return [u for (u,) in rows]

    def _hold(self, host: str) -> bool:
        """Hold `host` for this worker (False: another job, here or elsewhere, holds it)."""
        if host in self._running:  # a session's advisory locks stack: its own jobs are apart
            return False
        if not try_hold(self.conn, HOST_LOCKS, host):
            return False
        self._running.add(host)
        return True

    def _release(self, host: str) -> None:
        self._running.discard(host)
        with contextlib.suppress(psycopg.Error):  # a lost connection has dropped it already
            release(self.conn, HOST_LOCKS, host)

    async def probe(self, host: str) -> int:
        """Probe every due URL of `host`; returns how many verdicts were committed."""
        if not self._hold(host):
            self.held_elsewhere += 1
            return 0
        try:
            return await self._probe_held(host)
        finally:
            self._release(host)

    async def _probe_held(self, host: str) -> int:
        urls = self.due_urls(host)
        if not urls:
            return 0
        check = dataclasses.replace(self.options.check, refresh=True)
        archive_options = self.options.archive
        if archive_options is None:
            run = await check_urls(urls, check, cache=self._recorder)
        else:
            async with make_client(check) as http:
                archive = self._archive(http, archive_options)
                run = await check_urls(urls, check, cache=self._recorder, archive=archive)
        with contextlib.suppress(psycopg.Error):  # kept as `error`, raised below
            await self._recorder.drain()  # before the job ends: its host may be scheduled again
        if self._recorder.error is not None:
            raise self._recorder.error  # the job fails and stays due; the worker stops
        self.hosts += 1
        return len(run.verdicts)

    def summary(self, deferred: int, stalled: int) -> WorkSummary:
        """What this worker has done so far."""
        failed_hosts = tuple(sorted(self.failed_hosts))
        return WorkSummary(
            self.hosts, self.probed, deferred, stalled, failed_hosts, self.held_elsewhere
        )

    def _archive(self, http: httpx.AsyncClient, options: ArchiveOptions) -> ArchiveClient:
        if self.options.archive_budget is BudgetMode.SHARED and self._budget_conn is not None:
            return ArchiveClient(http, options, buckets=shared_buckets(self._budget_conn))
        return ArchiveClient(http, options)

    def close(self) -> None:
        """Commit what a cancelled job left waiting, then release the connections."""
        self._recorder.close()
        self._store.close()
        self._commit_conn.close()
        self.conn.close()
        if self._budget_conn is not None:
            self._budget_conn.close()


async def work_async(
    url: str,
    options: WorkOptions,
    *,
    now: datetime | None = None,
    signals: bool = True,
    on_progress: Callable[[WorkSummary], None] | None = None,
) -> WorkSummary:
    """Run one worker on the store at `url` until nothing is due (or forever)."""
    start = now or datetime.now(UTC)
    prober = HostProber(url, options, now=start)
    app = make_app(url, pool_size=options.hosts_at_once + 2)
    deferred = stalled = 0
    try:
        async with app.open_async():
            engine = Worker(
                app,
                queues=[QUEUE],
                name=f"citeaudit@{socket.gethostname()}:{os.getpid()}",
                concurrency=max(1, options.hosts_at_once),
                wait=True,
                fetch_job_polling_interval=options.poll,
                update_heartbeat_interval=options.heartbeat,
                stalled_worker_timeout=options.stalled_after,
                additional_context={"corpus": prober},
                install_signal_handlers=signals,
                delete_jobs="successful",
            )
            worker = asyncio.create_task(engine.run())
            lost: BaseException | None = None
            try:
                while not worker.done():
                    if options.forever:
                        prober.now = datetime.now(UTC)
                    deferred += await schedule_hosts(
                        app, prober.conn, options.schedule, prober.now, prober.failed_hosts
                    )
                    stalled += await retry_stalled(app, prober.conn, options.stalled_after)
                    if on_progress is not None:
                        on_progress(prober.summary(deferred, stalled))
                    if not options.forever and finished(
                        prober.conn, options.schedule, prober.now, prober.failed_hosts
                    ):
                        break
                    await asyncio.wait({worker}, timeout=options.poll)
            except (psycopg.Error, ConnectorException) as exc:
                lost = exc
            finally:
                ended = await _stop(engine, worker, graceful=lost is None)
            if lost is not None:
                raise lost
            if isinstance(ended, Exception):
                raise ended
    except psycopg.Error as exc:
        raise failed(url, exc) from None
    except ConnectorException as exc:
        cause = exc.__cause__ if isinstance(exc.__cause__, psycopg.Error) else exc
        raise CacheError(f"store {mask_url(url)} failed: {one_line(cause)}") from None
    except OSError as exc:
        raise CiteauditError(f"corpus worker: {exc}") from None
    finally:
        prober.close()
    return prober.summary(deferred, stalled)


LOST_STORE_GRACE_S = 3.0
"""With the store gone, how long running jobs get to notice before they are cancelled."""


async def _stop(
    engine: Worker, worker: asyncio.Task[None], *, graceful: bool
) -> BaseException | None:
    """Stop the procrastinate worker; returns what it ended with (an exception, or None).

    Graceful: running host jobs finish (procrastinate's own shutdown). With the store gone
    nothing they do can be committed, and each of their calls would wait for a connection:
    they are aborted after a short grace instead.
    """
    if not graceful:
        engine.shutdown_graceful_timeout = LOST_STORE_GRACE_S
    if not worker.done():
        engine.stop()
    (ended,) = await asyncio.gather(worker, return_exceptions=True)
    return ended if isinstance(ended, Exception) else None


ENGINE_LOGGERS = ("procrastinate", "psycopg.pool")


def quiet_engine_logs() -> None:
    """Keep the job engine's and the pool's log lines (tracebacks of failed jobs, reconnects)
    off the terminal: the worker reports what matters in one line of its own."""
    for name in ENGINE_LOGGERS:
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
        logger.propagate = False


def work(url: str, options: WorkOptions, **kw: Any) -> WorkSummary:
    """Synchronous `work_async`, the engine's logs kept quiet."""
    quiet_engine_logs()
    return run_sync(work_async(url, options, **kw))
