"""Follow redirects by hand, so every hop is recorded and every failure is a value.

Loops are caught (one return to the same URL is allowed after a cookie was set), a hop to a
non-http(s) scheme makes the URL `invalid`, and every hop goes through the per-host limiter and
the address-safety rule of `backend.SafeBackend`. A transport failure ends as a `Failure` with
its reason in words; nothing here raises for a bad link.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from urllib.parse import urljoin

import httpx

from citeaudit.check.network import AddressRefused, NameNotResolved
from citeaudit.check.probe.context import Answer, Failure, ProbeContext, split_url
from citeaudit.check.probe.exchange import HeadDropped, send_retrying
from citeaudit.check.probe.location import REDIRECTS, BadLocation
from citeaudit.models import Hop, LinkStatus


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
        scheme = split_url(current).scheme.lower()
        if scheme not in ("http", "https"):
            return Failure(
                LinkStatus.INVALID, f"redirected to a non-http(s) URL: {current}", tuple(chain)
            )
        key = _visit_key(current)
        visits[key] = visits.get(key, 0) + 1
        try:
            answer = await send_retrying(ctx, method, current, extra)
        except HeadDropped:
            raise
        except BadLocation as exc:
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
