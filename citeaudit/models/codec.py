"""The JSON codec's shared pieces: dates and times as ISO 8601 text, absent as null."""

from __future__ import annotations

from datetime import date, datetime


def iso(value: date | None) -> str | None:
    """A date or datetime as ISO 8601 text, None as None.

    >>> iso(date(2023, 8, 3)), iso(None)
    ('2023-08-03', None)
    """
    return value.isoformat() if value is not None else None


def read_date(text: str | None) -> date | None:
    """A date from its ISO text; None or empty text gives None.

    >>> read_date("2023-08-03"), read_date("")
    (datetime.date(2023, 8, 3), None)
    """
    return date.fromisoformat(text) if text else None


def read_datetime(text: str | None) -> datetime | None:
    """A datetime from its ISO text; None or empty text gives None.

    >>> read_datetime("2024-05-01T12:05:00+00:00").hour, read_datetime(None)
    (12, None)
    """
    return datetime.fromisoformat(text) if text else None
