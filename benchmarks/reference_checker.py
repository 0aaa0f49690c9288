"""The polite reference checker: raw HTTP/1.1 keep-alive GETs on asyncio, a per-host cap.

A yardstick, not a checker: it knows one server (the loopback link farm, which always sends
Content-Length), follows no redirect and judges nothing. What it costs is what the machine and
the farm cost, so the checker's wall time is compared with it (`bench_check.py`,
`bench_client.py`). Every address it is given is loopback.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

Fetch = Callable[[str], Awaitable[int]]
"""GET one URL, read its body, return the status."""


async def per_host(urls: list[str], cap: int, fetch: Fetch) -> Counter[int]:
    """Fetch every URL with at most `cap` requests in flight per host; count the statuses."""
    limits: dict[str, asyncio.Semaphore] = {}
    statuses: Counter[int] = Counter()

    async def one(url: str) -> None:
        host = urlsplit(url).netloc
        sem = limits.get(host)
        if sem is None:
            sem = limits[host] = asyncio.Semaphore(cap)
        async with sem:
            statuses[await fetch(url)] += 1

    await asyncio.gather(*(one(u) for u in urls))
    return statuses


async def reference(urls: list[str], cap: int) -> Counter[int]:
    """Raw HTTP/1.1 over asyncio streams, one keep-alive connection per slot."""
    idle: dict[str, list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]] = {}

    async def fetch(url: str) -> int:
        parts = urlsplit(url)
        host = parts.netloc
        pool = idle.setdefault(host, [])
        if pool:
            reader, writer = pool.pop()
        else:
            reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
        path = parts.path or "/"
        request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: ref\r\nAccept: */*\r\n\r\n"
        writer.write(request.encode())
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        keep = True
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and b"close" in value.lower():
                keep = False
        await reader.readexactly(length)
        if keep:
            pool.append((reader, writer))
        else:
            writer.close()
        return status

    try:
        return await per_host(urls, cap, fetch)
    finally:
        for pool in idle.values():
            for _, writer in pool:
                writer.close()
