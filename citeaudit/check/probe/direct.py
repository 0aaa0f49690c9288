"""A probe's request sent straight to its origin's pool, below httpx's request and response.

Why: once the pools, locks and timers were tuned, httpx's own objects were a sixth of a probe's
CPU: each request's pure-Python URL parse, the conversion to httpcore's request, the response
wrapper and its stream layers. A probe needs none of them: it sends a bodiless GET or HEAD and
reads a status, headers and at most a capped body. So when httpx would add nothing (no cookies
to send, no auth, no request hooks, no redirect following, no proxy or mount), the request goes
to the same `pool.OriginPool` that httpx's transport would have used. The connection, the
address check in `backend.SafeBackend`, the timeouts and httpcore's HTTP/1.1 stay the same, and
errors are httpx's, mapped by httpx's own table.

A URL is sent this way only when httpx would send it unchanged (`target`); any other goes
through httpx, which quotes, normalises or rejects it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import AsyncIterator, Mapping

import httpcore
import httpx
from httpx._transports.default import map_httpcore_exceptions

from citeaudit.check.pool import Body, OriginPool
from citeaudit.check.probe.location import check_location, check_redirect
from citeaudit.check.transport import CheckerClient, SafeTransport


def _char_class(excluded: str) -> str:
    return "".join(re.escape(chr(i)) for i in range(0x21, 0x7F) if chr(i) not in excluded)


# What httpx sends as written (its PATH_SAFE and QUERY_SAFE, less the space, plus the
# unreserved characters); anything else it would percent-encode.
_PATH_CHARS = _char_class('"#<>?`{}')
_QUERY_CHARS = _char_class('"#<>')
_REST = re.compile(rf"(?P<path>/[{_PATH_CHARS}]*)?(?:\?(?P<query>[{_QUERY_CHARS}]*))?\Z")
_SPLIT = re.compile(r"(?P<scheme>https?)://(?P<netloc>[^/?#@\\]+)(?P<rest>.*)\Z", re.DOTALL)
_LONGEST = 65536  # httpx refuses longer URLs


class Origin:
    """An origin as httpx parses it: the pool's key, the wire's URL parts, the Host header."""

    __slots__ = ("host_header", "key", "port", "raw_host", "raw_scheme")

    def __init__(self, url: httpx.URL) -> None:
        self.raw_scheme = url.raw_scheme
        self.raw_host = url.raw_host
        self.port = url.port
        self.key = (url.raw_scheme, url.raw_host, url.port)
        self.host_header = url.netloc


@functools.lru_cache(maxsize=4096)
def _origin(scheme: str, netloc: str) -> Origin | None:
    # httpx's own parse of the origin, once per origin: its host rules (IDNA, IPv4 checks,
    # lower case, default ports) are then exactly httpx's
    try:
        url = httpx.URL(f"{scheme}://{netloc}/")
        # the decoded host too: httpx decodes it to build a request, and some raise there
        if not url.host:
            return None
    except (httpx.InvalidURL, ValueError):  # IDNA errors are ValueErrors
        return None
    return Origin(url)


def target(url: str) -> tuple[Origin, bytes] | None:
    """The origin and request target httpx would send for `url`, or None where it would not
    send `url` as written (it would quote, normalise, reject or authenticate it)."""
    if len(url) > _LONGEST:
        return None
    split = _SPLIT.match(url)
    if split is None:
        return None
    rest = _REST.match(split["rest"])
    if rest is None:
        return None
    path = rest["path"] or "/"
    if "." in path and any(part in (".", "..") for part in path.split("/")):
        return None  # httpx drops dot segments
    origin = _origin(split["scheme"], split["netloc"])
    if origin is None:
        return None
    query = rest["query"]
    return origin, (path if query is None else f"{path}?{query}").encode("ascii")


def idle_client_layer(client: httpx.AsyncClient) -> httpx.AsyncBaseTransport | None:
    """The client's one transport when httpx's client layer has nothing to do for a probe's
    request (no cookies to send, no auth, no request hooks, no redirect following, no proxy or
    mount), else None."""
    transport = client.direct if isinstance(client, CheckerClient) else None
    if (
        transport is None
        or client.cookies
        or client.auth is not None
        or client.follow_redirects
        or client.event_hooks["request"]
    ):
        return None
    return transport


def usable(client: httpx.AsyncClient, sent: Mapping[str, str]) -> SafeTransport | None:
    """The transport to send on directly, or None where httpx has work to do for the request."""
    transport = idle_client_layer(client)
    if (
        not isinstance(transport, SafeTransport)
        or client.params
        or str(client.base_url)
        or any(hook is not check_location for hook in client.event_hooks["response"])
        or any(name.lower() == "host" for name in sent)
    ):
        return None
    return transport


def merged_headers(client: httpx.AsyncClient, sent: Mapping[str, str]) -> httpx.Headers:
    """The client's headers with a request's own on top (the client's, unchanged, if none)."""
    if not sent:
        return client.headers
    headers = httpx.Headers(client.headers)
    headers.update(sent)
    return headers


class DirectResponse:
    """What a probe reads of an answer: status, headers (lower-cased names), the raw body."""

    __slots__ = ("_stream", "headers", "status_code")

    def __init__(self, status: int, headers: dict[str, str], stream: Body) -> None:
        self.status_code = status
        self.headers = headers
        self._stream = stream

    async def aiter_raw(self) -> AsyncIterator[bytes]:
        """The body as it arrives, undecoded; errors are httpx's."""
        with map_httpcore_exceptions():
            async for chunk in self._stream:
                yield chunk

    async def aclose(self) -> None:
        """Close the body (its connection goes back to the pool if the exchange ended cleanly)."""
        with map_httpcore_exceptions():
            await self._stream.aclose()


def decoded_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Header names lower-cased, repeated ones joined with ", ", decoded as httpx decodes."""
    encoding = "ascii"
    if not all(name.isascii() and value.isascii() for name, value in raw):
        encoding = httpx.Headers(raw).encoding  # httpx's rule: utf-8 if all decode, else latin-1
    headers: dict[str, str] = {}
    for name, value in raw:
        key = name.decode(encoding).lower()
        text = value.decode(encoding)
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


async def send(
    client: httpx.AsyncClient,
    transport: SafeTransport,
    method: str,
    url: str,
    where: tuple[Origin, bytes],
    sent: Mapping[str, str],
    timeouts: dict[str, float | None],
) -> DirectResponse:
    """Send a bodiless request on the origin's pool; the answer's body is left to stream."""
    origin, path = where
    headers = merged_headers(client, sent)
    request = httpcore.Request(
        method.encode("ascii"),
        httpcore.URL(scheme=origin.raw_scheme, host=origin.raw_host, port=origin.port, target=path),
        headers=[(b"Host", origin.host_header), *headers.raw],
        extensions={"timeout": timeouts},
    )
    pool: OriginPool = transport.origin_pool(origin.key)
    with map_httpcore_exceptions():
        answer = await pool.handle_async_request(request)
    body: Body = answer.stream  # type: ignore[assignment]
    response = DirectResponse(answer.status, decoded_headers(answer.headers), body)
    try:
        if "set-cookie" in response.headers:
            # rare: hand httpx a response of its own, so the cookie is stored as it would be
            client.cookies.extract_cookies(
                httpx.Response(
                    answer.status, headers=answer.headers, request=httpx.Request(method, url)
                )
            )
        check_redirect(answer.status, response.headers)
    except BaseException:
        await response.aclose()
        raise
    return response
