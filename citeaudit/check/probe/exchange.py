"""One request inside the host's slot, under one deadline, retried as the answer warrants.

Timeouts, dropped connections, 5xx and 429 are retried with jittered backoff (a 429's or 503's
`Retry-After` is honoured up to --max-wait, and feeds the host's limiter). A HEAD that loses its
connection is not retried: the caller asks again with GET, which many servers handle better.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
import zlib
from collections.abc import AsyncIterator, Mapping

import httpx

from citeaudit.check.body import BodyCut, read_capped
from citeaudit.check.network import exchange_deadline
from citeaudit.check.probe import direct
from citeaudit.check.probe.context import (
    GET_AFTER_HEAD,
    Answer,
    ProbeContext,
    head_first,
    host_key,
    is_html,
)
from citeaudit.check.ratelimit import backoff_delay, parse_retry_after


class HeadDropped(Exception):
    """HEAD lost its connection: many servers mishandle HEAD, so try GET."""


class HeadSkipped(HeadDropped):
    """By the time its turn came, the host had shown that its pages need a GET anyway."""


# Per probe, the seconds its requests held a slot. Waiting for one (the host's turn, the global
# cap, the host's scout) is not checking: counted in, a run's per-URL times add up to many times
# the run itself.
ON_WIRE: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar(
    "citeaudit_on_wire", default=None
)


async def _send(
    ctx: ProbeContext, method: str, url: str, extra: Mapping[str, str] | None = None
) -> Answer:
    """One request inside a limiter slot, its time on the wire counted (`ON_WIRE`)."""
    async with ctx.limiter.slot(host_key(url)):
        held = time.monotonic()
        try:
            return await _exchange(ctx, method, url, extra)
        finally:
            spent = ON_WIRE.get()
            if spent is not None:
                spent[0] += time.monotonic() - held


async def _exchange(
    ctx: ProbeContext, method: str, url: str, extra: Mapping[str, str] | None
) -> Answer:
    """One request and its answer; GET bodies are read up to max_body bytes."""
    # decided here, not when the probe started: probes wait for their slot, and what the
    # host taught meanwhile is what counts
    if method == "HEAD" and not head_first(ctx, url):
        raise HeadSkipped
    ctx.requests += 1
    ctx.by_method[method] = ctx.by_method.get(method, 0) + 1
    async with exchange_deadline(ctx.options.timeout):
        sent = dict(ctx.options.headers)
        # per request, not on the client: a redirect off GitHub must not carry the token
        sent.update(ctx.options.auth_headers(url))
        if extra:
            sent.update(extra)
        response = await _open(ctx.client, method, url, sent, ctx.options.timeout)
        headers = response.headers
        cut = None
        try:
            body: bytes | None = None
            # a PDF or a video is judged by its status alone: close before its body
            if method == "GET" and is_html(headers):
                try:
                    body = await read_capped(response, headers, ctx.options.max_body)
                except BodyCut as exc:
                    body, cut = exc.body, len(exc.body)
            elif method == "HEAD" or extra:
                # an unread (even empty) body makes the pool drop the connection; a ranged
                # GET's one byte is read too, a server ignoring the range is cut at 1 KB
                with contextlib.suppress(httpx.HTTPError, BodyCut, zlib.error):
                    await read_capped(response, headers, 1024)
        finally:
            await response.aclose()
    return Answer(url, response.status_code, headers, body, (), cut)


async def _open(
    client: httpx.AsyncClient, method: str, url: str, sent: dict[str, str], deadline: float
) -> direct.DirectResponse | _Lowered:
    """Send the request, straight to its pool where httpx has nothing to add (`direct`)."""
    transport = direct.usable(client, sent)
    where = None if transport is None else direct.target(url)
    if transport is not None and where is not None:
        timeouts = _timeouts(client.timeout, deadline)
        return await direct.send(client, transport, method, url, where, sent, timeouts)
    response = await _dispatch(client, _request(client, method, url, sent, deadline))
    return _Lowered(response)


class _Lowered:
    """An httpx response with its header names lower-cased, read as a `DirectResponse` is."""

    __slots__ = ("_response", "headers", "status_code")

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.status_code = response.status_code
        self.headers = {k.lower(): v for k, v in response.headers.items()}

    def aiter_raw(self) -> AsyncIterator[bytes]:
        """The body as it arrives, undecoded."""
        return self._response.aiter_raw()

    async def aclose(self) -> None:
        """Close the body."""
        await self._response.aclose()


def _request(
    client: httpx.AsyncClient, method: str, url: str, sent: dict[str, str], deadline: float
) -> httpx.Request:
    """The request `client.build_request` would build, without its merging when there is none.

    A probe's URL is absolute and the checker's client has no base URL, no query parameters and
    (unless --cookie-jar or a site set one) no cookies: merging each into every request cost
    a tenth of building it. Any of them present, httpx builds the request itself.
    """
    if client.cookies or client.params or str(client.base_url):
        return client.build_request(method, url, headers=sent or None)
    return httpx.Request(
        method,
        url,
        headers=direct.merged_headers(client, sent),
        extensions={"timeout": _timeouts(client.timeout, deadline)},
    )


async def _dispatch(client: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
    """`client.send(request, stream=True)`, straight through the transport when it may be.

    The checker follows redirects itself, and its client has no auth and (unless --cookie-jar
    or a site set one) no cookies to send: httpx's auth, redirect and hook layers then only
    cost a tenth of a probe's CPU. Set-Cookie is still stored and response hooks still run.
    """
    transport = direct.idle_client_layer(client)
    if transport is None:
        return await client.send(request, stream=True)
    try:
        response = await transport.handle_async_request(request)
    except httpx.RequestError as exc:
        exc.request = request  # as httpx's client attaches it
        raise
    response.request = request
    try:
        client.cookies.extract_cookies(response)
        for hook in client.event_hooks["response"]:
            await hook(response)
    except BaseException:
        await response.aclose()
        raise
    return response


def _timeouts(timeout: httpx.Timeout, deadline: float) -> dict[str, float | None]:
    """The client's timeouts, less the per-read and per-write ones `deadline` already covers.

    The whole exchange runs under one deadline (`exchange_deadline`), so a per-read or
    per-write timeout no shorter than it can never strike first; each one still cost a timer
    per socket read or write.
    """
    limits = timeout.as_dict()
    for name in ("read", "write"):
        value = limits[name]
        if value is None or value >= deadline:
            limits[name] = None
    return limits


_RETRY_EXC = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


async def send_retrying(
    ctx: ProbeContext, method: str, url: str, extra: Mapping[str, str] | None = None
) -> Answer:
    """One request with retries on timeouts, connection errors, 5xx and 429."""
    options = ctx.options
    attempt = 0
    while True:
        try:
            answer = await _send(ctx, method, url, extra)
        except _RETRY_EXC as exc:
            dropped = isinstance(exc, httpx.ReadError | httpx.RemoteProtocolError)
            if method == "HEAD" and dropped:
                raise HeadDropped from exc
            if attempt >= options.retries:
                raise
            await ctx.sleep(
                backoff_delay(attempt, options.backoff_base, options.backoff_cap, ctx.rand)
            )
            attempt += 1
            ctx.retries_done += 1
            continue
        status = answer.status
        host = host_key(url)
        wait = None
        if status in (429, 503):
            wait = parse_retry_after(answer.headers.get("retry-after"))
        if status == 429:
            ctx.limiter.rate_limited(host, None if wait is None else min(wait, options.max_wait))
        else:
            ctx.limiter.answered(host)
            if wait is not None:
                # a 503 with Retry-After speaks for the whole server, not for one page
                ctx.limiter.slow_down(host, min(wait, options.max_wait))
        if wait is not None and wait > options.max_wait:
            return answer  # asked to wait longer than we may: `blocked`, "rate-limited until"
        if method == "HEAD" and (status in GET_AFTER_HEAD or status >= 500):
            return answer  # the caller asks again with GET, which carries the retries
        if status == 429 and wait is not None and attempt < max(options.retries, 1):
            # the server said when: that is worth one wait even with --retries 0
            await ctx.sleep(wait)
        elif (status == 429 or status >= 500) and attempt < options.retries:
            if wait is None:
                await ctx.sleep(
                    backoff_delay(attempt, options.backoff_base, options.backoff_cap, ctx.rand)
                )
        else:
            return answer
        attempt += 1
        ctx.retries_done += 1
