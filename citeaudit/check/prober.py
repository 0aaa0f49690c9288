"""Probing a run's pending resources: one client behind the host limits, the DNS canary first.

Before any domain may be called dead, the canary must resolve. When it does not, or when every
host of the run fails to resolve, the run carries one notice and the affected URLs are `error`
("network unavailable"), never `dead`.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Sequence
from datetime import UTC, datetime

import httpx

from citeaudit.check.cookies import jar_of
from citeaudit.check.network import (
    NETWORK_UNAVAILABLE,
    Lookup,
    NameNotResolved,
    Resolver,
    canary,
)
from citeaudit.check.options import CheckOptions
from citeaudit.check.pages import PageKeeper
from citeaudit.check.probe import ProbeContext, probe_url, random_path_shape
from citeaudit.check.ratelimit import HostLimiter
from citeaudit.check.runstore import RunStore
from citeaudit.check.softnotfound import PageShape
from citeaudit.check.transport import CheckerClient, SafeTransport
from citeaudit.models import LinkStatus, Verdict

_ALL_FAIL_MIN_HOSTS = 2
"""With a working canary, "every host failed to resolve" needs at least this many hosts: one
misspelt domain in a one-link run is a dead link, not a dead network."""


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


class Prober:
    """Turns pending resource keys into verdicts; `open` it, `aclose` it when the run ends."""

    def __init__(
        self,
        ctx: ProbeContext,
        limiter: HostLimiter,
        stored: RunStore,
        offline: set[str],
    ) -> None:
        self.ctx = ctx
        self.limiter = limiter
        self._stored = stored
        self._offline = offline
        self._shapes: dict[str, asyncio.Task[PageShape | None]] = {}
        if ctx.options.soft404_probe:
            ctx.host_shape = self.host_shape

    @classmethod
    async def open(
        cls,
        hosts: Sequence[str],
        options: CheckOptions,
        stored: RunStore,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        lookup: Lookup | None = None,
        keep_pages: PageKeeper | None = None,
    ) -> Prober:
        """A prober for a run over `hosts`, the network's state learnt first (unless mocked)."""
        resolver = Resolver(
            options.resolve_map(), allow_private=options.allow_private, lookup=lookup
        )
        dns_hosts = sorted(h for h in set(hosts) if not resolver.is_mapped(h) and not _literal(h))
        network_down = None
        if dns_hosts and transport is None:
            network_down = await network_state(resolver, options, dns_hosts)
        limiter = HostLimiter(
            options.per_host, options.global_cap(len(set(hosts))), host_limits=options.host_limits
        )
        client = make_client(options, resolver, transport=transport)
        ctx = ProbeContext(
            client, options, limiter, network_down=network_down, keep_pages=keep_pages
        )
        # with no network, a lookup can only fail, and a resolver that times out makes each one
        # cost seconds: names needing DNS are not looked up again
        return cls(ctx, limiter, stored, set(dns_hosts) if network_down else set())

    @property
    def network_down(self) -> str | None:
        """Why the network is taken to be down (None while it works)."""
        return self.ctx.network_down

    @property
    def max_in_flight_per_host(self) -> int:
        """The most requests one host saw at once."""
        return max(self.limiter.max_in_flight.values(), default=0)

    async def verdict(self, key: str, host: str) -> Verdict:
        """The verdict of one resource; a checker bug on it is its `error`, not the run's end."""
        try:
            if host in self._offline:
                return Verdict(
                    key,
                    LinkStatus.ERROR,
                    f"{self.network_down} ({host} not looked up)",
                    checked_at=datetime.now(UTC),
                )
            return await probe_url(self.ctx, key)
        except Exception as exc:  # a checker bug on one URL must not sink the whole run
            return Verdict(
                key,
                LinkStatus.ERROR,
                f"internal error while checking: {type(exc).__name__}: {exc}",
                checked_at=datetime.now(UTC),
            )

    async def host_shape(self, origin: str) -> PageShape | None:
        """What `origin` answers for a random path: asked once per run, shared by its URLs."""
        task = self._shapes.get(origin)
        if task is None:
            task = self._shapes[origin] = asyncio.ensure_future(self._shape(origin))
        if task.done():
            return task.result()  # the common case: no new future per URL
        return await asyncio.shield(task)

    async def _shape(self, origin: str) -> PageShape | None:
        data = self._stored.host_probe(origin)
        if data:
            try:
                return PageShape.from_dict(data)
            except (KeyError, TypeError, ValueError):
                pass
        shape = await random_path_shape(self.ctx, origin)
        if shape is not None:
            self._stored.put_host_probe(origin, shape.to_dict())
        return shape

    async def aclose(self) -> None:
        """Stop the host probes still running and close the client."""
        for task in self._shapes.values():
            task.cancel()
        await self.ctx.client.aclose()


def _literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


async def network_state(resolver: Resolver, options: CheckOptions, hosts: list[str]) -> str | None:
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


def network_notice(network_down: str) -> str:
    """The run's notice when the network is down."""
    return (
        f"{network_down}: no link is reported dead for want of a domain; "
        "URLs whose host needs DNS are marked error"
    )
