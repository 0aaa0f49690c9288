"""The Internet Archive: replay answers first, the CDX index when the replay cannot settle it.

The replay endpoint `/web/<YYYYMMDDhhmmss>/<url>` is asked without following redirects: when the
timestamp is not an exact hit the Wayback answers 302 and its `Location` is the closest capture;
a 404 means it holds none. The capture itself is then asked once, because the closest capture may
be an archived error page or an archived redirect: a 2xx confirms it; anything else is settled by
the CDX index, which is rate-limited 20 times harder than replay.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit

from citeaudit.check.archive.captures import (
    http_date,
    parse_timestamp,
    same_resource,
    wayback_timestamp,
)
from citeaudit.check.archive.session import NO_CAPTURE, ArchiveSession
from citeaudit.models import ArchiveSnapshot

_WAYBACK_PATH = re.compile(r"/web/(\d{14})(?:[a-z]{2}_)?/(.+)", re.DOTALL)
_CDX_MAX_BYTES = 1 << 20
"""A CDX answer of at most five rows is a few hundred bytes; past this it is not one."""


class Wayback:
    """Asks a Wayback Machine (the Internet Archive's, or another pywb/Wayback instance)."""

    def __init__(self, session: ArchiveSession) -> None:
        self._session = session

    def _replay_url(self, timestamp: str, url: str) -> str:
        return f"{self._session.options.wayback_endpoint.rstrip('/')}/web/{timestamp}/{url}"

    async def closest(self, url: str, as_of: date) -> ArchiveSnapshot:
        """The capture closest to `as_of`: replay first, the CDX index when replay cannot tell."""
        target = wayback_timestamp(as_of)
        ask = self._replay_url(target, url)
        response = await self._session.get(self._session.replay, ask)
        await response.aclose()
        status = response.status_code
        if status == 404:
            if self._session.options.confirm_with_cdx and "memento-datetime" in response.headers:
                # a replayed archived 404: an earlier or later capture may be a real page
                return await self._cdx(url, as_of, "the closest capture is an archived 404")
            return ArchiveSnapshot.none(f"{NO_CAPTURE} in the Internet Archive")
        if 200 <= status < 300:
            when = http_date(response.headers.get("memento-datetime")) or parse_timestamp(target)
            return self._session.found(ask, when, as_of)
        if status in (301, 302, 303, 307, 308):
            location = response.headers.get("location")
            if not location:
                return ArchiveSnapshot(
                    available=False, reason=f"archive error: {status} without Location"
                )
            capture = urljoin(ask, location)
            match = _WAYBACK_PATH.search(urlsplit(capture).path + _query(capture))
            if match is None:
                return ArchiveSnapshot(
                    available=False, reason=f"archive error: unexpected redirect to {capture}"
                )
            when = parse_timestamp(match.group(1))
            if not self._session.options.confirm_with_cdx:
                return self._session.found(capture, when, as_of)
            if not same_resource(match.group(2), url):
                return await self._cdx(url, as_of, "the closest capture is an archived redirect")
            return await self._confirm_replay(url, capture, when, as_of)
        return ArchiveSnapshot(available=False, reason=f"archive error: HTTP {status}")

    async def _confirm_replay(
        self, url: str, capture: str, when: datetime, as_of: date
    ) -> ArchiveSnapshot:
        """Ask the capture itself: 2xx is a real page; anything else goes to the CDX index."""
        response = await self._session.get(self._session.replay, capture)
        await response.aclose()
        status = response.status_code
        if 200 <= status < 300:
            return self._session.found(capture, when, as_of)
        if 300 <= status < 400:
            location = urljoin(capture, response.headers.get("location", ""))
            match = _WAYBACK_PATH.search(urlsplit(location).path + _query(location))
            if match is not None and same_resource(match.group(2), url):
                # Wayback moved us to the same page at another instant: take that capture.
                return await self._confirm_final(
                    url, location, parse_timestamp(match.group(1)), as_of
                )
            return await self._cdx(url, as_of, "the closest capture is an archived redirect")
        if status >= 500 and "memento-datetime" not in response.headers:
            return ArchiveSnapshot(available=False, reason=f"archive error: HTTP {status}")
        return await self._cdx(url, as_of, f"the closest capture is an archived {status}")

    async def _confirm_final(
        self, url: str, capture: str, when: datetime, as_of: date
    ) -> ArchiveSnapshot:
        # one more hop at most: a second move means the replay cannot settle it
        response = await self._session.get(self._session.replay, capture)
        await response.aclose()
        if 200 <= response.status_code < 300:
            return self._session.found(capture, when, as_of)
        return await self._cdx(url, as_of, f"the closest capture answers {response.status_code}")

    async def _cdx(self, url: str, as_of: date, why: str) -> ArchiveSnapshot:
        """The closest capture that was a 200 page, from the CDX index."""
        target = wayback_timestamp(as_of)
        endpoint = f"{self._session.options.wayback_endpoint.rstrip('/')}/cdx/search/cdx"
        params = {
            "url": url,
            "output": "json",
            "fl": "timestamp,original,statuscode,mimetype",
            "filter": "statuscode:200",
            "closest": target,
            "sort": "closest",
            "limit": "5",
        }
        response = await self._session.get(self._session.index, endpoint, params=params)
        try:
            if response.status_code != 200:
                return ArchiveSnapshot(
                    available=False,
                    reason=f"archive error: CDX answered HTTP {response.status_code}",
                )
            body = await self._session.read_capped(response, _CDX_MAX_BYTES)
        finally:
            await response.aclose()
        if body is None:
            return ArchiveSnapshot(available=False, reason="archive error: CDX answer too large")
        rows = _cdx_rows(body)
        if rows is None:
            return ArchiveSnapshot(available=False, reason="archive error: CDX answer is not JSON")
        goal = parse_timestamp(target)
        best: tuple[float, datetime, str] | None = None
        for row in rows:
            stamp = row.get("timestamp", "")
            original = row.get("original", url)
            code = row.get("statuscode", "")
            if code != "200" or not re.fullmatch(r"\d{14}", stamp):
                continue  # a server ignoring the filter must not turn an error page into a capture
            when = parse_timestamp(stamp)
            distance = abs((when - goal).total_seconds())
            if best is None or distance < best[0]:
                best = (distance, when, original)
        if best is None:
            return ArchiveSnapshot.none(f"{NO_CAPTURE} that is a real page ({why})")
        _, when, original = best
        return self._session.found(self._replay_url(wayback_timestamp(when), original), when, as_of)


def _query(url: str) -> str:
    query = urlsplit(url).query
    return "?" + query if query else ""


def _cdx_rows(body: bytes) -> list[dict[str, str]] | None:
    """CDX JSON output (a header row, then one row per capture) as dicts; None if not JSON."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return []  # the CDX server answers an empty body when nothing matches
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, list):
        return None
    rows = [r for r in data if isinstance(r, list) and r]
    if not rows:
        return []
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, (str(v) for v in r), strict=False)) for r in rows[1:]]
