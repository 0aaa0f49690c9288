"""The run's event loop: uvloop where installed, asyncio's own loop where it is not."""

from __future__ import annotations

import asyncio
import sys

import pytest

from citeaudit.check import eventloop


async def _loop_module() -> str:
    return type(asyncio.get_running_loop()).__module__


def test_a_run_goes_on_uvloop_where_it_is_installed() -> None:
    pytest.importorskip("uvloop")
    assert eventloop.run_sync(_loop_module()).startswith("uvloop")


def test_without_uvloop_a_run_goes_on_asyncios_own_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop now raises ImportError
    assert eventloop.loop_factory() is None
    assert eventloop.run_sync(_loop_module()).startswith("asyncio")


def test_the_result_and_the_error_of_main_come_back() -> None:
    async def answer() -> list[int]:
        await asyncio.sleep(0)
        return [1, 2]

    async def broken() -> None:
        raise LookupError("no such row")

    assert eventloop.run_sync(answer()) == [1, 2]
    with pytest.raises(LookupError, match="no such row"):
        eventloop.run_sync(broken())
