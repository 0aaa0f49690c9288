"""In which order, and how many at once, a run's probes start.

Hosts are taken in turn, so every host's request slots stay busy, and only a window of probes
exists at once: a task per URL held for a whole large run is where the memory went.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Mapping, Sequence

TASKS_PER_SLOT = 4
"""Probes started ahead per request slot: enough that a slow host never leaves a slot idle."""


def interleave_hosts(keys: Sequence[str], host_of: Mapping[str, str]) -> list[str]:
    """The keys with their hosts taken in turn, each host's keys in their order.

    >>> hosts = {"a1": "a", "a2": "a", "a3": "a", "b1": "b"}
    >>> interleave_hosts(["a1", "a2", "a3", "b1"], hosts)
    ['a1', 'b1', 'a2', 'a3']
    """
    queues: dict[str, list[str]] = {}
    for key in keys:
        queues.setdefault(host_of[key], []).append(key)
    out: list[str] = []
    for turn in itertools.zip_longest(*queues.values()):
        out.extend(k for k in turn if k is not None)
    return out


async def run_bounded(
    items: Sequence[str], work: Callable[[str], Awaitable[None]], window: int
) -> None:
    """`work(item)` for every item, at most `window` at once, started in order."""
    room = asyncio.Semaphore(max(1, window))
    running: set[asyncio.Task[None]] = set()

    async def guarded(item: str) -> None:
        try:
            await work(item)
        finally:
            room.release()

    try:
        for item in items:
            await room.acquire()
            task = asyncio.ensure_future(guarded(item))
            running.add(task)
            task.add_done_callback(running.discard)
        await asyncio.gather(*running)
    finally:
        for task in running:
            task.cancel()
