"""The event loop a run goes on: uvloop where it is installed, asyncio's own loop elsewhere.

Why uvloop: a check is CPU-bound on the loop itself once the HTTP stack is tuned (thousands of
small reads, writes and callbacks a second), and uvloop's loop, written over libuv in C, takes
about a fifth of the run's CPU off. It is not built for Windows, where asyncio's loop serves.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

_T = TypeVar("_T")


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop constructor, or None (asyncio's default) where uvloop is missing."""
    try:
        import uvloop  # deferred: a C extension only the runs that probe need
    except ImportError:
        return None
    return uvloop.new_event_loop


def run_sync(main: Coroutine[Any, Any, _T]) -> _T:
    """Run `main` to the end on a fresh loop, the result handed back outside the loop's task.

    Why the box: on Python 3.11, `asyncio.Runner.close` ends by asking `signal.getsignal`,
    which formats the repr of its SIGINT handler, and so of the finished main task and its
    result. For a run's verdicts that repr costs a tenth of a warm rerun's CPU; a task whose
    result is None costs nothing.
    """
    box: list[_T] = []

    async def boxed() -> None:
        box.append(await main)

    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        runner.run(boxed())
    return box[0]
