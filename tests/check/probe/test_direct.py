"""A probe's request sent straight to its origin's pool: the same bytes, answers and errors as
httpx's own path, and httpx's path wherever httpx has work to do."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from citeaudit.check.options import CheckOptions
from citeaudit.check.probe import direct
from citeaudit.check.probe.exchange import _open
from citeaudit.check.probe.location import BadLocation, check_location
from citeaudit.check.prober import make_client

from ...hardening.rawserver import Fault, RawServer, Request, head_bytes
from ..servers import count_sends, no_dns

_NETLOCS = [
    "a.example", "A.Example", "a.example:80", "a.example:8080", "a.example:443", "127.0.0.1",
    "999.1.1.1", "[::1]", "[::1]:8443", "xn--bcher-kva.example", "bücher.example",
    "u:p@a.example", "a.example:", "a.example:x", "", "a b.example", "a.example.",
]  # fmt: skip
_REST_CHARS = "/?#%.:@!$&'()*+,;=~-_[]{}|^`\"<> \\\taZ09é"


@given(
    st.sampled_from(["http", "https", "HTTP", "ftp"]),
    st.sampled_from(_NETLOCS),
    st.text(alphabet=_REST_CHARS, max_size=24),
)
def test_a_url_goes_direct_only_as_httpx_would_send_it(scheme: str, netloc: str, rest: str) -> None:
    url = f"{scheme}://{netloc}{rest}"
    where = direct.target(url)
    if where is None:
        return
    origin, path = where
    theirs = httpx.URL(url)  # never raises where target() accepted the URL
    assert (origin.raw_scheme, origin.raw_host, origin.port, path) == (
        theirs.raw_scheme,
        theirs.raw_host,
        theirs.port,
        theirs.raw_path,
    )
    assert origin.host_header == httpx.Request("GET", theirs).headers["host"].encode()


def test_plain_urls_go_direct_and_others_through_httpx() -> None:
    for url in (
        "http://a.example",
        "https://a.example:8443/p/q.html?x=1&y=%20",
        "http://127.0.0.1:80/a;b=c/d?e=f/g?h",
    ):
        assert direct.target(url) is not None, url
    for url in (
        "http://a.example/é",  # httpx percent-encodes it
        "http://a.example/a/../b",  # httpx drops dot segments
        "http://user:pw@a.example/",  # httpx turns user info into auth
        "http://a.example/x#frag",
        "http://a.example/a b",
        "http://bücher.example/",  # passes through httpx's IDNA, cached per origin
    ):
        where = direct.target(url)
        assert where is None or where[0].raw_host == httpx.URL(url).raw_host, url


_RAW_HEADERS = st.lists(
    st.tuples(
        st.sampled_from([b"Set-Cookie", b"set-cookie", b"Location", b"X-A", b"x-\xc3\xa9"]),
        st.binary(max_size=6).filter(lambda b: b"\r" not in b and b"\n" not in b),
    ),
    max_size=6,
)


@given(_RAW_HEADERS)
def test_headers_decode_and_join_as_httpxs_do(raw: list[tuple[bytes, bytes]]) -> None:
    theirs = {k.lower(): v for k, v in httpx.Headers(raw).items()}
    assert direct.decoded_headers(raw) == theirs


def _recording(heads: list[bytes]) -> Fault:
    async def fault(
        req: Request, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, srv: RawServer
    ) -> None:
        while True:  # keep-alive: answer each request on the connection
            heads.append(await reader.readuntil(b"\r\n\r\n"))
            path = heads[-1].split(b" ", 2)[1]
            status, body = 200, b""
            if path == b"/js":
                status, headers = 302, [("Location", "javascript:alert(1)")]
            elif path == b"/set":
                headers = [("Set-Cookie", "consent=yes; Path=/")]
            else:
                body = b"<title>t</title>"
                headers = [("Content-Type", "text/html"), ("X-Twice", "a"), ("X-Twice", "b")]
            headers.append(("Content-Length", str(len(body))))
            writer.write(head_bytes(status, headers) + body)
            await writer.drain()

    return fault


def _client(srv: RawServer, host: str) -> httpx.AsyncClient:
    """The checker's client, `host` resolved to the raw server."""
    options = CheckOptions(
        timeout=5.0, resolve=((host, srv.port, srv.address),), allow_private=True
    )
    return make_client(options, lookup=no_dns)


def test_a_direct_request_is_the_one_httpx_sends_and_its_answer_reads_the_same() -> None:
    heads: list[bytes] = []
    with RawServer(_recording(heads), address="127.0.0.23", read_head=False) as srv:
        client = _client(srv, "direct.test")
        client.event_hooks = {"response": [check_location]}
        url = srv.url("/p?q=1", host="direct.test")

        async def go() -> tuple[list[object], list[object]]:
            ours = await _open(client, "GET", url, {"X-Extra": "1"}, 5.0)
            ours_body = b"".join([c async for c in ours.aiter_raw()])
            await ours.aclose()
            request = client.build_request("GET", url, headers={"X-Extra": "1"})
            theirs = await client.send(request, stream=True)
            their_body = await theirs.aread()
            await theirs.aclose()
            lowered = {k.lower(): v for k, v in theirs.headers.items()}
            with pytest.raises(BadLocation):
                await _open(client, "GET", srv.url("/js", host="direct.test"), {}, 5.0)
            await client.aclose()
            return [ours.status_code, ours.headers, ours_body], [
                theirs.status_code,
                lowered,
                their_body,
            ]

        ours, theirs = asyncio.run(go())
    assert ours == theirs and ours[1]["x-twice"] == "a, b"  # type: ignore[index]
    assert len(heads) == 3 and heads[0] == heads[1]
    assert srv.connections == 1  # the direct answer's connection went back to the pool


def test_a_site_s_cookie_is_kept_and_sent_back_through_httpx() -> None:
    heads: list[bytes] = []
    with RawServer(_recording(heads), address="127.0.0.24", read_head=False) as srv:
        client = _client(srv, "jar.test")
        sent_by_httpx = count_sends(client)

        async def go() -> None:
            for path in ("/set", "/again"):
                response = await _open(client, "GET", srv.url(path, host="jar.test"), {}, 5.0)
                await response.aclose()
            await client.aclose()

        asyncio.run(go())
    assert dict(client.cookies) == {"consent": "yes"}
    assert sent_by_httpx == ["/again"]  # the first went direct; the cookie needs httpx's client
    assert b"cookie: consent=yes" in heads[1].lower() and b"cookie" not in heads[0].lower()


def test_a_refused_connection_is_httpx_s_connect_error() -> None:
    with RawServer(_recording([]), address="127.0.0.25", read_head=False) as srv:
        port = srv.port
    options = CheckOptions(
        timeout=5.0, resolve=(("gone.test", port, "127.0.0.25"),), allow_private=True
    )
    client = make_client(options, lookup=no_dns)

    async def go() -> None:
        try:
            with pytest.raises(httpx.ConnectError):
                await _open(client, "GET", f"http://gone.test:{port}/", {}, 5.0)
        finally:
            await client.aclose()

    asyncio.run(go())


def test_a_request_goes_direct_only_where_httpx_s_client_would_add_nothing() -> None:
    def fresh() -> httpx.AsyncClient:
        return make_client(CheckOptions(timeout=5.0), lookup=no_dns)

    assert direct.usable(fresh(), {}) is not None
    assert direct.usable(fresh(), {"Host": "elsewhere.test"}) is None  # httpx keeps the caller's
    changes = {
        "cookie": lambda c: c.cookies.set("s", "1"),
        "base URL": lambda c: setattr(c, "base_url", "http://base.test/"),
        "params": lambda c: setattr(c, "params", {"q": "1"}),
        "auth": lambda c: setattr(c, "auth", ("u", "p")),
        "request hook": lambda c: setattr(c, "event_hooks", {"request": [print]}),
        "other response hook": lambda c: setattr(c, "event_hooks", {"response": [print]}),
        "redirects": lambda c: setattr(c, "follow_redirects", True),
    }
    for name, change in changes.items():
        client = fresh()
        change(client)
        assert direct.usable(client, {}) is None, name
