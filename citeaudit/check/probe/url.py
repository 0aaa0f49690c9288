"""Probe one URL and say, in words, what became of it (and a site's answer for a random path).

A dead link is a value: every outcome, including timeouts and TLS failures, ends as a `Verdict`
with a reason. A verdict's time counts only the seconds its requests held a slot.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from citeaudit.catalog.outlets import is_shortlink, outlet_of
from citeaudit.check.pages import keep_page
from citeaudit.check.probe.classify import classify, shape_of
from citeaudit.check.probe.context import Answer, Failure, ProbeContext, split_url
from citeaudit.check.probe.exchange import ON_WIRE
from citeaudit.check.probe.plan import get_answer
from citeaudit.check.probe.redirects import follow
from citeaudit.check.softnotfound import PageShape, decode, extract_title
from citeaudit.models import Verdict


async def random_path_shape(ctx: ProbeContext, origin: str) -> PageShape | None:
    """GET a path that cannot exist on `origin` and reduce the answer to a PageShape."""
    url = f"{origin}/citeaudit-{secrets.token_hex(8)}/{secrets.token_hex(4)}.html"
    result = await follow(ctx, "GET", url)
    if isinstance(result, Failure):
        return None
    text = decode(result.body or b"", result.headers.get("content-type"))
    return shape_of(result, extract_title(text))


def _final_outlet(url: str, final: str | None) -> str | None:
    host = (split_url(url).hostname or "").lower()
    if final and is_shortlink(host):
        return outlet_of(final)
    return None


async def probe_url(ctx: ProbeContext, url: str) -> Verdict:
    """Probe one URL (already normalized and valid) and return its verdict."""
    spent = [0.0]
    token = ON_WIRE.set(spent)
    try:
        result = await get_answer(ctx, url)
        if isinstance(result, Answer) and result.body is not None:
            # a body stopped at the cap may end before the anchor: the fragment check may refetch
            whole = result.cut is None and len(result.body) < ctx.options.max_body
            keep_page(
                ctx.keep_pages,
                url,
                result.url,
                result.status,
                result.headers,
                result.body,
                whole=whole,
            )
        verdict = await classify(ctx, url, result)
    finally:
        ON_WIRE.reset(token)
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
