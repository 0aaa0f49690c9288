"""After a run, a few lines of advice drawn from what actually happened. Pure.

Why: the numbers of a report say what is wrong, not what to do about it. A writer facing twelve
"blocked" x.com links should learn that the host refuses robots and that `accept` or an archive
link is the fix, not rerun the audit three times. Each hint is emitted only when its condition
holds, so an uneventful run gets no advice at all.

`archive_stats`, when the checker has it (`dataclasses.asdict(ArchiveClient.stats)`), may carry
`rate_limited` (archive answers 429) and `errors` (lookups that failed; `failed` is accepted too);
any other key is ignored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from citeaudit.catalog.hosts import host_of
from citeaudit.judge.score import has_snapshot, source_state
from citeaudit.models import AuditResult, Flag, LinkStatus, OutletKind, SourceState, Verdict

MAX_HOST_HINTS = 3
"""At most this many per-host hints; the rest are summed up in one line."""


def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _host(url: str) -> str:
    return host_of(url).removeprefix("www.")


def _mentions(text: str | None, *needles: str) -> bool:
    lowered = (text or "").lower()
    return any(n in lowered for n in needles)


def _blocked_hosts(verdicts: list[Verdict]) -> list[str]:
    hosts = Counter(
        _host(v.url)
        for v in verdicts
        if v.status is LinkStatus.BLOCKED and source_state(v) is SourceState.UNVERIFIED
    )
    ranked = sorted((h for h in hosts if h), key=lambda h: (-hosts[h], h))
    out = [
        f"{_n(hosts[h], 'URL')} on {h} {'was' if hosts[h] == 1 else 'were'} unverifiable: "
        "consider `accept` for that host in [tool.citeaudit] or archive links"
        for h in ranked[:MAX_HOST_HINTS]
    ]
    rest = ranked[MAX_HOST_HINTS:]
    if rest:
        count = sum(hosts[h] for h in rest)
        out.append(f"{_n(count, 'more URL')} on {_n(len(rest), 'other host')} were unverifiable")
    return out


def hints(
    result: AuditResult, *, archive_stats: Mapping[str, Any] | None = None
) -> tuple[str, ...]:
    """Short advice for this run, most useful first; empty when nothing calls for it."""
    urls = result.catalog.unique_urls()
    verdicts = [result.verdicts[u] for u in urls if u in result.verdicts]
    stats = archive_stats or {}
    out: list[str] = []

    offline = result.run is not None and not result.run.network_available
    # --offline asked for no network: its notice says so, and "rerun with network" is no advice
    if offline and result.run is not None and not result.run.settings.get("offline"):
        out.append("network unavailable: nothing was marked dead; rerun with network access")

    out.extend(_blocked_hosts(verdicts))

    timeouts = sum(
        1
        for v in verdicts
        if v.status is LinkStatus.ERROR and _mentions(v.reason, "timeout", "timed out")
    )
    if timeouts and not offline:
        out.append(
            f"{_n(timeouts, 'URL')} timed out: rerun later or raise `timeout` in [tool.citeaudit]"
        )

    rate_limited = int(stats.get("rate_limited", 0) or 0) > 0 or any(
        v.archive is not None and _mentions(v.archive.reason, "rate limit", "429") for v in verdicts
    )
    if rate_limited:
        out.append("archive lookups were rate limited: rerun later or use the cache")
    failed = int(stats.get("errors", 0) or stats.get("failed", 0) or 0)
    if failed and not offline:
        out.append(f"{_n(failed, 'archive lookup')} failed: snapshots may be missing; rerun later")

    truncated = {s.url for _, s in result.catalog.sources() if Flag.TRUNCATED in s.flags}
    if truncated:
        out.append(
            f"{_n(len(truncated), 'truncated URL')} cannot be checked: replace "
            f"{'it with the full link' if len(truncated) == 1 else 'them with full links'}"
        )

    asked = result.run is None or result.run.archive is not None
    dead_archived = sum(1 for v in verdicts if v.status.is_lost and has_snapshot(v))
    # Without archives (--no-archive) no report shows a snapshot, so none may be pointed at, even
    # when the store still knows one.
    if dead_archived and asked:
        out.append(
            f"{_n(dead_archived, 'dead link')} "
            f"{'has an archive copy' if dead_archived == 1 else 'have archive copies'}: "
            "cite the snapshot shown in the report"
        )
    lost = sum(1 for v in verdicts if source_state(v) is SourceState.LOST)
    if lost and asked:
        other = "other archives" if result.run is None or result.run.archive == "wayback" else ""
        advice = 'or try `archive = "memento"` for other archives' if other else "or rerun later"
        out.append(
            f"{_n(lost, 'lost source')} {'has' if lost == 1 else 'have'} no known archive copy: "
            f"find another source, {advice}"
        )
    elif lost:
        out.append(f"{_n(lost, 'source')} {'is' if lost == 1 else 'are'} gone: find another source")

    single = sum(1 for c in result.claims if c.sources == 1)
    if single:
        out.append(
            f"{_n(single, 'claim')} {'rests' if single == 1 else 'rest'} on one source: "
            "add an independent second source"
        )
    partisan = _state_or_social_only(result)
    if partisan:
        ids = ", ".join(str(i) for i in partisan[:8]) + (", ..." if len(partisan) > 8 else "")
        out.append(
            f"{_n(len(partisan), 'claim')} {'rests' if len(partisan) == 1 else 'rest'} only on "
            f"state media or social accounts (claim {ids}): look for an independent outlet"
        )
    return tuple(out)


def _state_or_social_only(result: AuditResult) -> list[int]:
    """Ids of the claims whose every source is state media or a social account."""
    weighed = {OutletKind.STATE_MEDIA, OutletKind.SOCIAL}
    kinds = {o.outlet: o.kind for o in result.outlets}
    outlet_of = {s.url: s.outlet for _, s in result.catalog.sources()}
    return [
        c.claim.id
        for c in result.claims
        if c.urls and all(kinds.get(outlet_of.get(u, "")) in weighed for u in c.urls)
    ]
