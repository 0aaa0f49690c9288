"""`run`: one audit from a request: read the documents and their configuration, check, apply
the baseline, decide the exit status.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from citeaudit.audit.catalogs import check_documents
from citeaudit.audit.request import CheckRequest
from citeaudit.audit.settings import audit_options
from citeaudit.check.cache import default_cache_path
from citeaudit.check.store import open_for_run, pick_store
from citeaudit.config import Config, load_config, merge
from citeaudit.documents import load_catalogs
from citeaudit.documents.inputs import config_start, expand_inputs
from citeaudit.evidence.baseline import apply_baseline, load_baseline
from citeaudit.judge.policy import exit_code, parse_fail_on
from citeaudit.models import AuditResult
from citeaudit.report.files import refuse_overwriting_inputs


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
    # each document's configuration, read once: it decides both how the document is read
    # (HTML relative links under a base URL) and how it is checked
    config_at = functools.cache(load_config)

    def config_of(path: str) -> Config:
        return config_at(config_start(path))

    catalogs = load_catalogs(
        request.files,
        as_of=request.as_of,
        input_format=request.input_format,
        warn=warn,
        exclude_path=excluded_paths(request),
        site_links=lambda path: has_base_url(request, config_of(path)),
    )
    # Before any probing: a run that would end by replacing its own input must not start.
    refuse_overwriting_inputs(request.outputs, [c.document.path for c in catalogs])
    groups: dict[Config, list[int]] = {}
    for i, catalog in enumerate(catalogs):
        groups.setdefault(config_of(catalog.document.path), []).append(i)
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

    config = load_config(config_start(request.files[0])) if request.files else Config()
    return merge(config, {"exclude_path": request.exclude_path}).exclude_path


def has_base_url(request: CheckRequest, config: Config) -> bool:
    """Whether a document's run has a `--base-url` (the flag, or `base_url` in the document's
    configuration), so its HTML relative links are sources to resolve against it."""
    return bool(request.base_url) or config.base_url is not None


def input_paths(request: CheckRequest) -> list[str]:
    """The files a run would read (`--dump-inputs`), reading none of them."""
    return [item.path for item in expand_inputs(request.files, excluded_paths(request))]


def _quiet(message: str) -> None:
    return None
