"""Check every URL of every catalog once, then score each document on its own."""

from __future__ import annotations

import dataclasses
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from citeaudit.audit.options import AuditOptions, store_key
from citeaudit.audit.prepare import apply_outlet_aliases, without_ignored
from citeaudit.audit.probing import ClockedStore, probe_plan
from citeaudit.check.eventloop import run_sync
from citeaudit.check.runner import CheckRun
from citeaudit.check.urlplan import (
    OFFLINE_NOTICE,
    as_cited,
    local_verdicts,
    plan_urls,
    with_fragments,
    with_https_findings,
)
from citeaudit.documents.gcpolicy import rare_collections
from citeaudit.evidence.history import confirm
from citeaudit.judge.acceptance import apply_accept
from citeaudit.judge.hints import hints
from citeaudit.judge.score import build_result
from citeaudit.models import AuditResult, Catalog, RunFacts, Verdict


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
    started = time.monotonic()
    now = options.now or datetime.now(UTC)
    if options.now is not None and cache is not None:
        cache = ClockedStore(cache, options.now)
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
        run, probed, archive_stats, extra = await probe_plan(
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
    if options.archive is None:
        # --no-archive: a snapshot a stored verdict still carries is no answer this run asked
        # for, and the reports have no archive column to show it in
        probed = {
            u: dataclasses.replace(v, archive=None) if v.archive else v for u, v in probed.items()
        }
    if options.confirm is not None:
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


def check_documents(
    catalogs: Sequence[Catalog], options: AuditOptions, **kwargs: Any
) -> list[AuditResult]:
    """Synchronous `check_catalogs`."""
    # the parsed catalogs live until the run ends: no collection needs to walk them again
    with rare_collections(freeze=True):
        return run_sync(check_catalogs(catalogs, options, **kwargs))
