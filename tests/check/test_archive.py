"""Archive lookups against a fake Wayback (replay + CDX) and a fake Memento TimeGate on loopback."""

from __future__ import annotations

import asyncio
import email.utils
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from citeaudit.check.archive import (
    ArchiveClient,
    ArchiveOptions,
    TokenBucket,
    parse_link_header,
    wayback_timestamp,
)
from citeaudit.check.cache import reusable_snapshot
from citeaudit.check.network import Resolver
from citeaudit.check.options import CheckOptions
from citeaudit.check.transport import SafeTransport
from citeaudit.errors import CheckError
from citeaudit.models import ArchiveSnapshot

from .servers import no_dns

AS_OF = date(2023, 8, 3)
PAGE = "https://example.org/news/story?id=7"


@dataclass
class Capture:
    timestamp: str
    status: int = 200
    redirect_to: str | None = None


@dataclass
class Archive:
    """State of the fake archives: captures per URL, scripted 429s, a log of requests."""

    captures: dict[str, list[Capture]] = field(default_factory=dict)
    mementos: dict[str, list[tuple[datetime, str]]] = field(default_factory=dict)
    memento_style: str = "302"
    throttle: int = 0
    retry_after: str | None = None
    cdx_ignores_filter: bool = False
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def paths(self, prefix: str) -> list[str]:
        return [p for p, _ in self.requests if p.startswith(prefix)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    archive: Archive

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def send(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        archive = self.archive
        archive.requests.append((self.path, dict(self.headers.items())))
        if archive.throttle > 0:
            archive.throttle -= 1
            headers = {"Retry-After": archive.retry_after} if archive.retry_after else {}
            self.send(429, headers, b"slow down")
        elif self.path.startswith("/web/"):
            self.replay()
        elif self.path.startswith("/cdx/search/cdx"):
            self.cdx()
        elif self.path.startswith("/timegate/"):
            self.timegate()
        else:
            self.send(500)

    def replay(self) -> None:
        stamp, _, original = self.path[len("/web/") :].partition("/")
        captures = self.archive.captures.get(original, [])
        if not captures:
            self.send(404, {}, b"Wayback Machine has not archived that URL.")
            return
        best = min(captures, key=lambda c: abs(int(c.timestamp) - int(stamp)))
        if best.timestamp != stamp:
            # not an exact hit: Wayback redirects to the closest capture
            self.send(302, {"Location": f"/web/{best.timestamp}/{original}"})
            return
        when = datetime.strptime(best.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        memento = {"Memento-Datetime": email.utils.format_datetime(when, usegmt=True)}
        if best.redirect_to:
            memento["Location"] = f"/web/{best.timestamp}/{best.redirect_to}"
            self.send(best.status, memento)
        else:
            self.send(best.status, memento, b"<html><title>archived</title></html>")

    def cdx(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        url = query["url"][0]
        rows = self.archive.captures.get(url, [])
        if query.get("filter") == ["statuscode:200"] and not self.archive.cdx_ignores_filter:
            rows = [c for c in rows if c.status == 200]
        closest = int(query["closest"][0])
        rows = sorted(rows, key=lambda c: abs(int(c.timestamp) - closest))
        rows = rows[: int(query.get("limit", ["100"])[0])]
        names = query["fl"][0].split(",")
        values = {
            "timestamp": lambda c: c.timestamp,
            "original": lambda c: url,
            "statuscode": lambda c: str(c.status),
            "mimetype": lambda c: "text/html",
        }
        table = [names] + [[values[n](c) for n in names] for c in rows]
        body = json.dumps(table).encode() if rows else b""
        self.send(200, {"Content-Type": "application/json"}, body)

    def timegate(self) -> None:
        original = self.path[len("/timegate/") :]
        wanted = email.utils.parsedate_to_datetime(self.headers["Accept-Datetime"])
        mementos = self.archive.mementos.get(original, [])
        if not mementos:
            self.send(404)
            return
        when, uri = min(mementos, key=lambda m: abs((m[0] - wanted).total_seconds()))
        stamp = email.utils.format_datetime(when, usegmt=True)
        link = (
            f'<{original}>; rel="original", '
            f'<http://{self.headers["Host"]}/timemap/link/{original}>; rel="timemap"; '
            f'type="application/link-format", <{uri}>; rel="memento"; datetime="{stamp}"'
        )
        if self.archive.memento_style == "302":
            self.send(302, {"Location": uri, "Link": link, "Vary": "accept-datetime"})
        else:
            self.send(200, {"Content-Location": uri, "Memento-Datetime": stamp, "Link": link})


@pytest.fixture
def archive() -> Iterator[tuple[Archive, str]]:
    state = Archive()
    handler = type("BoundHandler", (Handler,), {"archive": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def run_lookups(
    endpoint: str,
    urls: list[str],
    *,
    as_of: date = AS_OF,
    fake: FakeTime | None = None,
    progress: list[str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    **options: Any,
) -> tuple[list[ArchiveSnapshot], ArchiveClient, int]:
    """Look up `urls` one after another; returns the snapshots, the client and requests sent."""
    fake = fake or FakeTime()
    sent: list[httpx.Request] = []

    async def count(request: httpx.Request) -> None:
        sent.append(request)

    async def main() -> tuple[list[ArchiveSnapshot], ArchiveClient]:
        opts = ArchiveOptions(
            **{"wayback_endpoint": endpoint, "memento_endpoint": endpoint, **options}
        )
        async with httpx.AsyncClient(
            transport=transport, event_hooks={"request": [count]}
        ) as client:
            archive_client = ArchiveClient(
                client,
                opts,
                sleep=fake.sleep,
                clock=fake.clock,
                progress=None if progress is None else progress.append,
            )
            return [await archive_client.closest(u, as_of) for u in urls], archive_client

    results, client = asyncio.run(main())
    return results, client, len(sent)


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


def test_429_without_retry_after_waits_sixty_seconds(archive: tuple[Archive, str]) -> None:
    state, endpoint = archive
    state.throttle = 1
    state.captures[PAGE] = [Capture(wayback_timestamp(AS_OF))]
    fake, progress = FakeTime(), list[str]()
    [snap], client, sent = run_lookups(endpoint, [PAGE], fake=fake, progress=progress)
    assert snap.available and sent == 2
    assert fake.sleeps == [60.0]
    assert client.stats.rate_limited == 1 and client.stats.waited_seconds == 60.0
    assert progress == ["archive: rate limited, waiting 60 s"]


def test_429_retry_after_is_honoured(archive: tuple[Archive, str]) -> None:
    state, endpoint = archive
    state.throttle, state.retry_after = 1, "7"
    state.captures[PAGE] = [Capture(wayback_timestamp(AS_OF))]
    fake = FakeTime()
    [snap], _, _ = run_lookups(endpoint, [PAGE], fake=fake, wait_after_429=60.0)
    assert snap.available and fake.sleeps == [7.0]


def test_persistent_429_gives_up_without_calling_it_missing(archive: tuple[Archive, str]) -> None:
    state, endpoint = archive
    state.throttle = 100
    fake = FakeTime()
    [snap], client, sent = run_lookups(endpoint, [PAGE], fake=fake, wait_after_429=2.0)
    assert not snap.available and snap.reason is not None and "rate limited" in snap.reason
    assert not reusable_snapshot(snap)
    assert sent == 4 and fake.sleeps == [2.0, 2.0, 2.0]
    assert client.stats.errors == 1 and client.stats.not_found == 0


def test_replay_requests_are_spaced_by_the_bucket(archive: tuple[Archive, str]) -> None:
    _, endpoint = archive
    fake = FakeTime()
    urls = [f"https://none.example/{i}" for i in range(4)]
    snaps, client, sent = run_lookups(endpoint, urls, fake=fake, replay_per_minute=30)
    assert sent == 4 and all(not s.available for s in snaps)
    # first request free, then one every 2 s (30 a minute)
    assert fake.sleeps == pytest.approx([2.0, 2.0, 2.0])
    assert client.stats.waited_seconds == pytest.approx(6.0)


def test_long_pacing_waits_are_visible(archive: tuple[Archive, str]) -> None:
    _, endpoint = archive
    fake, progress = FakeTime(), list[str]()
    urls = ["https://none.example/1", "https://none.example/2"]
    run_lookups(endpoint, urls, fake=fake, progress=progress, replay_per_minute=6)
    assert fake.sleeps == pytest.approx([10.0])
    assert progress == ["archive: keeping to the rate limit, waiting 10 s"]


def test_token_bucket_spacing_and_pause() -> None:
    fake = FakeTime()
    bucket = TokenBucket(24, clock=fake.clock, sleep=fake.sleep)

    async def main() -> list[float]:
        waits = [await bucket.acquire() for _ in range(3)]
        fake.now += 10.0  # idle time refills at most one token (capacity 1)
        waits.append(await bucket.acquire())
        waits.append(await bucket.acquire())
        bucket.pause(60)
        waits.append(await bucket.acquire())
        return waits

    waits = asyncio.run(main())
    assert waits == pytest.approx([0.0, 2.5, 2.5, 0.0, 2.5, 60.0])


def test_concurrent_lookups_share_the_bucket() -> None:
    fake = FakeTime()
    bucket = TokenBucket(60, clock=fake.clock, sleep=fake.sleep)
    stamps: list[float] = []

    async def one() -> None:
        await bucket.acquire()
        stamps.append(fake.now)

    async def main() -> None:
        await asyncio.gather(*(one() for _ in range(5)))

    asyncio.run(main())
    assert sorted(stamps) == pytest.approx([1000.0, 1001.0, 1002.0, 1003.0, 1004.0])


def no_network() -> SafeTransport:
    """The checker's transport on a resolver that knows no name (no DNS packet leaves)."""
    return SafeTransport(CheckOptions(), Resolver(lookup=no_dns))


def test_unresolvable_archive_is_network_unavailable_once() -> None:
    progress: list[str] = []
    urls = [f"https://example.org/{i}" for i in range(5)]
    snaps, client, sent = run_lookups(
        "http://archive.invalid", urls, progress=progress, timeout=5.0, transport=no_network()
    )
    assert all(not s.available for s in snaps)
    assert all(s.reason and s.reason.startswith("network unavailable") for s in snaps)
    assert sent == 1  # remembered for the run: the other URLs are not tried
    assert client.unavailable is not None
    assert len(progress) == 1 and "network unavailable" in progress[0]
    assert not reusable_snapshot(snaps[0])


def test_archive_server_error_is_an_error(archive: tuple[Archive, str]) -> None:
    _, endpoint = archive
    snaps, client, _ = run_lookups(endpoint + "/broken", [PAGE])
    assert not snaps[0].available
    assert snaps[0].reason is not None and snaps[0].reason.startswith("archive error")
    assert client.stats.errors == 1


def test_refused_connections_stop_after_a_few(unused_port: int) -> None:
    endpoint = f"http://127.0.0.1:{unused_port}"
    urls = [f"https://example.org/{i}" for i in range(6)]
    snaps, client, sent = run_lookups(endpoint, urls)
    assert sent == 3
    assert all(not s.available for s in snaps)
    assert snaps[-1].reason is not None and snaps[-1].reason.startswith("archive unreachable")


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_link_header_parsing_handles_commas_in_dates() -> None:
    header = (
        '<http://a.example/>; rel="original", '
        '<http://arch.example/1>; rel="first memento"; datetime="Mon, 01 Jan 2018 00:00:00 GMT", '
        '<http://arch.example/2>; rel="memento"; datetime="Tue, 01 Aug 2023 00:00:00 GMT"'
    )
    links = parse_link_header(header)
    assert [t for t, _ in links] == [
        "http://a.example/",
        "http://arch.example/1",
        "http://arch.example/2",
    ]
    assert links[1][1] == {"rel": "first memento", "datetime": "Mon, 01 Jan 2018 00:00:00 GMT"}


def _lookup_through_safe_transport(
    endpoint: str, resolver_map: dict[tuple[str, int], str]
) -> tuple[ArchiveSnapshot, ArchiveSnapshot, int]:
    """Two lookups through the checker's own transport (address-safety rule, --resolve)."""
    sent: list[httpx.Request] = []

    async def count(request: httpx.Request) -> None:
        sent.append(request)

    async def main() -> tuple[ArchiveSnapshot, ArchiveSnapshot]:
        resolver = Resolver(resolver_map, lookup=no_dns)
        transport = SafeTransport(CheckOptions(), resolver)
        async with httpx.AsyncClient(transport=transport, event_hooks={"request": [count]}) as c:
            client = ArchiveClient(c, ArchiveOptions(wayback_endpoint=endpoint))
            return await client.closest(PAGE, AS_OF), await client.closest(PAGE + "&b", AS_OF)

    first, second = asyncio.run(main())
    return first, second, len(sent)


def test_checker_transport_mapped_endpoint(archive: tuple[Archive, str]) -> None:
    state, endpoint = archive
    port = int(endpoint.rsplit(":", 1)[1])
    state.captures[PAGE] = [Capture("20230801000000")]
    found, missing, _ = _lookup_through_safe_transport(
        f"http://wayback.test:{port}", {("wayback.test", port): "127.0.0.1"}
    )
    assert found.available and found.url == f"http://wayback.test:{port}/web/20230801000000/{PAGE}"
    assert not missing.available and (missing.reason or "").startswith("no capture")


def test_checker_transport_without_dns_is_network_unavailable() -> None:
    first, second, sent = _lookup_through_safe_transport("https://web.archive.org", {})
    assert (first.reason or "").startswith("network unavailable")
    assert second.reason == first.reason and sent == 1


def test_checker_transport_refuses_unmapped_loopback(archive: tuple[Archive, str]) -> None:
    _, endpoint = archive
    first, second, sent = _lookup_through_safe_transport(endpoint, {})
    assert not first.available and "loopback" in (first.reason or "")
    assert second.reason == first.reason and sent == 1


def test_concurrent_lookups_without_network_say_it_once() -> None:
    progress: list[str] = []
    sent: list[httpx.Request] = []
    waits = 0

    async def yield_a_while(seconds: float) -> None:
        nonlocal waits
        waits += 1
        if waits > 100_000:  # a queued lookup that never gives up fails here, not by hanging
            raise RuntimeError("the queued lookups kept waiting for a dead archive")
        await asyncio.sleep(0)

    async def count(request: httpx.Request) -> None:
        sent.append(request)

    async def main() -> list[ArchiveSnapshot]:
        async with httpx.AsyncClient(
            transport=no_network(), event_hooks={"request": [count]}
        ) as http:
            # The clock stands still: the bucket never refills, so the lookups queued behind
            # the first leave only if nothing stops them, however slow the machine is.
            client = ArchiveClient(
                http,
                ArchiveOptions(wayback_endpoint="http://archive.invalid", replay_per_minute=6000),
                progress=progress.append,
                clock=lambda: 0.0,
                sleep=yield_a_while,
            )
            urls = [f"https://example.org/{i}" for i in range(8)]
            return await asyncio.gather(*(client.closest(u, AS_OF) for u in urls))

    snaps = asyncio.run(main())
    assert all((s.reason or "").startswith("network unavailable") for s in snaps)
    assert len(progress) == 1
    assert len(sent) == 1  # the lookups queued behind the limiter never left
