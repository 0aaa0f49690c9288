"""The fault suite of issue 6: one broken or hostile loopback server per scenario.

Each `Scenario` starts its server(s), names the URL the checker must judge, the options it runs
with, the verdicts that are right and the words the reason must hold. `run_scenario` runs the
real checker against it and measures wall time and peak Python memory (tracemalloc), so the
tests (`test_hostile_servers.py`) and the benchmark (`benchmarks/bench_faults.py`) share one
definition of every fault and cannot drift apart.

Every server listens on 127.0.0.1 and host names are mapped there with `--resolve`; no name is
ever sent to DNS (`no_dns`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import socket
import ssl
import time
import tracemalloc
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import trustme

from citeaudit.models import LinkStatus, Verdict

from ..check.servers import RESET, Reply, TestServer, by_method, page, run
from .rawserver import RawServer, Request, head_bytes, wait_for_hangup

TIMEOUT = 1.0
"""--timeout of every scenario: short, so a hang shows up as a slow test at once."""
MAX_BODY = 256 * 1024
BOMB_DECODED = 256 * 1024 * 1024
"""Decoded size of the gzip bomb (its compressed size is about 250 KB)."""


@dataclass
class Setup:
    """What a scenario hands the checker, and how to clean up after it."""

    url: str
    options: dict[str, Any] = field(default_factory=dict)
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    probe: Any = None
    """The server object, for scenario-specific assertions (bytes sent, request counts)."""


@dataclass(frozen=True)
class Scenario:
    """One fault: how to serve it and which verdicts are right."""

    name: str
    serve: Callable[[trustme.CA], Setup]
    expect: frozenset[LinkStatus]
    reason: str
    """A phrase the verdict's reason must contain (lowercase)."""
    budget: float
    """Seconds the whole run may take (generous for a shared 2-core machine)."""


@dataclass(frozen=True)
class Outcome:
    """What the checker said about a scenario and what it cost."""

    verdict: Verdict
    seconds: float
    peak_bytes: int
    probe: Any = None


def _resolved(server: TestServer | RawServer, host: str) -> dict[str, Any]:
    return {"resolve": ((host, server.port, "127.0.0.1"),)}


def _test_server(stack: contextlib.ExitStack, tls: ssl.SSLContext | None = None) -> TestServer:
    return stack.enter_context(TestServer("127.0.0.1", tls=tls))


def _raw(stack: contextlib.ExitStack, fault: Any, **kw: Any) -> RawServer:
    return stack.enter_context(RawServer(fault, **kw))


def _url(server: TestServer | RawServer, host: str, path: str) -> str:
    scheme = "https" if server.tls else "http"
    return f"{scheme}://{host}:{server.port}{path}"


# -- transport faults ---------------------------------------------------------------------


def reset(ca: trustme.CA) -> Setup:
    """Every request is answered with a TCP RST."""
    stack = contextlib.ExitStack()
    srv = _test_server(stack)
    srv.default("reset.test", RESET)
    return Setup(_url(srv, "reset.test", "/a"), _resolved(srv, "reset.test"), stack, srv)


class _Listener:
    """A socket that listens and never accepts: the kernel completes the handshake, no one
    ever reads (a half-open service)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.tls = None

    def close(self) -> None:
        self.sock.close()


def never_accepts(ca: trustme.CA) -> Setup:
    """The port is open, the handshake completes, nothing ever reads the request."""
    stack = contextlib.ExitStack()
    lst = _Listener()
    stack.callback(lst.close)
    return Setup(
        f"http://halfopen.test:{lst.port}/a",
        {"resolve": (("halfopen.test", lst.port, "127.0.0.1"),)},
        stack,
        lst,
    )


async def _silent(req: Request, reader: Any, writer: Any, srv: RawServer) -> None:
    await wait_for_hangup(reader)


def never_answers(ca: trustme.CA) -> Setup:
    """The server accepts and reads, and never writes a byte."""
    stack = contextlib.ExitStack()
    srv = _raw(stack, _silent)
    return Setup(_url(srv, "silent.test", "/a"), _resolved(srv, "silent.test"), stack, srv)


async def _slowloris(req: Request, reader: Any, writer: Any, srv: RawServer) -> None:
    writer.write(head_bytes(200, {"Content-Type": "text/html", "Content-Length": "100000"}))
    await writer.drain()
    if req.method == "HEAD":
        return
    for _ in range(100_000):
        writer.write(b"<")
        await writer.drain()
        srv.sent(1)
        await asyncio.sleep(0.25)  # well inside a read timeout, so only a deadline ends it


def slowloris(ca: trustme.CA) -> Setup:
    """Headers at once, then the body one byte at a time, forever."""
    stack = contextlib.ExitStack()
    srv = _raw(stack, _slowloris)
    return Setup(_url(srv, "slow.test", "/a"), _resolved(srv, "slow.test"), stack, srv)


async def _endless(req: Request, reader: Any, writer: Any, srv: RawServer) -> None:
    if req.path != "/a":
        writer.write(head_bytes(404, {"Content-Length": "0"}))
        await writer.drain()
        return
    writer.write(head_bytes(200, {"Content-Type": "text/html", "Transfer-Encoding": "chunked"}))
    if req.method == "HEAD":
        await writer.drain()
        return
    writer.write(b"2a\r\n<html><head><title>Endless</title></head>\n\r\n")
    chunk = b"%x\r\n%s\r\n" % (65536, b"a" * 65536)
    while True:
        writer.write(chunk)
        await writer.drain()
        srv.sent(65536)


def endless_body(ca: trustme.CA) -> Setup:
    """A chunked body that never ends."""
    stack = contextlib.ExitStack()
    srv = _raw(stack, _endless)
    return Setup(_url(srv, "endless.test", "/a"), _resolved(srv, "endless.test"), stack, srv)


@cache
def gzip_bomb_bytes() -> bytes:
    """A gzip stream of about 250 KB that inflates to BOMB_DECODED bytes (an HTML title first)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [comp.compress(b"<html><head><title>Bomb</title></head><body>")]
    block = b"\0" * (1 << 20)
    parts += [comp.compress(block) for _ in range(BOMB_DECODED >> 20)]
    parts.append(comp.flush())
    return b"".join(parts)


async def _bomb(req: Request, reader: Any, writer: Any, srv: RawServer) -> None:
    if req.path != "/a":
        writer.write(head_bytes(404, {"Content-Length": "0"}))
        await writer.drain()
        return
    bomb = gzip_bomb_bytes()
    writer.write(
        head_bytes(
            200,
            {
                "Content-Type": "text/html",
                "Content-Encoding": "gzip",
                "Content-Length": str(len(bomb)),
            },
        )
    )
    if req.method == "GET":
        writer.write(bomb)
        srv.sent(len(bomb))
    await writer.drain()


def gzip_bomb(ca: trustme.CA) -> Setup:
    """Content-Encoding: gzip, 250 KB on the wire, 256 MB decoded."""
    gzip_bomb_bytes()  # built before memory is measured: it is the server's, not the checker's
    stack = contextlib.ExitStack()
    srv = _raw(stack, _bomb)
    return Setup(_url(srv, "bomb.test", "/a"), _resolved(srv, "bomb.test"), stack, srv)


def _flood_fault(headers: list[tuple[str, str]]) -> Any:
    async def fault(req: Request, reader: Any, writer: Any, srv: RawServer) -> None:
        writer.write(head_bytes(200, [("Content-Length", "0"), *headers]))
        await writer.drain()

    return fault


def header_flood(ca: trustme.CA) -> Setup:
    """20,000 response headers (over 1 MB of header block)."""
    stack = contextlib.ExitStack()
    srv = _raw(stack, _flood_fault([(f"X-Flood-{i}", "v" * 48) for i in range(20_000)]))
    return Setup(_url(srv, "flood.test", "/a"), _resolved(srv, "flood.test"), stack, srv)


def huge_header(ca: trustme.CA) -> Setup:
    """One response header of 4 MB."""
    stack = contextlib.ExitStack()
    srv = _raw(stack, _flood_fault([("X-Huge", "h" * (4 << 20))]))
    return Setup(_url(srv, "huge.test", "/a"), _resolved(srv, "huge.test"), stack, srv)


# -- TLS --------------------------------------------------------------------------------


def _tls_setup(ca: trustme.CA, cert: trustme.LeafCert, host: str) -> Setup:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(ctx)
    stack = contextlib.ExitStack()
    srv = _test_server(stack, tls=ctx)
    srv.default(host, Reply(200, page("Welcome")))
    pem = stack.enter_context(ca.cert_pem.tempfile())
    return Setup(_url(srv, host, "/a"), {**_resolved(srv, host), "ca_bundle": pem}, stack, srv)


def tls_unknown_ca(ca: trustme.CA) -> Setup:
    """A certificate from a CA the checker does not trust (as on a misconfigured site)."""
    return _tls_setup(ca, trustme.CA().issue_cert("rogue.test"), "rogue.test")


def tls_expired(ca: trustme.CA) -> Setup:
    """A certificate from the trusted CA that expired last year."""
    now = dt.datetime.now(dt.UTC)
    cert = ca.issue_cert(
        "expired.test",
        not_before=now - dt.timedelta(days=400),
        not_after=now - dt.timedelta(days=30),
    )
    return _tls_setup(ca, cert, "expired.test")


def tls_wrong_host(ca: trustme.CA) -> Setup:
    """A valid certificate for another host name."""
    return _tls_setup(ca, ca.issue_cert("other.test"), "wronghost.test")


# -- redirects and statuses ---------------------------------------------------------------


def _redirect(to: str, status: int = 302) -> Reply:
    return Reply(status, b"", {"Location": to})


def redirect_loop(ca: trustme.CA) -> Setup:
    """/a -> /b -> /a."""
    stack = contextlib.ExitStack()
    srv = _test_server(stack)
    srv.route("loop.test", "/a", _redirect("/b"))
    srv.route("loop.test", "/b", _redirect("/a"))
    return Setup(_url(srv, "loop.test", "/a"), _resolved(srv, "loop.test"), stack, srv)


def redirect_chain_50(ca: trustme.CA) -> Setup:
    """/r/0 -> /r/1 -> ... -> /r/50, which answers 200."""
    stack = contextlib.ExitStack()
    srv = _test_server(stack)
    for i in range(50):
        srv.route("chain.test", f"/r/{i}", _redirect(f"/r/{i + 1}", 301))
    srv.route("chain.test", "/r/50", Reply(200, page("The end")))
    return Setup(_url(srv, "chain.test", "/r/0"), _resolved(srv, "chain.test"), stack, srv)


def _redirect_to(target: str, host: str) -> Callable[[trustme.CA], Setup]:
    def serve(ca: trustme.CA) -> Setup:
        stack = contextlib.ExitStack()
        srv = _test_server(stack)
        srv.route(host, "/a", _redirect(target))
        return Setup(_url(srv, host, "/a"), _resolved(srv, host), stack, srv)

    serve.__doc__ = f"A redirect to {target}."
    return serve


def _storm(retry_after: str) -> Callable[[trustme.CA], Setup]:
    def serve(ca: trustme.CA) -> Setup:
        stack = contextlib.ExitStack()
        srv = _test_server(stack)
        srv.default("storm.test", Reply(429, page("Slow down"), {"Retry-After": retry_after}))
        options = {
            **_resolved(srv, "storm.test"),
            "retries": 2,
            "max_wait": 0.3,
        }
        return Setup(_url(srv, "storm.test", "/a"), options, stack, srv)

    serve.__doc__ = f"429 to every request, Retry-After: {retry_after}."
    return serve


def head_ok_get_404(ca: trustme.CA) -> Setup:
    """HEAD says 200, GET says 404: the page is gone."""
    stack = contextlib.ExitStack()
    srv = _test_server(stack)
    srv.route("liar.test", "/a", by_method(Reply(200, page("Here")), Reply(404, page("Not Found"))))
    return Setup(_url(srv, "liar.test", "/a"), _resolved(srv, "liar.test"), stack, srv)


E = LinkStatus.ERROR
_REDIRECT_BUDGET = 3.0
SCENARIOS: tuple[Scenario, ...] = (
    Scenario("connection reset", reset, frozenset({E}), "reset", 2.0),
    Scenario("half-open (never accepted)", never_accepts, frozenset({E}), "timed out", 3 * TIMEOUT),
    Scenario("accepts, never answers", never_answers, frozenset({E}), "timed out", 3 * TIMEOUT),
    Scenario("slowloris body (4 B/s)", slowloris, frozenset({E}), "timed out", 3 * TIMEOUT),
    Scenario(
        "endless body",
        endless_body,
        frozenset({LinkStatus.ALIVE}),
        "200",
        3 * TIMEOUT,
    ),
    Scenario("gzip bomb (256 MB)", gzip_bomb, frozenset({LinkStatus.ALIVE}), "200", 3 * TIMEOUT),
    Scenario("header flood (20k)", header_flood, frozenset({E}), "without an answer", 2.0),
    Scenario("huge header (4 MB)", huge_header, frozenset({E}), "without an answer", 2.0),
    Scenario("TLS unknown CA", tls_unknown_ca, frozenset({E}), "tls failure", 2.0),
    Scenario("TLS expired", tls_expired, frozenset({E}), "tls failure", 2.0),
    Scenario("TLS wrong host", tls_wrong_host, frozenset({E}), "tls failure", 2.0),
    Scenario("redirect loop", redirect_loop, frozenset({E}), "redirect loop", _REDIRECT_BUDGET),
    Scenario("redirect chain of 50", redirect_chain_50, frozenset({E}), "more than 10", 3.0),
    Scenario(
        "redirect to file:",
        _redirect_to("file:///etc/passwd", "file.test"),
        frozenset({LinkStatus.INVALID}),
        "non-http(s)",
        _REDIRECT_BUDGET,
    ),
    Scenario(
        "redirect to ftp:",
        _redirect_to("ftp://ftp.example.org/pub/x", "ftp.test"),
        frozenset({LinkStatus.INVALID}),
        "non-http(s)",
        _REDIRECT_BUDGET,
    ),
    Scenario(
        "redirect to javascript:",
        _redirect_to("javascript:alert(document.cookie)", "js.test"),
        frozenset({LinkStatus.INVALID}),
        "non-http(s)",
        _REDIRECT_BUDGET,
    ),
    Scenario(
        "redirect to 169.254.169.254",
        _redirect_to("http://169.254.169.254/latest/meta-data/", "meta.test"),
        frozenset({LinkStatus.SKIPPED}),
        "cloud metadata",
        _REDIRECT_BUDGET,
    ),
    Scenario(
        "429 storm, Retry-After 1e9 s",
        _storm("1000000000"),
        frozenset({LinkStatus.BLOCKED}),
        "429",
        4.0,
    ),
    Scenario(
        "429 storm, Retry-After year 9999",
        _storm("Fri, 31 Dec 9999 23:59:59 GMT"),
        frozenset({LinkStatus.BLOCKED}),
        "429",
        4.0,
    ),
    Scenario("HEAD 200, GET 404", head_ok_get_404, frozenset({LinkStatus.DEAD}), "404", 2.0),
)


def run_scenario(scenario: Scenario, ca: trustme.CA) -> Outcome:
    """Serve the fault, check its URL with the real checker, measure time and peak memory."""
    setup = scenario.serve(ca)
    with setup.stack:
        options = {"timeout": TIMEOUT, "max_body": MAX_BODY, **setup.options}
        tracemalloc.start()
        try:
            t0 = time.monotonic()
            checked = run([setup.url], **options)
            seconds = time.monotonic() - t0
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        return Outcome(checked.verdicts[setup.url], seconds, peak, setup.probe)
