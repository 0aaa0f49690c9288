"""Compare HTTP clients on the loopback link farm: the same GETs under the same per-host cap.

Why: the checker is CPU-bound on its HTTP stack, so the stack it uses (and how it is configured)
decides its speed. Every client here sends the same GETs of the same URLs, at most --per-host at
a time per host, reading each (small) body whole, against ../shared/bench/farm.py. Printed per
client: wall seconds, CPU ms per request of this process, and the ratio to the fastest.

- `reference`: a polite asyncio checker of a hundred lines (raw HTTP/1.1 keep-alive, the same
  cap): what the machine can do, the yardstick for the checker's wall time.
- `httpx before`: httpx as citeaudit configured it before tuning (per-origin httpcore pools of
  unlimited size on the anyio backend, a cookie jar, httpx's per-read timeouts).
- `httpx +pool cap`, `+no cookies`, `+no per-read timeouts`, `+asyncio streams`: one tuning
  added at a time, so each one's share shows.
- `citeaudit client`: `citeaudit.check.make_client()` as it is now, SSRF guard included.
- `citeaudit probe path`: that client as a probe uses it: a plain GET goes straight to its
  origin's pool (`probe.direct`: no httpx request, response, send, auth or cookie layers).
- `aiohttp`: a `TCPConnector` with `limit_per_host`, a resolver that applies the same guard,
  and a `DummyCookieJar`.

`--loop uvloop` runs every client on uvloop's event loop, the one citeaudit runs on.

Every address is loopback (127.0.0.0/8). Run: `uv run python benchmarks/bench_client.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import http.cookiejar
import ssl
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

import httpcore
import httpx
import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_check import make_doc, start_farm  # noqa: E402
from reference_checker import per_host, reference  # noqa: E402

from citeaudit.check import CheckOptions, make_client  # noqa: E402
from citeaudit.check.backend import AsyncioBackend  # noqa: E402
from citeaudit.check.network import Resolver, exchange_deadline  # noqa: E402

Client = Callable[[list[str], int], Awaitable[Counter[int]]]


# -- httpx, as it was and tuned step by step ----------------------------------------------


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """The SSRF guard in front of any httpcore backend (resolve, check, connect to that)."""

    def __init__(self, resolver: Resolver, inner: httpcore.AsyncNetworkBackend) -> None:
        self.resolver = resolver
        self.inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        (address, *_) = await self.resolver.resolve(host, port)
        return await self.inner.connect_tcp(address, port, timeout, local_address, socket_options)


class _PerOrigin(httpx.AsyncBaseTransport):
    """One httpcore pool per origin (what citeaudit had before tuning, pool size aside)."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend, size: int | None) -> None:
        self.backend = backend
        self.size = size
        self.ctx = httpx.create_ssl_context()
        self.pools: dict[tuple[bytes, bytes, int | None], httpx.AsyncHTTPTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        key = (url.raw_scheme, url.raw_host, url.port)
        pool = self.pools.get(key)
        if pool is None:
            pool = self.pools[key] = httpx.AsyncHTTPTransport(verify=self.ctx, trust_env=False)
            pool._pool = httpcore.AsyncConnectionPool(
                ssl_context=self.ctx,
                max_connections=self.size,
                max_keepalive_connections=self.size,
                keepalive_expiry=30.0,
                network_backend=self.backend,
            )
        return await pool.handle_async_request(request)

    async def aclose(self) -> None:
        for pool in self.pools.values():
            await pool.aclose()


class _NoCookies(http.cookiejar.CookieJar):
    def extract_cookies(self, response: object, request: object) -> None:  # type: ignore[override]
        return None

    def add_cookie_header(self, request: object) -> None:  # type: ignore[override]
        return None


def httpx_variant(*, cap_pool: bool, cookies: bool, read_timeouts: bool, asyncio_streams: bool):
    """An httpx client runner with the given tunings."""

    async def run(urls: list[str], cap: int) -> Counter[int]:
        resolver = Resolver(allow_private=True)
        inner = AsyncioBackend() if asyncio_streams else httpcore.AnyIOBackend()
        transport = _PerOrigin(_GuardedBackend(resolver, inner), cap if cap_pool else None)
        timeout = httpx.Timeout(10.0) if read_timeouts else httpx.Timeout(None, connect=10.0)
        client = httpx.AsyncClient(
            transport=transport,
            timeout=timeout,
            cookies=None if cookies else httpx.Cookies(_NoCookies()),
            follow_redirects=False,
            trust_env=False,
        )

        async def fetch(url: str) -> int:
            if read_timeouts:
                response = await client.get(url)
            else:
                async with exchange_deadline(10.0):
                    response = await client.get(url)
            return response.status_code

        try:
            return await per_host(urls, cap, fetch)
        finally:
            await client.aclose()

    return run


async def citeaudit_client(urls: list[str], cap: int) -> Counter[int]:
    """`make_client()` as the checker builds it, each GET inside the exchange deadline."""
    options = CheckOptions(allow_private=True, per_host=cap, timeout=10.0)
    async with make_client(options) as client:

        async def fetch(url: str) -> int:
            async with exchange_deadline(10.0):
                response = await client.get(url)
            return response.status_code

        return await per_host(urls, cap, fetch)


async def citeaudit_probe_path(urls: list[str], cap: int) -> Counter[int]:
    """The same client, each GET sent as a probe sends it (`probe.exchange._open`)."""
    from citeaudit.check.probe.exchange import _open

    options = CheckOptions(allow_private=True, per_host=cap, timeout=10.0)
    async with make_client(options) as client:

        async def fetch(url: str) -> int:
            async with exchange_deadline(10.0):
                response = await _open(client, "GET", url, {}, 10.0)
                try:
                    async for _ in response.aiter_raw():
                        pass
                finally:
                    await response.aclose()
            return response.status_code

        return await per_host(urls, cap, fetch)


# -- aiohttp --------------------------------------------------------------------------------


async def aiohttp_client(urls: list[str], cap: int) -> Counter[int]:
    """aiohttp with a guard resolver: the address it connects to is the one checked."""
    import socket

    import aiohttp
    from aiohttp.abc import AbstractResolver, ResolveResult

    resolver = Resolver(allow_private=True)

    class Guarded(AbstractResolver):
        async def resolve(
            self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
        ) -> list[ResolveResult]:
            return [
                ResolveResult(
                    hostname=host,
                    host=a,
                    port=port,
                    family=socket.AF_INET6 if ":" in a else socket.AF_INET,
                    proto=0,
                    flags=socket.AI_NUMERICHOST,
                )
                for a in await resolver.resolve(host, port)
            ]

        async def close(self) -> None:
            return None

    connector = aiohttp.TCPConnector(
        limit=0,
        limit_per_host=cap,
        resolver=Guarded(),
        use_dns_cache=False,
        ssl=ssl.create_default_context(),
    )
    async with aiohttp.ClientSession(
        connector=connector,
        cookie_jar=aiohttp.DummyCookieJar(),
        timeout=aiohttp.ClientTimeout(total=10.0),
        auto_decompress=False,
    ) as session:

        async def fetch(url: str) -> int:
            async with session.get(url, allow_redirects=False) as response:
                await response.read()
                return response.status

        return await per_host(urls, cap, fetch)


async def httpx_over_aiohttp(urls: list[str], cap: int) -> Counter[int]:
    """httpx's API over an aiohttp transport: what keeping httpx's interface would cost."""
    import aiohttp
    import yarl

    class Body(httpx.AsyncByteStream):
        def __init__(self, response: aiohttp.ClientResponse) -> None:
            self.response = response

        async def __aiter__(self):  # type: ignore[override]
            async for chunk in self.response.content.iter_any():
                yield chunk

        async def aclose(self) -> None:
            self.response.release()

    class Transport(httpx.AsyncBaseTransport):
        def __init__(self, session: aiohttp.ClientSession) -> None:
            self.session = session

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            response = await self.session.request(
                request.method,
                yarl.URL(str(request.url), encoded=True),
                headers=request.headers,
                allow_redirects=False,
            )
            return httpx.Response(
                response.status, headers=response.raw_headers, stream=Body(response)
            )

    connector = aiohttp.TCPConnector(limit=0, limit_per_host=cap)
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False
    ) as session:
        client = httpx.AsyncClient(transport=Transport(session), follow_redirects=False)

        async def fetch(url: str) -> int:
            async with exchange_deadline(10.0):
                response = await client.get(url)
            return response.status_code

        return await per_host(urls, cap, fetch)


CLIENTS: dict[str, Client] = {
    "httpx over aiohttp": httpx_over_aiohttp,
    "reference (raw asyncio)": reference,
    "httpx before": httpx_variant(
        cap_pool=False, cookies=True, read_timeouts=True, asyncio_streams=False
    ),
    "httpx +pool cap": httpx_variant(
        cap_pool=True, cookies=True, read_timeouts=True, asyncio_streams=False
    ),
    "httpx +no cookies": httpx_variant(
        cap_pool=True, cookies=False, read_timeouts=True, asyncio_streams=False
    ),
    "httpx +no per-read timeouts": httpx_variant(
        cap_pool=True, cookies=False, read_timeouts=False, asyncio_streams=False
    ),
    "httpx +asyncio streams": httpx_variant(
        cap_pool=True, cookies=False, read_timeouts=True, asyncio_streams=True
    ),
    "httpx +asyncio, no per-read": httpx_variant(
        cap_pool=True, cookies=False, read_timeouts=False, asyncio_streams=True
    ),
    "citeaudit client (now)": citeaudit_client,
    "citeaudit probe path": citeaudit_probe_path,
    "aiohttp (guard resolver)": aiohttp_client,
}


def measure(
    client: Client, urls: list[str], cap: int, loop: str
) -> tuple[float, float, Counter[int]]:
    """Wall and CPU seconds of one client over the URLs, and the statuses it saw."""
    gc.collect()
    factory = uvloop.new_event_loop if loop == "uvloop" else None
    c0, t0 = time.process_time(), time.perf_counter()
    with asyncio.Runner(loop_factory=factory) as runner:
        statuses = runner.run(client(urls, cap))
    return time.perf_counter() - t0, time.process_time() - c0, statuses


def main(argv: list[str] | None = None) -> int:
    """Run every client (--rounds times, best kept) and print the table."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=4000, help="links in the document (5%% repeats)")
    p.add_argument("--hosts", type=int, default=50)
    p.add_argument("--latency", type=float, default=50.0, help="farm latency, ms")
    p.add_argument("--per-host", type=int, default=4)
    p.add_argument("--rounds", type=int, default=2, help="runs per client; the best is shown")
    p.add_argument("--only", action="append", default=[], help="run clients whose name has this")
    p.add_argument("--loop", choices=("asyncio", "uvloop"), default="asyncio")
    a = p.parse_args(argv)
    chosen = {k: v for k, v in CLIENTS.items() if not a.only or any(o in k for o in a.only)}
    results: dict[str, tuple[float, float, Counter[int]]] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        proc, port = start_farm(tmp, a.hosts, a.latency, a.per_host)
        try:
            expected = make_doc(tmp, a.n, a.hosts, port, 0.05, "doc")
            # slow and reset pages would time timeouts, not the client
            urls = [u for u, i in expected["urls"].items() if i["kind"] not in ("slow", "reset")]
            for _ in range(a.rounds):
                for name, client in chosen.items():
                    got = measure(client, urls, a.per_host, a.loop)
                    if name not in results or got[1] < results[name][1]:
                        results[name] = got
        finally:
            proc.terminate()
            proc.wait(10)
    best_wall = min(r[0] for r in results.values())
    best_cpu = min(r[1] for r in results.values())
    statuses = {frozenset(r[2].items()) for r in results.values()}
    print(
        f"{len(urls)} GETs over {a.hosts} hosts, {a.latency:g} ms latency, {a.per_host} per host; "
        f"best of {a.rounds}, on {a.loop}"
    )
    print(
        f"{'client':<28} | {'wall s':>6} | {'CPU ms/req':>10} | {'wall/best':>9} | {'CPU/best':>8}"
    )
    print(f"{'-' * 28}-+-{'-' * 6}-+-{'-' * 10}-+-{'-' * 9}-+-{'-' * 8}")
    for name, (wall, cpu, _) in results.items():
        print(
            f"{name:<28} | {wall:6.2f} | {cpu / len(urls) * 1000:10.3f} | "
            f"{wall / best_wall:8.2f}x | {cpu / best_cpu:7.2f}x"
        )
    if len(statuses) != 1:
        print(
            "FAIL: the clients saw different statuses:", {k: dict(v[2]) for k, v in results.items()}
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
