"""Limits, host-wide slowdowns and backoff: unit tests with a fake clock, and a real 429."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citeaudit.check.ratelimit import (
    RATE_LIMIT_STREAK,
    HostLimiter,
    backoff_delay,
    parse_retry_after,
)
from citeaudit.models import LinkStatus

from .servers import Reply, Sequence_, TestServer, page, run


@given(st.integers(0, 40), st.floats(0.0, 0.999999))
def test_backoff_is_full_jitter_under_the_cap(attempt: int, r: float) -> None:
    delay = backoff_delay(attempt, 0.5, 30.0, lambda: r)
    assert 0.0 <= delay < min(30.0, 0.5 * 2**attempt) + 1e-9
    assert delay == min(30.0, 0.5 * 2**attempt) * r


def test_backoff_spreads_retries() -> None:
    rng = random.Random(7)
    delays = {round(backoff_delay(3, 0.5, 30.0, rng.random), 3) for _ in range(50)}
    assert len(delays) > 40  # jitter: not in lockstep


def test_retry_after_seconds_and_dates() -> None:
    now = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("7", now) == 7.0
    later = (now + timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert parse_retry_after(later, now) == 90.0
    assert parse_retry_after("Mon, 01 Jan 2024 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("tomorrow", now) is None
    assert parse_retry_after(None, now) is None


def _exercise(per_host: int, concurrency: int, hosts: str) -> tuple[dict[str, int], int]:
    """Run one short job per character of `hosts`; return the worst per-host and total counts."""

    async def go() -> tuple[dict[str, int], int]:
        limiter = HostLimiter(per_host=per_host, concurrency=concurrency)
        live: dict[str, int] = {}
        worst: dict[str, int] = {}
        total = 0

        async def job(host: str) -> None:
            nonlocal total
            async with limiter.slot(host):
                live[host] = live.get(host, 0) + 1
                worst[host] = max(worst.get(host, 0), live[host])
                total = max(total, sum(live.values()))
                await asyncio.sleep(0.005)
                live[host] -= 1

        await asyncio.gather(*(job(h) for h in hosts))
        assert limiter.max_in_flight == worst
        return worst, total

    return asyncio.run(go())


def test_limiter_caps_per_host() -> None:
    worst, total = _exercise(per_host=2, concurrency=10, hosts="ab" * 6)
    assert worst == {"a": 2, "b": 2} and total == 4


def test_limiter_caps_globally() -> None:
    worst, total = _exercise(per_host=4, concurrency=3, hosts="abcd" * 3)
    assert total == 3 and max(worst.values()) <= 3


def test_a_woken_waiter_that_is_cancelled_passes_its_turn_on() -> None:
    async def go() -> tuple[list[str], int, bool]:
        limiter = HostLimiter(1, 10)
        got: list[str] = []

        async def wait(name: str) -> None:
            async with limiter.slot("h"):
                got.append(name)

        held = limiter.slot("h")
        await held.__aenter__()
        first = asyncio.create_task(wait("first"))
        second = asyncio.create_task(wait("second"))
        while len(limiter._hosts["h"].waiters) < 2:  # both queue behind the held slot
            await asyncio.sleep(0)
        await held.__aexit__(None, None, None)  # wakes `first`, which has not run yet
        first.cancel()
        await asyncio.gather(first, return_exceptions=True)
        for _ in range(5):  # a few turns of the loop: `second` runs if it was woken
            await asyncio.sleep(0)
        second.cancel()  # a lost wake-up would leave it waiting for ever
        await asyncio.gather(second, return_exceptions=True)
        return got, limiter._hosts["h"].in_flight, first.cancelled()

    assert asyncio.run(go()) == (["second"], 0, True)


def test_a_request_cancelled_while_waiting_for_a_global_slot_frees_its_host_slot() -> None:
    async def go() -> tuple[int, int]:
        limiter = HostLimiter(1, 1)
        other = limiter.slot("other")
        await other.__aenter__()  # the only global slot
        stuck = asyncio.create_task(limiter.slot("h").__aenter__())
        while limiter._hosts["h"].in_flight == 0:  # it holds h's slot, waits for the global one
            await asyncio.sleep(0)
        stuck.cancel()
        await asyncio.gather(stuck, return_exceptions=True)
        freed = limiter._hosts["h"].in_flight
        if freed:
            return freed, -1  # the slot leaked: asking for it again would wait for ever
        await other.__aexit__(None, None, None)
        async with limiter.slot("h"):
            now = limiter.in_flight["h"]
        return freed, now

    assert asyncio.run(go()) == (0, 1)


def test_slow_down_holds_the_whole_host_with_a_fake_clock() -> None:
    now = {"t": 100.0}
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        now["t"] += seconds

    async def go() -> None:
        limiter = HostLimiter(4, 10, clock=lambda: now["t"], sleep=fake_sleep)
        limiter.slow_down("h", 5.0)
        limiter.slow_down("h", 2.0)  # an earlier deadline never shortens the wait
        async with limiter.slot("other"):
            pass
        assert slept == []  # other hosts are not held
        async with limiter.slot("h"):
            pass

    asyncio.run(go())
    assert slept == [5.0]


def test_a_halved_host_limit_is_what_slots_allow_and_it_grows_back() -> None:
    async def go() -> tuple[int, int, int, int]:
        limiter = HostLimiter(per_host=8, concurrency=64)
        limiter.rate_limited("h", 1.0)
        limiter.rate_limited("other", 1.0)
        limiter.answered("other")  # a success between 429s ends the streak
        halved = limiter.current_limit("h")
        live = worst = 0
        release = asyncio.Event()

        async def job() -> None:
            nonlocal live, worst
            async with limiter.slot("h"):
                live += 1
                worst = max(worst, live)
                await release.wait()
                live -= 1

        tasks = [asyncio.create_task(job()) for _ in range(8)]
        while live < halved:
            await asyncio.sleep(0)
        for _ in range(20):  # let every other job try for a slot
            await asyncio.sleep(0)
        release.set()
        await asyncio.gather(*tasks)
        for _ in range(40):
            limiter.answered("h")
        return halved, worst, limiter.current_limit("h"), limiter.slowdowns

    halved, worst, regrown, slowdowns = asyncio.run(go())
    assert halved == 4 and worst == 4  # multiplicative decrease, honoured by the slots
    assert regrown == 8  # additive increase back to the cap, never past it
    assert slowdowns == 0  # one 429 (or a broken streak) never pauses the host


def test_only_a_streak_of_429s_pauses_the_whole_host() -> None:
    limiter = HostLimiter(per_host=4, concurrency=8, clock=lambda: 50.0)
    for _ in range(RATE_LIMIT_STREAK - 1):
        limiter.rate_limited("h", 3.0)
    assert limiter.wait_for("h") == 0.0
    limiter.rate_limited("h", 3.0)
    assert limiter.wait_for("h") == 3.0
    assert limiter.current_limit("h") == 1  # halved three times, never below one


def test_one_429_waits_its_retry_after_while_the_hosts_other_urls_go_on(
    server: TestServer,
) -> None:
    h = "limited.test"
    told = Reply(429, headers={"Retry-After": "1"})
    server.route(h, "/a", Sequence_(told, Reply(200, page("A"))))
    server.route(h, "/b", Reply(200, page("B")))
    server.route(h, "/c", Reply(200, page("C")))
    urls = [server.url(h, p) for p in ("/a", "/b", "/c")]
    # --retries 0: a 429 that says when to come back is still honoured once
    result = run(urls, resolve=server.resolve(h), retries=0, soft404_probe=False)
    assert all(v.status is LinkStatus.ALIVE for v in result.verdicts.values()), result.verdicts
    seen = server.hits(h)
    asked_a = [s for s in seen if s.path == "/a"]
    at_429 = asked_a[0].at
    # /a came back after the wait it was told, measured at the server
    assert asked_a[-1].at >= at_429 + 0.9, [s.at - at_429 for s in asked_a]
    # and the host's other URLs did not wait for it
    others = [s for s in seen if s.path in ("/b", "/c")]
    assert others and all(s.at < asked_a[-1].at for s in others)


@pytest.mark.parametrize("asked", ["86400", "99999999999999999999999"])
def test_a_retry_after_longer_than_max_wait_is_blocked_at_once(
    server: TestServer, asked: str
) -> None:
    h = "busy.test"
    server.route(h, "/a", Reply(429, page("Slow down"), {"Retry-After": asked}))
    url = server.url(h, "/a")
    result = run([url], resolve=server.resolve(h), retries=2, soft404_probe=False)
    verdict = result.verdicts[url]
    assert verdict.status is LinkStatus.BLOCKED
    assert "rate-limited until" in verdict.reason and "--max-wait 30 s" in verdict.reason
    # asked once per method, never again: no retry, no wait
    assert sorted(s.method for s in server.hits(h)) == ["GET", "HEAD"]
