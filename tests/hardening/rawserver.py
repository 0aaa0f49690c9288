"""A loopback server whose answers are written byte by byte by the test, for broken servers.

`tests/check/servers.py` answers with well-formed replies; the faults of issue 6 (a body that
trickles, a body that never ends, a gzip bomb, a header flood, a connection that accepts and
never answers) need control over the raw bytes and their timing. Each `Fault` is a coroutine
that gets the parsed request and the stream writer. The server counts requests per path and
tracks how many bytes it sent, so tests can prove from the server's side that a read stopped.
Like `TestServer`, it listens only on 127.0.0.0/8 and stops its thread on exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..check.servers import LoopbackThread


@dataclass(frozen=True)
class Request:
    """A request as the raw server saw it."""

    method: str
    host: str
    path: str


Fault = Callable[
    [Request, asyncio.StreamReader, asyncio.StreamWriter, "RawServer"], Awaitable[None]
]


class RawServer(LoopbackThread):
    """A threaded asyncio server answering each request with a `Fault` coroutine."""

    backlog = 64

    def __init__(
        self,
        fault: Fault,
        address: str = "127.0.0.1",
        tls: ssl.SSLContext | None = None,
        *,
        read_head: bool = True,
    ) -> None:
        super().__init__(address, tls)
        self.fault = fault
        self.read_head = read_head
        self.requests: Counter[tuple[str, str]] = Counter()
        self.connections = 0
        self.bytes_sent = 0

    def url(self, path: str = "/", host: str | None = None) -> str:
        """The URL of `path` on this server (host defaults to its address)."""
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host or self.address}:{self.port}{path}"

    def count(self, path: str | None = None, method: str | None = None) -> int:
        """Requests seen, optionally for one path and/or method."""
        with self._lock:
            return sum(
                n
                for (m, p), n in self.requests.items()
                if (path is None or p == path) and (method is None or m == method)
            )

    def sent(self, n: int) -> None:
        """Record `n` body bytes written (faults call it)."""
        with self._lock:
            self.bytes_sent += n

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with self._lock:
            self.connections += 1
        try:
            while True:
                request = Request("", "", "")
                if self.read_head:
                    head = await reader.readuntil(b"\r\n\r\n")
                    lines = head.decode("latin-1").split("\r\n")
                    method, target, _ = lines[0].split(" ", 2)
                    host = ""
                    for line in lines[1:]:
                        if line.lower().startswith("host:"):
                            host = line[5:].strip().rsplit(":", 1)[0].lower()
                    request = Request(method.upper(), host, urlsplit(target).path or "/")
                    with self._lock:
                        self.requests[(request.method, request.path)] += 1
                await self.fault(request, reader, writer, self)
                if writer.is_closing() or not self.read_head:
                    return
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError, OSError):
            return
        except asyncio.CancelledError:
            return
        finally:
            with contextlib.suppress(Exception):
                writer.close()


def head_bytes(status: int, headers: dict[str, str] | list[tuple[str, str]]) -> bytes:
    """A status line and headers, ready to write."""
    items = headers.items() if isinstance(headers, dict) else headers
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in items]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def wait_for_hangup(reader: asyncio.StreamReader) -> None:
    """Block until the client closes the connection."""
    with contextlib.suppress(ConnectionError, ssl.SSLError, OSError):
        while await reader.read(65536):
            pass
