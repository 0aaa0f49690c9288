"""Wire the stages for a `check` run: catalogs -> verdicts -> scored results.

This is the library entry point the CLI (and other programs) call. Every URL of every document
is probed once; each document is then scored on its own. The cache and the progress callbacks
are handed in, so tests and other programs can drive it; the network is touched only through
`citeaudit.check`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from citeaudit.acceptance import apply_accept
from citeaudit.check.archive import ArchiveOptions
from citeaudit.check.cache import default_cache_path
from citeaudit.check.options import CheckOptions
from citeaudit.check.store import open_for_run, pick_store
from citeaudit.config import Config, load_config
from citeaudit.documents import load_catalogs
from citeaudit.evidence.baseline import apply_baseline, load_baseline
from citeaudit.files import refuse_overwriting_inputs
from citeaudit.inputs import config_start
from citeaudit.judge.policy import exit_code, parse_fail_on
from citeaudit.judge.score import is_silenced
from citeaudit.models import (
    AuditResult,
    Catalog,
    Flag,
    LinkStatus,
    RunFacts,
    Source,
    Verdict,
)
from citeaudit.request import CheckRequest
from citeaudit.urlplan import (
    OFFLINE_NOTICE,
    UrlPlan,
    as_cited,
    fragment_pages,
    is_live_verdict,
    local_verdicts,
    plan_urls,
    with_fragments,
    with_https_findings,
)


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """What one `check` run does beyond probing: archives, exclusions, per-host acceptance."""

    check: CheckOptions = field(default_factory=CheckOptions)
    archive: ArchiveOptions | None = field(default_factory=ArchiveOptions)
    """None: no archive lookups (`--no-archive`)."""
    exclude: tuple[str, ...] = ()
    """URL patterns never probed (glob, or `re:` regex): verdict `skipped`."""
    include: tuple[str, ...] = ()
    """URL patterns: when any is given, only matching URLs are probed (a match beats exclude)."""
    accept: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    """Host -> statuses treated as alive for that host (e.g. 403 from a bot-walled site); the
    host `*` is every host."""
    settings: Mapping[str, Any] = field(default_factory=dict)
    """The run's settings as the JSON report echoes them (citeaudit.settings.echo)."""
    remap: tuple[Any, ...] = ()
    """`--remap` rules (citeaudit.remap.Remap), the first match applies."""
    base_url: str | None = None
    """Where relative links point: a web address (probed) or the site's root folder (on disk)."""
    offline: bool = False
    """Probe nothing: web links `skipped`, local files still checked."""
    include_fragments: bool = False
    """Check that a cited `#fragment` names an anchor (or text) on its page."""
    require_https: bool = False
    """Flag (a finding) `http://` links whose site answers on https."""
    outlet_aliases: Mapping[str, str] = field(default_factory=dict)
    outlet_kinds: Mapping[str, str] = field(default_factory=dict)
    """Outlet -> kind (`state_media`, `government`, `social`, "" for none) over the built-ins."""
    as_of: date | None = None
    """Overrides every document's date for archive lookups (`--as-of`)."""
    confirm: Any = None
    """`--confirm N:DAYS` (a citeaudit.evidence.history.Confirm); None: confirm at once (1:0)."""
    drift: Any = None
    """Content drift and quote search (a citeaudit.evidence.drift.DriftOptions); None: off."""
    now: datetime | None = None
    """The run's clock (tests): probes are stamped with it and cache ages measured from it."""


def not_probed_verdict(source: Source, now: datetime) -> Verdict | None:
    """The verdict of a source that must never be probed (truncated or malformed), if any."""
    if Flag.TRUNCATED in source.flags:
        reason = "truncated URL (ends with '...'): cannot be checked; replace it with the full link"
    elif Flag.INVALID in source.flags:
        reason = "malformed URL: cannot be checked"
    else:
        return None
    return Verdict(url=source.url, status=LinkStatus.INVALID, reason=reason, checked_at=now)


def apply_outlet_aliases(catalog: Catalog, aliases: Mapping[str, str]) -> Catalog:
    """Rename outlets the configuration declares to be one (e.g. a site's two domains)."""
    if not aliases:
        return catalog
    notes = tuple(
        dataclasses.replace(
            note,
            sources=tuple(
                dataclasses.replace(s, outlet=aliases.get(s.outlet, s.outlet)) for s in note.sources
            ),
        )
        for note in catalog.notes
    )
    return dataclasses.replace(catalog, notes=notes)


def without_ignored(catalog: Catalog) -> tuple[Catalog, int]:
    """Drop notes and claims silenced by an inline `citeaudit: ignore`; count what was dropped.

    A claim that cites only ignored notes goes too: its evidence is out of the audit, and
    scoring it on nothing would call it unsupported.
    """
    kept_notes = tuple(n for n in catalog.notes if not n.ignored)
    kept_claims = tuple(c for c in catalog.claims if not is_silenced(catalog, c))
    ignored = (len(catalog.notes) - len(kept_notes)) + (len(catalog.claims) - len(kept_claims))
    if not ignored:
        return catalog, 0
    return dataclasses.replace(catalog, notes=kept_notes, claims=kept_claims), ignored


async def check_catalogs(
    catalogs: Sequence[Catalog],
    options: AuditOptions,
    *,
    cache: Any = None,
    progress: Callable[[Any], None] | None = None,
    archive_progress: Callable[[str], None] | None = None,
    transport: Any = None,
) -> list[AuditResult]:
    """Check every URL of every catalog once, then score each document on its own."""
    from citeaudit.check.runner import CheckRun
    from citeaudit.judge.hints import hints
    from citeaudit.judge.score import build_result

    started = time.monotonic()
    now = options.now or datetime.now(UTC)
    if options.now is not None and cache is not None:
        cache = _Clocked(cache, options.now)
    prepared = [without_ignored(apply_outlet_aliases(c, options.outlet_aliases)) for c in catalogs]
    plan = plan_urls([c for c, _ in prepared], options, now)
    fixed, applied = plan.fixed, plan.applied
    to_probe = dict.fromkeys(plan.probe.values())
    as_of = options.as_of or next((c.document.date for c, _ in prepared if c.document.date), None)
    check_options = dataclasses.replace(options.check, as_of=as_of)
    archive_stats: Mapping[str, Any] | None = None
    if options.offline:
        run: Any = CheckRun(verdicts={}, network_available=False, notices=(OFFLINE_NOTICE,))
        probed: dict[str, Verdict] = {}
        extra: Mapping[str, Any] = {}
    else:
        run, probed, archive_stats, extra = await _probe(
            plan,
            list(to_probe),
            [c for c, _ in prepared],
            options,
            check_options,
            cache=cache,
            progress=progress,
            archive_progress=archive_progress,
            transport=transport,
        )
    probed = {u: apply_accept(v, options.accept) for u, v in probed.items()}
    if options.confirm is not None:
        from citeaudit.evidence.history import confirm

        # Without a store only this run's probe is known: it counts as one failed check.
        probed = {
            u: confirm(
                v,
                cache.history(store_key(u)) if cache is not None else [],
                options.confirm,
                now=now,
            )
            for u, v in probed.items()
        }
    verdicts = {**fixed, **with_fragments(as_cited(plan, probed), plan, extra.get("pages", {}))}
    secure = {u: extra["https"][t] for u, t in plan.probe.items() if t in extra.get("https", {})}
    facts = RunFacts(
        urls=len(verdicts),
        from_cache=run.from_cache,
        requests=run.requests,
        seconds=run.elapsed,
        archive=None if options.archive is None else options.archive.mode,
        archive_failed=sum(1 for v in probed.values() if v.archive and v.archive.failed),
        settings=options.settings,
        network_available=run.network_available,
    )
    results = []
    for catalog, ignored in prepared:
        own = {s.url: verdicts[s.url] for _, s in catalog.sources() if s.url in verdicts}
        own.update(local_verdicts(catalog, options, now))
        if secure:
            catalog = with_https_findings(catalog, secure)
        result = build_result(
            catalog,
            own,
            notices=run.notices,
            generated_at=now,
            ignored=ignored,
            outlet_kinds=options.outlet_kinds,
        )
        if not run.network_available:
            # Nothing was learnt about the web: score what the document itself says rather than
            # calling every claim unsupported because nothing could be reached. The outlets keep
            # the run's states, so their counts agree with the summary's.
            offline = build_result(catalog, {}, outlet_kinds=options.outlet_kinds)
            result = dataclasses.replace(result, claims=offline.claims)
        rules = tuple(
            applied[u] for u in dict.fromkeys(s.url for _, s in catalog.sources()) if u in applied
        )
        result = dataclasses.replace(result, run=dataclasses.replace(facts, rules=rules))
        results.append(
            dataclasses.replace(result, hints=hints(result, archive_stats=archive_stats))
        )
    # the run's wall time, for JUnit: per-URL times overlap under concurrency, never add up to it
    facts = dataclasses.replace(
        facts, seconds=time.monotonic() - started, hostname=socket.gethostname() or None
    )
    return [
        dataclasses.replace(r, run=dataclasses.replace(facts, rules=r.run.rules if r.run else ()))
        for r in results
    ]


async def _probe(
    plan: UrlPlan,
    urls: list[str],
    catalogs: Sequence[Catalog],
    options: AuditOptions,
    check_options: CheckOptions,
    **kw: Any,
) -> tuple[Any, dict[str, Verdict], Mapping[str, Any] | None, Mapping[str, Any]]:
    """Probe the URLs (and ask the archives); the run, its verdicts, the archive's stats, and
    what the extra checks learnt: `pages` (--include-fragments), `https` (--require-https)."""
    from citeaudit.check import check_urls, make_client
    from citeaudit.check.archive import ArchiveClient
    from citeaudit.check.pages import PageKeeper, keeping

    cache = kw["cache"]
    now = options.now
    archive_stats = None
    # The archive goes through the checker's own client: same --resolve map, same refusal of
    # private addresses, same User-Agent.
    async with make_client(check_options) as archive_http:
        archive = None
        if options.archive is not None:
            archive = ArchiveClient(archive_http, options.archive, progress=kw["archive_progress"])
        # the probe keeps what fragments need of the pages it reads: each is fetched once
        kept = PageKeeper.for_targets(plan.probe.values()) if options.include_fragments else None
        with keeping(kept):
            run = await check_urls(
                urls,
                check_options,
                cache=cache,
                archive=archive,
                progress=kw["progress"],
                transport=kw["transport"],
            )
        if archive is not None:
            archive_stats = dataclasses.asdict(archive.stats)
        probed = dict(run.verdicts)
        if now is not None:
            probed = {
                u: dataclasses.replace(v, checked_at=now) if _just_taken(v) else v
                for u, v in probed.items()
            }
        if options.drift is not None and run.network_available:
            probed = await _content(probed, catalogs, options, archive_http, cache, archive)
        pages: dict[str, Any] = {}
        if options.include_fragments:
            from citeaudit.check.fragments import fetch_pages

            wanted = fragment_pages(plan, probed)
            pages = kept.usable(wanted, plan.probe) if kept is not None else {}
            todo = sorted(set(wanted.values()) - pages.keys())
            pages.update(await fetch_pages(todo, check_options, archive_http))
        secure: dict[str, str] = {}
        if options.require_https:
            from citeaudit.check.https import https_available

            live = [t for t in dict.fromkeys(plan.probe.values()) if is_live_verdict(probed.get(t))]
            secure = await https_available(live, check_options, archive_http)
    return run, probed, archive_stats, {"pages": pages, "https": secure}


async def _content(
    verdicts: dict[str, Verdict],
    catalogs: Sequence[Catalog],
    options: AuditOptions,
    client: Any,
    cache: Any,
    archive: Any,
) -> dict[str, Verdict]:
    """Drift and quote annotations; they amend the probes in the history."""
    from citeaudit.check.drift import annotate

    pace = archive.replay_turn if archive is not None else None
    annotated = await annotate(verdicts, catalogs, options.drift, client, pace=pace)
    for url, verdict in annotated.items():
        if cache is not None and verdict is not verdicts[url] and verdict.checked_at is not None:
            cache.put(dataclasses.replace(verdict, url=store_key(url)))
    return annotated


def _just_taken(verdict: Verdict) -> bool:
    # A probe of this run carries the wall clock; one read back from the store carries its own
    # (injected) time and must keep it.
    if verdict.from_cache or verdict.checked_at is None:
        return verdict.checked_at is None
    return abs(datetime.now(UTC) - verdict.checked_at) < timedelta(hours=1)


class _Clocked:
    """A cache seen through an injected clock: probes stamped and ages measured with `now`."""

    def __init__(self, cache: Any, now: datetime) -> None:
        self._cache = cache
        self._now = now

    def get(self, url: str, *, now: datetime, **ages: Any) -> Verdict | None:
        """The cached verdict as of the injected time."""
        return self._cache.get(url, now=self._now, **ages)

    def put(self, verdict: Verdict) -> None:
        """Store a fresh probe as taken at the injected time."""
        if _just_taken(verdict):
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


def store_key(url: str) -> str:
    """The key the store files a URL's probes under (fragment and default port dropped)."""
    from citeaudit.check.runner import dedupe_key

    return dedupe_key(url) or url


def check_documents(
    catalogs: Sequence[Catalog], options: AuditOptions, **kwargs: Any
) -> list[AuditResult]:
    """Synchronous `check_catalogs`."""
    from citeaudit.gcpolicy import rare_collections

    # the parsed catalogs live until the run ends: no collection needs to walk them again
    with rare_collections(freeze=True):
        return asyncio.run(check_catalogs(catalogs, options, **kwargs))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a run found, and the exit status its `--fail-on` policy gives (0 or 1)."""

    results: tuple[AuditResult, ...]
    status: int


def run(
    request: CheckRequest,
    *,
    store: Any = None,
    transport: Any = None,
    progress: Callable[[Any], None] | None = None,
    archive_progress: Callable[[str], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> Outcome:
    """Run one audit: read the documents and their configuration, check, apply the baseline.

    `store` (a verdict store such as citeaudit.check.cache.Cache) is used as handed in and left
    open; without one the run opens the configured SQLite cache (unless `no_cache`) and closes
    it. `transport` replaces the network stack (tests, embedding programs).
    """
    # settings builds AuditOptions (defined here), so it is imported when a run starts
    from citeaudit.settings import audit_options

    catalogs = load_catalogs(
        request.files,
        as_of=request.as_of,
        input_format=request.input_format,
        warn=warn,
        exclude_path=excluded_paths(request),
    )
    # Before any probing: a run that would end by replacing its own input must not start.
    refuse_overwriting_inputs(request.outputs, [c.document.path for c in catalogs])
    groups: dict[Config, list[int]] = {}
    for i, catalog in enumerate(catalogs):
        groups.setdefault(load_config(config_start(catalog.document.path)), []).append(i)
    planned = [(audit_options(config, request), members) for config, members in groups.items()]
    opened = None
    if store is None and not request.no_cache:
        (_, first), _ = planned[0]
        target = pick_store(first.store, first.cache_path, default_cache_path())
        store = opened = open_for_run(target, warn=warn or _quiet)
    baseline = load_baseline(request.baseline) if request.baseline else None
    results: list[AuditResult | None] = [None] * len(catalogs)
    status = 0
    try:
        for (options, settings), members in planned:
            checked = check_documents(
                [catalogs[i] for i in members],
                options,
                cache=None if request.no_cache else store,
                progress=progress,
                archive_progress=archive_progress,
                transport=transport,
            )
            if baseline is not None:
                checked = apply_baseline(checked, baseline)
            status = max(status, exit_code(checked, parse_fail_on(settings.fail_on)))
            for i, result in zip(members, checked, strict=True):
                results[i] = result
    finally:
        if opened is not None:
            opened.close()
    return Outcome(tuple(r for r in results if r is not None), status)


def excluded_paths(request: CheckRequest) -> tuple[str, ...]:
    """The `exclude_path` patterns of a run: the first input's configuration's, then the flags'.

    Which files exist is decided before any document is read, so the configuration found from
    the first input (as for the cache) is the one that applies.
    """
    from citeaudit.config import merge

    config = load_config(config_start(request.files[0])) if request.files else Config()
    return merge(config, {"exclude_path": request.exclude_path}).exclude_path


def input_paths(request: CheckRequest) -> list[str]:
    """The files a run would read (`--dump-inputs`), reading none of them."""
    from citeaudit.inputs import expand_inputs

    return [item.path for item in expand_inputs(request.files, excluded_paths(request))]


def _quiet(message: str) -> None:
    return None
