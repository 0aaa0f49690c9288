"""Loopback HTTP and HTTPS servers for the checker's tests.

One `TestServer` listens on one 127.0.0.x address and port, in a thread of its own with its own
event loop, so synchronous tests can drive `citeaudit.check.check()` against it. Many virtual
hosts share one server: the checker maps each name to it with `--resolve`, and routes pick the
handler by `Host` header and path. The server records every request (method, host, path, arrival
time) and the most requests ever in flight per host and overall, which is how tests prove the
limits and the retry rules from the server's side.

TLS uses a trustme CA; the CA's PEM is what tests hand to the checker as `ca_bundle`.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self
from urllib.parse import urlsplit

import httpx

from citeaudit.check import CheckOptions, CheckRun, check
from citeaudit.check.network import NameNotResolved

RESET = "reset"
"""Handler result: abort the connection with a TCP RST."""
HANG = "hang"
"""Handler result: never answer (until the client gives up)."""
CLOSE = "close"
"""Handler result: close the connection without an answer."""


@dataclass(frozen=True)
class Reply:
    """One canned HTTP answer."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_type: str = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Seen:
    """A request as the server saw it."""

    method: str
    host: str
    path: str
    at: float
    agent: str = ""
    headers: dict[str, str] = field(default_factory=dict, compare=False)
    """Every request header, names lower-cased."""


def page(title: str, body: str = "", pad: int = 0) -> bytes:
    """A small HTML page with a title (and `pad` bytes of filler to shape its size)."""
    filler = "x" * pad
    return (
        f"<!doctype html><html><head><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>{body}</p><!--{filler}--></body></html>"
    ).encode()


Handler = Callable[[Seen], "Reply | str"] | Reply | str


class LoopbackThread:
    """An asyncio server on one loopback address, run in a thread with its own event loop.

    Subclasses implement `_handle(reader, writer)`; this class owns the socket and the thread.
    """

    __test__ = False  # not a pytest class
    backlog = 256

    def __init__(self, address: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        assert address.startswith("127."), "tests only ever listen on loopback"
        self.address = address
        self.tls = tls
        self.port = 0
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.base_events.Server | None = None

    def start(self) -> Self:
        """Listen and serve in a background thread."""
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(5)
        return self

    async def _start(self) -> None:
        self._server = await asyncio.start_server(
            self._handle, host=self.address, port=0, ssl=self.tls, backlog=self.backlog
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        """Stop serving, cancel every handler and end the thread."""

        async def close() -> None:
            if self._server is not None:
                self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        try:
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class TestServer(LoopbackThread):
    """A threaded asyncio HTTP/1.1 server on one loopback address."""

    def __init__(self, address: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        super().__init__(address, tls)
        self.routes: dict[tuple[str, str], Handler] = {}
        self.fallback: dict[str, Handler] = {}
        self.seen: list[Seen] = []
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self.total_in_flight = 0
        self.max_total_in_flight = 0

    # -- configuration --------------------------------------------------------------------
    def route(self, host: str, path: str, handler: Handler) -> None:
        """Answer `path` on virtual host `host` with `handler`."""
        self.routes[(host.lower(), path)] = handler

    def default(self, host: str, handler: Handler) -> None:
        """Answer every other path on `host` with `handler` (else 404)."""
        self.fallback[host.lower()] = handler

    def url(self, host: str, path: str) -> str:
        """The URL of `path` on virtual host `host`."""
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host}:{self.port}{path}"

    def resolve(self, *hosts: str) -> tuple[tuple[str, int, str], ...]:
        """`--resolve` entries mapping `hosts` to this server."""
        return tuple((h, self.port, self.address) for h in hosts)

    def hits(self, host: str | None = None, path: str | None = None) -> list[Seen]:
        """Requests seen, optionally only for one host and/or path."""
        with self._lock:
            return [
                s
                for s in self.seen
                if (host is None or s.host == host) and (path is None or s.path == path)
            ]

    # -- HTTP -----------------------------------------------------------------------------
    def _pick(self, seen: Seen) -> Handler:
        handler = self.routes.get((seen.host, seen.path))
        if handler is None:
            handler = self.fallback.get(seen.host, Reply(404, page("Not Found")))
        return handler

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
                    return
                except ssl.SSLError:
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, target, _version = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        headers[k.strip().lower()] = v.strip()
                host = headers.get("host", "").rsplit(":", 1)[0].lower()
                path = urlsplit(target).path or "/"
                seen = Seen(
                    method.upper(),
                    host,
                    path,
                    time.monotonic(),
                    headers.get("user-agent", ""),
                    headers,
                )
                with self._lock:
                    self.seen.append(seen)
                    n = self.in_flight.get(host, 0) + 1
                    self.in_flight[host] = n
                    self.max_in_flight[host] = max(self.max_in_flight.get(host, 0), n)
                    self.total_in_flight += 1
                    self.max_total_in_flight = max(self.max_total_in_flight, self.total_in_flight)
                try:
                    keep = await self._respond(reader, writer, seen)
                finally:
                    with self._lock:
                        self.in_flight[host] -= 1
                        self.total_in_flight -= 1
                if not keep:
                    return
        except (ConnectionError, asyncio.CancelledError, ssl.SSLError, OSError):
            return
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _respond(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, seen: Seen
    ) -> bool:
        handler = self._pick(seen)
        reply = handler(seen) if callable(handler) else handler
        if reply == RESET:
            sock = writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return False
        if reply == CLOSE:
            return False
        if reply == HANG:
            with contextlib.suppress(ConnectionError, ssl.SSLError, OSError):
                await reader.read(1)  # returns when the client hangs up
            return False
        assert isinstance(reply, Reply)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        body = reply.body.encode() if isinstance(reply.body, str) else reply.body
        head = [
            f"HTTP/1.1 {reply.status} X",
            f"Content-Type: {reply.content_type}",
            f"Content-Length: {len(body)}",
        ]
        head += [f"{k}: {v}" for k, v in reply.headers.items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        if seen.method != "HEAD":
            writer.write(body)
        await writer.drain()
        return True


class Sequence_:
    """A handler answering with each reply in turn, then repeating the last one."""

    def __init__(self, *replies: Reply | str) -> None:
        self.replies = list(replies)
        self.count = 0

    def __call__(self, seen: Seen) -> Reply | str:
        reply = self.replies[min(self.count, len(self.replies) - 1)]
        self.count += 1
        return reply


def by_method(head: Reply | str, get: Reply | str) -> Callable[[Seen], Reply | str]:
    """A handler answering HEAD and GET differently."""
    return lambda seen: head if seen.method == "HEAD" else get


# -- running the checker in tests ---------------------------------------------------------


async def no_dns(host: str, port: int) -> list[str]:
    """This machine's resolver, simulated: every name is unknown (and no packet is sent)."""
    raise NameNotResolved(host, "no such domain", nxdomain=True)


def count_sends(client: httpx.AsyncClient) -> list[str]:
    """The paths of the requests `client.send` is asked to send from now on (httpx's own
    client layer, which a probe's direct paths skip)."""
    paths: list[str] = []
    send = client.send

    async def counted(request: httpx.Request, **kw: Any) -> httpx.Response:
        paths.append(request.url.path)
        return await send(request, **kw)

    client.send = counted  # type: ignore[method-assign]
    return paths


def fast_options(**kw: Any) -> CheckOptions:
    """Options with test-sized timeouts and no retries unless asked."""
    base: dict[str, Any] = {
        "timeout": 2.0,
        "retries": 0,
        "backoff_base": 0.01,
        "backoff_cap": 0.05,
        "canary_hosts": ("canary.test",),
    }
    base.update(kw)
    return CheckOptions(**base)


def run(urls: list[str], *, lookup: Any = no_dns, **kw: Any) -> CheckRun:
    """Check `urls` with fast options; keyword arguments go to CheckOptions or check()."""
    run_kw = {k: kw.pop(k) for k in ("cache", "archive", "progress") if k in kw}
    return check(urls, fast_options(**kw), lookup=lookup, **run_kw)
