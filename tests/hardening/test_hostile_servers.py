"""Broken and hostile servers on loopback: right verdict, bounded time, bounded memory.

Each scenario of `faults.SCENARIOS` runs the real checker (real sockets, real TLS) against one
misbehaving server. A wrong verdict, a run past its budget (a hang shows up here, not as a stuck
CI job) or a probe that buffers a bomb all fail the test. A few faults get extra checks from
the server's side: how many bytes it managed to send, how many requests it saw.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import httpx
import pytest
import trustme

from citeaudit.check.archive import ArchiveClient, ArchiveOptions
from citeaudit.check.ratelimit import parse_retry_after
from citeaudit.models import LinkStatus

from ..check.servers import Reply, TestServer, page, run
from . import faults
from .faults import MAX_BODY, SCENARIOS, TIMEOUT, run_scenario
from .rawserver import RawServer, head_bytes

HANG_LIMIT = 30.0
"""Seconds past which a scenario is a hang. Each scenario's own budget is what it takes on an idle
machine; a busy one may take several times that, so only a hang fails here, and the reason
(which names the timeout that fired) says the deadline worked."""
PEAK_LIMIT = 48 * 1024 * 1024
"""Most Python memory one probe may use at its peak, whatever the server sends."""


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_fault_gets_the_right_verdict_in_time(scenario: faults.Scenario, ca: trustme.CA) -> None:
    outcome = run_scenario(scenario, ca)
    verdict = outcome.verdict
    assert verdict.status in scenario.expect, verdict.reason
    assert scenario.reason in verdict.reason.lower(), verdict.reason
    assert outcome.seconds < max(HANG_LIMIT, scenario.budget), f"{outcome.seconds:.2f} s"
    assert outcome.peak_bytes < PEAK_LIMIT, f"{outcome.peak_bytes / 1e6:.1f} MB"
    assert not verdict.status.is_live or scenario.expect & {LinkStatus.ALIVE}


def test_slowloris_ends_at_the_timeout_not_at_the_end_of_the_body(ca: trustme.CA) -> None:
    outcome = run_scenario(faults.Scenario("s", faults.slowloris, frozenset(), "", 0), ca)
    assert outcome.verdict.status is LinkStatus.ERROR
    # the whole GET got one deadline: at 4 B/s, a handful of bytes trickled before it struck
    # (the server's byte count is the clock here, so a busy machine does not move it)
    assert outcome.seconds >= TIMEOUT * 0.9
    assert outcome.probe.bytes_sent < 12


def test_endless_body_read_stops_near_max_body(ca: trustme.CA) -> None:
    outcome = run_scenario(faults.Scenario("e", faults.endless_body, frozenset(), "", 0), ca)
    assert outcome.verdict.title == "Endless"
    # what the server got out before the client hung up: max_body plus socket buffers
    assert outcome.probe.bytes_sent < MAX_BODY + 16 * 1024 * 1024


def test_gzip_bomb_is_decoded_only_up_to_max_body(ca: trustme.CA) -> None:
    outcome = run_scenario(faults.Scenario("g", faults.gzip_bomb, frozenset(), "", 0), ca)
    # the title at the start of the decoded stream was read: decoding works, and stops early
    assert outcome.verdict.title == "Bomb"
    assert outcome.peak_bytes < 8 * MAX_BODY + 4 * 1024 * 1024


def test_tls_failures_are_never_alive_even_with_retries(ca: trustme.CA) -> None:
    for serve in (faults.tls_unknown_ca, faults.tls_expired, faults.tls_wrong_host):
        setup = serve(ca)
        with setup.stack:
            verdict = run([setup.url], timeout=TIMEOUT, retries=1, **setup.options).verdicts[
                setup.url
            ]
        assert verdict.status is LinkStatus.ERROR
        assert verdict.http_status is None
        assert not setup.probe.hits(), "no HTTP request may cross a failed handshake"


def test_head_200_then_get_404_sends_both_and_says_dead(ca: trustme.CA) -> None:
    setup = faults.head_ok_get_404(ca)
    with setup.stack:
        verdict = run([setup.url], **setup.options).verdicts[setup.url]
        methods = [s.method for s in setup.probe.hits("liar.test", "/a")]
    assert verdict.status is LinkStatus.DEAD
    assert methods == ["HEAD", "GET"]


def test_redirect_chain_stops_after_max_redirects(ca: trustme.CA) -> None:
    setup = faults.redirect_chain_50(ca)
    with setup.stack:
        verdict = run([setup.url], **setup.options).verdicts[setup.url]
        asked = len(setup.probe.hits("chain.test"))
    assert verdict.status is LinkStatus.ERROR
    assert len(verdict.redirects) == 11  # ten followed, the eleventh refused
    assert asked <= 11


@pytest.mark.parametrize(
    "header", ["1000000000", "99999999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT"]
)
def test_absurd_retry_after_parses_without_overflow(header: str) -> None:
    wait = parse_retry_after(header)
    assert wait is not None and wait > 10**8


def test_429_storm_asking_for_ages_is_blocked_at_once_without_a_retry_storm() -> None:
    with TestServer() as srv:
        srv.default("storm.test", Reply(429, page("Slow"), {"Retry-After": "1000000000"}))
        urls = [srv.url("storm.test", f"/p{i}") for i in range(20)]
        result = run(
            urls,
            resolve=srv.resolve("storm.test"),
            retries=1,
            max_wait=0.2,
            soft404_probe=False,
        )
        asked = len(srv.hits("storm.test"))
    assert {v.status for v in result.verdicts.values()} == {LinkStatus.BLOCKED}
    assert all("rate-limited until" in v.reason for v in result.verdicts.values())
    assert asked <= 20 * 2  # HEAD and GET per URL: a wait that long is not slept, nor retried


def test_unparseable_location_blames_the_redirect_not_the_cited_url() -> None:
    with TestServer() as srv:
        srv.route("bad.test", "/a", Reply(301, b"", {"Location": "http://[::1/x"}))
        url = srv.url("bad.test", "/a")
        verdict = run([url], resolve=srv.resolve("bad.test")).verdicts[url]
    assert verdict.status is LinkStatus.INVALID
    assert "redirected to a malformed url" in verdict.reason.lower()
    assert [h.status for h in verdict.redirects] == [301]


# -- a hostile or broken archive endpoint ------------------------------------------------------


def _archive_fault(*, trickle: bool) -> Any:
    """A Wayback whose replay sends the client to the CDX index, and a CDX answer that never
    ends: in 64 KB chunks, or one byte every 0.2 s."""

    async def fault(req: Any, reader: Any, writer: Any, srv: RawServer) -> None:
        await _archive_answer(req, writer, srv, trickle)

    return fault


async def _archive_answer(req: Any, writer: Any, srv: RawServer, trickle: bool) -> None:
    if req.path.startswith("/web/"):
        # an archived 404: the client then asks the CDX index
        writer.write(head_bytes(404, {"Memento-Datetime": "Tue, 01 Aug 2023 00:00:00 GMT",
                                      "Content-Length": "0"}))  # fmt: skip
        await writer.drain()
        return
    writer.write(head_bytes(200, {"Content-Type": "application/json",
                                  "Transfer-Encoding": "chunked"}))  # fmt: skip
    if trickle:
        for _ in range(10_000):
            writer.write(b"1\r\n[\r\n")
            await writer.drain()
            await asyncio.sleep(0.2)
    chunk = b"%x\r\n%s\r\n" % (65536, b"[" * 65536)
    while True:
        writer.write(chunk)
        await writer.drain()
        srv.sent(65536)


def _lookup(endpoint: str, timeout: float) -> Any:
    async def go() -> Any:
        async with httpx.AsyncClient() as client:
            archive = ArchiveClient(client, ArchiveOptions(wayback_endpoint=endpoint,
                                                           timeout=timeout))  # fmt: skip
            return await archive.closest("https://example.org/story", date(2023, 8, 3))

    return asyncio.run(go())


def test_an_endless_cdx_answer_is_cut_at_its_cap() -> None:
    with RawServer(_archive_fault(trickle=False), address="127.0.0.8") as srv:
        snapshot = _lookup(f"http://127.0.0.8:{srv.port}", timeout=10)
    assert not snapshot.available and "too large" in (snapshot.reason or "")
    assert srv.bytes_sent < 32 * 1024 * 1024


def test_a_trickling_cdx_answer_ends_at_the_timeout() -> None:
    with RawServer(_archive_fault(trickle=True), address="127.0.0.9") as srv:
        snapshot = _lookup(f"http://127.0.0.9:{srv.port}", timeout=1)
    # The reason names the 1 s timeout: the lookup ended at it, not at the end of the trickle.
    assert not snapshot.available and "1 s" in (snapshot.reason or ""), snapshot.reason
