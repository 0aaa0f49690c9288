"""Fetch the pages whose anchors `--include-fragments` checks (the checking itself is pure).

The probe keeps the anchors of the pages it reads (`check.pages`); this reads the others: pages
the probe judged without their body, and those whose body stopped at `max_body` before the cited
anchor. Each is read once, up to `FRAGMENT_BODY` bytes, through the checker's client (same
--resolve map, same address safety) and at most `per_host` at a time per host.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from urllib.parse import urlsplit

import httpx

from citeaudit.check.anchors import MARKDOWN_SUFFIXES, Page, page_of
from citeaudit.check.body import BodyCut, read_capped
from citeaudit.check.network import AddressRefused, NameNotResolved, exchange_deadline
from citeaudit.check.options import CheckOptions
from citeaudit.check.softnotfound import decode

FRAGMENT_BODY = 4 * 1024 * 1024
"""Bytes of a page read at most to find its anchors."""


def is_markdown(url: str, content_type: str) -> bool:
    """Whether a fetched page is Markdown (by its type, or a plain-text `.md` file).

    >>> is_markdown("https://raw.example/a/README.md", "text/plain; charset=utf-8")
    True
    >>> is_markdown("https://a.example/page", "text/html")
    False
    """
    ctype = content_type.lower()
    if "markdown" in ctype:
        return True
    path = urlsplit(url).path.lower()
    return (not ctype or ctype.startswith("text/plain")) and path.endswith(MARKDOWN_SUFFIXES)


async def fetch_pages(
    urls: Sequence[str], options: CheckOptions, client: httpx.AsyncClient
) -> dict[str, Page]:
    """The pages of `urls` (no fragment) that answered 2xx, keyed by URL; others left out."""
    hosts: dict[str, asyncio.Semaphore] = {}
    pages: dict[str, Page] = {}

    async def one(url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        slot = hosts.setdefault(host, asyncio.Semaphore(options.per_host))
        async with slot:
            try:
                async with exchange_deadline(options.timeout):
                    request = client.build_request("GET", url, headers=dict(options.headers))
                    response = await client.send(request, stream=True, follow_redirects=True)
                    try:
                        if not 200 <= response.status_code < 300:
                            return
                        headers = {k.lower(): v for k, v in response.headers.items()}
                        try:
                            body = await read_capped(response, headers, FRAGMENT_BODY)
                        except BodyCut as exc:
                            body = exc.body
                    finally:
                        await response.aclose()
            except (httpx.HTTPError, NameNotResolved, AddressRefused, TimeoutError, OSError):
                return  # the probe's verdict stands; the fragment is left unchecked
        if body is None:
            return
        ctype = headers.get("content-type", "")
        text = decode(body, ctype)
        pages[url] = page_of(text, markdown=is_markdown(str(response.url), ctype))

    await asyncio.gather(*(one(u) for u in dict.fromkeys(urls)))
    return pages
