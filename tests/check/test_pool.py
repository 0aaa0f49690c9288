"""The per-origin keep-alive pool: reuse a connection after a clean answer, never a dead one."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable

import httpcore

from citeaudit.check.backend import AsyncioBackend
from citeaudit.check.pool import OriginPool

Answer = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[bool]]
"""Answers one request; False to close the connection afterwards."""


async def _serve(answer: Answer) -> tuple[asyncio.Server, int, list[int]]:
    connections: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")
                if not await answer(reader, writer):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1], connections


async def _ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    await writer.drain()
    return True


def _request(port: int) -> httpcore.Request:
    return httpcore.Request("GET", f"http://127.0.0.1:{port}/", headers=[(b"Host", b"t")])


async def _get(pool: OriginPool, port: int, *, read: bool = True) -> int:
    response = await pool.handle_async_request(_request(port))
    try:
        if read:
            async for _ in response.aiter_stream():
                pass
    finally:
        await response.aclose()
    return response.status


def _pool() -> OriginPool:
    return OriginPool(ssl.create_default_context(), AsyncioBackend())


def test_a_connection_is_reused_after_a_clean_answer_and_closed_with_the_pool() -> None:
    async def go() -> tuple[list[int], list[int], int, int]:
        server, port, connections = await _serve(_ok)
        async with server:
            pool = _pool()
            statuses = [await _get(pool, port) for _ in range(3)]
            open_before = pool.connections
            await pool.aclose()
            return statuses, connections, open_before, pool.connections

    statuses, connections, open_before, open_after = asyncio.run(go())
    assert statuses == [200, 200, 200]
    assert len(connections) == 1 and open_before == 1 and open_after == 0


def test_a_body_closed_unread_does_not_hand_its_connection_on() -> None:
    async def big(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 100_000)
        await writer.drain()
        return True

    async def go() -> tuple[list[int], list[int]]:
        server, port, connections = await _serve(big)
        async with server:
            pool = _pool()
            statuses = [await _get(pool, port, read=False) for _ in range(2)]
            await pool.aclose()
            return statuses, connections

    statuses, connections = asyncio.run(go())
    assert statuses == [200, 200] and len(connections) == 2


def test_an_idle_connection_the_server_closed_is_not_reused() -> None:
    async def go() -> tuple[list[int], list[int]]:
        closed = asyncio.Event()

        async def once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
            await _ok(reader, writer)
            closed.set()
            return False  # no "Connection: close": the client learns it only from the FIN

        server, port, connections = await _serve(once)
        async with server:
            pool = _pool()
            first = await _get(pool, port)
            await closed.wait()
            idle = pool._idle[0]
            # the event loop reads the peer's FIN on its own; wait for that event, bounded
            deadline = asyncio.get_running_loop().time() + 10
            while not idle.has_expired():
                assert asyncio.get_running_loop().time() < deadline
                await asyncio.sleep(0)
            second = await _get(pool, port)
            await pool.aclose()
            return [first, second], connections

    statuses, connections = asyncio.run(go())
    assert statuses == [200, 200] and len(connections) == 2
