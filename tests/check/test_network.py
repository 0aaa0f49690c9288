"""Address safety, --resolve, the canary, and "network unavailable" (never a dead web)."""

from __future__ import annotations

import asyncio
import socket

import httpcore
import httpx
import pytest

from citeaudit.check.backend import AsyncioBackend, SafeBackend
from citeaudit.check.network import (
    AddressRefused,
    NameNotResolved,
    Resolver,
    address_problem,
    system_lookup,
)
from citeaudit.check.options import parse_resolve
from citeaudit.check.transport import CheckerClient
from citeaudit.models import LinkStatus

from .servers import Reply, TestServer, no_dns, page, run


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("example.org:443", "HOST:PORT:ADDR"),
        ("example.org:https:1.2.3.4", "not a number"),
        ("example.org:70000:1.2.3.4", "out of range"),
        ("example.org:443:not-an-ip", "not an IP address"),
    ],
)
def test_parse_resolve_rejects_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_resolve(text)


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("127.0.0.2", "loopback"),
        ("::1", "loopback"),
        ("169.254.1.1", "link-local"),
        ("169.254.169.254", "cloud metadata"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "non-public"),
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_problem(address: str, problem: str | None) -> None:
    assert address_problem(address) == problem


def test_private_addresses_refused_unless_allowed(server: TestServer) -> None:
    server.route("127.0.0.1", "/admin", Reply(200, page("Router admin")))
    literal = f"http://127.0.0.1:{server.port}/admin"
    refused = run([literal]).verdicts[literal]
    assert refused.status is LinkStatus.SKIPPED and "loopback" in refused.reason
    assert not server.hits()  # nothing reached the server
    allowed = run([literal], allow_private=True).verdicts[literal]
    assert allowed.status is LinkStatus.ALIVE


def test_metadata_address_refused() -> None:
    url = "http://169.254.169.254/latest/meta-data/"
    v = run([url]).verdicts[url]
    assert v.status is LinkStatus.SKIPPED and "cloud metadata" in v.reason


def test_name_resolving_to_loopback_refused_but_resolve_mapping_allowed(
    server: TestServer,
) -> None:
    server.route("intranet.test", "/", Reply(200, page("Intranet")))
    url = server.url("intranet.test", "/")

    async def to_loopback(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    v = run([url], lookup=to_loopback, canary_hosts=()).verdicts[url]
    assert v.status is LinkStatus.SKIPPED and "127.0.0.1" in v.reason
    assert not server.hits()
    mapped = run([url], resolve=server.resolve("intranet.test")).verdicts[url]
    assert mapped.status is LinkStatus.ALIVE


def test_redirect_to_private_address_refused(server: TestServer) -> None:
    inner = f"http://127.0.0.1:{server.port}/secret"
    server.route("public.test", "/r", Reply(302, headers={"Location": inner}))
    server.route("127.0.0.1", "/secret", Reply(200, page("secret")))
    url = server.url("public.test", "/r")
    v = run([url], resolve=server.resolve("public.test")).verdicts[url]
    assert v.status is LinkStatus.SKIPPED and "redirected" in v.reason
    assert not server.hits("127.0.0.1")


def test_checked_address_is_the_connected_address() -> None:
    """No DNS-rebinding gap: one lookup feeds both the check and the connection."""
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])  # a rebinding resolver
    calls: list[str] = []

    async def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    class Recorder:
        connected: list[str] = []

        async def connect_tcp(self, host, port, timeout=None, local=None, opts=None):  # noqa: ANN001, ANN202
            self.connected.append(host)
            raise OSError("recorded, not connected")

    async def go() -> None:
        backend = SafeBackend(Resolver(lookup=rebinding))
        backend._inner = Recorder()  # type: ignore[assignment]
        for _ in range(2):
            with pytest.raises(OSError):
                await backend.connect_tcp("rebind.test", 80)

    asyncio.run(go())
    assert calls == ["rebind.test"]  # looked up once, so the check saw what we connect to
    assert Recorder.connected == ["93.184.216.34", "93.184.216.34"]


def test_resolver_refuses_private_and_reports_nxdomain() -> None:
    async def go() -> None:
        r = Resolver(lookup=no_dns)
        with pytest.raises(NameNotResolved) as info:
            await r.resolve("nowhere.test", 443)
        assert info.value.nxdomain
        with pytest.raises(AddressRefused):
            await Resolver().resolve("10.0.0.1", 80)
        assert await Resolver(allow_private=True).resolve("10.0.0.1", 80) == ["10.0.0.1"]

    asyncio.run(go())


def test_network_unavailable_when_canary_fails(server: TestServer) -> None:
    server.route("mapped.test", "/", Reply(200, page("Mapped")))
    missing = "https://no-such-domain.test/a"
    mapped = server.url("mapped.test", "/")
    result = run([missing, mapped], resolve=server.resolve("mapped.test"))
    v = result.verdicts[missing]
    assert v.status is LinkStatus.ERROR and v.reason.startswith("network unavailable")
    assert len(result.notices) == 1 and "network unavailable" in result.notices[0]
    assert not result.network_available
    assert result.verdicts[mapped].status is LinkStatus.ALIVE  # --resolve hosts still work


def test_dead_domain_when_canary_resolves(server: TestServer) -> None:
    missing = "https://no-such-domain.test/a"
    canary = (("canary.test", 443, "127.0.0.1"),)  # a working canary, without DNS
    result = run([missing], resolve=canary)
    v = result.verdicts[missing]
    assert v.status is LinkStatus.DEAD and "no such domain" in v.reason
    assert result.notices == ()


def test_network_unavailable_when_every_host_fails(server: TestServer) -> None:
    urls = ["https://a-missing.test/1", "https://b-missing.test/2"]
    canary = (("canary.test", 443, "127.0.0.1"),)
    result = run(urls, resolve=canary)
    assert {v.status for v in result.verdicts.values()} == {LinkStatus.ERROR}
    assert "none of the 2 hosts" in result.notices[0]


def test_each_host_looked_up_once() -> None:
    calls: list[str] = []

    async def counting(host: str, port: int) -> list[str]:
        calls.append(host)
        return await no_dns(host, port)

    urls = [f"https://one.test/{i}" for i in range(5)] + ["https://two.test/"]
    run(urls, lookup=counting, canary_hosts=())
    assert sorted(calls) == ["one.test", "two.test"]


def test_with_the_canary_down_no_name_of_the_document_is_looked_up() -> None:
    calls: list[str] = []

    async def counting(host: str, port: int) -> list[str]:
        calls.append(host)
        return await no_dns(host, port)

    urls = ["https://one.test/a", "https://two.test/b"]
    result = run(urls, lookup=counting, canary_hosts=("canary.test",))
    # a resolver that times out would make every lookup cost seconds: only the canary is asked
    assert calls == ["canary.test"]
    assert all(v.status is LinkStatus.ERROR for v in result.verdicts.values())
    assert all("not looked up" in v.reason for v in result.verdicts.values())


@pytest.mark.parametrize(
    ("code", "nxdomain"), [(socket.EAI_NONAME, True), (socket.EAI_AGAIN, False)]
)
def test_system_lookup_maps_resolver_errors(
    monkeypatch: pytest.MonkeyPatch, code: int, nxdomain: bool
) -> None:
    """No packet is sent: the event loop's getaddrinfo is replaced for this test."""

    async def fake_getaddrinfo(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise socket.gaierror(code, "simulated")

    async def go() -> NameNotResolved:
        loop = asyncio.get_running_loop()
        monkeypatch.setattr(loop, "getaddrinfo", fake_getaddrinfo)
        with pytest.raises(NameNotResolved) as info:
            await system_lookup("nowhere.test", 443)
        return info.value

    err = asyncio.run(go())
    assert err.nxdomain is nxdomain
    assert ("no such domain" in err.detail) is nxdomain


async def _loopback_server(handler):  # noqa: ANN001, ANN202
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def test_asyncio_stream_notices_a_server_closing_an_idle_connection() -> None:
    """httpcore asks `is_readable` before reusing a kept-alive connection: a closed one is not."""

    async def go() -> tuple[bool, bool, bytes]:
        closed = asyncio.Event()

        async def answer_then_close(reader, writer) -> None:  # noqa: ANN001
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
            writer.close()
            await writer.wait_closed()
            closed.set()

        server, port = await _loopback_server(answer_then_close)
        async with server:
            stream = await AsyncioBackend().connect_tcp("127.0.0.1", port)
            before = stream.get_extra_info("is_readable")
            await stream.write(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            data = b""
            while not data.endswith(b"ok"):
                data += await stream.read(1024)
            await closed.wait()
            # the event loop reads the peer's FIN on its own; wait for that event, bounded
            deadline = asyncio.get_running_loop().time() + 10
            while not stream.get_extra_info("is_readable"):
                assert asyncio.get_running_loop().time() < deadline
                await asyncio.sleep(0)
            after = stream.get_extra_info("is_readable")
            await stream.aclose()
            return before, after, data

    before, after, data = asyncio.run(go())
    assert data.startswith(b"HTTP/1.1 200") and before is False and after is True


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_asyncio_stream_maps_timeouts_and_refusals_to_httpcore_errors() -> None:
    unused_port = _unused_port()

    async def go() -> None:
        async def silent(reader, writer) -> None:  # noqa: ANN001
            await reader.read()  # never answers; returns when the client hangs up

        server, port = await _loopback_server(silent)
        async with server:
            stream = await AsyncioBackend().connect_tcp("127.0.0.1", port)
            with pytest.raises(httpcore.ReadTimeout):
                await stream.read(100, timeout=0.05)
            await stream.aclose()
        with pytest.raises(httpcore.ConnectError):
            await AsyncioBackend().connect_tcp("127.0.0.1", unused_port)

    asyncio.run(go())


def test_checker_client_keeps_cookies_a_site_sets() -> None:
    """Skipping the cookie jar for answers without Set-Cookie must not lose real cookies."""
    sent: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers.get("cookie"))
        if request.url.path == "/set":
            return httpx.Response(200, headers={"Set-Cookie": "consent=yes; Path=/"})
        return httpx.Response(200)

    async def go() -> None:
        async with CheckerClient(transport=httpx.MockTransport(handler)) as client:
            await client.get("http://site.test/plain")
            await client.get("http://site.test/set")
            await client.get("http://site.test/again")
            assert dict(client.cookies) == {"consent": "yes"}

    asyncio.run(go())
    assert sent == [None, None, "consent=yes"]


def test_the_sniffio_stand_in_answers_asyncio_only_inside_a_loop() -> None:
    import sniffio  # the real one when installed, else citeaudit.check.backend's stand-in

    async def ask() -> str:
        return sniffio.current_async_library()

    assert AsyncioBackend  # importing the backend installs the stand-in when sniffio is absent
    assert asyncio.run(ask()) == "asyncio"
    with pytest.raises(sniffio.AsyncLibraryNotFoundError):
        sniffio.current_async_library()
