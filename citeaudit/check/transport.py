"""The checker's httpx transport and client: keep-alive pools per origin on `SafeBackend`.

Every connection goes through `citeaudit.check.backend.SafeBackend`, so probes, archive lookups,
Save Page Now and drift all obey --resolve, --ca-bundle and the address-safety rule.
"""

from __future__ import annotations

import contextlib
import functools
import os
import ssl
from typing import Any

import httpx

from citeaudit.check.backend import SafeBackend
from citeaudit.check.network import Resolver
from citeaudit.check.options import CheckOptions
from citeaudit.check.pool import OriginPool


def ssl_context(options: CheckOptions) -> ssl.SSLContext:
    """The TLS context: the system/certifi roots, or --ca-bundle (one per bundle and process)."""
    stamp = None
    if options.ca_bundle:
        with contextlib.suppress(OSError):  # a missing file fails where it is loaded
            info = os.stat(options.ca_bundle)
            stamp = (info.st_mtime_ns, info.st_size)
    return _context(options.ca_bundle, stamp)


@functools.lru_cache(maxsize=8)
def _context(ca_bundle: str | None, stamp: tuple[int, int] | None) -> ssl.SSLContext:
    # Loading the roots costs about 20 ms of CPU: a corpus worker opens a client per host job,
    # and 200 hosts made that a fifth of its CPU. The context is only read once built (the ALPN
    # list set here is every transport's), so one serves every client; a bundle changed on
    # disk (`stamp`) is loaded again.
    del stamp
    ctx = ssl.create_default_context(cafile=ca_bundle) if ca_bundle else httpx.create_ssl_context()
    ctx.set_alpn_protocols(["http/1.1"])  # the pools speak HTTP/1.1 only
    return ctx


class _OriginTransport(httpx.AsyncHTTPTransport):
    """httpx's transport for one origin, its connection pool an `OriginPool` on `SafeBackend`.

    httpx 0.28 has no public way to choose the pool or its network backend (encode/httpx PR
    #3749 adds one for the backend), so the pool httpx built is swapped for ours; request and
    exception mapping stay httpx's own.
    """

    def __init__(self, ctx: ssl.SSLContext, backend: SafeBackend) -> None:
        super().__init__(verify=ctx, trust_env=False)
        self.pool = OriginPool(ctx, backend)
        self._pool = self.pool  # type: ignore[assignment]


class SafeTransport(httpx.AsyncBaseTransport):
    """Keep-alive connection pools, one per origin, all connecting through `SafeBackend`.

    One pool per origin rather than one for the run: a pool for the run would scan hundreds of
    connections per request (httpcore's did, and turned quadratic with thousands of URLs);
    per-origin pools (`pool.OriginPool`) stay as small as the per-host limit.
    """

    def __init__(self, options: CheckOptions, resolver: Resolver) -> None:
        self._ctx = ssl_context(options)
        self._backend = SafeBackend(resolver)
        self._pools: dict[tuple[bytes, bytes, int | None], _OriginTransport] = {}

    def _transport(self, key: tuple[bytes, bytes, int | None]) -> _OriginTransport:
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = _OriginTransport(self._ctx, self._backend)
        return pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send through the pool of the request's origin."""
        url = request.url
        return await self._transport((url.raw_scheme, url.raw_host, url.port)).handle_async_request(
            request
        )

    def origin_pool(self, key: tuple[bytes, bytes, int | None]) -> OriginPool:
        """The connection pool of one origin (raw scheme, raw host, port), opened on demand."""
        return self._transport(key).pool

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
        # the one transport every request goes through, when nothing can route one elsewhere
        # (no mounts, no proxies, none read from the environment): probes may use it directly
        routed = kwargs.get("mounts") or kwargs.get("proxy") or kwargs.get("trust_env", True)
        self.direct: httpx.AsyncBaseTransport | None = None if routed else kwargs.get("transport")

    @property
    def cookies(self) -> httpx.Cookies:
        """The client's cookie store (cookies persist across requests, as httpx's do)."""
        return self._sparse

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        self._sparse = _SparseCookies(cookies)
