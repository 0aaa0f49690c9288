"""The archive client over the checker's own transport: unreachable, refused, unavailable."""

from __future__ import annotations

import asyncio

import httpx

from citeaudit.check.archive import (
    ArchiveClient,
    ArchiveOptions,
)
from citeaudit.check.network import Resolver
from citeaudit.check.options import CheckOptions
from citeaudit.check.storerules import reusable_snapshot
from citeaudit.check.transport import SafeTransport
from citeaudit.models import ArchiveSnapshot

from ..servers import no_dns
from .fake import AS_OF, PAGE, Archive, Capture, no_network, run_lookups


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
