"""Check many URLs at once: dedupe, cache, canary, probe concurrently, ask the archive.

`check_urls` is the checker's one entry point. It probes every unique resource once (the
`#fragment` and a default port do not make a new resource), skips what the cache already knows
and is still fresh, hands each verdict to the cache the moment it is known (committed within
50 ms: a `kill -9` loses at most that window), and keeps one `httpx.AsyncClient` with
keep-alive pools behind the per-host and global limits of `HostLimiter`.

Before any domain may be called dead, the canary must resolve. When it does not, or when every
host of the run fails to resolve, the run carries one notice and the affected URLs are `error`
("network unavailable"), never `dead`.

This module does not parse documents or render anything; it maps URLs to verdicts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import itertools
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

import httpx

from citeaudit.catalog.normalize import normalize
from citeaudit.check.cookies import jar_of
from citeaudit.check.network import (
    NETWORK_UNAVAILABLE,
    Lookup,
    NameNotResolved,
    Resolver,
    canary,
)
from citeaudit.check.options import CheckOptions
from citeaudit.check.probe import ProbeContext, probe_url, random_path_shape
from citeaudit.check.ratelimit import HostLimiter
from citeaudit.check.softnotfound import PageShape
from citeaudit.check.transport import CheckerClient, SafeTransport
from citeaudit.models import ArchiveSnapshot, LinkStatus, Verdict

HOST_PROBE_MAX_AGE_DAYS = 7
_ALL_FAIL_MIN_HOSTS = 2
"""With a working canary, "every host failed to resolve" needs at least this many hosts: one
misspelt domain in a one-link run is a dead link, not a dead network."""


class CacheLike(Protocol):
    """What the runner needs from `citeaudit.check.cache.Cache`."""

    def get(
        self, url: str, *, now: datetime, max_age_alive: Any, max_age_other: Any
    ) -> Verdict | None: ...  # noqa: E501
    def put(self, verdict: Verdict) -> None: ...
    def get_host_probe(
        self, host: str, *, now: datetime, max_age: Any
    ) -> dict[str, Any] | None: ...  # noqa: E501
    def put_host_probe(self, host: str, data: dict[str, Any]) -> None: ...


class ArchiveLike(Protocol):
    """What the runner needs from `citeaudit.check.archive.ArchiveClient`."""

    async def closest(self, url: str, as_of: date) -> ArchiveSnapshot: ...


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """One step of a run, for a progress bar: `done` of `total` unique URLs."""

    done: int
    total: int
    hosts: int
    url: str | None = None
    status: LinkStatus | None = None
    from_cache: bool = False
    phase: str = "check"
    """"check" while probing, "archive" while asking web archives."""
    waiting_on: str | None = None
    """The host with the most URLs still to check: the one holding the run up."""


@dataclass(frozen=True)
class CheckRun:
    """Every verdict of a run, keyed by the URL as given, plus run-wide facts."""

    verdicts: dict[str, Verdict]
    notices: tuple[str, ...] = ()
    """Said once at the top of a report (network unavailable, cache trouble)."""
    requests: int = 0
    hosts: int = 0
    unique: int = 0
    from_cache: int = 0
    elapsed: float = 0.0
    max_in_flight_per_host: int = 0
    network_available: bool = True


def dedupe_key(url: str) -> str | None:
    """The resource a URL names (fragment and default port dropped), or None if malformed.

    >>> dedupe_key("HTTPS://Example.org:443/a#x")
    'https://example.org/a'
    >>> dedupe_key("mailto:a@b.c") is None
    True
    """
    n = normalize(url)
    return n.key if n.valid else None


def _truncated(url: str) -> bool:
    return url.rstrip().endswith(("…", "...", "%E2%80%A6", "%e2%80%a6"))


def _excluded(host: str, exclude: tuple[str, ...]) -> bool:
    for rule in exclude:
        rule = rule.lower()
        if host == rule.lstrip(".") or (rule.startswith(".") and host.endswith(rule)):
            return True
    return False


def make_client(
    options: CheckOptions,
    resolver: Resolver | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    lookup: Lookup | None = None,
) -> httpx.AsyncClient:
    """The checker's HTTP client: safe transport, User-Agent, timeout, no automatic redirects.

    The CLI may build its `ArchiveClient` on one of these, so archive requests obey the same
    --resolve, --ca-bundle and address-safety rules as probes.
    """
    if resolver is None:
        resolver = Resolver(
            options.resolve_map(), allow_private=options.allow_private, lookup=lookup
        )
    return CheckerClient(
        transport=transport or SafeTransport(options, resolver),
        timeout=httpx.Timeout(options.timeout),
        headers={
            "User-Agent": options.agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "en;q=0.9, *;q=0.5",
        },
        follow_redirects=False,
        trust_env=False,
        cookies=jar_of(options.cookies) if options.cookies else None,
    )


async def check_urls(
    urls: Sequence[str],
    options: CheckOptions,
    *,
    cache: CacheLike | None = None,
    archive: ArchiveLike | None = None,
    progress: Callable[[ProgressEvent], None] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    lookup: Lookup | None = None,
) -> CheckRun:
    """Check every unique URL once and return the verdicts keyed by the URLs given.

    `cache` and `archive` are optional (`Cache`, `ArchiveClient` or anything shaped like them).
    `transport` replaces the whole network stack (pure unit tests); the canary and the
    address-safety rule then lie with it. `lookup` replaces the system resolver (tests).
    """
    t0 = time.monotonic()
    now = datetime.now(UTC)
    notices: list[str] = []
    cache_broken = False

    def cache_call(fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        # a broken cache slows a run down, never stops it: warn once and go on
        nonlocal cache_broken
        if cache is None or cache_broken:
            return None
        try:
            return fn(*args, **kw)
        except Exception as exc:
            cache_broken = True
            notices.append(f"cache disabled for this run: {exc}")
            return None

    by_key: dict[str, list[str]] = {}
    host_of: dict[str, str] = {}
    results: dict[str, Verdict] = {}
    for url in urls:
        if _truncated(url):
            results[url] = Verdict(url, LinkStatus.INVALID, "truncated URL; not probed")
            continue
        normalized = normalize(url)  # one parse per URL gives both the key and the host
        if not normalized.valid:
            results[url] = Verdict(url, LinkStatus.INVALID, "malformed URL; not probed")
            continue
        by_key.setdefault(normalized.key, []).append(url)
        host_of[normalized.key] = normalized.host

    unique = len(by_key)
    hosts_all = set(host_of.values())
    done = 0
    from_cache = 0
    key_verdicts: dict[str, Verdict] = {}
    pending: list[str] = []

    remaining: Counter[str] = Counter()
    busiest: list[str | None] = [None]

    def emit(key: str, v: Verdict, phase: str = "check") -> None:
        if progress is None:
            return
        host = host_of.get(key, "")
        if host in remaining:
            remaining[host] -= 1
            if remaining[host] <= 0:
                del remaining[host]
        if done % 32 == 0 or busiest[0] not in remaining:
            # a scan over the hosts, every 32 URLs: cheap next to the requests themselves
            busiest[0] = max(remaining, key=remaining.__getitem__, default=None)
        progress(
            ProgressEvent(
                done,
                unique,
                len(hosts_all),
                key,
                v.status,
                v.from_cache,
                phase,
                waiting_on=busiest[0],
            )
        )

    for key in by_key:
        host = host_of[key]
        if _excluded(host, options.exclude):
            key_verdicts[key] = Verdict(key, LinkStatus.SKIPPED, f"host {host} is excluded")
            done += 1
            emit(key, key_verdicts[key])
            continue
        if not options.refresh and cache is not None:
            cached = cache_call(
                cache.get,
                key,
                now=now,
                max_age_alive=options.max_age_alive,
                max_age_other=options.max_age_other,
            )
            if cached is not None:
                key_verdicts[key] = dataclasses.replace(cached, from_cache=True)
                from_cache += 1
                done += 1
                emit(key, key_verdicts[key])
                continue
        pending.append(key)

    remaining.update(host_of[k] for k in pending)
    resolver = Resolver(options.resolve_map(), allow_private=options.allow_private, lookup=lookup)
    network_down: str | None = None
    dns_hosts = sorted(
        {
            h
            for h in (host_of[k] for k in pending)
            if not resolver.is_mapped(h) and not _is_literal(h)
        }
    )
    if dns_hosts and transport is None:
        network_down = await _network_state(resolver, options, dns_hosts)
        if network_down:
            notices.insert(
                0,
                f"{network_down}: no link is reported dead for want of a domain; "
                "URLs whose host needs DNS are marked error",
            )

    hosts = len({host_of[k] for k in pending})
    limiter = HostLimiter(
        options.per_host, options.global_cap(hosts), host_limits=options.host_limits
    )
    client = make_client(options, resolver, transport=transport)
    shapes: dict[str, asyncio.Task[PageShape | None]] = {}
    ctx = ProbeContext(client, options, limiter, network_down=network_down)

    async def compute_shape(origin: str) -> PageShape | None:
        data = cache_call(
            cache.get_host_probe if cache is not None else _none,
            origin,
            now=now,
            max_age=options.max_age_alive,
        )
        if data and not options.refresh:
            try:
                return PageShape.from_dict(data)
            except (KeyError, TypeError, ValueError):
                pass
        shape = await random_path_shape(ctx, origin)
        if shape is not None and cache is not None:
            cache_call(cache.put_host_probe, origin, shape.to_dict())
        return shape

    async def host_shape(origin: str) -> PageShape | None:
        task = shapes.get(origin)
        if task is None:
            task = shapes[origin] = asyncio.ensure_future(compute_shape(origin))
        return await asyncio.shield(task)

    if options.soft404_probe:
        ctx.host_shape = host_shape
    as_of = options.as_of or now.date()

    # with no network, a lookup can only fail, and a resolver that times out makes each one
    # cost seconds: names needing DNS are not looked up again
    offline = set(dns_hosts) if network_down else set()

    async def one(key: str) -> None:
        nonlocal done
        try:
            if host_of[key] in offline:
                verdict = Verdict(
                    key,
                    LinkStatus.ERROR,
                    f"{network_down} ({host_of[key]} not looked up)",
                    checked_at=datetime.now(UTC),
                )
            else:
                verdict = await probe_url(ctx, key)
        except Exception as exc:  # a checker bug on one URL must not sink the whole run
            verdict = Verdict(
                key,
                LinkStatus.ERROR,
                f"internal error while checking: {type(exc).__name__}: {exc}",
                checked_at=datetime.now(UTC),
            )
        cache_call(cache.put if cache is not None else _none, verdict)
        key_verdicts[key] = verdict
        done += 1
        emit(key, verdict)

    try:
        # A window of probes, hosts taken in turn: a task per URL held at once for a whole
        # archive is where the memory went, and the turns keep every host's slots busy.
        window = TASKS_PER_SLOT * options.global_cap(hosts)
        await run_bounded(interleave_hosts(pending, host_of), one, window)
        if archive is not None:
            await _ask_archive(archive, key_verdicts, as_of, cache_call, cache, progress, unique)
    finally:
        for task in shapes.values():
            task.cancel()
        await client.aclose()

    for key, given in by_key.items():
        for url in given:
            v = key_verdicts[key]
            results[url] = v if v.url == url else dataclasses.replace(v, url=url)
    ordered = {u: results[u] for u in dict.fromkeys(urls)}
    return CheckRun(
        verdicts=ordered,
        notices=tuple(notices),
        requests=ctx.requests,
        hosts=len(hosts_all),
        unique=unique,
        from_cache=from_cache,
        elapsed=time.monotonic() - t0,
        max_in_flight_per_host=max(limiter.max_in_flight.values(), default=0),
        network_available=network_down is None,
    )


TASKS_PER_SLOT = 4
"""Probes started ahead per request slot: enough that a slow host never leaves a slot idle."""


def interleave_hosts(keys: Sequence[str], host_of: Mapping[str, str]) -> list[str]:
    """The keys with their hosts taken in turn, each host's keys in their order.

    >>> hosts = {"a1": "a", "a2": "a", "a3": "a", "b1": "b"}
    >>> interleave_hosts(["a1", "a2", "a3", "b1"], hosts)
    ['a1', 'b1', 'a2', 'a3']
    """
    queues: dict[str, list[str]] = {}
    for key in keys:
        queues.setdefault(host_of[key], []).append(key)
    out: list[str] = []
    for turn in itertools.zip_longest(*queues.values()):
        out.extend(k for k in turn if k is not None)
    return out


async def run_bounded(
    items: Sequence[str], work: Callable[[str], Awaitable[None]], window: int
) -> None:
    """`work(item)` for every item, at most `window` at once, started in order."""
    room = asyncio.Semaphore(max(1, window))
    running: set[asyncio.Task[None]] = set()

    async def guarded(item: str) -> None:
        try:
            await work(item)
        finally:
            room.release()

    try:
        for item in items:
            await room.acquire()
            task = asyncio.ensure_future(guarded(item))
            running.add(task)
            task.add_done_callback(running.discard)
        await asyncio.gather(*running)
    finally:
        for task in running:
            task.cancel()


def _none(*args: Any, **kw: Any) -> None:
    return None


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


async def _network_state(resolver: Resolver, options: CheckOptions, hosts: list[str]) -> str | None:
    """None when DNS works, else the network-unavailable reason."""
    result = await canary(resolver, options.canary_hosts, timeout=min(5.0, options.timeout))
    if not result.ok:
        return f"{NETWORK_UNAVAILABLE}: {result.detail}"
    # resolve every host up front (once each): the probes then reuse these answers
    sem = asyncio.Semaphore(32)

    async def one(host: str) -> bool:
        async with sem:
            try:
                await resolver.lookup(host, 443)
            except NameNotResolved:
                return False
            return True

    ok = await asyncio.gather(*(one(h) for h in hosts))
    if len(hosts) >= _ALL_FAIL_MIN_HOSTS and not any(ok):
        return (
            f"{NETWORK_UNAVAILABLE}: none of the {len(hosts)} hosts of this run could be resolved"
        )
    return None


async def _ask_archive(
    archive: ArchiveLike,
    verdicts: dict[str, Verdict],
    as_of: date,
    cache_call: Callable[..., Any],
    cache: CacheLike | None,
    progress: Callable[[ProgressEvent], None] | None,
    total: int,
) -> None:
    """Ask the archive about every URL that has no snapshot yet; commit each answer."""
    # a skipped URL (private address, excluded host) is not sent to a third party either
    todo = [
        k
        for k, v in verdicts.items()
        if v.archive is None and v.status not in (LinkStatus.INVALID, LinkStatus.SKIPPED)
    ]
    done = 0

    async def one(key: str) -> None:
        nonlocal done
        try:
            snap = await archive.closest(key, as_of)
        except Exception as exc:  # an archive outage must not lose the probe verdicts
            snap = ArchiveSnapshot(False, reason=f"archive lookup failed: {exc}")
        v = dataclasses.replace(verdicts[key], archive=snap)
        verdicts[key] = v
        cache_call(
            cache.put if cache is not None else _none, dataclasses.replace(v, from_cache=False)
        )
        done += 1
        if progress is not None:
            progress(ProgressEvent(done, len(todo), 0, key, v.status, v.from_cache, "archive"))

    await asyncio.gather(*(one(k) for k in todo))


def check(urls: Sequence[str], options: CheckOptions, **kw: Any) -> CheckRun:
    """Synchronous `check_urls` (runs its own event loop)."""
    return asyncio.run(check_urls(urls, options, **kw))
