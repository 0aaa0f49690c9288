"""A Memento aggregator (RFC 7089), e.g. MemGator: one TimeGate for many archives.

Its TimeGate `<endpoint>/timegate/<url>` is asked with `Accept-Datetime`, and the answer's
`Location`, `Link` (rel="memento" with a datetime) or `Memento-Datetime` give the capture, which
may be in archive.today, national libraries or other archives.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, date, datetime
from urllib.parse import urljoin

from citeaudit.check.archive.captures import http_date, parse_timestamp
from citeaudit.check.archive.links import parse_link_header
from citeaudit.check.archive.session import NO_CAPTURE, ArchiveSession
from citeaudit.models import ArchiveSnapshot

_DIGITS14 = re.compile(r"(?<!\d)((?:19|20)\d{12})(?!\d)")


class Memento:
    """Asks a Memento TimeGate."""

    def __init__(self, session: ArchiveSession) -> None:
        self._session = session

    def _timegate_url(self, url: str) -> str:
        base = (self._session.options.memento_endpoint or "").rstrip("/")
        if not base.endswith("/timegate"):
            base += "/timegate"
        return f"{base}/{url}"

    async def closest(self, url: str, as_of: date) -> ArchiveSnapshot:
        """The memento the TimeGate names for `as_of`, in whichever archive holds it."""
        moment = datetime(as_of.year, as_of.month, as_of.day, 12, tzinfo=UTC)
        gate = self._timegate_url(url)
        response = await self._session.get(
            self._session.replay,
            gate,
            headers={"Accept-Datetime": email.utils.format_datetime(moment, usegmt=True)},
        )
        await response.aclose()
        status = response.status_code
        if status == 404:
            return ArchiveSnapshot.none(f"{NO_CAPTURE} in any Memento archive")
        links = parse_link_header(", ".join(response.headers.get_list("link")))
        capture: str | None = None
        if 300 <= status < 400 and response.headers.get("location"):
            capture = urljoin(gate, response.headers["location"])
        elif 200 <= status < 300:
            located = response.headers.get("content-location")
            capture = urljoin(gate, located) if located else None
            if capture is None:
                mementos = [t for t, p in links if "memento" in p.get("rel", "").split()]
                capture = mementos[0] if len(mementos) == 1 else None
        else:
            return ArchiveSnapshot(available=False, reason=f"archive error: TimeGate HTTP {status}")
        if capture is None:
            return ArchiveSnapshot(
                available=False, reason="archive error: TimeGate answer names no memento"
            )
        when = _memento_time(capture, links, response.headers.get("memento-datetime"))
        if when is None:
            return ArchiveSnapshot(
                available=False, reason=f"archive error: no capture time for {capture}"
            )
        return self._session.found(capture, when, as_of)


def _memento_time(
    capture: str, links: list[tuple[str, dict[str, str]]], header: str | None
) -> datetime | None:
    """The capture time: its Link entry's datetime, Memento-Datetime, or its URL's 14 digits."""
    for target, params in links:
        if target == capture and "datetime" in params:
            when = http_date(params["datetime"])
            if when is not None:
                return when
    when = http_date(header)
    if when is not None:
        return when
    match = _DIGITS14.search(capture)
    if match is not None:
        try:
            return parse_timestamp(match.group(1))
        except ValueError:
            return None
    return None
