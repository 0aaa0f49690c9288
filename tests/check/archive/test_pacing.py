"""Archive politeness: 429s and Retry-After, and the token bucket spacing replays."""

from __future__ import annotations

import asyncio

import pytest

from citeaudit.check.archive import (
    TokenBucket,
    wayback_timestamp,
)
from citeaudit.check.storerules import reusable_snapshot

from .fake import AS_OF, PAGE, Archive, Capture, FakeTime, run_lookups


def test_429_without_retry_after_waits_sixty_seconds(archive: tuple[Archive, str]) -> None:
    state, endpoint = archive
    state.throttle = 1
    state.captures[PAGE] = [Capture(wayback_timestamp(AS_OF))]
    fake, progress = FakeTime(), list[str]()
    [snap], client, sent = run_lookups(endpoint, [PAGE], fake=fake, progress=progress)
    assert snap.available and sent == 2
    assert fake.sleeps == [60.0]
    assert client.stats.rate_limited == 1 and client.stats.waited_seconds == 60.0
    assert progress == ["archive: rate limited, waiting 60 s"]


def test_429_retry_after_is_honoured(archive: tuple[Archive, str]) -> None:
    state, endpoint = archive
    state.throttle, state.retry_after = 1, "7"
    state.captures[PAGE] = [Capture(wayback_timestamp(AS_OF))]
    fake = FakeTime()
    [snap], _, _ = run_lookups(endpoint, [PAGE], fake=fake, wait_after_429=60.0)
    assert snap.available and fake.sleeps == [7.0]


def test_persistent_429_gives_up_without_calling_it_missing(archive: tuple[Archive, str]) -> None:
    state, endpoint = archive
    state.throttle = 100
    fake = FakeTime()
    [snap], client, sent = run_lookups(endpoint, [PAGE], fake=fake, wait_after_429=2.0)
    assert not snap.available and snap.reason is not None and "rate limited" in snap.reason
    assert not reusable_snapshot(snap)
    assert sent == 4 and fake.sleeps == [2.0, 2.0, 2.0]
    assert client.stats.errors == 1 and client.stats.not_found == 0


def test_replay_requests_are_spaced_by_the_bucket(archive: tuple[Archive, str]) -> None:
    _, endpoint = archive
    fake = FakeTime()
    urls = [f"https://none.example/{i}" for i in range(4)]
    snaps, client, sent = run_lookups(endpoint, urls, fake=fake, replay_per_minute=30)
    assert sent == 4 and all(not s.available for s in snaps)
    # first request free, then one every 2 s (30 a minute)
    assert fake.sleeps == pytest.approx([2.0, 2.0, 2.0])
    assert client.stats.waited_seconds == pytest.approx(6.0)


def test_long_pacing_waits_are_visible(archive: tuple[Archive, str]) -> None:
    _, endpoint = archive
    fake, progress = FakeTime(), list[str]()
    urls = ["https://none.example/1", "https://none.example/2"]
    run_lookups(endpoint, urls, fake=fake, progress=progress, replay_per_minute=6)
    assert fake.sleeps == pytest.approx([10.0])
    assert progress == ["archive: keeping to the rate limit, waiting 10 s"]


def test_token_bucket_spacing_and_pause() -> None:
    fake = FakeTime()
    bucket = TokenBucket(24, clock=fake.clock, sleep=fake.sleep)

    async def main() -> list[float]:
        waits = [await bucket.acquire() for _ in range(3)]
        fake.now += 10.0  # idle time refills at most one token (capacity 1)
        waits.append(await bucket.acquire())
        waits.append(await bucket.acquire())
        bucket.pause(60)
        waits.append(await bucket.acquire())
        return waits

    waits = asyncio.run(main())
    assert waits == pytest.approx([0.0, 2.5, 2.5, 0.0, 2.5, 60.0])


def test_concurrent_lookups_share_the_bucket() -> None:
    fake = FakeTime()
    bucket = TokenBucket(60, clock=fake.clock, sleep=fake.sleep)
    stamps: list[float] = []

    async def one() -> None:
        await bucket.acquire()
        stamps.append(fake.now)

    async def main() -> None:
        await asyncio.gather(*(one() for _ in range(5)))

    asyncio.run(main())
    assert sorted(stamps) == pytest.approx([1000.0, 1001.0, 1002.0, 1003.0, 1004.0])
