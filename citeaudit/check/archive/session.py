"""Requests to an archive: paced by its limiters, 429s paused, given up once it is unreachable.

The archive kinds (`wayback`, `memento`) ask their questions through one `ArchiveSession`, so
pacing, the give-up state and the stats are shared by whatever a run asks.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Awaitable, Callable
from datetime import date, datetime

import httpx

from citeaudit.check.archive.captures import archive_name, days_from
from citeaudit.check.archive.options import ArchiveOptions, ArchiveStats
from citeaudit.check.archive.pacing import Bucket, BucketFactory, TokenBucket
from citeaudit.check.network import exchange_deadline
from citeaudit.check.ratelimit import parse_retry_after
from citeaudit.models import ArchiveMode, ArchiveSnapshot

NO_CAPTURE = "no capture"
"""How a reason says the archive has nothing (the fact itself is `ArchiveOutcome.NONE`)."""

_MAX_RATE_LIMIT_RETRIES = 3
_RETRY_AFTER_CAP = 600.0


class RateLimited(Exception):
    """The archive kept answering 429."""


class GaveUp(Exception):
    """The archive was given up on while this lookup queued for the limiter."""


class ArchiveSession:
    """One run's requests to its archive, with the limiters, the stats and the give-up state."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        options: ArchiveOptions,
        *,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        progress: Callable[[str], None] | None = None,
        buckets: BucketFactory | None = None,
    ) -> None:
        """`buckets` builds the limiters (e.g. one budget shared by many workers, kept in a
        database); by default each session paces itself with its own `TokenBucket`s."""
        self._client = client
        self.options = options
        self._progress = progress
        if buckets is None:

            def buckets(name: str, per_minute: float) -> Bucket:
                return TokenBucket(per_minute, clock=clock, sleep=sleep, on_slow=self._pacing)

        self.replay = buckets("replay", options.replay_per_minute)
        self.index = buckets("cdx", options.cdx_per_minute)
        self.stats = ArchiveStats()
        """What this run asked of its archive and what came back, so far."""
        self.down: str | None = None

    def add(self, **counts: float) -> None:
        """Add to the stats' counters (`lookups=1`, `waited_seconds=2.5`, ...)."""
        self.stats = dataclasses.replace(
            self.stats, **{k: getattr(self.stats, k) + v for k, v in counts.items()}
        )

    def give_up(self, reason: str) -> None:
        """Ask nothing more this run; lookups in flight or queued answer `reason` at once."""
        # lookups already in flight may fail too: say it once, keep the first reason
        if self.down is None:
            self.down = reason
            self.say(f"archive: {reason}; archive lookups skipped for this run")

    def _pacing(self, seconds: float) -> None:
        self.say(f"archive: keeping to the rate limit, waiting {seconds:.0f} s")

    def say(self, message: str) -> None:
        """Tell the progress line (a long wait must never look like a hang)."""
        if self._progress is not None:
            self._progress(message)

    def found(self, capture_url: str, when: datetime, as_of: date) -> ArchiveSnapshot:
        """The snapshot of a capture, named after its archive."""
        if self.options.mode is ArchiveMode.WAYBACK:
            name = self.options.wayback_name
        else:
            name = archive_name(capture_url)
        return ArchiveSnapshot(
            available=True,
            url=capture_url,
            timestamp=when,
            archive=name,
            days_from_document=days_from(when, as_of),
        )

    async def get(
        self,
        bucket: Bucket,
        url: str,
        *,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """One GET through a limiter, redirects not followed, body not read unless asked."""
        for _attempt in range(_MAX_RATE_LIMIT_RETRIES + 1):
            if self.down is not None:
                raise GaveUp
            self.add(waited_seconds=await bucket.acquire(lambda: self.down is not None))
            if self.down is not None:
                raise GaveUp
            request = self._client.build_request(
                "GET", url, params=params, headers=headers, timeout=self.options.timeout
            )
            async with exchange_deadline(self.options.timeout, request):
                response = await self._client.send(request, follow_redirects=False, stream=True)
            if response.status_code != 429:
                return response
            await response.aclose()
            self.add(rate_limited=1)
            pause = parse_retry_after(response.headers.get("retry-after"))
            pause = self.options.wait_after_429 if pause is None else min(pause, _RETRY_AFTER_CAP)
            bucket.pause(pause)
            self.say(f"archive: rate limited, waiting {pause:.0f} s")
        raise RateLimited(
            f"rate limited by the archive ({_MAX_RATE_LIMIT_RETRIES + 1} answers 429)"
        )

    async def read_capped(self, response: httpx.Response, cap: int) -> bytes | None:
        """The body, or None past `cap` bytes; the whole read within the timeout."""
        chunks: list[bytes] = []
        size = 0
        async with exchange_deadline(self.options.timeout, response.request):
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > cap:
                    return None
                chunks.append(chunk)
        return b"".join(chunks)
