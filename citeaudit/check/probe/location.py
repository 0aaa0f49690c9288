"""Stop a redirect at a `Location` that cannot be followed, before httpx trips over it."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

import httpx


class BadLocation(Exception):
    """A redirect whose `Location` cannot be followed (another scheme, or unparseable)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


REDIRECTS = frozenset({301, 302, 303, 307, 308})
"""The statuses whose Location is followed."""


async def check_location(response: httpx.Response) -> None:
    """Response hook: stop at a Location httpx could not even parse (`javascript:alert(1)`).

    httpx builds the next request of every redirect, even when not following it, and raises
    `InvalidURL` for such a Location, which would read as if the cited URL were malformed.
    """
    check_redirect(response.status_code, response.headers)


def check_redirect(status: int, headers: Mapping[str, str]) -> None:
    """Raise `BadLocation` for a redirect whose Location (header names lower-cased) cannot be
    followed; any other answer passes."""
    if status not in REDIRECTS or "location" not in headers:
        return
    location = headers["location"].strip()
    try:
        scheme = urlsplit(location).scheme.lower()
        if scheme and scheme not in ("http", "https"):
            raise BadLocation(status, f"redirected to a non-http(s) URL: {location}")
        httpx.URL(location)
    except (httpx.InvalidURL, ValueError):
        raise BadLocation(status, f"redirected to a malformed URL: {location!r}") from None
