"""Web-archive lookups: the capture of a URL closest to the document date.

A source that died after publication is not lost if an archive holds a copy from around the
time the report cited it. This module asks, per URL, for the capture closest to a date:

- the Internet Archive (default; `wayback.py`: replay answers first, the CDX index when the
  replay cannot settle whether the closest capture is a real page);
- a Memento aggregator (`memento.py`, RFC 7089), whose TimeGate may answer from archive.today,
  national libraries or other archives.

Requests go through one `ArchiveSession` (`session.py`: pacing, 429 pauses, giving up), and
`ArchiveClient` (`client.py`) is what a run holds.

Why not the Wayback availability API (`archive.org/wayback/available`): it is known to return
empty `archived_snapshots` for pages that are archived (lychee's Wayback module and its
tests document the flakiness), so an answer from it cannot be read as "no capture".

Politeness: the Internet Archive allows about 600 replays and 30 CDX/timemap requests a minute
and blocks clients that flood it. Each kind of endpoint has its own token bucket at 80 % of
that; a 429 pauses the whole kind for `Retry-After` (or 60 s when absent) and the wait is
reported through `progress`, so a long pause never looks like a hang.

No network is not a missing capture: when the archive host does not resolve (sandboxes, CI
runners with closed egress) the first lookup says "network unavailable" and every later one
answers the same at once instead of trying again per URL.

Deliberately not here: caching (the runner asks `Cache.get_archive` first), Save Page Now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from citeaudit.check.archive.captures import (
    archive_name,
    days_from,
    parse_timestamp,
    same_resource,
    wayback_timestamp,
)
from citeaudit.check.archive.links import parse_link_header
from citeaudit.check.archive.options import ArchiveOptions, ArchiveStats
from citeaudit.check.archive.pacing import TokenBucket
from citeaudit.check.lazy import lazy_exports

if TYPE_CHECKING:
    from citeaudit.check.archive.client import ArchiveClient
    from citeaudit.check.archive.session import NO_CAPTURE

# The client and its session speak httpx: imported on first use, so that reading the archive
# options (every run does) does not load the HTTP stack for a run that asks no archive.
_HOME = {
    "ArchiveClient": "citeaudit.check.archive.client",
    "NO_CAPTURE": "citeaudit.check.archive.session",
}

__all__ = [
    "NO_CAPTURE",
    "ArchiveClient",
    "ArchiveOptions",
    "ArchiveStats",
    "TokenBucket",
    "archive_name",
    "days_from",
    "parse_link_header",
    "parse_timestamp",
    "same_resource",
    "wayback_timestamp",
]


__getattr__ = lazy_exports(__name__, _HOME)
