"""`corpus archive`: which corpus URLs Save Page Now is asked to capture.

The schedule rows hold each URL's latest verdict, so the live ones are one index scan; the
per-URL checks that follow (a capture already known, the newest probe still live) are
`archive_live`'s, as for `citeaudit archive`.
"""

from __future__ import annotations

import psycopg

from citeaudit.corpus.db import connect, failed
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
