"""`corpus archive`: which corpus URLs Save Page Now is asked to capture.

The schedule rows hold each URL's latest verdict, so the live ones are one index scan; the
per-URL checks that follow (a capture already known, the newest probe still live) are
`archive_live`'s, as for `citeaudit archive`.

Claims: several `corpus archive` (or `archive --store`) processes list the same URLs. Each
URL is claimed with a session advisory lock (`pg_try_advisory_lock`) for as long as its
capture takes, and committed before the lock goes, so a URL another process holds is skipped
and one it has captured is found captured: the processes share the list instead of each
spending the archive's budget on every URL. A process that dies drops its locks with its
connection. Two URLs whose hashes collide only make one process skip the other's URL; the next
run captures it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import psycopg

from citeaudit.corpus.db import connect, failed, release, try_hold
from citeaudit.models import LinkStatus

LIVE = sorted(str(s) for s in LinkStatus if s.is_live)


def live_urls(url: str) -> list[str]:
    """The corpus URLs whose latest verdict is live, in order."""
    conn = connect(url)
    try:
        rows = conn.execute(
            "SELECT url FROM corpus_urls WHERE verdict = ANY(%s) ORDER BY url", (LIVE,)
        ).fetchall()
    except psycopg.Error as exc:
        raise failed(url, exc) from None
    finally:
        conn.close()
    return [u for (u,) in rows]


CLAIMS = 0x53504E00
"""The advisory lock space of capture claims ("SPN"), apart from the migration lock's key."""


@contextmanager
def capture_claims(
    url: str | None,
) -> Iterator[Callable[[str], AbstractContextManager[bool]] | None]:
    """`archive_live`'s `claim` for the PostgreSQL store at `url`, open for a run; None without."""
    if url is None:
        yield None
        return
    conn = connect(url)

    @contextmanager
    def claim(target: str) -> Iterator[bool]:
        mine = try_hold(conn, CLAIMS, target)
        try:
            yield mine
        finally:
            if mine:
                release(conn, CLAIMS, target)

    try:
        yield claim
    except psycopg.Error as exc:
        raise failed(url, exc) from None
    finally:
        conn.close()
