"""Turn configuration files and command-line flags into the options of one `check` run.

Precedence is fixed and simple: a flag given on the command line wins over `citeaudit.toml` /
`[tool.citeaudit]`, which wins over the built-in defaults. This module only combines values;
`config` reads and validates the files, `cli` reads the flags.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from citeaudit.audit import AuditOptions
from citeaudit.check.archive import ArchiveOptions
from citeaudit.check.options import CheckOptions, parse_resolve
from citeaudit.config import Config, merge
from citeaudit.errors import ConfigError
from citeaudit.models import ArchiveMode
from citeaudit.request import CheckRequest


@dataclass(frozen=True, slots=True)
class RunSettings:
    """What the CLI itself needs besides the audit options."""

    fail_on: tuple[str, ...]
    cache_path: Path | None
    no_cache: bool


def audit_options(config: Config, request: CheckRequest) -> tuple[AuditOptions, RunSettings]:
    """Combine a loaded Config with a run's request (what the request gives wins)."""
    merged = merge(
        config,
        {
            "per_host": request.per_host,
            "concurrency": request.concurrency,
            "retries": request.retries,
            "timeout": request.timeout,
            "max_wait": request.max_wait,
            "user_agent": request.user_agent,
            "archive": request.archive_mode,
            "cache": request.cache_path,
            "fail_on": list(request.fail_on) or None,
        },
    )
    try:
        resolve = tuple(parse_resolve(r) for r in request.resolve)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    check = CheckOptions(
        per_host=merged.per_host,
        host_limits=merged.host_limits,
        concurrency=merged.concurrency,
        retries=merged.retries,
        timeout=merged.timeout,
        max_wait=merged.max_wait,
        user_agent=merged.user_agent,
        resolve=resolve,
        ca_bundle=request.ca_bundle,
        allow_private=request.allow_private,
        refresh=request.refresh,
        first_request=request.first_request or "auto",
    )
    if request.canaries:
        check = dataclasses.replace(check, canary_hosts=request.canaries)
    max_age = request.max_age
    if max_age is not None:
        check = dataclasses.replace(check, max_age_alive=max_age, max_age_other=max_age)
    archive: ArchiveOptions | None = None
    if not request.no_archive and merged.archive != "none":
        archive = ArchiveOptions(
            mode=ArchiveMode(merged.archive),
            wayback_endpoint=request.wayback_endpoint or ArchiveOptions.wayback_endpoint,
            memento_endpoint=request.memento_endpoint,
        )
    confirm = None
    if request.confirm:
        from citeaudit.history import parse_confirm

        try:
            confirm = parse_confirm(request.confirm)
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
    drift = None
    threshold = request.drift_threshold
    if request.drift or threshold is not None:
        from citeaudit.drift import DEFAULT_DRIFT_THRESHOLD, DriftOptions

        drift = DriftOptions(threshold=DEFAULT_DRIFT_THRESHOLD if threshold is None else threshold)
    options = AuditOptions(
        check=check,
        confirm=confirm,
        drift=drift,
        archive=archive,
        exclude=merged.exclude,
        accept={host: statuses for host, statuses in merged.accept},
        outlet_aliases=dict(merged.outlet_aliases),
        outlet_kinds=dict(merged.outlet_kinds),
        as_of=request.archive_as_of,
    )
    return options, RunSettings(
        fail_on=merged.fail_on, cache_path=merged.cache, no_cache=request.no_cache
    )
