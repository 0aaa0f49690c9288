"""Name resolution, address safety and the "is there a network at all" canary.

Checking the links of an untrusted document must not reach the machine's own network: a URL
whose host resolves to a private, loopback, link-local (cloud metadata at 169.254.169.254),
multicast or reserved address is refused unless `allow_private` is set or the host was mapped on
purpose with `--resolve`. `Resolver` applies that rule; `citeaudit.check.backend.SafeBackend`
asks it on the very address the socket then connects to, so a name that resolves to a public
address for the check and to a private one for the connection (DNS rebinding) cannot slip
through.

Sandboxes and CI runners often answer "no such domain" for every name. `canary()` looks up a few
very stable names first; when none resolves, the runner reports "network unavailable" once and no
URL is called dead for want of a domain.

This module does not decide verdicts; it raises `NameNotResolved` and `AddressRefused`, which
the prober turns into words.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

Lookup = Callable[[str, int], Awaitable[list[str]]]
"""An async name lookup: (host, port) -> addresses; raises NameNotResolved."""

NETWORK_UNAVAILABLE = "network unavailable"
_METADATA = ipaddress.ip_address("169.254.169.254")
_NXDOMAIN_CODES = {socket.EAI_NONAME} | (
    {socket.EAI_NODATA} if hasattr(socket, "EAI_NODATA") else set()
)


class NameNotResolved(Exception):
    """A host name has no address: `nxdomain` when the resolver says it does not exist."""

    def __init__(self, host: str, detail: str, *, nxdomain: bool) -> None:
        super().__init__(f"{host}: {detail}")
        self.host = host
        self.detail = detail
        self.nxdomain = nxdomain


class AddressRefused(Exception):
    """A host resolves only to addresses the safety rule forbids."""

    def __init__(self, host: str, address: str, why: str) -> None:
        super().__init__(f"{host} resolves to {why} address {address}")
        self.host = host
        self.address = address
        self.why = why


def address_problem(address: str) -> str | None:
    """Why an address must not be probed without --allow-private, or None if it is public.

    >>> address_problem("93.184.216.34") is None
    True
    >>> address_problem("127.0.0.1"), address_problem("169.254.169.254")
    ('loopback', 'cloud metadata')
    >>> address_problem("::ffff:10.0.0.1")
    'private'
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip == _METADATA:
        return "cloud metadata"
    for label, flag in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ):
        if flag:
            return label
    return None if ip.is_global else "non-public"


async def system_lookup(host: str, port: int) -> list[str]:
    """Resolve with the system resolver (getaddrinfo in a thread)."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        nx = exc.errno in _NXDOMAIN_CODES
        raise NameNotResolved(
            host, "no such domain" if nx else f"lookup failed ({exc.strerror})", nxdomain=nx
        ) from exc
    except UnicodeError as exc:
        raise NameNotResolved(host, "invalid host name", nxdomain=False) from exc
    seen: dict[str, None] = {}
    for _family, _type, _proto, _name, sockaddr in infos:
        seen.setdefault(str(sockaddr[0]), None)
    if not seen:
        raise NameNotResolved(host, "no address", nxdomain=True)
    return list(seen)


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


class exchange_deadline:  # noqa: N801  (used as a function: `async with exchange_deadline(s)`)
    """One deadline for a whole exchange, failing as httpx's `ReadTimeout` when it strikes.

    httpx's timeouts bound each read, so a server trickling its headers or body one byte at a
    time would hold a request for ever; probes and archive lookups alike need the whole
    exchange bounded. A class rather than a generator: it is entered once per request.
    """

    __slots__ = ("_request", "_seconds", "_timeout")

    def __init__(self, seconds: float, request: httpx.Request | None = None) -> None:
        self._seconds = seconds
        self._request = request
        self._timeout: asyncio.Timeout | None = None

    async def __aenter__(self) -> None:
        """Start the clock."""
        self._timeout = asyncio.timeout(self._seconds)
        await self._timeout.__aenter__()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the clock; a deadline that struck becomes `httpx.ReadTimeout`."""
        assert self._timeout is not None
        try:
            await self._timeout.__aexit__(kind, exc, tb)
        except TimeoutError:
            import httpx  # deferred: loaded already by whoever opened the exchange

            raise httpx.ReadTimeout(
                f"no complete answer within {self._seconds:g} s", request=self._request
            ) from None


def _consume(task: asyncio.Future[list[str]]) -> None:
    if not task.cancelled():
        task.exception()


class Resolver:
    """Resolve each host once per run, apply --resolve and the address-safety rule."""

    def __init__(
        self,
        resolve: dict[tuple[str, int], str] | None = None,
        *,
        allow_private: bool = False,
        lookup: Lookup | None = None,
    ) -> None:
        self._map = {(h.lower(), p): a for (h, p), a in (resolve or {}).items()}
        self._mapped_hosts = {h for h, _ in self._map}
        self.allow_private = allow_private
        self._lookup = lookup or system_lookup
        self._cache: dict[str, asyncio.Future[list[str]]] = {}
        self.looked_up: set[str] = set()
        self.failed: dict[str, NameNotResolved] = {}

    def is_mapped(self, host: str) -> bool:
        """Whether --resolve names this host (for any port)."""
        return host.lower() in self._mapped_hosts

    async def lookup(self, host: str, port: int) -> list[str]:
        """Addresses of a host, without the safety rule (DNS once per host per run)."""
        host = host.lower().rstrip(".")
        mapped = self._map.get((host, port))
        if mapped is not None:
            return [mapped]
        literal = _literal(host)
        if literal is not None:
            return [literal]
        task = self._cache.get(host)
        if task is None:
            # a task of its own: a caller cancelled mid-lookup must not strand the others
            task = asyncio.ensure_future(self._lookup_once(host, port))
            # its failure is read by every awaiter; if all gave up first, nobody must warn
            task.add_done_callback(_consume)
            self._cache[host] = task
            self.looked_up.add(host)
        return list(await asyncio.shield(task))

    async def _lookup_once(self, host: str, port: int) -> list[str]:
        try:
            return await self._lookup(host, port)
        except NameNotResolved as exc:
            self.failed[host] = exc
            raise
        except Exception as exc:  # a resolver bug is a failed lookup, not a crash
            err = NameNotResolved(host, f"lookup failed ({exc})", nxdomain=False)
            self.failed[host] = err
            raise err from exc

    async def resolve(self, host: str, port: int) -> list[str]:
        """The addresses one may connect to; raises NameNotResolved or AddressRefused."""
        host = host.lower().rstrip(".")
        addresses = await self.lookup(host, port)
        if self.allow_private or (host, port) in self._map:
            return addresses
        safe = [a for a in addresses if address_problem(a) is None]
        if not safe:
            raise AddressRefused(host, addresses[0], address_problem(addresses[0]) or "unsafe")
        return safe


@dataclass(frozen=True, slots=True)
class CanaryResult:
    """Whether any canary name resolved, and what was asked."""

    ok: bool
    hosts: tuple[str, ...]
    detail: str


async def canary(resolver: Resolver, hosts: tuple[str, ...], timeout: float = 5.0) -> CanaryResult:
    """Look up the canary names concurrently; any success means DNS works."""
    if not hosts:
        return CanaryResult(True, (), "no canary configured")

    async def one(host: str) -> bool:
        try:
            await asyncio.wait_for(resolver.lookup(host, 443), timeout)
        except (NameNotResolved, TimeoutError):
            return False
        return True

    results = await asyncio.gather(*(one(h) for h in hosts))
    if any(results):
        return CanaryResult(True, hosts, "canary resolved")
    return CanaryResult(
        False, hosts, f"none of the canary names ({', '.join(hosts)}) could be resolved"
    )
