"""The host jobs on procrastinate: one job per host, scheduled, run, and taken over when stalled.

Why procrastinate: the work is distributed by an existing job engine on the same PostgreSQL,
not by a queue of our own. One job per host, deferred with `lock=<host>`: procrastinate never
runs two jobs with the same lock at once, across every worker, so a host's requests are the
requests of one `check_urls` run and never exceed its per-host cap, however many workers run.
`queueing_lock=<host>` keeps at most one job per host waiting. Workers send heartbeats; a job
whose worker stopped beating (killed with `kill -9`, machine gone) is "stalled" and any
worker puts it back in the queue, where the host's lock lets the next worker take it.

Every worker also schedules: it defers a job for each host with due URLs and no job waiting
or running. Which worker does it does not matter, and two doing it at once cost nothing (the
queueing lock refuses the second).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, Protocol

import psycopg
from procrastinate import App, JobContext, PsycopgConnector
from procrastinate.exceptions import AlreadyEnqueued

from citeaudit.check.pg_schema import CONNECT_TIMEOUT_S, connection_info
from citeaudit.corpus.due import DUE_SQL, Schedule
from citeaudit.corpus.schema import QUEUE

TASK = "citeaudit.probe_host"


class HostJobs(Protocol):
    """What a worker hands its host jobs (work.py's `HostProber`)."""

    failed_hosts: set[str]

    async def probe(self, host: str) -> int:
        """Probe every due URL of `host`; how many verdicts were committed."""
        ...


async def _probe_host(context: JobContext, host: str) -> int:
    prober: HostJobs = context.additional_context["corpus"]
    try:
        return await prober.probe(host)
    except Exception:
        # not scheduled again by this worker: a host that keeps failing must not keep it busy
        prober.failed_hosts.add(host)
        raise


def make_app(url: str, *, pool_size: int = 4) -> App:
    """The procrastinate app of a corpus store, with the host task registered."""
    connector = PsycopgConnector(
        conninfo=connection_info(url),
        min_size=1,
        max_size=max(2, pool_size),
        timeout=CONNECT_TIMEOUT_S,  # waiting for a connection: fail in seconds, not 30
    )
    app = App(connector=connector)
    app.task(name=TASK, queue=QUEUE, pass_context=True)(_probe_host)
    return app


_ACTIVE = "status IN ('todo', 'doing')"


async def schedule_hosts(
    app: App,
    conn: psycopg.Connection[Any],
    sched: Schedule,
    now: datetime,
    skip: Collection[str] = (),
) -> int:
    """Defer a job for every host with due URLs and no job waiting or running; how many.

    `skip`: hosts not to schedule (their job failed in this worker).
    """
    rows = conn.execute(
        f"WITH due AS (SELECT DISTINCT host FROM corpus_urls WHERE {DUE_SQL} "
        "AND host <> ALL(%(skip)s)) "
        "SELECT host FROM due WHERE NOT EXISTS (SELECT 1 FROM procrastinate_jobs j "
        f"WHERE j.queue_name = %(queue)s AND j.lock = due.host AND j.{_ACTIVE}) ORDER BY host",
        {**sched.params(now), "queue": QUEUE, "skip": sorted(skip)},
    ).fetchall()
    deferred = 0
    for (host,) in rows:
        try:
            await app.configure_task(TASK, lock=host, queueing_lock=host, queue=QUEUE).defer_async(
                host=host
            )
            deferred += 1
        except AlreadyEnqueued:  # another worker scheduled it a moment ago
            pass
    return deferred


async def retry_stalled(app: App, conn: psycopg.Connection[Any], stalled_after: float) -> int:
    """Put the jobs of workers that stopped beating back in the queue; how many."""
    retried = 0
    for job in await app.job_manager.get_stalled_jobs(
        queue=QUEUE, seconds_since_heartbeat=stalled_after
    ):
        assert job.id is not None
        retried += take_over(conn, job.id, job.worker_id) == "retried"
    return retried


def take_over(conn: psycopg.Connection[Any], job_id: int, stalled_worker: int | None) -> str:
    """Requeue one stalled job, unless another worker did first: "retried", "ended" or "gone".

    Every worker looks for stalled jobs, so two may find the same one. Both looking first and
    then requeueing would let the second requeue a job a third worker had already taken again,
    and two workers would then probe one host. So the check and the requeue are one
    transaction holding the job's row: only a job still running on the stalled worker is
    requeued. If a job for the same host already waits (the queueing lock allows one), the
    stalled one is ended instead, releasing the host's lock to the waiting one.
    """
    with conn.transaction():
        row = conn.execute(
            "SELECT status::text, worker_id, queueing_lock FROM procrastinate_jobs "
            "WHERE id = %s FOR UPDATE",
            (job_id,),
        ).fetchone()
        if row is None or row[0] != "doing" or row[1] != stalled_worker:
            return "gone"
        waiting = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM procrastinate_jobs WHERE queueing_lock = %s "
            "AND status = 'todo')",
            (row[2],),
        ).fetchone()
        # procrastinate's own functions, as its job manager calls them (events recorded)
        if waiting and waiting[0]:
            conn.execute("SELECT procrastinate_finish_job_v1(%s, 'failed', false)", (job_id,))
            return "ended"
        conn.execute("SELECT procrastinate_retry_job_v2(%s, now(), NULL, NULL, NULL)", (job_id,))
        return "retried"


def finished(
    conn: psycopg.Connection[Any], sched: Schedule, now: datetime, skip: Collection[str] = ()
) -> bool:
    """Whether no host job waits or runs and no URL is due as of `now` (but on `skip` hosts)."""
    row = conn.execute(
        f"SELECT EXISTS (SELECT 1 FROM procrastinate_jobs WHERE queue_name = %(queue)s "
        f"AND {_ACTIVE}) OR EXISTS (SELECT 1 FROM corpus_urls WHERE {DUE_SQL} "
        "AND host <> ALL(%(skip)s))",
        {**sched.params(now), "queue": QUEUE, "skip": sorted(skip)},
    ).fetchone()
    return not (row and row[0])
