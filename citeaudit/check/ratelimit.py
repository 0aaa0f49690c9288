"""Politeness: per-host and global limits, host-wide slowdowns, and retry backoff.

No host ever sees more than `per_host` requests of ours at once, and the run never has more than
`concurrency` in flight. A 429 is answered per URL: that URL waits its `Retry-After` (never longer
than the run's maximum wait) and the host's concurrency is halved, growing back as answers come
(AIMD, as TCP does); only repeated 429s, or a 503 with `Retry-After`, hold the whole host.
Retries use exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And
Jitter"), so many URLs failing together do not retry in lockstep.

The clock, the sleep and the random source are injected so tests run without real waiting.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType

from citeaudit.catalog.hosts import within


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


RATE_LIMIT_STREAK = 3
"""429s in a row from one host (no success between them) before the whole host pauses."""


@dataclass
class _Host:
    """One host's live limit: AIMD between 1 and its configured cap."""

    cap: int
    limit: float
    in_flight: int = 0
    streak: int = 0
    """429s since the host last answered anything else."""
    waiters: deque[asyncio.Future[None]] = field(default_factory=deque)
    """Requests waiting for one of the host's slots, the longest waiting first."""

    def wake(self) -> None:
        """Wake as many waiters as may go now (each checks again once it runs)."""
        # only as many as may go: waking every waiter per release is quadratic
        room = max(1, int(self.limit)) - self.in_flight
        while room > 0 and self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                room -= 1


class HostLimiter:
    """Per-host and global concurrency slots plus per-host "not before" times.

    A host's limit starts at its cap. A 429 halves it (multiplicative decrease) and each answer
    that is not a 429 adds 1/limit (additive increase: about one more slot per round of answers),
    so one rate-limited URL slows its host without stalling the host's other URLs. Only a streak
    of 429s pauses the whole host (`slow_down`).
    """

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
        self._hosts: dict[str, _Host] = {}
        self._not_before: dict[str, float] = {}
        self._clock = clock
        self._sleep = sleep
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self.slowdowns = 0
        self.decreases = 0

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
            if within(name, configured):
                return max(1, limit)
        return self.per_host

    def current_limit(self, host: str) -> int:
        """Requests `host` may have in flight right now (its cap until it rate-limits us)."""
        state = self._hosts.get(host)
        return self.limit_for(host) if state is None else max(1, int(state.limit))

    def _state(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            cap = self.limit_for(host)
            state = self._hosts[host] = _Host(cap=cap, limit=float(cap))
        return state

    def rate_limited(self, host: str, retry_after: float | None) -> None:
        """A 429 from `host`: halve its limit; a streak of them pauses it for `retry_after`."""
        state = self._state(host)
        state.limit = max(1.0, state.limit / 2)
        state.streak += 1
        self.decreases += 1
        if state.streak >= RATE_LIMIT_STREAK and retry_after is not None:
            self.slow_down(host, retry_after)

    def answered(self, host: str) -> None:
        """Any answer but a 429 from `host`: grow its limit back towards the cap."""
        state = self._state(host)
        state.streak = 0
        if state.limit < state.cap:
            state.limit = min(float(state.cap), state.limit + 1 / state.limit)

    def slot(self, host: str) -> _Slot:
        """Hold one request slot for `host` (waits for its limit, its slowdown, the global one).

        `async with limiter.slot(host): ...`
        """
        return _Slot(self, host, self._state(host))


class _Slot:
    """One request's hold on a host slot and a global slot (`HostLimiter.slot`).

    A class rather than a generator-based context manager, and a host's waiters as futures
    rather than an `asyncio.Condition`: it is entered once per request, and a free slot is
    taken without creating a generator, a lock or a future.
    """

    __slots__ = ("_host", "_limiter", "_state")

    def __init__(self, limiter: HostLimiter, host: str, state: _Host) -> None:
        self._limiter = limiter
        self._host = host
        self._state = state

    async def __aenter__(self) -> None:
        """Wait for a host slot, the host's slowdown, then a global slot."""
        state, limiter, host = self._state, self._limiter, self._host
        # no await between the test and the count: the host's limit can never be overrun
        while state.in_flight >= max(1, int(state.limit)):
            waiter = asyncio.get_running_loop().create_future()
            state.waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    state.wake()  # pass on a wake-up this waiter took
                raise
        state.in_flight += 1
        try:
            # the host slot is taken first so a slowed host never ties up global slots
            while (delay := limiter.wait_for(host)) > 0:
                await limiter._sleep(delay)
            await limiter._global.acquire()
        except BaseException:
            state.in_flight -= 1
            state.wake()
            raise
        n = limiter.in_flight.get(host, 0) + 1
        limiter.in_flight[host] = n
        if n > limiter.max_in_flight.get(host, 0):
            limiter.max_in_flight[host] = n

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Give both slots back and wake the host's next waiters."""
        limiter = self._limiter
        limiter.in_flight[self._host] -= 1
        limiter._global.release()
        self._state.in_flight -= 1
        self._state.wake()


def default_rand() -> float:
    """The random source used for jitter outside tests."""
    return random.random()
