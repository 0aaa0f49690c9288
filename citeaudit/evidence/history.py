"""Confirmed deaths: a source is called `dead` only after repeated failures over time. Pure.

Why it exists: one failed check is weak evidence (a site down for maintenance, a CDN hiccup), and
a report that calls a source dead because of it costs a writer an hour. Wikipedia's
InternetArchiveBot waits for several failures over several days before it acts; `--confirm N:DAYS`
brings the same rule to citeaudit, using the checker's probe history (`Cache.history`).

The rule: look at the probes since the last live one. When at least N of them failed (dead or
soft_dead) and the first and last failure are at least DAYS days apart, the verdict stands;
otherwise it becomes `failing`, with the day the URL was first seen failing. One live probe
resets the count. Blocked and error probes neither count nor reset: they say nothing either way.
The default 1:0 confirms at once, so a one-off check before publication answers immediately.

What it does not do: read the store or the clock. The caller hands in the history and the verdict.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from citeaudit.check.storerules import as_utc
from citeaudit.models import LinkStatus, Verdict


@dataclass(frozen=True, slots=True)
class Confirm:
    """`--confirm N:DAYS`: failures needed, and the days they must span."""

    checks: int = 1
    days: int = 0

    @property
    def immediate(self) -> bool:
        """Whether one failure is enough (the default)."""
        return self.checks <= 1 and self.days <= 0


def parse_confirm(text: str) -> Confirm:
    """Parse `N:DAYS` (or a bare `N`); ValueError when malformed.

    >>> parse_confirm("3:3")
    Confirm(checks=3, days=3)
    >>> parse_confirm("2")
    Confirm(checks=2, days=0)
    """
    checks_text, _, days_text = text.strip().partition(":")
    try:
        checks = int(checks_text)
        days = int(days_text) if days_text else 0
    except ValueError:
        raise ValueError(f"--confirm {text!r}: expected N:DAYS, e.g. 3:3") from None
    if checks < 1 or days < 0:
        raise ValueError(f"--confirm {text!r}: N must be at least 1 and DAYS at least 0")
    return Confirm(checks, days)


def _when(verdict: Verdict, fallback: datetime) -> datetime:
    return as_utc(verdict.checked_at or fallback)


def failing_streak(history: Sequence[Verdict], now: datetime) -> list[Verdict]:
    """The failed (dead/soft_dead) probes since the last live one, oldest first."""
    ordered = sorted(history, key=lambda v: _when(v, now))
    streak: list[Verdict] = []
    for verdict in ordered:
        if verdict.status.is_live:
            streak = []
        elif verdict.status.is_lost:
            streak.append(verdict)
    return streak


def confirm(
    verdict: Verdict, history: Sequence[Verdict], policy: Confirm, *, now: datetime
) -> Verdict:
    """The verdict to report: `dead` stays only when `policy` is met, else `failing`.

    `history` holds earlier probes of the same URL (it may already include `verdict`; probes
    with the same time count once).
    """
    if not verdict.status.is_lost or policy.immediate:
        return verdict
    when = _when(verdict, now)
    probes = {_when(v, now): v for v in history}
    probes[when] = verdict
    streak = failing_streak([v for t, v in probes.items() if t <= when], now)
    if not streak:
        return verdict
    first = _when(streak[0], now)
    span_days = (when - first).total_seconds() / 86400
    if len(streak) >= policy.checks and span_days >= policy.days:
        return verdict
    return dataclasses.replace(
        verdict,
        status=LinkStatus.FAILING,
        first_failed=first.date(),
        reason=(
            f"failing since {first.date().isoformat()} ({len(streak)} of {policy.checks} "
            f"failed checks over {span_days:.1f} of {policy.days} days, --confirm); "
            f"last: {verdict.reason}"
        ),
    )


def timeline(history: Sequence[Verdict]) -> list[dict[str, object]]:
    """One row per probe for `citeaudit history`: time, verdict, status, final URL, capture.

    `changed` is True when the page's text fingerprint differs from the last fingerprinted
    probe before it (None when there is nothing to compare).
    """
    rows: list[dict[str, object]] = []
    last_print: str | None = None
    for v in history:
        capture = v.archive.url if v.archive and v.archive.available else None
        changed = None
        if v.fingerprint is not None:
            changed = None if last_print is None else v.fingerprint != last_print
            last_print = v.fingerprint
        rows.append(
            {
                "checked_at": v.checked_at.isoformat() if v.checked_at else None,
                "verdict": str(v.status),
                "status": v.http_status,
                "final_url": v.final_url,
                "fingerprint": v.fingerprint,
                "changed": changed,
                "capture": capture,
                "reason": v.reason,
            }
        )
    return rows
