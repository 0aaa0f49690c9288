"""Archive what is still live: ask the Internet Archive's Save Page Now to capture it.

Why it exists: the best moment to archive a source is before the report is published, while the
page still says what it is cited for. `citeaudit archive FILE` asks Save Page Now (SPN2) to capture
every live source of a document that has no capture yet, and records each new capture URL in the
store, so an interrupted run resumes where it stopped (what is captured is not asked again).

Rate limits: Save Page Now allows 4 captures a minute anonymously and 12 with an account's S3-style
keys (`--ia-keys ACCESS:SECRET`, or IA_ACCESS_KEY / IA_SECRET_KEY in the environment); those are
the defaults of `SaveOptions.rate` (`--save-rate`), which another endpoint (a test's fake, an
archive with other terms) may change. Requests are
spaced evenly (15 s or 5 s apart), so a long list never trips the limit; a 429 waits for
`Retry-After` (or a minute) and tries that URL once more. The clock and the sleep are injectable,
so tests assert the spacing without waiting. Several processes behind one address share the
archive's limit for that address: given a `bucket` (one budget kept in a PostgreSQL store,
corpus/budget.py), every process takes its turns from it and a 429 pauses them all. Given a
`claim` (corpus/save.py), two processes working through the same list never ask for the same
URL: each claims a URL before its turn, and skips the ones another process holds.

Protocol (SPN2): `POST {endpoint}/save` with `url=...`, `Accept: application/json` and, with keys,
`Authorization: LOW access:secret`; the answer carries a `job_id`, polled at
`GET {endpoint}/save/status/{job_id}` until `success` (with a `timestamp`) or `error`. An answer
with a `Content-Location` or `Location` of `/web/<timestamp>/<url>` (anonymous replies often are)
is taken as the capture directly. The endpoint is a setting, so tests talk to loopback.

What it does not do: decide what is live. It trusts the store's newest probe (`citeaudit check`
first); sources never checked are reported and left alone.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from citeaudit.check.archive.pacing import Bucket
from citeaudit.check.ratelimit import parse_retry_after
from citeaudit.check.runplan import dedupe_key
from citeaudit.models import ArchiveSnapshot

DEFAULT_ENDPOINT = "https://web.archive.org"
ANONYMOUS_PER_MINUTE = 4
AUTHENTICATED_PER_MINUTE = 12
_CAPTURE_PATH = re.compile(r"/web/(\d{14})/(.+)$")


def keys_from(text: str | None, environ: dict[str, str] | None = None) -> tuple[str, str] | None:
    """`ACCESS:SECRET`, else IA_ACCESS_KEY / IA_SECRET_KEY from the environment, else None.

    >>> keys_from("abc:xyz")
    ('abc', 'xyz')
    >>> keys_from(None, {"IA_ACCESS_KEY": "a", "IA_SECRET_KEY": "s"})
    ('a', 's')
    """
    if text:
        access, sep, secret = text.partition(":")
        if not sep or not access or not secret:
            raise ValueError("--ia-keys: expected ACCESS:SECRET")
        return access, secret
    env = os.environ if environ is None else environ
    key, secret_key = env.get("IA_ACCESS_KEY"), env.get("IA_SECRET_KEY")
    return (key, secret_key) if key and secret_key else None


@dataclass(frozen=True, slots=True)
class SaveOptions:
    """Where Save Page Now is and how to talk to it."""

    endpoint: str = DEFAULT_ENDPOINT
    keys: tuple[str, str] | None = None
    poll_interval: float = 5.0
    max_polls: int = 24
    """Give up on one capture after this many status polls (two minutes by default)."""
    wait_after_429: float = 60.0
    rate: float | None = None
    """Captures a minute; None: Save Page Now's own limit (12 with keys, 4 without)."""

    def __post_init__(self) -> None:
        if self.rate is not None and self.rate <= 0:
            raise ValueError(f"save rate must be positive, got {self.rate:g} a minute")

    @property
    def per_minute(self) -> float:
        """Captures asked per minute: the `rate` set, else 12 with keys and 4 without."""
        if self.rate is not None:
            return self.rate
        return AUTHENTICATED_PER_MINUTE if self.keys else ANONYMOUS_PER_MINUTE

    @property
    def spacing(self) -> float:
        """Seconds between two capture requests."""
        return 60.0 / self.per_minute


def capture_from_location(location: str, endpoint: str) -> ArchiveSnapshot | None:
    """A capture snapshot from a `/web/<timestamp>/<url>` location, if it is one.

    >>> capture_from_location("/web/20240501120000/https://a.org/x", "https://web.archive.org").url
    'https://web.archive.org/web/20240501120000/https://a.org/x'
    """
    match = _CAPTURE_PATH.search(location)
    if match is None:
        return None
    stamp, original = match.groups()
    return _snapshot(endpoint, stamp, original)


def _snapshot(endpoint: str, stamp: str, original: str) -> ArchiveSnapshot:
    when = datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return ArchiveSnapshot(
        available=True,
        url=f"{endpoint.rstrip('/')}/web/{stamp}/{original}",
        timestamp=when,
        archive="web.archive.org (Save Page Now)",
    )


@dataclass
class SavePageNow:
    """A Save Page Now client that never exceeds its per-minute limit."""

    client: httpx.AsyncClient
    options: SaveOptions = field(default_factory=SaveOptions)
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep
    bucket: Bucket | None = None
    """A budget shared with other processes; None: this client spaces its own requests."""
    _next_at: float | None = None

    async def _turn(self) -> None:
        if self.bucket is not None:
            await self.bucket.acquire()
            return
        # Even spacing rather than bursts: the limit is per minute, the archive's patience less.
        now = self.clock()
        if self._next_at is not None and now < self._next_at:
            await self.sleep(self._next_at - now)
            now = self.clock()
        self._next_at = max(now, self._next_at or now) + self.options.spacing

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.options.keys:
            access, secret = self.options.keys
            headers["Authorization"] = f"LOW {access}:{secret}"
        return headers

    async def save(self, url: str) -> ArchiveSnapshot:
        """Ask for a capture of `url`; the snapshot, or one with `available=False` and why."""
        endpoint = self.options.endpoint.rstrip("/")
        for attempt in range(2):
            await self._turn()
            try:
                response = await self.client.post(
                    f"{endpoint}/save", data={"url": url}, headers=self._headers()
                )
            except httpx.HTTPError as exc:
                return ArchiveSnapshot(available=False, reason=f"save failed: {exc!r}")
            if response.status_code == 429 and attempt == 0:
                await self._back_off(_retry_after(response, self.options.wait_after_429))
                continue
            return await self._answer(response, url, endpoint)
        return ArchiveSnapshot(available=False, reason="save failed: rate limited (429)")

    async def _back_off(self, seconds: float) -> None:
        if self.bucket is not None:
            # the next turn, this client's or another's, comes after the pause
            self.bucket.pause(seconds)
        else:
            await self.sleep(seconds)

    async def _answer(self, response: httpx.Response, url: str, endpoint: str) -> ArchiveSnapshot:
        for header in ("content-location", "location"):
            found = capture_from_location(response.headers.get(header, ""), endpoint)
            if found is not None:
                return found
        if response.status_code >= 400:
            return ArchiveSnapshot(
                available=False, reason=f"save failed: HTTP {response.status_code}"
            )
        try:
            job = response.json()
        except ValueError:
            return ArchiveSnapshot(available=False, reason="save failed: unreadable answer")
        job_id = job.get("job_id") if isinstance(job, dict) else None
        if not job_id:
            message = job.get("message") if isinstance(job, dict) else None
            return ArchiveSnapshot(available=False, reason=f"save failed: {message or 'no job'}")
        return await self._poll(str(job_id), url, endpoint)

    async def _poll(self, job_id: str, url: str, endpoint: str) -> ArchiveSnapshot:
        for _ in range(self.options.max_polls):
            await self.sleep(self.options.poll_interval)
            try:
                response = await self.client.get(
                    f"{endpoint}/save/status/{job_id}", headers=self._headers()
                )
                status = response.json()
            except (httpx.HTTPError, ValueError):
                continue
            state = status.get("status") if isinstance(status, dict) else None
            if state == "success" and status.get("timestamp"):
                return _snapshot(
                    endpoint, str(status["timestamp"]), status.get("original_url") or url
                )
            if state == "error":
                return ArchiveSnapshot(
                    available=False, reason=f"save failed: {status.get('message') or 'error'}"
                )
        return ArchiveSnapshot(available=False, reason="save failed: capture still pending")


def _retry_after(response: httpx.Response, default: float) -> float:
    wait = parse_retry_after(response.headers.get("retry-after"))
    return default if wait is None else min(wait, 600.0)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What `archive_live` did with one URL."""

    url: str
    action: str
    """saved, failed, already_archived, not_live, not_checked, or claimed_elsewhere (another
    process was capturing it)."""
    snapshot: ArchiveSnapshot | None = None


def has_capture(cache: Any, url: str) -> bool:
    """Whether the store knows a capture of `url` (an archive lookup or a probe's snapshot)."""
    if any(snap.available for _, snap in cache.archive_history(url)):
        return True
    return any(v.archive is not None and v.archive.available for v in cache.history(url))


async def archive_live(
    urls: Sequence[str],
    cache: Any,
    saver: SavePageNow,
    *,
    progress: Callable[[str], None] | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    claim: Callable[[str], AbstractContextManager[bool]] | None = None,
) -> list[Outcome]:
    """Capture every URL whose newest stored probe is live and that has no capture yet.

    `claim(url)` (a context manager, True when this process may capture `url`) keeps
    processes sharing a store from asking twice for one URL.
    """
    todo: list[str] = []
    out: list[Outcome] = []
    # the store files probes under the dedupe key (no fragment, no default port)
    for url in dict.fromkeys(dedupe_key(u) or u for u in urls):
        history = cache.history(url)
        if not history:
            out.append(Outcome(url, "not_checked"))
        elif not history[-1].status.is_live:
            out.append(Outcome(url, "not_live"))
        elif has_capture(cache, url):
            out.append(Outcome(url, "already_archived"))
        else:
            todo.append(url)
    for number, url in enumerate(todo, 1):
        with (claim or _unclaimed)(url) as mine:
            if not mine:
                out.append(Outcome(url, "claimed_elsewhere"))
                continue
            if claim is not None and has_capture(cache, url):
                # captured by another process since this run listed it: no turn spent on it
                out.append(Outcome(url, "already_archived"))
                continue
            snapshot = await saver.save(url)
            moment = now()
            # Committed at once (and before the claim ends): an interrupted run resumes
            # without asking for this URL again, and no other process asks for it.
            cache.put_archive(url, moment.date(), snapshot, checked_at=moment)
        action = "saved" if snapshot.available else "failed"
        out.append(Outcome(url, action, snapshot))
        if progress is not None:
            shown = snapshot.url if snapshot.available else snapshot.reason
            progress(f"[{number}/{len(todo)}] {action} {url} -> {shown}")
    return out


@contextmanager
def _unclaimed(url: str) -> Iterator[bool]:
    yield True
