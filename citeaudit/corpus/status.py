"""`corpus status`: how far a corpus is, from the schedule rows and the job engine's tables.

One row per URL (`corpus_urls`) holds its latest verdict, so every count is an index or a
single scan of that table, never a walk over the probe history: the counts stay fast with
millions of probes stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg

from citeaudit.corpus.db import connect, failed
from citeaudit.corpus.due import DUE_SQL, Schedule
from citeaudit.corpus.jobs import QUEUE

ALIVE_WITHIN_S = 60.0
"""A worker that sent a heartbeat this recently is counted alive."""


@dataclass(frozen=True, slots=True)
class CorpusStatus:
    """Progress of a corpus: documents, URLs due and done, verdicts, jobs and workers."""

    documents: int = 0
    urls: int = 0
    done: int = 0
    """URLs probed at least once."""
    due: int = 0
    """URLs a worker would probe now (never probed, too old, or awaiting confirmation)."""
    hosts_due: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    jobs: dict[str, int] = field(default_factory=dict)
    """Host jobs by state (todo, doing, failed, ...)."""
    workers_alive: int = 0

    def to_json(self) -> dict[str, Any]:
        """Stable JSON (keys sorted within the maps)."""
        return {
            "documents": self.documents,
            "urls": self.urls,
            "done": self.done,
            "due": self.due,
            "hosts_due": self.hosts_due,
            "verdicts": dict(sorted(self.verdicts.items())),
            "jobs": dict(sorted(self.jobs.items())),
            "workers_alive": self.workers_alive,
        }


def render_status(status: CorpusStatus) -> str:
    """The status as a few aligned lines for the terminal."""
    lines = [
        f"documents      {status.documents}",
        f"urls           {status.urls}",
        f"done           {status.done}",
        f"due            {status.due} (on {status.hosts_due} hosts)",
        f"workers alive  {status.workers_alive}",
    ]
    if status.verdicts:
        lines.append(
            "verdicts       " + ", ".join(f"{k} {v}" for k, v in sorted(status.verdicts.items()))
        )
    if status.jobs:
        lines.append(
            "host jobs      " + ", ".join(f"{k} {v}" for k, v in sorted(status.jobs.items()))
        )
    return "\n".join(lines) + "\n"


def read_status(
    conn: psycopg.Connection[Any], schedule: Schedule, *, now: datetime | None = None
) -> CorpusStatus:
    """The counts, read in one snapshot (a repeatable-read transaction)."""
    params = {**schedule.params(now or datetime.now(UTC)), "queue": QUEUE, "alive": ALIVE_WITHIN_S}
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        head = conn.execute(
            "SELECT (SELECT count(*) FROM corpus_documents), count(*), count(checked_at), "
            f"count(*) FILTER (WHERE {DUE_SQL}), count(DISTINCT host) FILTER (WHERE {DUE_SQL}) "
            "FROM corpus_urls",
            params,
        ).fetchone()
        verdicts = conn.execute(
            "SELECT verdict, count(*) FROM corpus_urls WHERE verdict IS NOT NULL GROUP BY verdict"
        ).fetchall()
        jobs = conn.execute(
            "SELECT status::text, count(*) FROM procrastinate_jobs WHERE queue_name = %(queue)s "
            "GROUP BY status",
            params,
        ).fetchall()
        alive = conn.execute(
            "SELECT count(*) FROM procrastinate_workers "
            "WHERE last_heartbeat > now() - make_interval(secs => %(alive)s)",
            params,
        ).fetchone()
    documents, urls, done, due, hosts_due = head if head else (0, 0, 0, 0, 0)
    return CorpusStatus(
        documents=documents,
        urls=urls,
        done=done,
        due=due,
        hosts_due=hosts_due,
        verdicts={v: n for v, n in verdicts},
        jobs={s: n for s, n in jobs},
        workers_alive=int(alive[0]) if alive else 0,
    )


def corpus_status(url: str, schedule: Schedule) -> CorpusStatus:
    """The status of the corpus in the store at `url`."""
    conn = connect(url)
    try:
        return read_status(conn, schedule)
    except psycopg.Error as exc:
        raise failed(url, exc) from None
    finally:
        conn.close()
