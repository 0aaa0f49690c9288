"""The corpus recorder: verdicts committed in batches, each probe with its schedule move."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from citeaudit.check.store_pg import PostgresStore
from citeaudit.corpus.add import add_documents
from citeaudit.corpus.db import connect
from citeaudit.corpus.recorder import Recorder
from citeaudit.models import LinkStatus, Verdict

from .corpus_docs import scalar, write_doc

T0 = datetime(2030, 1, 1, 12, tzinfo=UTC)
URLS = [f"http://h.test/{i}" for i in range(5)]
COMMITTED = "SELECT count(*) FROM probes"
MOVED = "SELECT count(*) FROM corpus_urls WHERE checked_at IS NOT NULL"


def test_a_full_batch_is_committed_at_once_probes_with_their_schedule(
    pg_url: str, tmp_path: Path
) -> None:
    add_documents(pg_url, [str(write_doc(tmp_path / "d.txt", URLS))])

    async def in_the_loop(store: PostgresStore, conn: psycopg.Connection[Any]) -> None:
        # inside the event loop, as in a host job; nothing awaited, so no timer fires
        recorder = Recorder(store, conn, batch_rows=3, batch_seconds=3600)
        for url in URLS[:2]:
            recorder.put(Verdict(url, LinkStatus.ALIVE, "200", 200, checked_at=T0))
        assert (scalar(pg_url, COMMITTED), scalar(pg_url, MOVED)) == (0, 0)  # still waiting
        recorder.put(Verdict(URLS[2], LinkStatus.DEAD, "404", 404, checked_at=T0))
        # full: sent to the commit thread at once, not at the window's end (no timer is set)
        deadline = time.monotonic() + 30
        while recorder.commits == 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert (scalar(pg_url, COMMITTED), scalar(pg_url, MOVED)) == (3, 3)
        assert (recorder.commits, recorder.probed) == (1, 3)
        # the same probe stored again (its archive answer added) is not a new check
        recorder.put(Verdict(URLS[2], LinkStatus.DEAD, "404 again", 404, checked_at=T0))
        recorder.flush()
        assert (scalar(pg_url, COMMITTED), recorder.probed) == (3, 3)
        streak = "SELECT fail_streak FROM corpus_urls WHERE url = %s"
        assert scalar(pg_url, streak, (URLS[2],)) == 1
        # a read of the history sees what waits in the batch
        recorder.put(Verdict(URLS[3], LinkStatus.ALIVE, "200", 200, checked_at=T0))
        assert [v.status for v in recorder.history(URLS[3])] == [LinkStatus.ALIVE]
        recorder.close()

    with PostgresStore(pg_url) as store, connect(pg_url) as conn:
        asyncio.run(in_the_loop(store, conn))


def test_a_waiting_batch_is_committed_within_the_window(pg_url: str, tmp_path: Path) -> None:
    add_documents(pg_url, [str(write_doc(tmp_path / "d.txt", URLS))])

    async def one_verdict_then_wait(recorder: Recorder) -> None:
        recorder.put(Verdict(URLS[0], LinkStatus.ALIVE, "200", 200, checked_at=T0))
        assert recorder.commits == 0
        deadline = time.monotonic() + 30
        while recorder.commits == 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)  # the loop runs the recorder's timer, nothing else

    with PostgresStore(pg_url) as store, connect(pg_url) as conn:
        recorder = Recorder(store, conn, batch_seconds=0.05, batch_rows=100)
        asyncio.run(one_verdict_then_wait(recorder))
        recorder.close()
        assert recorder.commits == 1
    assert (scalar(pg_url, COMMITTED), scalar(pg_url, MOVED)) == (1, 1)


def test_a_failed_commit_is_raised_to_the_job(pg_url: str, tmp_path: Path) -> None:
    add_documents(pg_url, [str(write_doc(tmp_path / "d.txt", URLS))])

    async def commit_on_a_closed_connection(recorder: Recorder) -> None:
        recorder.put(Verdict(URLS[0], LinkStatus.ALIVE, "200", 200, checked_at=T0))
        with pytest.raises(psycopg.Error):
            await recorder.drain()
        with pytest.raises(psycopg.Error):  # and the next verdict is refused
            recorder.put(Verdict(URLS[1], LinkStatus.ALIVE, "200", 200, checked_at=T0))

    with PostgresStore(pg_url) as store:
        conn = connect(pg_url)
        conn.close()
        recorder = Recorder(store, conn)
        asyncio.run(commit_on_a_closed_connection(recorder))
        recorder.close()
        assert recorder.commits == 0
