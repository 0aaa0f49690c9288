"""`--require-https`: which `http://` links would work as `https://`.

Each live `http://` page is asked once more over https (the same host, path and port, a default
port dropped), through the checker's client: the same --resolve map, the same address safety,
at most `per_host` at a time per host. A 2xx or 3xx answer means the site serves the page
securely and the link should say so; a TLS failure, a refused connection or a 4xx/5xx means it
does not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

import httpx

from citeaudit.check.network import AddressRefused, NameNotResolved, exchange_deadline
from citeaudit.check.options import CheckOptions


def https_twin(url: str) -> str | None:
    """The `https://` form of an `http://` URL; None for anything else.

    >>> https_twin("http://Example.org:80/a?b#c")
    'https://Example.org/a?b#c'
    >>> https_twin("http://example.org:8080/"), https_twin("https://example.org/")
    ('https://example.org:8080/', None)
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "http":
        return None
    netloc = parts.netloc
    if netloc.endswith(":80"):
        netloc = netloc[:-3]
    return urlunsplit(("https", netloc, parts.path, parts.query, parts.fragment))


async def https_available(
    urls: Sequence[str], options: CheckOptions, client: httpx.AsyncClient
) -> dict[str, str]:
    """`http://` URL -> its `https://` twin, for those whose twin answered 2xx or 3xx."""
    hosts: dict[str, asyncio.Semaphore] = {}
    found: dict[str, str] = {}

    async def one(url: str, twin: str) -> None:
        host = (urlsplit(twin).hostname or "").lower()
        async with hosts.setdefault(host, asyncio.Semaphore(options.per_host)):
            try:
                async with exchange_deadline(options.timeout):
                    request = client.build_request("HEAD", twin, headers=dict(options.headers))
                    response = await client.send(request)
                    if response.status_code in (405, 501):
                        request = client.build_request("GET", twin, headers=dict(options.headers))
                        response = await client.send(request, stream=True)
                        await response.aclose()
            except (httpx.HTTPError, NameNotResolved, AddressRefused, TimeoutError, OSError):
                return  # no https for this page: the link stays as it is
        if response.status_code < 400:
            found[url] = twin

    pairs = {u: t for u in dict.fromkeys(urls) if (t := https_twin(u)) is not None}
    await asyncio.gather(*(one(u, t) for u, t in pairs.items()))
    return found
