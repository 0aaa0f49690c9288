"""Web-archive lookups: the capture of a URL closest to the document date.

A source that died after publication is not lost if an archive holds a copy from around the
time the report cited it. This module asks, per URL, for the capture closest to a date:

- Internet Archive (default). The replay endpoint `/web/<YYYYMMDDhhmmss>/<url>` is asked
  *without* following redirects: when the timestamp is not an exact hit the Wayback answers
  302 and its `Location` is the closest capture (the 14 digits in it are the capture time); a
  404 means it holds none. The capture itself is then asked once (again without following),
  because the closest capture may be an archived error page or an archived redirect: a 2xx
  confirms it; anything else, or a redirect to a different URL, is settled by the CDX index
  (`/cdx/search/cdx?...&filter=statuscode:200&closest=...`), which finds the closest capture
  that was a real page. CDX is rate-limited 20 times harder than replay, so it is only used
  when the replay answers leave the question open.
- A Memento aggregator (`mode="memento"`, RFC 7089), e.g. a MemGator instance: its TimeGate
  `<endpoint>/timegate/<url>` is asked with `Accept-Datetime`, and the answer's `Location`,
  `Link` (rel="memento" with a datetime) or `Memento-Datetime` give the capture, which may be
  in archive.today, national libraries or other archives.

Why not the Wayback availability API (`archive.org/wayback/available`): it is known to return
empty `archived_snapshots` for pages that are archived (lychee's Wayback module and its
tests document the flakiness), so an answer from it cannot be read as "no capture".

Politeness: the Internet Archive allows about 600 replays and 30 CDX/timemap requests a minute
and blocks clients that flood it. Each kind of endpoint has its own token bucket at 80 % of
that; a 429 pauses the whole kind for `Retry-After` (or 60 s when absent) and the wait is
reported through `progress`, so a long pause never looks like a hang.

No network is not a missing capture: when the archive host does not resolve (sandboxes, CI
runners with closed egress) the first lookup says "network unavailable" and every later one
answers the same at once instead of trying again per URL.

Deliberately not here: caching (the runner asks `Cache.get_archive` first), Save Page Now.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import re
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urljoin, urlsplit

import httpx

from citeaudit.check.network import (
    NETWORK_UNAVAILABLE,
    AddressRefused,
    NameNotResolved,
    exchange_deadline,
)
from citeaudit.check.ratelimit import parse_retry_after
from citeaudit.errors import CheckError
from citeaudit.models import ArchiveMode, ArchiveOutcome, ArchiveSnapshot

NO_CAPTURE = "no capture"
"""How a reason says the archive has nothing (the fact itself is `ArchiveOutcome.NONE`)."""

_MAX_RATE_LIMIT_RETRIES = 3
_CONNECT_FAILURES_BEFORE_GIVING_UP = 3
_RETRY_AFTER_CAP = 600.0
_PROGRESS_MIN_WAIT = 5.0
"""Token-bucket waits shorter than this are routine and not reported."""

_WAYBACK_PATH = re.compile(r"/web/(\d{14})(?:[a-z]{2}_)?/(.+)", re.DOTALL)
_DIGITS14 = re.compile(r"(?<!\d)((?:19|20)\d{12})(?!\d)")

_ARCHIVE_NAMES: tuple[tuple[str, str], ...] = (
    ("web.archive.org", "Internet Archive"),
    ("wayback.archive.org", "Internet Archive"),
    ("wayback.archive-it.org", "Archive-It"),
    ("archive.today", "archive.today"),
    ("archive.ph", "archive.today"),
    ("archive.is", "archive.today"),
    ("archive.li", "archive.today"),
    ("archive.md", "archive.today"),
    ("archive.vn", "archive.today"),
    ("archive.fo", "archive.today"),
    ("webarchive.loc.gov", "Library of Congress"),
    ("webarchive.org.uk", "UK Web Archive"),
    ("webarchive.nationalarchives.gov.uk", "UK Government Web Archive"),
    ("arquivo.pt", "Arquivo.pt"),
    ("webarchive.nla.gov.au", "Australian Web Archive"),
    ("trove.nla.gov.au", "Australian Web Archive"),
    ("swap.stanford.edu", "Stanford Web Archive"),
    ("wayback.vefsafn.is", "Icelandic Web Archive"),
    ("webarchive.bac-lac.gc.ca", "Library and Archives Canada"),
    ("perma.cc", "Perma.cc"),
    ("ghostarchive.org", "Ghostarchive"),
    ("webcitation.org", "WebCite"),
)


@dataclass(frozen=True)
class ArchiveOptions:
    """Where and how fast to ask web archives."""

    mode: ArchiveMode = ArchiveMode.WAYBACK
    wayback_endpoint: str = "https://web.archive.org"
    memento_endpoint: str | None = None
    """A MemGator-style aggregator base: TimeGate at `<endpoint>/timegate/<url>`."""
    replay_per_minute: float = 480.0
    """Replay and TimeGate requests a minute (80 % of the Internet Archive's 600)."""
    cdx_per_minute: float = 24.0
    """CDX requests a minute (80 % of the Internet Archive's 30)."""
    wait_after_429: float = 60.0
    """Pause after a 429 that carries no `Retry-After`."""
    wayback_name: str = "Internet Archive"
    """The archive named in results of `mode="wayback"` (another pywb/Wayback can be named)."""
    confirm_with_cdx: bool = True
    """Check that the closest capture is a real page (replay, then CDX when needed)."""
    timeout: float = 30.0
    """Seconds per archive request."""

    def __post_init__(self) -> None:
        # The one place an archive choice is checked: options that cannot work never exist.
        try:
            object.__setattr__(self, "mode", ArchiveMode(self.mode))
        except ValueError:
            choices = ", ".join(m.value for m in ArchiveMode)
            raise CheckError(f"unknown archive {self.mode!r} (choose from {choices})") from None
        if self.mode is ArchiveMode.MEMENTO and not self.memento_endpoint:
            raise CheckError("--archive memento needs --memento-endpoint URL (a TimeGate)")


@dataclass(frozen=True, slots=True)
class ArchiveStats:
    """Counters of one client's work, for the run summary."""

    lookups: int = 0
    found: int = 0
    not_found: int = 0
    rate_limited: int = 0
    """429 answers received."""
    waited_seconds: float = 0.0
    """Time spent waiting on the limiters (spacing and 429 pauses)."""
    errors: int = 0


@dataclass
class _Counters:
    lookups: int = 0
    found: int = 0
    not_found: int = 0
    rate_limited: int = 0
    waited_seconds: float = 0.0
    errors: int = 0


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
        """`on_slow(seconds)` is told before a pacing wait of `_PROGRESS_MIN_WAIT` or more."""
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
                    if delay >= _PROGRESS_MIN_WAIT and self._on_slow is not None:
                        self._on_slow(delay)
                await self._sleep(delay)
                waited += delay


def wayback_timestamp(moment: date | datetime) -> str:
    """The 14-digit Wayback timestamp of a date (noon UTC) or datetime.

    >>> wayback_timestamp(date(2023, 8, 3))
    '20230803120000'
    """
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, 12, tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def parse_timestamp(digits: str) -> datetime:
    """A 14-digit archive timestamp as an aware UTC datetime.

    >>> parse_timestamp("20230805101112").isoformat()
    '2023-08-05T10:11:12+00:00'
    """
    return datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def days_from(capture: datetime, as_of: date) -> int:
    """Whole days from the document date to the capture (negative: captured before it).

    >>> days_from(datetime(2023, 8, 1, 23, 0, tzinfo=UTC), date(2023, 8, 3))
    -2
    """
    return (capture.astimezone(UTC).date() - as_of).days


def archive_name(capture_url: str) -> str:
    """A readable archive name from a capture URL's host (the host itself when unknown).

    >>> archive_name("https://archive.ph/20230801/https://example.org/")
    'archive.today'
    >>> archive_name("http://www.webarchive.org.uk/wayback/archive/2014/http://x.uk/")
    'UK Web Archive'
    """
    host = (urlsplit(capture_url).hostname or "").lower()
    for suffix, name in _ARCHIVE_NAMES:
        if host == suffix or host.endswith("." + suffix):
            return name
    return host.removeprefix("www.") or "unknown archive"


def same_resource(a: str, b: str) -> bool:
    """Whether two URLs name the same page for archive purposes (scheme, www., slash ignored).

    >>> same_resource("https://www.Example.org/a/", "http://example.org:80/a")
    True
    >>> same_resource("https://example.org/a", "https://example.org/")
    False
    """

    def key(url: str) -> tuple[str, str, str]:
        parts = urlsplit(url if "://" in url else "http://" + url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        port = parts.port
        if port in (80, 443):
            port = None
        path = parts.path.rstrip("/")
        return (f"{host}:{port}" if port else host, path, parts.query)

    try:
        return key(a) == key(b)
    except ValueError:
        return False


def parse_link_header(value: str) -> list[tuple[str, dict[str, str]]]:
    """Split an RFC 8288 `Link` header into (target, params); linear, quote-aware.

    >>> parse_link_header('<http://a/1>; rel="memento"; datetime="Tue, 01 Aug 2023 00:00:00 GMT"')
    [('http://a/1', {'rel': 'memento', 'datetime': 'Tue, 01 Aug 2023 00:00:00 GMT'})]
    """
    links: list[tuple[str, dict[str, str]]] = []
    i, n = 0, len(value)
    while i < n:
        start = value.find("<", i)
        if start < 0:
            break
        end = value.find(">", start)
        if end < 0:
            break
        target = value[start + 1 : end].strip()
        # params run to the next comma that is outside quotes
        j = end + 1
        in_quotes = False
        while j < n:
            ch = value[j]
            if ch == '"':
                in_quotes = not in_quotes
            elif ch == "," and not in_quotes:
                break
            j += 1
        params: dict[str, str] = {}
        for piece in _split_params(value[end + 1 : j]):
            name, eq, raw = piece.partition("=")
            name = name.strip().lower()
            if name:
                params[name] = raw.strip().strip('"') if eq else ""
        links.append((target, params))
        i = j + 1
    return links


def _split_params(text: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    in_quotes = False
    for ch in text:
        if ch == '"':
            in_quotes = not in_quotes
        if ch == ";" and not in_quotes:
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
    pieces.append("".join(current))
    return [p for p in pieces if p.strip()]


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _dns_failure(exc: BaseException) -> BaseException | None:
    """The name-resolution failure at the root of an httpx error, if that is what it is."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, socket.gaierror | NameNotResolved):
            return current
        current = current.__cause__ or current.__context__
    # anyio and httpcore sometimes keep only the message of the gaierror
    text = str(exc).lower()
    if "name or service not known" in text or "name resolution" in text:
        return exc
    if "nodename nor servname" in text or "getaddrinfo failed" in text:
        return exc
    return None


class _RateLimited(Exception):
    """The archive kept answering 429."""


_CDX_MAX_BYTES = 1 << 20
"""A CDX answer of at most five rows is a few hundred bytes; past this it is not one."""


class _GaveUp(Exception):
    """The archive was given up on while this lookup queued for the limiter."""


class ArchiveClient:
    """Finds the capture closest to a date; never raises for what the network does."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        options: ArchiveOptions,
        *,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self._client = client
        self.options = options
        self._progress = progress
        self._replay = TokenBucket(
            options.replay_per_minute, clock=clock, sleep=sleep, on_slow=self._pacing
        )
        self._index = TokenBucket(
            options.cdx_per_minute, clock=clock, sleep=sleep, on_slow=self._pacing
        )
        self._counters = _Counters()
        self._down: str | None = None
        self._connect_failures = 0

    @property
    def stats(self) -> ArchiveStats:
        """A snapshot of the counters so far."""
        c = self._counters
        return ArchiveStats(
            lookups=c.lookups,
            found=c.found,
            not_found=c.not_found,
            rate_limited=c.rate_limited,
            waited_seconds=c.waited_seconds,
            errors=c.errors,
        )

    @property
    def unavailable(self) -> str | None:
        """Why the archive is no longer asked in this run (None while it is)."""
        return self._down

    async def replay_turn(self) -> None:
        """Wait for the replay limiter's next slot, for callers that download captures."""
        self._counters.waited_seconds += await self._replay.acquire()

    async def closest(self, url: str, as_of: date) -> ArchiveSnapshot:
        """The capture of `url` closest to `as_of`, or why there is none."""
        self._counters.lookups += 1
        url = url.split("#", 1)[0]
        if self._down is not None:
            return self._count(ArchiveSnapshot(available=False, reason=self._down))
        try:
            if self.options.mode == "memento":
                snapshot = await self._memento(url, as_of)
            else:
                snapshot = await self._wayback(url, as_of)
        except _RateLimited as exc:
            snapshot = ArchiveSnapshot(available=False, reason=str(exc))
        except _GaveUp:
            snapshot = ArchiveSnapshot(available=False, reason=self._down)
        except httpx.HTTPError as exc:
            snapshot = self._failure(exc)
        except NameNotResolved as exc:
            snapshot = self._failure(exc)
        except AddressRefused as exc:
            # the endpoint itself is refused by the address-safety rule: true for every URL
            self._give_up(f"archive endpoint refused: {exc} (map it with --resolve)")
            snapshot = ArchiveSnapshot(available=False, reason=self._down)
        except (httpx.InvalidURL, ValueError) as exc:
            snapshot = ArchiveSnapshot(available=False, reason=f"archive error: bad URL ({exc})")
        else:
            self._connect_failures = 0
        return self._count(snapshot)

    def _count(self, snapshot: ArchiveSnapshot) -> ArchiveSnapshot:
        c = self._counters
        if snapshot.available:
            c.found += 1
        elif snapshot.outcome is ArchiveOutcome.NONE:
            c.not_found += 1
        else:
            c.errors += 1
        return snapshot

    def _failure(self, exc: Exception) -> ArchiveSnapshot:
        dns = _dns_failure(exc)
        if dns is not None:
            self._give_up(f"{NETWORK_UNAVAILABLE}: the archive host cannot be resolved ({dns})")
            return ArchiveSnapshot(available=False, reason=self._down)
        reason = f"archive error: {type(exc).__name__}: {exc}".rstrip(": ")
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            self._connect_failures += 1
            if self._connect_failures >= _CONNECT_FAILURES_BEFORE_GIVING_UP:
                self._give_up(f"archive unreachable: {exc}")
        return ArchiveSnapshot(available=False, reason=reason)

    def _give_up(self, reason: str) -> None:
        # lookups already in flight may fail too: say it once, keep the first reason
        if self._down is None:
            self._down = reason
            self._say(f"archive: {reason}; archive lookups skipped for this run")

    def _pacing(self, seconds: float) -> None:
        self._say(f"archive: keeping to the rate limit, waiting {seconds:.0f} s")

    def _say(self, message: str) -> None:
        if self._progress is not None:
            self._progress(message)

    async def _get(
        self,
        bucket: TokenBucket,
        url: str,
        *,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """One GET through a limiter, redirects not followed, body not read unless asked."""
        for _attempt in range(_MAX_RATE_LIMIT_RETRIES + 1):
            if self._down is not None:
                raise _GaveUp
            self._counters.waited_seconds += await bucket.acquire(lambda: self._down is not None)
            if self._down is not None:
                raise _GaveUp
            request = self._client.build_request(
                "GET", url, params=params, headers=headers, timeout=self.options.timeout
            )
            async with exchange_deadline(self.options.timeout, request):
                response = await self._client.send(request, follow_redirects=False, stream=True)
            if response.status_code != 429:
                return response
            await response.aclose()
            self._counters.rate_limited += 1
            pause = parse_retry_after(response.headers.get("retry-after"))
            pause = self.options.wait_after_429 if pause is None else min(pause, _RETRY_AFTER_CAP)
            bucket.pause(pause)
            self._say(f"archive: rate limited, waiting {pause:.0f} s")
        raise _RateLimited(
            f"rate limited by the archive ({_MAX_RATE_LIMIT_RETRIES + 1} answers 429)"
        )

    async def _read_capped(self, response: httpx.Response, cap: int) -> bytes | None:
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

    # -- Internet Archive -----------------------------------------------------------------

    def _replay_url(self, timestamp: str, url: str) -> str:
        return f"{self.options.wayback_endpoint.rstrip('/')}/web/{timestamp}/{url}"

    def _found(self, capture_url: str, when: datetime, as_of: date) -> ArchiveSnapshot:
        if self.options.mode == "wayback":
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

    async def _wayback(self, url: str, as_of: date) -> ArchiveSnapshot:
        target = wayback_timestamp(as_of)
        ask = self._replay_url(target, url)
        response = await self._get(self._replay, ask)
        await response.aclose()
        status = response.status_code
        if status == 404:
            if self.options.confirm_with_cdx and "memento-datetime" in response.headers:
                # a replayed archived 404: an earlier or later capture may be a real page
                return await self._cdx(url, as_of, "the closest capture is an archived 404")
            return ArchiveSnapshot.none(f"{NO_CAPTURE} in the Internet Archive")
        if 200 <= status < 300:
            when = _http_date(response.headers.get("memento-datetime")) or parse_timestamp(target)
            return self._found(ask, when, as_of)
        if status in (301, 302, 303, 307, 308):
            location = response.headers.get("location")
            if not location:
                return ArchiveSnapshot(
                    available=False, reason=f"archive error: {status} without Location"
                )
            capture = urljoin(ask, location)
            match = _WAYBACK_PATH.search(urlsplit(capture).path + _query(capture))
            if match is None:
                return ArchiveSnapshot(
                    available=False, reason=f"archive error: unexpected redirect to {capture}"
                )
            when = parse_timestamp(match.group(1))
            if not self.options.confirm_with_cdx:
                return self._found(capture, when, as_of)
            if not same_resource(match.group(2), url):
                return await self._cdx(url, as_of, "the closest capture is an archived redirect")
            return await self._confirm_replay(url, capture, when, as_of)
        return ArchiveSnapshot(available=False, reason=f"archive error: HTTP {status}")

    async def _confirm_replay(
        self, url: str, capture: str, when: datetime, as_of: date
    ) -> ArchiveSnapshot:
        """Ask the capture itself: 2xx is a real page; anything else goes to the CDX index."""
        response = await self._get(self._replay, capture)
        await response.aclose()
        status = response.status_code
        if 200 <= status < 300:
            return self._found(capture, when, as_of)
        if 300 <= status < 400:
            location = urljoin(capture, response.headers.get("location", ""))
            match = _WAYBACK_PATH.search(urlsplit(location).path + _query(location))
            if match is not None and same_resource(match.group(2), url):
                # Wayback moved us to the same page at another instant: take that capture.
                return await self._confirm_final(
                    url, location, parse_timestamp(match.group(1)), as_of
                )
            return await self._cdx(url, as_of, "the closest capture is an archived redirect")
        if status >= 500 and "memento-datetime" not in response.headers:
            return ArchiveSnapshot(available=False, reason=f"archive error: HTTP {status}")
        return await self._cdx(url, as_of, f"the closest capture is an archived {status}")

    async def _confirm_final(
        self, url: str, capture: str, when: datetime, as_of: date
    ) -> ArchiveSnapshot:
        # one more hop at most: a second move means the replay cannot settle it
        response = await self._get(self._replay, capture)
        await response.aclose()
        if 200 <= response.status_code < 300:
            return self._found(capture, when, as_of)
        return await self._cdx(url, as_of, f"the closest capture answers {response.status_code}")

    async def _cdx(self, url: str, as_of: date, why: str) -> ArchiveSnapshot:
        """The closest capture that was a 200 page, from the CDX index."""
        target = wayback_timestamp(as_of)
        endpoint = f"{self.options.wayback_endpoint.rstrip('/')}/cdx/search/cdx"
        params = {
            "url": url,
            "output": "json",
            "fl": "timestamp,original,statuscode,mimetype",
            "filter": "statuscode:200",
            "closest": target,
            "sort": "closest",
            "limit": "5",
        }
        response = await self._get(self._index, endpoint, params=params)
        try:
            if response.status_code != 200:
                return ArchiveSnapshot(
                    available=False,
                    reason=f"archive error: CDX answered HTTP {response.status_code}",
                )
            body = await self._read_capped(response, _CDX_MAX_BYTES)
        finally:
            await response.aclose()
        if body is None:
            return ArchiveSnapshot(available=False, reason="archive error: CDX answer too large")
        rows = _cdx_rows(body)
        if rows is None:
            return ArchiveSnapshot(available=False, reason="archive error: CDX answer is not JSON")
        goal = parse_timestamp(target)
        best: tuple[float, datetime, str] | None = None
        for row in rows:
            stamp = row.get("timestamp", "")
            original = row.get("original", url)
            code = row.get("statuscode", "")
            if code != "200" or not re.fullmatch(r"\d{14}", stamp):
                continue  # a server ignoring the filter must not turn an error page into a capture
            when = parse_timestamp(stamp)
            distance = abs((when - goal).total_seconds())
            if best is None or distance < best[0]:
                best = (distance, when, original)
        if best is None:
            return ArchiveSnapshot.none(f"{NO_CAPTURE} that is a real page ({why})")
        _, when, original = best
        return self._found(self._replay_url(wayback_timestamp(when), original), when, as_of)

    # -- Memento aggregator ---------------------------------------------------------------

    def _timegate_url(self, url: str) -> str:
        base = (self.options.memento_endpoint or "").rstrip("/")
        if not base.endswith("/timegate"):
            base += "/timegate"
        return f"{base}/{url}"

    async def _memento(self, url: str, as_of: date) -> ArchiveSnapshot:
        moment = datetime(as_of.year, as_of.month, as_of.day, 12, tzinfo=UTC)
        gate = self._timegate_url(url)
        response = await self._get(
            self._replay,
            gate,
            headers={"Accept-Datetime": email.utils.format_datetime(moment, usegmt=True)},
        )
        await response.aclose()
        status = response.status_code
        if status == 404:
            return ArchiveSnapshot.none(f"{NO_CAPTURE} in any Memento archive")
        links = parse_link_header(", ".join(response.headers.get_list("link")))
        capture: str | None = None
        if 300 <= status < 400 and response.headers.get("location"):
            capture = urljoin(gate, response.headers["location"])
        elif 200 <= status < 300:
            located = response.headers.get("content-location")
            capture = urljoin(gate, located) if located else None
            if capture is None:
                mementos = [t for t, p in links if "memento" in p.get("rel", "").split()]
                capture = mementos[0] if len(mementos) == 1 else None
        else:
            return ArchiveSnapshot(available=False, reason=f"archive error: TimeGate HTTP {status}")
        if capture is None:
            return ArchiveSnapshot(
                available=False, reason="archive error: TimeGate answer names no memento"
            )
        when = _memento_time(capture, links, response.headers.get("memento-datetime"))
        if when is None:
            return ArchiveSnapshot(
                available=False, reason=f"archive error: no capture time for {capture}"
            )
        return self._found(capture, when, as_of)


def _query(url: str) -> str:
    query = urlsplit(url).query
    return "?" + query if query else ""


def _memento_time(
    capture: str, links: list[tuple[str, dict[str, str]]], header: str | None
) -> datetime | None:
    """The capture time: its Link entry's datetime, Memento-Datetime, or its URL's 14 digits."""
    for target, params in links:
        if target == capture and "datetime" in params:
            when = _http_date(params["datetime"])
            if when is not None:
                return when
    when = _http_date(header)
    if when is not None:
        return when
    match = _DIGITS14.search(capture)
    if match is not None:
        try:
            return parse_timestamp(match.group(1))
        except ValueError:
            return None
    return None


def _cdx_rows(body: bytes) -> list[dict[str, str]] | None:
    """CDX JSON output (a header row, then one row per capture) as dicts; None if not JSON."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return []  # the CDX server answers an empty body when nothing matches
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, list):
        return None
    rows = [r for r in data if isinstance(r, list) and r]
    if not rows:
        return []
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, (str(v) for v in r), strict=False)) for r in rows[1:]]
