"""Check many URLs at once: plan, read the store, probe concurrently, ask the archive.

`check_urls` is the checker's one entry point. It probes every unique resource once (the
`#fragment` and a default port do not make a new resource, `runplan`), skips what the store
already knows and is still fresh (`runstore`), hands each verdict to the store the moment it is
known (committed within 50 ms: a `kill -9` loses at most that window, `tally`), and keeps one
`httpx.AsyncClient` with keep-alive pools behind the per-host and global limits (`prober`), its
probes started hosts in turn (`schedule`). A run answered wholly by the store builds no client.

This module does not parse documents or render anything; it maps URLs to verdicts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from citeaudit.check.eventloop import run_sync
from citeaudit.check.network import Lookup
from citeaudit.check.options import CheckOptions
from citeaudit.check.pages import PageKeeper
from citeaudit.check.runplan import RunPlan, excluded, plan_run
from citeaudit.check.runstore import CacheLike, RunStore
from citeaudit.check.schedule import TASKS_PER_SLOT, interleave_hosts, run_bounded
from citeaudit.check.tally import ProgressEvent, Tally
from citeaudit.models import ArchiveSnapshot, LinkStatus, Verdict

if TYPE_CHECKING:
    import httpx

    from citeaudit.check.prober import Prober


class ArchiveLike(Protocol):
    """What the runner needs from `citeaudit.check.archive.ArchiveClient`."""

    async def closest(self, url: str, as_of: date) -> ArchiveSnapshot: ...


@dataclass(frozen=True)
class CheckRun:
    """Every verdict of a run, keyed by the URL as given, plus run-wide facts."""

    verdicts: dict[str, Verdict]
    notices: tuple[str, ...] = ()
    """Said once at the top of a report (network unavailable, cache trouble)."""
    requests: int = 0
    hosts: int = 0
    unique: int = 0
    from_cache: int = 0
    elapsed: float = 0.0
    max_in_flight_per_host: int = 0
    network_available: bool = True


async def check_urls(
    urls: Sequence[str],
    options: CheckOptions,
    *,
    cache: CacheLike | None = None,
    archive: ArchiveLike | None = None,
    progress: Callable[[ProgressEvent], None] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    lookup: Lookup | None = None,
    keep_pages: PageKeeper | None = None,
) -> CheckRun:
    """Check every unique URL once and return the verdicts keyed by the URLs given.

    `cache` and `archive` are optional (`Cache`, `ArchiveClient` or anything shaped like them).
    `transport` replaces the whole network stack (pure unit tests); the canary and the
    address-safety rule then lie with it. `lookup` replaces the system resolver (tests).
    `keep_pages` keeps what `--include-fragments` needs of the pages the probes read.
    """
    t0 = time.monotonic()
    now = datetime.now(UTC)
    plan = plan_run(urls)
    stored = RunStore(cache, options, now)
    tally = Tally(plan, stored, progress)
    pending = settle_known(plan, stored, tally, options)
    notices: list[str] = []
    requests, max_in_flight, network_down = 0, 0, None
    if pending:
        # deferred: a run answered wholly from the store never loads the HTTP stack
        from citeaudit.check.prober import Prober, network_notice

        prober = await Prober.open(
            [plan.host_of[k] for k in pending],
            options,
            stored,
            transport=transport,
            lookup=lookup,
            keep_pages=keep_pages,
        )
        try:
            await probe_pending(prober, pending, plan, tally, options)
            requests = prober.ctx.requests
            max_in_flight, network_down = prober.max_in_flight_per_host, prober.network_down
        finally:
            await prober.aclose()
        if network_down:
            notices.append(network_notice(network_down))
    if archive is not None:
        await _ask_archive(archive, tally.verdicts, options.as_of or now.date(), stored, progress)
    return CheckRun(
        verdicts=plan.as_given(tally.verdicts, urls),
        notices=tuple(notices + stored.notices),
        requests=requests,
        hosts=len(plan.hosts),
        unique=len(plan.by_key),
        from_cache=tally.from_cache,
        elapsed=time.monotonic() - t0,
        max_in_flight_per_host=max_in_flight,
        network_available=network_down is None,
    )


def settle_known(plan: RunPlan, stored: RunStore, tally: Tally, options: CheckOptions) -> list[str]:
    """Settle what needs no probe (excluded hosts, fresh stored answers); the rest, in order."""
    skip = {k for k, h in plan.host_of.items() if excluded(h, options.exclude)}
    answered = stored.answers(k for k in plan.by_key if k not in skip)
    pending: list[str] = []
    for key in plan.by_key:
        if key in skip:
            host = plan.host_of[key]
            tally.settle(key, Verdict(key, LinkStatus.SKIPPED, f"host {host} is excluded"))
        elif key in answered:
            tally.settle(key, answered[key])
        else:
            pending.append(key)
    tally.expect(pending)
    return pending


async def probe_pending(
    prober: Prober, pending: list[str], plan: RunPlan, tally: Tally, options: CheckOptions
) -> None:
    """Probe every pending key, hosts in turn, a window at a time; commit each verdict."""

    async def one(key: str) -> None:
        tally.commit(key, await prober.verdict(key, plan.host_of[key]))

    # deferred: a run the store answers whole never gets here (the CLI has it loaded already)
    from citeaudit.documents.gcpolicy import rare_collections

    hosts = len({plan.host_of[k] for k in pending})
    window = TASKS_PER_SLOT * options.global_cap(hosts)
    # each request allocates thousands of short-lived objects and makes few cycles: with the
    # default thresholds the collector took a sixth of a 3,800-URL run's CPU (331 passes)
    with rare_collections():
        await run_bounded(interleave_hosts(pending, plan.host_of), one, window)


async def _ask_archive(
    archive: ArchiveLike,
    verdicts: dict[str, Verdict],
    as_of: date,
    stored: RunStore,
    progress: Callable[[ProgressEvent], None] | None,
) -> None:
    """Ask the archive about every URL that has no snapshot yet; commit each answer."""
    # a skipped URL (private address, excluded host) is not sent to a third party either
    todo = [
        k
        for k, v in verdicts.items()
        if v.archive is None and v.status not in (LinkStatus.INVALID, LinkStatus.SKIPPED)
    ]
    done = 0

    async def one(key: str) -> None:
        nonlocal done
        try:
            snap = await archive.closest(key, as_of)
        except Exception as exc:  # an archive outage must not lose the probe verdicts
            snap = ArchiveSnapshot(False, reason=f"archive lookup failed: {exc}")
        v = dataclasses.replace(verdicts[key], archive=snap)
        verdicts[key] = v
        stored.put(dataclasses.replace(v, from_cache=False))
        done += 1
        if progress is not None:
            progress(ProgressEvent(done, len(todo), 0, key, v.status, v.from_cache, "archive"))

    await asyncio.gather(*(one(k) for k in todo))


def check(urls: Sequence[str], options: CheckOptions, **kw: Any) -> CheckRun:
    """Synchronous `check_urls` (runs its own event loop)."""
    return run_sync(check_urls(urls, options, **kw))
