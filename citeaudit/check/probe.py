"""Probe one URL and say, in words, what became of it.

HEAD first, because most cited pages can be judged without their body; GET when HEAD answers a
status that servers commonly get wrong for HEAD (400, 403, 404, 405, 406, 429, 501, 5xx) or drops
the connection, and GET for a 2xx HTML page because only its body can show a soft 404. A GET
reads at most `max_body` bytes: enough for the title and the soft-404 test, never a whole video.

Redirects are followed by hand, so every hop is recorded, loops are caught, a hop to a
non-http(s) scheme makes the URL `invalid`, and every hop goes through the per-host limiter and
the address-safety rule of `backend.SafeBackend`.

A dead link is a value: every outcome, including timeouts and TLS failures, ends as a `Verdict`
with a reason; nothing here raises for a bad link.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import secrets
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from citeaudit.catalog.outlets import is_shortlink, outlet_of
from citeaudit.check.content import fingerprint
from citeaudit.check.network import (
    NETWORK_UNAVAILABLE,
    AddressRefused,
    NameNotResolved,
    exchange_deadline,
)
from citeaudit.check.options import CheckOptions
from citeaudit.check.ratelimit import HostLimiter, backoff_delay, default_rand, parse_retry_after
from citeaudit.check.softnotfound import (
    PageShape,
    blocked_reason,
    decode,
    extract_title,
    is_home_redirect,
    like_probe,
    not_found_reason,
    visible_text,
)
from citeaudit.models import PERMANENT_REDIRECTS, Hop, LinkStatus, Verdict

GET_AFTER_HEAD = frozenset({400, 403, 404, 405, 406, 429, 501})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"


class _HeadDropped(Exception):
    """HEAD lost its connection: many servers mishandle HEAD, so try GET."""


class _HeadSkipped(_HeadDropped):
    """By the time its turn came, the host had shown that its pages need a GET anyway."""


class _BadLocation(Exception):
    """A redirect whose `Location` cannot be followed (another scheme, or unparseable)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def _check_location(response: httpx.Response) -> None:
    """Response hook: stop at a Location httpx could not even parse (`javascript:alert(1)`).

    httpx builds the next request of every redirect, even when not following it, and raises
    `InvalidURL` for such a Location, which would read as if the cited URL were malformed.
    """
    if not response.has_redirect_location:
        return
    location = response.headers["location"].strip()
    try:
        scheme = urlsplit(location).scheme.lower()
        if scheme and scheme not in ("http", "https"):
            raise _BadLocation(response.status_code, f"redirected to a non-http(s) URL: {location}")
        httpx.URL(location)
    except (httpx.InvalidURL, ValueError):
        raise _BadLocation(
            response.status_code, f"redirected to a malformed URL: {location!r}"
        ) from None


@dataclass(frozen=True, slots=True)
class Answer:
    """The last response of a redirect chain (body only for GET, capped)."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes | None
    hops: tuple[Hop, ...]
    cut: int | None = None
    """When the body broke off before its end: how many decoded bytes had been read."""


@dataclass(frozen=True, slots=True)
class Failure:
    """A chain that ended without a usable response."""

    status: LinkStatus
    reason: str
    hops: tuple[Hop, ...] = ()
    url: str | None = None


HostShape = Callable[[str], Awaitable[PageShape | None]]
"""Given an origin (scheme://host[:port]), the host's answer for a random path, or None."""


@dataclass
class ProbeContext:
    """What probing needs besides the URL: client, settings, limiter and run-wide state."""

    client: httpx.AsyncClient
    options: CheckOptions
    limiter: HostLimiter
    host_shape: HostShape | None = None
    network_down: str | None = None
    """When set, "no such domain" is reported as this network-unavailable reason, never dead."""
    rand: Callable[[], float] = default_rand
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep
    requests: int = 0
    retries_done: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    get_hosts: set[str] = field(default_factory=set)
    """Hosts where a HEAD had to be followed by a GET: their later pages start with GET."""
    scouts: dict[str, asyncio.Future[None]] = field(default_factory=dict)
    """Per host, the first page's probe, which the host's other pages wait for (auto mode)."""

    def __post_init__(self) -> None:
        hooks = self.client.event_hooks
        if _check_location not in hooks.get("response", []):
            hooks["response"] = [*hooks.get("response", []), _check_location]
            self.client.event_hooks = hooks


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL.

    >>> origin_of("https://Example.org:8443/a/b?c")
    'https://example.org:8443'
    """
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))


def _host_key(url: str) -> str:
    # the limiter counts per host name and port: that is what a server (or a farm IP) sees
    parts = urlsplit(url)
    return (parts.netloc.rsplit("@", 1)[-1]).lower()


def _is_html(headers: dict[str, str]) -> bool:
    ctype = headers.get("content-type", "").lower()
    return not ctype or any(t in ctype for t in _HTML_TYPES)


def _describe(exc: BaseException, timeout: float) -> tuple[LinkStatus, str]:
    """A transport failure in words."""
    if isinstance(exc, NameNotResolved):
        if exc.nxdomain:
            return LinkStatus.DEAD, f"no such domain ({exc.host})"
        return LinkStatus.ERROR, f"DNS lookup failed for {exc.host}: {exc.detail}"
    if isinstance(exc, AddressRefused):
        return (
            LinkStatus.SKIPPED,
            f"{exc.host} resolves to a {exc.why} address ({exc.address}); "
            "not probed without --allow-private",
        )
    if isinstance(exc, httpx.ConnectTimeout):
        return LinkStatus.ERROR, f"timed out connecting after {timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return LinkStatus.ERROR, f"timed out waiting for the server after {timeout:g} s"
    text = str(exc)
    chain: BaseException | None = exc
    while chain is not None:
        if isinstance(chain, ssl.SSLError) or "SSL" in str(chain) or "certificate" in str(chain):
            detail = str(chain).strip() or type(chain).__name__
            return LinkStatus.ERROR, f"TLS failure: {detail}"
        chain = chain.__cause__ or chain.__context__
    if isinstance(exc, httpx.ConnectError):
        return LinkStatus.ERROR, f"connection failed: {text or 'refused'}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return LinkStatus.ERROR, f"server closed the connection without an answer ({text})"
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return LinkStatus.ERROR, f"connection reset ({text or type(exc).__name__})"
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return LinkStatus.INVALID, f"malformed URL ({text})"
    return LinkStatus.ERROR, f"{type(exc).__name__}: {text}"


class _CappedDecoder:
    """Undo a `Content-Encoding`, never producing more than the bytes still wanted.

    httpx decompresses each network chunk whole: 64 KB of a gzip bomb becomes 64 MB in one call.
    Reading raw bytes and inflating with `max_length` keeps a probe's memory near `max_body`
    whatever the compression ratio.
    """

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        # wbits 32+15 accepts gzip and zlib headers alike; raw deflate is tried on failure
        self._z = None if encoding == "identity" else zlib.decompressobj(zlib.MAX_WBITS | 32)
        self._first = True

    def feed(self, data: bytes, limit: int) -> bytes:
        """Decoded bytes of `data`, at most `limit` of them."""
        if self._z is None:
            return data[:limit]
        try:
            out = self._z.decompress(data, limit)
        except zlib.error:
            if not (self._first and self.encoding == "deflate"):
                raise
            self._z = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._z.decompress(data, limit)
        self._first = False
        return out


def _decoder_for(headers: Mapping[str, str]) -> _CappedDecoder | None:
    """A capped decoder for the response's encoding; None for one we do not decode."""
    encoding = headers.get("content-encoding", "identity").strip().lower() or "identity"
    if encoding == "x-gzip":
        encoding = "gzip"
    if encoding not in ("identity", "gzip", "deflate"):
        return None
    return _CappedDecoder(encoding)


class BodyCut(Exception):
    """The body broke off after the status and headers had arrived."""

    def __init__(self, body: bytes) -> None:
        super().__init__(f"body cut off after {len(body)} bytes")
        self.body = body


async def read_capped(
    response: httpx.Response, headers: Mapping[str, str], cap: int
) -> bytes | None:
    """At most `cap` decoded bytes of the body; None when its encoding is not one we decode.

    Reads the raw stream and inflates it with a bound: memory stays near `cap` whatever the
    compression ratio (httpx's own decoding inflates each network chunk whole).
    """
    decoder = _decoder_for(headers)
    if decoder is None:
        return None
    chunks: list[bytes] = []
    size = 0
    try:
        async for raw in response.aiter_raw():
            piece = decoder.feed(raw, cap - size)
            chunks.append(piece)
            size += len(piece)
            if size >= cap:
                break
    except zlib.error:
        pass  # a corrupt compressed body: judge the page by what decoded cleanly
    except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
        # the status already arrived and is the answer; only the soft-404 test reads less
        raise BodyCut(b"".join(chunks)) from exc
    return b"".join(chunks)


# Per probe, the seconds its requests held a slot. Waiting for one (the host's turn, the global
# cap, the host's scout) is not checking: counted in, a run's per-URL times add up to many times
# the run itself.
_ON_WIRE: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar(
    "citeaudit_on_wire", default=None
)


@contextlib.asynccontextmanager
async def _timed_slot(ctx: ProbeContext, url: str) -> AsyncIterator[None]:
    async with ctx.limiter.slot(_host_key(url)):
        held = time.monotonic()
        try:
            yield
        finally:
            spent = _ON_WIRE.get()
            if spent is not None:
                spent[0] += time.monotonic() - held


async def _send(
    ctx: ProbeContext, method: str, url: str, extra: Mapping[str, str] | None = None
) -> Answer:
    """One request inside a limiter slot; GET bodies are read up to max_body bytes."""
    async with _timed_slot(ctx, url):
        # decided here, not when the probe started: probes wait for their slot, and what the
        # host taught meanwhile is what counts
        if method == "HEAD" and not _head_first(ctx, url):
            raise _HeadSkipped
        ctx.requests += 1
        ctx.by_method[method] = ctx.by_method.get(method, 0) + 1
        async with exchange_deadline(ctx.options.timeout):
            sent = dict(ctx.options.headers)
            # per request, not on the client: a redirect off GitHub must not carry the token
            sent.update(ctx.options.auth_headers(url))
            if extra:
                sent.update(extra)
            request = ctx.client.build_request(method, url, headers=sent or None)
            response = await ctx.client.send(request, stream=True)
            headers = {k.lower(): v for k, v in response.headers.items()}
            cut = None
            try:
                body: bytes | None = None
                # a PDF or a video is judged by its status alone: close before its body
                if method == "GET" and _is_html(headers):
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


_RETRY_EXC = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


async def _request(
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
                raise _HeadDropped from exc
            if attempt >= options.retries:
                raise
            await ctx.sleep(
                backoff_delay(attempt, options.backoff_base, options.backoff_cap, ctx.rand)
            )
            attempt += 1
            ctx.retries_done += 1
            continue
        status = answer.status
        host = _host_key(url)
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


def _rate_limited_reason(options: CheckOptions, answer: Answer) -> str:
    """Why a 429 is `blocked`: the server's wait was too long, or retries ran out."""
    wait = parse_retry_after(answer.headers.get("retry-after"))
    if wait is not None and wait > options.max_wait:
        try:
            until = f"{datetime.now(UTC) + timedelta(seconds=wait):%Y-%m-%d %H:%M} UTC"
        except OverflowError:
            until = "the end of time"
        return (
            f"429 Too Many Requests: rate-limited until {until} (Retry-After {wait:.0f} s is"
            f" longer than --max-wait {options.max_wait:g} s)"
        )
    attempts = 1 + (max(options.retries, 1) if wait is not None else options.retries)
    return f"429 Too Many Requests after {attempts} attempts"


def _visit_key(url: str) -> str:
    return url.split("#", 1)[0]


async def follow(
    ctx: ProbeContext,
    method: str,
    url: str,
    hops: tuple[Hop, ...] = (),
    extra: Mapping[str, str] | None = None,
) -> Answer | Failure:
    """Follow redirects by hand from `url`, recording each hop; never raises for link failures."""
    chain = list(hops)
    visits: dict[str, int] = {_visit_key(h.url): 1 for h in hops}
    current = url
    while True:
        scheme = urlsplit(current).scheme.lower()
        if scheme not in ("http", "https"):
            return Failure(
                LinkStatus.INVALID, f"redirected to a non-http(s) URL: {current}", tuple(chain)
            )
        key = _visit_key(current)
        visits[key] = visits.get(key, 0) + 1
        try:
            answer = await _request(ctx, method, current, extra)
        except _HeadDropped:
            raise
        except _BadLocation as exc:
            chain.append(Hop(current, exc.status))
            return Failure(LinkStatus.INVALID, exc.reason, tuple(chain))
        except (NameNotResolved, AddressRefused, httpx.HTTPError, httpx.InvalidURL) as exc:
            status, reason = _describe(exc, ctx.options.timeout)
            if isinstance(exc, NameNotResolved) and exc.nxdomain and ctx.network_down:
                status, reason = (
                    LinkStatus.ERROR,
                    f"{ctx.network_down} (could not resolve {exc.host})",
                )
            if chain and status is LinkStatus.SKIPPED:
                reason = f"redirected to {current}, but {reason}"
            return Failure(status, reason, tuple(chain), current)
        location = answer.headers.get("location")
        if answer.status not in REDIRECTS or not location:
            return Answer(
                current, answer.status, answer.headers, answer.body, tuple(chain), answer.cut
            )
        chain.append(Hop(current, answer.status))
        try:
            nxt = urljoin(current, location.strip())
        except ValueError:
            return Failure(
                LinkStatus.INVALID, f"redirected to a malformed URL: {location!r}", tuple(chain)
            )
        if len(chain) > ctx.options.max_redirects:
            return Failure(
                LinkStatus.ERROR,
                f"more than {ctx.options.max_redirects} redirects",
                tuple(chain),
                nxt,
            )
        seen = visits.get(_visit_key(nxt), 0)
        # a site may redirect to the same URL once after setting a cookie; twice is a loop
        if seen >= 2 or (seen == 1 and "set-cookie" not in answer.headers):
            return Failure(LinkStatus.ERROR, f"redirect loop (back to {nxt})", tuple(chain), nxt)
        current = nxt


def _shape(answer: Answer, title: str | None) -> PageShape:
    return PageShape(answer.status, title, len(answer.body or b""), answer.url)


async def random_path_shape(ctx: ProbeContext, origin: str) -> PageShape | None:
    """GET a path that cannot exist on `origin` and reduce the answer to a PageShape."""
    url = f"{origin}/citeaudit-{secrets.token_hex(8)}/{secrets.token_hex(4)}.html"
    result = await follow(ctx, "GET", url)
    if isinstance(result, Failure):
        return None
    text = decode(result.body or b"", result.headers.get("content-type"))
    return _shape(result, extract_title(text))


def _is_deep(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path.strip("/") != "" or bool(parts.query)


_FILE_SUFFIXES = frozenset(
    "pdf doc docx xls xlsx ppt pptx odt ods odp rtf epub csv zip gz tgz bz2 xz 7z rar tar iso "
    "exe dmg apk msi jpg jpeg png gif webp tif tiff bmp svg mp3 m4a wav ogg flac mp4 m4v mov "
    "avi mkv webm wmv flv".split()
)


def looks_like_file(url: str) -> bool:
    """Whether a URL names a download (judged by its status alone) rather than a web page.

    >>> looks_like_file("https://a.example/report.PDF?dl=1"), looks_like_file("https://a.example/x")
    (True, False)
    """
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return "." in last and last.rsplit(".", 1)[1].lower() in _FILE_SUFFIXES


def _head_first(ctx: ProbeContext, url: str) -> bool:
    mode = ctx.options.first_request
    if mode != "auto":
        return mode == "head"
    # a page on a host whose pages needed the GET anyway gains nothing from a HEAD
    return looks_like_file(url) or _host_key(url) not in ctx.get_hosts


async def _get_answer(ctx: ProbeContext, url: str) -> Answer | Failure:
    """HEAD first (GET after the statuses servers get wrong, and for pages), or GET at once."""
    host = _host_key(url)
    if (
        ctx.options.first_request == "auto"
        and host not in ctx.get_hosts
        and not looks_like_file(url)
    ):
        # the host's first page is its scout; the others wait (a round trip, a timeout at
        # most) for what it learns instead of all opening with a HEAD it may not need
        scout = ctx.scouts.get(host)
        if scout is None:
            ctx.scouts[host] = asyncio.get_running_loop().create_future()
            try:
                return await _head_then_get(ctx, url)
            finally:
                _release_scout(ctx, host)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(scout), ctx.options.timeout)
    if not _head_first(ctx, url):
        return await follow(ctx, "GET", url)
    return await _head_then_get(ctx, url)


def _release_scout(ctx: ProbeContext, host: str) -> None:
    scout = ctx.scouts.get(host)
    if scout is not None and not scout.done():
        scout.set_result(None)


async def _head_then_get(ctx: ProbeContext, url: str) -> Answer | Failure:
    try:
        head = await follow(ctx, "HEAD", url)
    except _HeadDropped:
        head = None
    if isinstance(head, Failure):
        return head
    if head is None or head.status in GET_AFTER_HEAD or head.status >= 500:
        ctx.get_hosts.add(_host_key(url))
        # what the HEAD taught is known: the host's other pages need not wait for this GET
        _release_scout(ctx, _host_key(url))
        if head is not None and head.status == 429:
            wait = parse_retry_after(head.headers.get("retry-after"))
            if wait is not None and wait <= ctx.options.max_wait:
                await ctx.sleep(wait)  # the GET that follows is a new request: it waits too
        return await follow(ctx, "GET", url)
    if 200 <= head.status < 300 and _is_html(head.headers):
        ctx.get_hosts.add(_host_key(url))
        _release_scout(ctx, _host_key(url))
        # only the body can show a soft 404; restart at the final URL, keeping the chain
        return await follow(ctx, "GET", head.url, head.hops)
    if 200 <= head.status < 300:
        # some servers answer HEAD 200 for a file their GET says is gone: one byte settles it
        confirm = await follow(ctx, "GET", head.url, head.hops, {"Range": "bytes=0-0"})
        if isinstance(confirm, Answer) and confirm.status in (200, 206, 416):
            return head
        return confirm
    return head


def _final_outlet(url: str, final: str | None) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    if final and is_shortlink(host):
        return outlet_of(final)
    return None


async def probe_url(ctx: ProbeContext, url: str) -> Verdict:
    """Probe one URL (already normalized and valid) and return its verdict."""
    spent = [0.0]
    token = _ON_WIRE.set(spent)
    try:
        result = await _get_answer(ctx, url)
        verdict = await _classify(ctx, url, result)
    finally:
        _ON_WIRE.reset(token)
    final = verdict.final_url
    return Verdict(
        url=url,
        status=verdict.status,
        reason=verdict.reason,
        http_status=verdict.http_status,
        final_url=final,
        redirects=verdict.redirects,
        title=verdict.title,
        checked_at=datetime.now(UTC),
        elapsed_ms=round(spent[0] * 1000),
        final_outlet=_final_outlet(url, final),
        fingerprint=verdict.fingerprint,
    )


def _moved_note(hops: tuple[Hop, ...]) -> str:
    if hops and all(h.status in PERMANENT_REDIRECTS for h in hops):
        return " (every hop permanent: update the link)"
    return ""


async def _classify(ctx: ProbeContext, url: str, result: Answer | Failure) -> Verdict:
    if isinstance(result, Failure):
        return Verdict(
            url,
            result.status,
            result.reason,
            final_url=result.url if result.hops else None,
            redirects=result.hops,
        )
    status, headers, hops = result.status, result.headers, result.hops
    final_url = result.url if hops else None
    text = ""
    title = None
    if result.body is not None and _is_html(headers):
        page = decode(result.body, headers.get("content-type"))
        title = extract_title(page)
        text = visible_text(page)

    content = fingerprint(text) if text else None

    def verdict(s: LinkStatus, reason: str) -> Verdict:
        if result.cut is not None:
            reason = f"{reason} (body cut off after {result.cut} bytes)"
        return Verdict(url, s, reason, status, final_url, hops, title, fingerprint=content)

    wall = blocked_reason(url, status, headers, title, text, result.url)
    if wall and status not in (404, 410):
        return verdict(LinkStatus.BLOCKED, wall)
    if status in (404, 410):
        via = f" after {len(hops)} redirect(s)" if hops else ""
        return verdict(LinkStatus.DEAD, f"{status} {'Gone' if status == 410 else 'Not Found'}{via}")
    if 200 <= status < 300:
        if hops and is_home_redirect(url, result.url):
            return verdict(
                LinkStatus.SOFT_DEAD, f"deep link redirected to the home page {result.url}"
            )
        if result.body is not None:
            reason = not_found_reason(title, text)
            if reason:
                return verdict(LinkStatus.SOFT_DEAD, f"{status} but a not-found page: {reason}")
            if ctx.host_shape is not None and _is_deep(result.url):
                probe = await ctx.host_shape(origin_of(result.url))
                if probe is not None and like_probe(_shape(result, title), probe):
                    return verdict(
                        LinkStatus.SOFT_DEAD,
                        f"{status} but the page matches this site's answer for a page that "
                        "does not exist",
                    )
        if hops:
            return verdict(
                LinkStatus.REDIRECTED,
                f"{status} after {len(hops)} redirect(s) to {result.url}{_moved_note(hops)}",
            )
        return verdict(LinkStatus.ALIVE, f"{status} OK")
    if status in (401, 403):
        return verdict(
            LinkStatus.BLOCKED, f"{status} {'Unauthorized' if status == 401 else 'Forbidden'}"
        )
    if status == 429:
        return verdict(LinkStatus.BLOCKED, _rate_limited_reason(ctx.options, result))
    if status == 451:
        return verdict(LinkStatus.BLOCKED, "451 Unavailable For Legal Reasons")
    if status >= 500:
        return verdict(
            LinkStatus.ERROR, f"server error {status} after {ctx.options.retries + 1} attempts"
        )
    if status in REDIRECTS:
        return verdict(LinkStatus.ERROR, f"{status} redirect without a Location header")
    return verdict(LinkStatus.ERROR, f"unexpected status {status}")


__all__ = ["NETWORK_UNAVAILABLE", "ProbeContext", "probe_url", "follow", "random_path_shape"]
