"""Keep-alive HTTP/1.1 connections to one origin, without httpcore's general-purpose pool.

httpcore's pool matches queued requests to connections under locks and cancel scopes on every
request and on every close, a good part of the checker's CPU per request. The checker already
bounds the requests in flight per host (`ratelimit.HostLimiter`), so a pool here only hands an
idle connection to the next request, opens one when none is idle, and takes it back once its
answer has been read. Each connection is httpcore's own HTTP/1.1 connection on a stream from
`backend.SafeBackend`, so the address connected to is still the one the resolver checked.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from typing import Protocol

import httpcore


class Body(Protocol):
    """What httpcore's HTTP/1.1 connection answers with: body chunks, and a close."""

    def __aiter__(self) -> AsyncIterator[bytes]: ...
    async def aclose(self) -> None: ...


class _Returning:
    """A response body that hands its connection back to the pool once it is closed."""

    def __init__(
        self, stream: Body, connection: httpcore.AsyncHTTP11Connection, pool: OriginPool
    ) -> None:
        self._stream = stream
        self._connection = connection
        self._pool = pool
        self._closed = False

    def __aiter__(self) -> AsyncIterator[bytes]:
        """The body's chunks, as the connection reads them."""
        # the connection's own iterator, not a generator around it: each layer of async
        # generator costs a frame switch per chunk and a finalizer hook per response
        return self._stream.__aiter__()

    async def aclose(self) -> None:
        """Close the body; a connection whose exchange finished cleanly goes back to the pool."""
        if self._closed:
            return
        self._closed = True
        try:
            await self._stream.aclose()
        finally:
            self._pool.put_back(self._connection)


class _Connection(httpcore.AsyncHTTP11Connection):
    """httpcore's HTTP/1.1 connection with an asyncio lock guarding its state.

    httpcore's lock is anyio's, whose every acquire yields to the event loop under a shielded
    cancel scope, even uncontended: twice a request, about a tenth of the checker's CPU. The
    pool hands a connection to one request at a time, so the lock is never contended; an
    asyncio lock keeps the same guarantee and takes a free lock without yielding.
    """

    def __init__(
        self, origin: httpcore.Origin, stream: httpcore.AsyncNetworkStream, keepalive_expiry: float
    ) -> None:
        super().__init__(origin, stream, keepalive_expiry=keepalive_expiry)
        self._state_lock = asyncio.Lock()  # type: ignore[assignment]


class OriginPool:
    """HTTP/1.1 keep-alive connections to one origin (scheme, host, port), opened on demand."""

    def __init__(
        self,
        ssl_context: ssl.SSLContext,
        backend: httpcore.AsyncNetworkBackend,
        keepalive_expiry: float = 30.0,
    ) -> None:
        self._ssl_context = ssl_context
        self._backend = backend
        self._keepalive_expiry = keepalive_expiry
        self._idle: list[httpcore.AsyncHTTP11Connection] = []
        self._open: set[httpcore.AsyncHTTP11Connection] = set()

    @property
    def connections(self) -> int:
        """Connections open now, idle or busy."""
        return len(self._open)

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        """Send `request` on an idle connection (or a new one); the answer's body is streamed."""
        scheme = request.url.scheme
        if scheme not in (b"http", b"https"):
            raise httpcore.UnsupportedProtocol(
                "Request URL is missing an 'http://' or 'https://' protocol."
                if not scheme
                else f"Request URL has an unsupported protocol '{scheme.decode()}://'."
            )
        connection = await self._idle_connection() or await self._connect(request)
        try:
            response = await connection.handle_async_request(request)
        except BaseException:
            # httpcore has closed the connection already, unless it is still reusable
            self.put_back(connection)
            raise
        body: Body = response.stream  # type: ignore[assignment]
        return httpcore.Response(
            status=response.status,
            headers=response.headers,
            content=_Returning(body, connection, self),
            extensions=response.extensions,
        )

    async def _idle_connection(self) -> httpcore.AsyncHTTP11Connection | None:
        # the most recently used first: the one least likely to have been closed by the server
        while self._idle:
            connection = self._idle.pop()
            if connection.is_idle() and not connection.has_expired():
                return connection
            self._open.discard(connection)
            await connection.aclose()
        return None

    async def _connect(self, request: httpcore.Request) -> httpcore.AsyncHTTP11Connection:
        timeout = request.extensions.get("timeout", {}).get("connect")
        origin = request.url.origin
        host = origin.host.decode("ascii")
        stream = await self._backend.connect_tcp(host, origin.port, timeout=timeout)
        if origin.scheme == b"https":
            sni = request.extensions.get("sni_hostname") or host
            stream = await stream.start_tls(self._ssl_context, server_hostname=sni, timeout=timeout)
        connection = _Connection(origin, stream, self._keepalive_expiry)
        self._open.add(connection)
        return connection

    def put_back(self, connection: httpcore.AsyncHTTP11Connection) -> None:
        """Keep a connection whose exchange ended cleanly; forget one httpcore has closed."""
        if connection.is_idle():
            if connection not in self._idle:
                self._idle.append(connection)
        elif connection.is_closed():
            self._open.discard(connection)

    async def aclose(self) -> None:
        """Close every connection, idle or not."""
        open_now, self._open, self._idle = list(self._open), set(), []
        for connection in open_now:
            await connection.aclose()
