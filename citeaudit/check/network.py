"""Name resolution, address safety and the "is there a network at all" canary.

Checking the links of an untrusted document must not reach the machine's own network: a URL
whose host resolves to a private, loopback, link-local (cloud metadata at 169.254.169.254),
multicast or reserved address is refused unless `allow_private` is set or the host was mapped on
purpose with `--resolve`. The check happens inside the httpcore network backend, on the very
address the socket then connects to, so a name that resolves to a public address for the check
and to a private one for the connection (DNS rebinding) cannot slip through. TLS still runs
against the URL's host name (httpcore passes it as SNI and for certificate verification), so
`--resolve` works for https exactly as curl's does. The sockets themselves are plain asyncio
streams (`AsyncioBackend`), cheaper per request than httpcore's anyio backend.

Sandboxes and CI runners often answer "no such domain" for every name. `canary()` looks up a few
very stable names first; when none resolves, the runner reports "network unavailable" once and no
URL is called dead for want of a domain.

This module does not decide verdicts; it raises `NameNotResolved` and `AddressRefused`, which
the prober turns into words.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import ipaddress
import socket
import ssl
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, NoReturn

import httpcore
import httpx

from citeaudit.check.options import CheckOptions

# httpcore asks `import sniffio` on every request to learn the async library; recent anyio
# releases no longer install sniffio, so each request paid a failed search of sys.path (a third
# of the checker's CPU). A None entry makes that import fail at once, as it did anyway.
if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]

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


@contextlib.asynccontextmanager
async def exchange_deadline(
    seconds: float, request: httpx.Request | None = None
) -> AsyncIterator[None]:
    """One deadline for a whole exchange, failing as httpx's `ReadTimeout` when it strikes.

    httpx's timeouts bound each read, so a server trickling its headers or body one byte at a
    time would hold a request for ever; probes and archive lookups alike need the whole
    exchange bounded.
    """
    try:
        async with asyncio.timeout(seconds):
            yield
    except TimeoutError:
        raise httpx.ReadTimeout(
            f"no complete answer within {seconds:g} s", request=request
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


def _raise_as(kind: type[Exception], exc: BaseException) -> NoReturn:
    raise kind(str(exc) or type(exc).__name__) from exc


class _AsyncioStream(httpcore.AsyncNetworkStream):
    """An httpcore network stream on asyncio's own streams.

    httpcore's anyio backend opens an anyio cancel scope around every read and write, even
    without a timeout; on asyncio those scopes cost about a sixth of the HTTP stack's CPU
    (benchmarks/bench_client.py). Here a read or write with a timeout costs one
    `asyncio.timeout`, one without costs nothing extra. The errors are httpcore's, so httpx
    maps them as it always did.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Up to `max_bytes` bytes; b"" at the end of the stream."""
        try:
            if timeout is None:
                return await self._reader.read(max_bytes)
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError as exc:
            _raise_as(httpcore.ReadTimeout, exc)
        except (OSError, ssl.SSLError, RuntimeError) as exc:
            _raise_as(httpcore.ReadError, exc)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Send all of `buffer`."""
        if not buffer:
            return
        try:
            self._writer.write(buffer)
            if timeout is None:
                await self._writer.drain()
            else:
                async with asyncio.timeout(timeout):
                    await self._writer.drain()
        except TimeoutError as exc:
            _raise_as(httpcore.WriteTimeout, exc)
        except (OSError, ssl.SSLError, RuntimeError) as exc:
            _raise_as(httpcore.WriteError, exc)

    async def aclose(self) -> None:
        """Close at once, without waiting for the peer (as httpcore's anyio backend does)."""
        transport = self._writer.transport
        if transport.get_extra_info("ssl_object") is not None:
            # a TLS close waits for the peer's close_notify, up to 30 s: not worth a wait
            transport.abort()
        else:
            transport.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Upgrade to TLS in place, verifying the certificate against `server_hostname`."""
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError as exc:
            await self.aclose()
            _raise_as(httpcore.ConnectTimeout, exc)
        except (OSError, ssl.SSLError, EOFError) as exc:
            await self.aclose()
            _raise_as(httpcore.ConnectError, exc)
        return self

    def get_extra_info(self, info: str) -> Any:
        """What httpcore asks of a stream: TLS object, addresses, socket, and readability."""
        writer = self._writer
        if info == "ssl_object":
            return writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return writer.get_extra_info("sockname")
        if info == "server_addr":
            return writer.get_extra_info("peername")
        if info == "socket":
            return writer.get_extra_info("socket")
        if info == "is_readable":
            # asked of an idle keep-alive connection: the event loop has already read what the
            # server sent, so a close (or stray bytes) shows here, not on the socket
            return self._reader.at_eof() or writer.transport.is_closing()
        return None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend on plain asyncio (see `_AsyncioStream`)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to `host` (an address, once `SafeBackend` has resolved it) and `port`."""
        local = (local_address, 0) if local_address else None
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(host, port, local_addr=local)
        except TimeoutError as exc:
            _raise_as(httpcore.ConnectTimeout, exc)
        except OSError as exc:
            _raise_as(httpcore.ConnectError, exc)
        sock = writer.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
        return _AsyncioStream(reader, writer)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Unix sockets are never a link target."""
        raise httpcore.ConnectError("unix sockets are not checked")

    async def sleep(self, seconds: float) -> None:
        """Sleep (httpcore uses it between its own connection retries)."""
        await asyncio.sleep(seconds)


class SafeBackend(AsyncioBackend):
    """An httpcore backend that resolves through `Resolver` and connects to the checked address."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._inner: httpcore.AsyncNetworkBackend = AsyncioBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve, refuse unsafe addresses, then connect to the first address that answers."""
        addresses = await self.resolver.resolve(host, port)
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error


def ssl_context(options: CheckOptions) -> ssl.SSLContext:
    """The TLS context: the system/certifi roots, or --ca-bundle."""
    if options.ca_bundle:
        return ssl.create_default_context(cafile=options.ca_bundle)
    return httpx.create_ssl_context()


class _OriginTransport(httpx.AsyncHTTPTransport):
    """httpx's transport for one origin, its connection pool built on `SafeBackend`.

    httpx 0.28 has no public way to choose the network backend (encode/httpx PR #3749 adds one),
    so the pool httpx built is swapped for an identical one using our backend; request and
    exception mapping stay httpx's own.
    """

    def __init__(self, ctx: ssl.SSLContext, backend: SafeBackend) -> None:
        super().__init__(verify=ctx, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ctx,
            max_connections=None,
            max_keepalive_connections=None,
            keepalive_expiry=30.0,
            network_backend=backend,
        )


class SafeTransport(httpx.AsyncBaseTransport):
    """Keep-alive connection pools, one per origin, all connecting through `SafeBackend`.

    One pool per origin rather than one for the run: httpcore's pool scans every queued request
    against every connection on each change, which turns quadratic with thousands of URLs over
    hundreds of connections; per-origin pools stay as small as the per-host limit.
    """

    def __init__(self, options: CheckOptions, resolver: Resolver) -> None:
        self._ctx = ssl_context(options)
        self._backend = SafeBackend(resolver)
        self._pools: dict[tuple[bytes, bytes, int | None], _OriginTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send through the pool of the request's origin."""
        url = request.url
        key = (url.raw_scheme, url.raw_host, url.port)
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = _OriginTransport(self._ctx, self._backend)
        return await pool.handle_async_request(request)

    async def aclose(self) -> None:
        """Close every pool."""
        for pool in self._pools.values():
            await pool.aclose()
        self._pools.clear()


class _SparseCookies(httpx.Cookies):
    """httpx's cookie store, skipping the cookie-jar round trip for answers that set none.

    httpx wraps every response and its request in urllib objects for `http.cookiejar`, cookie
    or not; most pages set none, and a site that does still gets its cookie back (a redirect
    to the same URL after setting one is how some sites say "cookies work").
    """

    def extract_cookies(self, response: httpx.Response) -> None:
        """Store the cookies a response sets, if it sets any."""
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


class CheckerClient(httpx.AsyncClient):
    """`httpx.AsyncClient` with `_SparseCookies` as its cookie store."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._sparse = _SparseCookies(kwargs.get("cookies"))

    @property
    def cookies(self) -> httpx.Cookies:
        """The client's cookie store (cookies persist across requests, as httpx's do)."""
        return self._sparse

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        self._sparse = _SparseCookies(cookies)


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
