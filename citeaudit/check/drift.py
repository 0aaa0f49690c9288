"""The network half of the drift and quote checks: live pages and captures fetched, bounded.

What is compared, and how (main text, similarity, quotes), is pure and lives in
citeaudit.evidence.drift; this module only downloads, as the checker does: through its client,
inflated only up to a byte cap, each exchange under one deadline.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Mapping, Sequence

import httpx

from citeaudit.check.body import read_capped
from citeaudit.check.network import exchange_deadline
from citeaudit.evidence.drift import (
    DriftOptions,
    evidence,
    main_text,
    quote_evidence,
    quoted_claims,
    quotes_by_url,
    raw_capture_url,
    where_found,
)
from citeaudit.models import Catalog, Verdict


async def fetch_text(client: httpx.AsyncClient, url: str, *, max_bytes: int) -> str | None:
    """The main text of the page at `url`, reading at most `max_bytes`; None on any failure.

    Bounded as a probe is: compressed bodies are inflated only up to `max_bytes`, and the whole
    exchange gets the client's read timeout as one deadline.
    """
    try:
        async with (
            exchange_deadline(client.timeout.read or 30.0),
            client.stream("GET", url, follow_redirects=True) as response,
        ):
            if response.status_code >= 400:
                return None
            body = await read_capped(response, response.headers, max_bytes)
            encoding = response.charset_encoding or "utf-8"
    except (httpx.HTTPError, OSError, ValueError):
        return None
    if body is None:
        return None
    try:
        html = body.decode(encoding, errors="replace")
    except LookupError:
        html = body.decode("utf-8", errors="replace")
    return main_text(html)


def _near(verdict: Verdict, window_days: int) -> bool:
    snap = verdict.archive
    if snap is None or not snap.available or not snap.url:
        return False
    return snap.days_from_document is None or abs(snap.days_from_document) <= window_days


async def annotate(
    verdicts: Mapping[str, Verdict],
    catalogs: Sequence[Catalog],
    options: DriftOptions,
    client: httpx.AsyncClient,
    *,
    pace: Callable[[], Awaitable[object]] | None = None,
) -> dict[str, Verdict]:
    """Verdicts of live sources with drift and quote annotations added; others unchanged.

    `pace` is awaited before each capture download: the archive's replay limiter, so content
    checks count against the same budget as the lookups.
    """
    phrases = quotes_by_url(catalogs, min_words=options.min_quote_words)
    gate = asyncio.Semaphore(options.concurrency)
    found: dict[str, dict[str, str]] = {}

    async def one(verdict: Verdict) -> Verdict:
        near = _near(verdict, options.window_days)
        wanted = phrases.get(verdict.url, [])
        if not verdict.status.is_live or not (near or wanted):
            return verdict
        async with gate:
            live = await fetch_text(
                client, verdict.final_url or verdict.url, max_bytes=options.max_bytes
            )
            archived = None
            if near:
                assert verdict.archive is not None and verdict.archive.url
                if pace is not None:
                    await pace()
                archived = await fetch_text(
                    client, raw_capture_url(verdict.archive.url), max_bytes=options.max_bytes
                )
        found[verdict.url] = {p: where_found(live, archived, p) for p in wanted}
        notes, score = evidence(live, archived, (), options.threshold)
        return dataclasses.replace(verdict, evidence=notes, similarity=score)

    done = await asyncio.gather(*(one(v) for v in verdicts.values()))
    quoted = quote_evidence(found, quoted_claims(catalogs, min_words=options.min_quote_words))
    return {
        v.url: dataclasses.replace(v, evidence=(*v.evidence, *quoted[v.url]))
        if v.url in quoted
        else v
        for v in done
    }
