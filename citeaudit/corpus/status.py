"""`corpus status`: how far a corpus is, from the schedule rows and the job engine's tables.

One row per URL (`corpus_urls`) holds its latest verdict, so every count is an index or a
scan or two of that table, never a walk over the probe history: the counts stay fast with
millions of probes stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg

from citeaudit.corpus.db import connect, failed
from citeaudit.corpus.due import DUE_SQL, Schedule
from citeaudit.corpus.schema import QUEUE

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
        # Grouped by verdict, one hash aggregate: the totals are the groups' sums. Hosts due are
        # grouped too: `count(DISTINCT host)` sorts every due row and took as long as the rest.
        by_verdict = conn.execute(
            f"SELECT verdict, count(*), count(checked_at), count(*) FILTER (WHERE {DUE_SQL}) "
            "FROM corpus_urls GROUP BY verdict",
            params,
        ).fetchall()
        hosts = conn.execute(
            f"SELECT count(*) FROM (SELECT host FROM corpus_urls WHERE {DUE_SQL} GROUP BY host) h",
            params,
        ).fetchone()
        documents = conn.execute("SELECT count(*) FROM corpus_documents").fetchone()
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
    return CorpusStatus(
        documents=int(documents[0]) if documents else 0,
        urls=sum(n for _, n, _, _ in by_verdict),
        done=sum(done for _, _, done, _ in by_verdict),
        due=sum(due for _, _, _, due in by_verdict),
        hosts_due=int(hosts[0]) if hosts else 0,
        verdicts={v: n for v, n, _, _ in by_verdict if v is not None},
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
