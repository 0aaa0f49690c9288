"""Wayback lookups: the replay redirect, confirmed (or corrected) by the CDX API."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

from citeaudit.check.archive import (
    wayback_timestamp,
)
from citeaudit.check.storerules import reusable_snapshot

from .fake import AS_OF, PAGE, Archive, Capture, run_lookups


def test_closest_capture_from_the_replay_redirect(archive: tuple[Archive, str]) -> None:
    state, endpoint = archive
    state.captures[PAGE] = [Capture("20230801093000"), Capture("20221201000000")]
    [snap], client, sent = run_lookups(endpoint, [PAGE])
    assert snap.available
    assert snap.url == f"{endpoint}/web/20230801093000/{PAGE}"
    assert snap.timestamp == datetime(2023, 8, 1, 9, 30, tzinfo=UTC)
    assert snap.archive == "Internet Archive"
    assert snap.days_from_document == -2
    # asked at the document date, then the capture itself; CDX not needed
    assert state.paths("/web/")[0] == f"/web/{wayback_timestamp(AS_OF)}/{PAGE}"
    assert sent == 2 and state.paths("/cdx") == []
    assert client.stats.found == 1 and client.stats.lookups == 1


def test_days_from_document_after_the_date(archive: tuple[Archive, str]) -> None:
    state, endpoint = archive
    state.captures[PAGE] = [Capture("20230810235959")]
    [snap], _, _ = run_lookups(endpoint, [PAGE])
    assert snap.days_from_document == 7
    [earlier], _, _ = run_lookups(endpoint, [PAGE], as_of=date(2023, 9, 1))
    assert earlier.days_from_document == -22


def test_exact_hit_200_is_a_capture(archive: tuple[Archive, str]) -> None:
    state, endpoint = archive
    state.captures[PAGE] = [Capture(wayback_timestamp(AS_OF))]
    [snap], _, sent = run_lookups(endpoint, [PAGE])
    assert snap.available and snap.days_from_document == 0 and sent == 1
    assert snap.timestamp == datetime(2023, 8, 3, 12, tzinfo=UTC)


def test_404_means_no_capture(archive: tuple[Archive, str]) -> None:
    _, endpoint = archive
    [snap], client, sent = run_lookups(endpoint, ["https://never.example/page"])
    assert not snap.available and snap.url is None
    assert snap.reason is not None and snap.reason.startswith("no capture")
    assert reusable_snapshot(snap)  # a definitive answer: the cache may keep it
    assert sent == 1 and client.stats.not_found == 1


def test_archived_error_page_is_replaced_by_cdx_200(archive: tuple[Archive, str]) -> None:
    state, endpoint = archive
    state.captures[PAGE] = [Capture("20230802000000", 404), Capture("20230105000000", 200)]
    [snap], _, _ = run_lookups(endpoint, [PAGE])
    assert snap.available
    assert snap.timestamp == datetime(2023, 1, 5, tzinfo=UTC)
    assert snap.url == f"{endpoint}/web/20230105000000/{PAGE}"
    [cdx] = state.paths("/cdx/search/cdx")
    query = parse_qs(urlsplit(cdx).query)
    assert query["filter"] == ["statuscode:200"] and query["output"] == ["json"]
    assert query["url"] == [PAGE] and query["closest"] == [wayback_timestamp(AS_OF)]


def test_archived_redirect_is_settled_by_cdx(archive: tuple[Archive, str]) -> None:
    state, endpoint = archive
    state.captures[PAGE] = [
        Capture("20230803110000", 301, redirect_to="https://example.org/"),
        Capture("20220601000000", 200),
    ]
    [snap], _, _ = run_lookups(endpoint, [PAGE])
    assert snap.available and snap.timestamp == datetime(2022, 6, 1, tzinfo=UTC)
    assert len(state.paths("/cdx")) == 1


def test_only_error_captures_means_no_real_page(archive: tuple[Archive, str]) -> None:
    state, endpoint = archive
    # the fake CDX ignores the filter: rows with status 404 must still be refused
    state.cdx_ignores_filter = True
    state.captures[PAGE] = [Capture("20230802000000", 404), Capture("20200101000000", 500)]
    [snap], client, _ = run_lookups(endpoint, [PAGE])
    assert not snap.available
    assert snap.reason is not None and "real page" in snap.reason and "404" in snap.reason
    assert client.stats.not_found == 1


def test_without_confirmation_the_first_location_is_taken(archive: tuple[Archive, str]) -> None:
    state, endpoint = archive
    state.captures[PAGE] = [Capture("20230802000000", 404), Capture("20230105000000", 200)]
    [snap], _, sent = run_lookups(endpoint, [PAGE], confirm_with_cdx=False)
    assert snap.available and snap.timestamp == datetime(2023, 8, 2, tzinfo=UTC)
    assert sent == 1
