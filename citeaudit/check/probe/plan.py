"""Which requests a URL gets: HEAD first, GET when HEAD cannot settle it, or GET at once.

HEAD first, because most cited pages can be judged without their body; GET when HEAD answers a
status that servers commonly get wrong for HEAD (400, 403, 404, 405, 406, 429, 501, 5xx) or drops
the connection, and GET for a 2xx HTML page because only its body can show a soft 404. A file
whose HEAD says 2xx is confirmed with a one-byte ranged GET. In `auto` mode a host's first page
scouts: once a host has shown its pages need a GET, its other pages open with one.
"""

from __future__ import annotations

import asyncio
import contextlib

from citeaudit.check.probe.context import (
    GET_AFTER_HEAD,
    Answer,
    Failure,
    ProbeContext,
    head_first,
    host_key,
    is_html,
    looks_like_file,
)
from citeaudit.check.probe.exchange import HeadDropped
from citeaudit.check.probe.redirects import follow
from citeaudit.check.ratelimit import parse_retry_after


async def get_answer(ctx: ProbeContext, url: str) -> Answer | Failure:
    """HEAD first (GET after the statuses servers get wrong, and for pages), or GET at once."""
    host = host_key(url)
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
    if not head_first(ctx, url):
        return await follow(ctx, "GET", url)
    return await _head_then_get(ctx, url)


def _release_scout(ctx: ProbeContext, host: str) -> None:
    scout = ctx.scouts.get(host)
    if scout is not None and not scout.done():
        scout.set_result(None)


async def _head_then_get(ctx: ProbeContext, url: str) -> Answer | Failure:
    try:
        head = await follow(ctx, "HEAD", url)
    except HeadDropped:
        head = None
    if isinstance(head, Failure):
        return head
    if head is None or head.status in GET_AFTER_HEAD or head.status >= 500:
        ctx.get_hosts.add(host_key(url))
        # what the HEAD taught is known: the host's other pages need not wait for this GET
        _release_scout(ctx, host_key(url))
        if head is not None and head.status == 429:
            wait = parse_retry_after(head.headers.get("retry-after"))
            if wait is not None and wait <= ctx.options.max_wait:
                await ctx.sleep(wait)  # the GET that follows is a new request: it waits too
        return await follow(ctx, "GET", url)
    if 200 <= head.status < 300 and is_html(head.headers):
        ctx.get_hosts.add(host_key(url))
        _release_scout(ctx, host_key(url))
        # only the body can show a soft 404; restart at the final URL, keeping the chain
        return await follow(ctx, "GET", head.url, head.hops)
    if 200 <= head.status < 300:
        # some servers answer HEAD 200 for a file their GET says is gone: one byte settles it
        confirm = await follow(ctx, "GET", head.url, head.hops, {"Range": "bytes=0-0"})
        if isinstance(confirm, Answer) and confirm.status in (200, 206, 416):
            return head
        return confirm
    return head
