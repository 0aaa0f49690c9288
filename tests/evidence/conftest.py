"""Fixtures for the evidence-over-time tests: one loopback server playing every outlet."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ..check.servers import TestServer


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer("127.0.0.1") as srv:
        yield srv
