"""The sockets under httpx: plain asyncio streams, connecting only to addresses `Resolver` allows.

`SafeBackend` resolves a host through `citeaudit.check.network.Resolver` (which applies
--resolve and the address-safety rule) and connects to the address it checked, never to a
second lookup's answer. TLS still runs against the URL's host name (httpcore passes it as SNI
and for certificate verification), so `--resolve` works for https exactly as curl's does. The
streams themselves are plain asyncio (`AsyncioBackend`), cheaper per request than httpcore's
anyio backend.
"""

from __future__ import annotations

import asyncio
import importlib.util
import ssl
import sys
import types
from collections.abc import Iterable
from typing import Any, NoReturn

import httpcore

from citeaudit.check.network import Resolver


class _NoAsyncLibrary(RuntimeError):
    """No asyncio event loop runs in this thread (as sniffio's AsyncLibraryNotFoundError)."""


def _current_async_library() -> str:
    """ "asyncio" inside a running asyncio loop, as sniffio would say."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        raise _NoAsyncLibrary("unknown async library, or not in async context") from None
    return "asyncio"


# httpcore asks `import sniffio` several times a request to learn the async library; recent
# anyio releases no longer install sniffio, so each ask paid a failed search of sys.path (a third
# of the checker's CPU), then a failed import. A stand-in answering for asyncio, the only loop
# citeaudit runs, makes each ask a dictionary lookup.
if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    _sniffio = types.ModuleType("sniffio", "citeaudit's stand-in: only asyncio is ever asked about")
    _sniffio.current_async_library = _current_async_library  # type: ignore[attr-defined]
    _sniffio.AsyncLibraryNotFoundError = _NoAsyncLibrary  # type: ignore[attr-defined]
    sys.modules["sniffio"] = _sniffio


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
