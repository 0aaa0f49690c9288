"""The verdict an answer earns: alive, dead, soft-dead, blocked, redirected or error, in words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlunsplit

from citeaudit.check.content import fingerprint
from citeaudit.check.options import CheckOptions
from citeaudit.check.probe.context import Answer, Failure, ProbeContext, is_html, split_url
from citeaudit.check.probe.location import REDIRECTS
from citeaudit.check.ratelimit import parse_retry_after
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


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL.

    >>> origin_of("https://Example.org:8443/a/b?c")
    'https://example.org:8443'
    """
    parts = split_url(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))


def shape_of(answer: Answer, title: str | None) -> PageShape:
    """An answer reduced to what the soft-404 comparison needs."""
    return PageShape(answer.status, title, len(answer.body or b""), answer.url)


def _is_deep(url: str) -> bool:
    parts = split_url(url)
    return parts.path.strip("/") != "" or bool(parts.query)


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


def _moved_note(hops: tuple[Hop, ...]) -> str:
    if hops and all(h.status in PERMANENT_REDIRECTS for h in hops):
        return " (every hop permanent: update the link)"
    return ""


async def classify(ctx: ProbeContext, url: str, result: Answer | Failure) -> Verdict:
    """The verdict for `url` from the answer (or failure) its requests ended in."""
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
    if result.body is not None and is_html(headers):
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
                if probe is not None and like_probe(shape_of(result, title), probe):
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
