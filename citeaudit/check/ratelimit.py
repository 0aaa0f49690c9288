"""Politeness: per-host and global limits, host-wide slowdowns, and retry backoff.

No host ever sees more than `per_host` requests of ours at once, and the run never has more than
`concurrency` in flight. When a host answers 429 or 503 with `Retry-After`, the whole host waits
(every URL on it, not only the one that was told), because that is what the server asked for.
Retries use exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And
Jitter"), so many URLs failing together do not retry in lockstep.

The clock, the sleep and the random source are injected so tests run without real waiting.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def backoff_delay(attempt: int, base: float, cap: float, rand: Callable[[], float]) -> float:
    """Full-jitter backoff: uniform in [0, min(cap, base * 2**attempt)); attempt counts from 0.

    >>> backoff_delay(0, 0.5, 30.0, lambda: 0.999)
    0.4995
    >>> backoff_delay(10, 0.5, 30.0, lambda: 0.5)
    15.0
    """
    return min(cap, base * (2 ** max(0, attempt))) * rand()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a `Retry-After` header asks for (delta-seconds or HTTP-date), None if unusable.

    >>> parse_retry_after("120")
    120.0
    >>> at = datetime(2015, 10, 21, 7, 28, tzinfo=UTC)
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", at)
    10.0
    >>> parse_retry_after("soon") is None
    True
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


class HostLimiter:
    """Per-host and global concurrency slots plus per-host "not before" times."""

    def __init__(
        self,
        per_host: int,
        concurrency: int,
        *,
        host_limits: Sequence[tuple[str, int]] = (),
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if per_host < 1 or concurrency < 1:
            raise ValueError("per_host and concurrency must be at least 1")
        self.per_host = per_host
        self.host_limits = tuple((h.lower(), n) for h, n in host_limits)
        self._global = asyncio.Semaphore(concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._not_before: dict[str, float] = {}
        self._clock = clock
        self._sleep = sleep
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self.slowdowns = 0

    def slow_down(self, host: str, seconds: float) -> None:
        """Hold every new request to `host` for `seconds` from now (the later deadline wins)."""
        until = self._clock() + max(0.0, seconds)
        if until > self._not_before.get(host, 0.0):
            self._not_before[host] = until
            self.slowdowns += 1

    def wait_for(self, host: str) -> float:
        """Seconds until `host` may be asked again (0 if now)."""
        return max(0.0, self._not_before.get(host, 0.0) - self._clock())

    def limit_for(self, host: str) -> int:
        """In-flight limit of `host`: its configured one (or a parent domain's), else per_host."""
        name = host.lower().split(":", 1)[0]
        for configured, limit in self.host_limits:
            if name == configured or name.endswith("." + configured):
                return max(1, limit)
        return self.per_host

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one request slot for `host` (waits for its limit, its slowdown, the global one)."""
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(self.limit_for(host))
        async with sem:
            # the host slot is taken first so a slowed host never ties up global slots
            while (delay := self.wait_for(host)) > 0:
                await self._sleep(delay)
            async with self._global:
                n = self.in_flight.get(host, 0) + 1
                self.in_flight[host] = n
                if n > self.max_in_flight.get(host, 0):
                    self.max_in_flight[host] = n
                try:
                    yield
                finally:
                    self.in_flight[host] -= 1


def default_rand() -> float:
    """The random source used for jitter outside tests."""
    return random.random()
