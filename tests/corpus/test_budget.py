"""The shared archive budget: turns come from one row, whichever worker asks."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from citeaudit.check.archive import ArchiveOptions
from citeaudit.check.archive.session import ArchiveSession
from citeaudit.corpus.budget import SharedBucket, shared_buckets
from citeaudit.corpus.db import connect

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Clock:
    """A settable clock for the buckets (the database's own clock is the default)."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def test_two_workers_share_one_budget(pg_url: str) -> None:
    clock = Clock()
    with connect(pg_url) as a, connect(pg_url) as b:
        first = SharedBucket(a, "archive:cdx", 60, clock=clock)  # one a second
        second = SharedBucket(b, "archive:cdx", 60, clock=clock)
        assert first.reserve() == 0.0
        assert second.reserve() == pytest.approx(1.0)  # the other worker's turn counts
        assert first.reserve() == pytest.approx(2.0)
        clock.now = T0 + timedelta(seconds=10)  # idle time refills only up to the burst
        assert second.reserve() == 0.0
        assert first.reserve() == pytest.approx(1.0)


def test_burst_then_paced(pg_url: str) -> None:
    clock = Clock()
    with connect(pg_url) as conn:
        bucket = SharedBucket(conn, "archive:replay", 120, burst=3, clock=clock)
        waits = [bucket.reserve() for _ in range(5)]
    assert waits == pytest.approx([0.0, 0.0, 0.0, 0.5, 1.0])


def test_a_pause_holds_every_worker(pg_url: str) -> None:
    clock = Clock()
    with connect(pg_url) as a, connect(pg_url) as b:
        SharedBucket(a, "archive:cdx", 60, clock=clock).pause(30)
        assert SharedBucket(b, "archive:cdx", 60, clock=clock).reserve() == pytest.approx(30.0)


def test_budgets_are_separate_by_name(pg_url: str) -> None:
    clock = Clock()
    with connect(pg_url) as conn:
        assert SharedBucket(conn, "archive:cdx", 1, clock=clock).reserve() == 0.0
        assert SharedBucket(conn, "archive:replay", 1, clock=clock).reserve() == 0.0


def test_the_server_clock_by_default(pg_url: str) -> None:
    # no clock given: the database's; a slow rate makes the second turn a long way off
    with connect(pg_url) as conn:
        bucket = SharedBucket(conn, "archive:cdx", 1)
        assert bucket.reserve() == 0.0
        assert 50.0 < bucket.reserve() <= 60.0


def test_archive_sessions_take_turns_from_the_database(pg_url: str) -> None:
    slept: list[float] = []

    async def record(seconds: float) -> None:
        slept.append(seconds)

    clock = Clock()
    options = ArchiveOptions(cdx_per_minute=60)

    async def main() -> None:
        with connect(pg_url) as a, connect(pg_url) as b:
            async with httpx.AsyncClient() as http:
                one = ArchiveSession(
                    http, options, buckets=shared_buckets(a, clock=clock, sleep=record)
                )
                two = ArchiveSession(
                    http, options, buckets=shared_buckets(b, clock=clock, sleep=record)
                )
                assert await one.index.acquire() == 0.0
                assert await two.index.acquire() == pytest.approx(1.0)
                assert await two.index.acquire(lambda: True) == 0.0  # given up: no turn taken

    asyncio.run(main())
    assert slept == pytest.approx([1.0])


def test_per_worker_budgets_stay_separate() -> None:
    async def main() -> list[float]:
        async with httpx.AsyncClient() as http:
            options = ArchiveOptions(cdx_per_minute=60)
            one, two = ArchiveSession(http, options), ArchiveSession(http, options)
            return [await one.index.acquire(), await two.index.acquire()]

    assert asyncio.run(main()) == [0.0, 0.0]


def test_rate_must_be_positive(pg_url: str) -> None:
    with connect(pg_url) as conn, pytest.raises(ValueError, match="positive"):
        SharedBucket(conn, "x", 0)
