"""The network half of an audit: the URLs probed, the archives asked, the extra checks.

The HTTP client the archives and the extra checks share is built only when one needs it, so a
rerun answered wholly by the store builds none.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from citeaudit.audit.options import AuditOptions, store_key
from citeaudit.check.archive import ArchiveOptions, ArchiveStats
from citeaudit.check.options import CheckOptions
from citeaudit.check.pages import PageKeeper
from citeaudit.check.runner import check_urls
from citeaudit.check.urlplan import UrlPlan, fragment_pages, is_live_verdict
from citeaudit.models import ArchiveSnapshot, Catalog, Verdict

if TYPE_CHECKING:
    from citeaudit.check.archive import ArchiveClient


async def probe_plan(
    plan: UrlPlan,
    urls: list[str],
    catalogs: Sequence[Catalog],
    options: AuditOptions,
    check_options: CheckOptions,
    **kw: Any,
) -> tuple[Any, dict[str, Verdict], Mapping[str, Any] | None, Mapping[str, Any]]:
    """Probe the URLs (and ask the archives); the run, its verdicts, the archive's stats, and
    what the extra checks learnt: `pages` (--include-fragments), `https` (--require-https)."""

    now = options.now
    clients = RunClients(check_options, options.archive, kw["archive_progress"])
    # the probe keeps what fragments need of the pages it reads: each is fetched once
    kept = PageKeeper.for_targets(plan.probe.values()) if options.include_fragments else None
    try:
        run = await check_urls(
            urls,
            check_options,
            cache=kw["cache"],
            archive=clients if options.archive is not None else None,
            progress=kw["progress"],
            transport=kw["transport"],
            keep_pages=kept,
        )
        archive_stats = clients.archive_stats()
        probed = dict(run.verdicts)
        if now is not None:
            probed = {
                u: dataclasses.replace(v, checked_at=now) if just_taken(v) else v
                for u, v in probed.items()
            }
        if options.drift is not None and run.network_available:
            probed = await with_content(probed, catalogs, options, clients, kw["cache"])
        pages: dict[str, Any] = {}
        if options.include_fragments:
            wanted = fragment_pages(plan, probed)
            pages = kept.usable(wanted, plan.probe) if kept is not None else {}
            todo = sorted(set(wanted.values()) - pages.keys())
            # deferred: check.fragments speaks httpx, loaded only when fragments are asked for
            from citeaudit.check.fragments import fetch_pages

            pages.update(await fetch_pages(todo, check_options, clients.http))
        secure: dict[str, str] = {}
        if options.require_https:
            live = [t for t in dict.fromkeys(plan.probe.values()) if is_live_verdict(probed.get(t))]
            # deferred: check.https speaks httpx, loaded only when --require-https asks
            from citeaudit.check.https import https_available

            secure = await https_available(live, check_options, clients.http)
    finally:
        await clients.aclose()
    return run, probed, archive_stats, {"pages": pages, "https": secure}


class RunClients:
    """The HTTP client archives and the extra checks share, and the archive, built when needed.

    Why lazily: building a client loads the CA store, and a rerun answered wholly by the store
    needs neither. The archive goes through the checker's own client: same --resolve map, same
    refusal of private addresses, same User-Agent.
    """

    def __init__(
        self,
        options: CheckOptions,
        archive: ArchiveOptions | None,
        progress: Callable[[str], None] | None,
    ) -> None:
        self._options = options
        self._archive_options = archive
        self._progress = progress
        self._http: Any = None
        self._archive: ArchiveClient | None = None

    @property
    def http(self) -> Any:
        """The shared client (built on first use)."""
        if self._http is None:
            # deferred: imported with the first client, so a run the store answers never loads httpx
            from citeaudit.check.prober import make_client

            self._http = make_client(self._options)
        return self._http

    @property
    def archive(self) -> ArchiveClient | None:
        """The run's archive client (built on first use); None without archive lookups."""
        if self._archive is None and self._archive_options is not None:
            # deferred: the archive client speaks httpx, loaded with the first lookup
            from citeaudit.check.archive import ArchiveClient

            self._archive = ArchiveClient(self.http, self._archive_options, progress=self._progress)
        return self._archive

    async def closest(self, url: str, as_of: date) -> ArchiveSnapshot:
        """The archive's capture of `url` closest to `as_of` (the runner's `ArchiveLike`)."""
        archive = self.archive
        assert archive is not None, "closest() asked of a run without archive lookups"
        return await archive.closest(url, as_of)

    def archive_stats(self) -> dict[str, Any] | None:
        """What the archive was asked and answered (all nought when it never was)."""
        if self._archive_options is None:
            return None
        return dataclasses.asdict(self._archive.stats if self._archive else ArchiveStats())

    async def aclose(self) -> None:
        """Close the client if it was built."""
        if self._http is not None:
            await self._http.aclose()


async def with_content(
    verdicts: dict[str, Verdict],
    catalogs: Sequence[Catalog],
    options: AuditOptions,
    clients: RunClients,
    cache: Any,
) -> dict[str, Verdict]:
    """Drift and quote annotations; they amend the probes in the history."""
    # deferred: drift reads pages with BeautifulSoup, whose import is a noticeable share of
    # start-up: only a run with drift pays it
    from citeaudit.check.drift import annotate

    archive = clients.archive
    pace = archive.replay_turn if archive is not None else None
    annotated = await annotate(verdicts, catalogs, options.drift, clients.http, pace=pace)
    for url, verdict in annotated.items():
        if cache is not None and verdict is not verdicts[url] and verdict.checked_at is not None:
            cache.put(dataclasses.replace(verdict, url=store_key(url)))
    return annotated


def just_taken(verdict: Verdict) -> bool:
    # A probe of this run carries the wall clock; one read back from the store carries its own
    # (injected) time and must keep it.
    if verdict.from_cache or verdict.checked_at is None:
        return verdict.checked_at is None
    return abs(datetime.now(UTC) - verdict.checked_at) < timedelta(hours=1)


class ClockedStore:
    """A cache seen through an injected clock: probes stamped and ages measured with `now`."""

    def __init__(self, cache: Any, now: datetime) -> None:
        self._cache = cache
        self._now = now

    def get(self, url: str, *, now: datetime, **ages: Any) -> Verdict | None:
        """The cached verdict as of the injected time."""
        return self._cache.get(url, now=self._now, **ages)

    def get_many(self, urls: Any, *, now: datetime, **ages: Any) -> dict[str, Verdict]:
        """The cached verdicts as of the injected time."""
        return self._cache.get_many(urls, now=self._now, **ages)

    def put(self, verdict: Verdict) -> None:
        """Store a fresh probe as taken at the injected time."""
        if just_taken(verdict):
            verdict = dataclasses.replace(verdict, checked_at=self._now)
        self._cache.put(verdict)

    def get_host_probe(self, host: str, *, now: datetime, **kw: Any) -> Any:
        """The host probe as of the injected time."""
        return self._cache.get_host_probe(host, now=self._now, **kw)

    def get_archive(self, url: str, as_of: date, *, now: datetime, **kw: Any) -> Any:
        """The archive answer as of the injected time."""
        return self._cache.get_archive(url, as_of, now=self._now, **kw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cache, name)
