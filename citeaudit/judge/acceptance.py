"""`--accept`: which HTTP statuses count as an answer, globally (lychee's rule) or per host.

A global list (`--accept 200..=299,403`, `accept = [...]`, or the host `"*"`) replaces what
is accepted, as lychee's `--accept` replaces its default `200..=299`: a final status outside
it fails the link, even a 200. Per-host entries (`HOST=403`) only add, for that host and its
subdomains, on top of the global list or the built-in rule. Applied to verdicts after probing,
so the store keeps what the server said and a rerun with other settings judges it anew.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from citeaudit.catalog.hosts import host_of, within
from citeaudit.models import LinkStatus, Verdict

EVERY_HOST = "*"


def apply_accept(verdict: Verdict, accept: Mapping[str, tuple[int, ...]]) -> Verdict:
    """The verdict once the accepted statuses are applied to its final HTTP status."""
    status = verdict.http_status
    if status is None or not accept:
        return verdict
    host = host_of(verdict.url)
    for_host = [
        pattern
        for pattern, statuses in accept.items()
        if pattern != EVERY_HOST and within(host, pattern.lower()) and status in statuses
    ]
    everywhere = accept.get(EVERY_HOST)
    if for_host or (everywhere is not None and status in everywhere):
        if verdict.status.is_live:
            return verdict
        where = for_host[0].lower() if for_host else "every host"
        return dataclasses.replace(
            verdict,
            status=LinkStatus.ALIVE,
            reason=f"{status} accepted for {where} by configuration ({verdict.reason})",
        )
    if everywhere is not None and verdict.status.is_live:
        return dataclasses.replace(
            verdict,
            status=LinkStatus.DEAD,
            reason=f"{status} is not an accepted status (accept: {status_ranges(everywhere)})",
        )
    return verdict


def status_ranges(statuses: tuple[int, ...]) -> str:
    """Statuses in `--accept` syntax, runs folded.

    >>> status_ranges((200, 201, 202, 403))
    '200..=202,403'
    """
    parts: list[str] = []
    start = prev = None
    for status in (*statuses, None):
        if status is not None and prev is not None and status == prev + 1:
            prev = status
            continue
        if start is not None:
            parts.append(str(start) if start == prev else f"{start}..={prev}")
        start = prev = status
    return ",".join(parts)
