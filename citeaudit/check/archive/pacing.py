"""A token bucket per kind of archive endpoint: polite pacing, paused after a 429."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from citeaudit.errors import CheckError

PROGRESS_MIN_WAIT = 5.0
"""Token-bucket waits shorter than this are routine and not reported."""


class Bucket(Protocol):
    """What an archive session asks of a limiter; `TokenBucket` or a budget shared elsewhere."""

    async def acquire(self, give_up: Callable[[], bool] | None = None) -> float:
        """Wait for a turn; returns the seconds waited."""
        ...

    def pause(self, seconds: float) -> None:
        """Let nothing through for `seconds` from now."""
        ...


BucketFactory = Callable[[str, float], Bucket]
"""(budget name, requests a minute) -> the limiter of that budget."""


class TokenBucket:
    """At most `per_minute` requests a minute with bursts of `capacity`; pausable after a 429."""

    def __init__(
        self,
        per_minute: float,
        *,
        capacity: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        on_slow: Callable[[float], None] | None = None,
    ) -> None:
        """`on_slow(seconds)` is told before a pacing wait of `PROGRESS_MIN_WAIT` or more."""
        if per_minute <= 0:
            raise CheckError(f"archive rate must be positive, got {per_minute} a minute")
        self.rate = per_minute / 60.0
        self.capacity = capacity
        self._tokens = capacity
        self._clock = clock
        self._sleep = sleep
        self._stamp = clock()
        self._paused_until = 0.0
        self._on_slow = on_slow
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        """Let nothing through for `seconds` from now (a 429 slows every lookup, not one)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def _refill(self, now: float) -> None:
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    async def acquire(self, give_up: Callable[[], bool] | None = None) -> float:
        """Wait for a token; returns the seconds waited.

        `give_up()` is asked before each wait: once the archive is known to be unreachable,
        queued lookups must answer at once instead of draining the queue at the paced rate.
        """
        waited = 0.0
        # One waiter at a time, in arrival order: the bucket is the queue.
        async with self._lock:
            while True:
                if give_up is not None and give_up():
                    return waited
                now = self._clock()
                if now < self._paused_until:
                    delay = self._paused_until - now
                else:
                    self._refill(now)
                    if self._tokens >= 1.0:
                        self._tokens -= 1.0
                        return waited
                    delay = (1.0 - self._tokens) / self.rate
                    # a 429 pause is announced where it is decided; slow pacing is told here
                    if delay >= PROGRESS_MIN_WAIT and self._on_slow is not None:
                        self._on_slow(delay)
                await self._sleep(delay)
                waited += delay
