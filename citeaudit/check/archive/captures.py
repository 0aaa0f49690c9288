"""Pure helpers about captures: timestamps, days from the document, archive names, same page."""

from __future__ import annotations

import email.utils
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from citeaudit.catalog.archives import archive_at


def wayback_timestamp(moment: date | datetime) -> str:
    """The 14-digit Wayback timestamp of a date (noon UTC) or datetime.

    >>> wayback_timestamp(date(2023, 8, 3))
    '20230803120000'
    """
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, 12, tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def parse_timestamp(digits: str) -> datetime:
    """A 14-digit archive timestamp as an aware UTC datetime.

    >>> parse_timestamp("20230805101112").isoformat()
    '2023-08-05T10:11:12+00:00'
    """
    return datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def days_from(capture: datetime, as_of: date) -> int:
    """Whole days from the document date to the capture (negative: captured before it).

    >>> days_from(datetime(2023, 8, 1, 23, 0, tzinfo=UTC), date(2023, 8, 3))
    -2
    """
    return (capture.astimezone(UTC).date() - as_of).days


def archive_name(capture_url: str) -> str:
    """A readable archive name from a capture URL's host (the host itself when unknown).

    >>> archive_name("https://archive.ph/20230801/https://example.org/")
    'archive.today'
    >>> archive_name("http://www.webarchive.org.uk/wayback/archive/2014/http://x.uk/")
    'UK Web Archive'
    """
    host = (urlsplit(capture_url).hostname or "").lower()
    return archive_at(host) or host.removeprefix("www.") or "unknown archive"


def same_resource(a: str, b: str) -> bool:
    """Whether two URLs name the same page for archive purposes (scheme, www., slash ignored).

    >>> same_resource("https://www.Example.org/a/", "http://example.org:80/a")
    True
    >>> same_resource("https://example.org/a", "https://example.org/")
    False
    """

    def key(url: str) -> tuple[str, str, str]:
        parts = urlsplit(url if "://" in url else "http://" + url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        port = parts.port
        if port in (80, 443):
            port = None
        path = parts.path.rstrip("/")
        return (f"{host}:{port}" if port else host, path, parts.query)

    try:
        return key(a) == key(b)
    except ValueError:
        return False


def http_date(value: str | None) -> datetime | None:
    """An HTTP date as an aware UTC datetime; None when absent or unreadable.

    >>> http_date("Tue, 01 Aug 2023 00:00:00 GMT").isoformat()
    '2023-08-01T00:00:00+00:00'
    """
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
