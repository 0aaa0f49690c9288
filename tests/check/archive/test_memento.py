"""Memento TimeGate lookups: a 302 or a 200 with Content-Location, or none."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from citeaudit.check.archive import (
    ArchiveClient,
    ArchiveOptions,
)
from citeaudit.errors import CheckError

from .fake import PAGE, Archive, run_lookups


def test_memento_timegate_302(archive: tuple[Archive, str]) -> None:
    state, endpoint = archive
    capture = f"https://archive.ph/20230729101010/{PAGE}"
    state.mementos[PAGE] = [
        (datetime(2023, 7, 29, 10, 10, 10, tzinfo=UTC), capture),
        (
            datetime(2019, 1, 1, tzinfo=UTC),
            f"https://webarchive.loc.gov/all/20190101000000/{PAGE}",
        ),
    ]
    [snap], _, sent = run_lookups(endpoint, [PAGE], mode="memento")
    assert snap.available and snap.url == capture
    assert snap.archive == "archive.today"
    assert snap.timestamp == datetime(2023, 7, 29, 10, 10, 10, tzinfo=UTC)
    assert snap.days_from_document == -5
    [(path, headers)] = state.requests
    assert path == f"/timegate/{PAGE}" and sent == 1
    assert headers["Accept-Datetime"] == "Thu, 03 Aug 2023 12:00:00 GMT"


def test_memento_timegate_200_with_content_location(archive: tuple[Archive, str]) -> None:
    state, endpoint = archive
    state.memento_style = "200"
    capture = f"https://www.webarchive.org.uk/wayback/archive/20230901000000/{PAGE}"
    state.mementos[PAGE] = [(datetime(2023, 9, 1, tzinfo=UTC), capture)]
    [snap], _, _ = run_lookups(endpoint, [PAGE], mode="memento")
    assert snap.available and snap.url == capture
    assert snap.archive == "UK Web Archive" and snap.days_from_document == 29


def test_memento_none(archive: tuple[Archive, str]) -> None:
    _, endpoint = archive
    [snap], client, _ = run_lookups(endpoint, [PAGE], mode="memento")
    assert not snap.available and snap.reason is not None
    assert snap.reason.startswith("no capture") and client.stats.not_found == 1


def test_memento_mode_needs_an_endpoint() -> None:
    with pytest.raises(CheckError):
        ArchiveClient(httpx.AsyncClient(), ArchiveOptions(mode="memento"))
