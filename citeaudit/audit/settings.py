"""Turn configuration files and command-line flags into the options of one `check` run.

Precedence is fixed and simple: a flag given on the command line wins over `citeaudit.toml` /
`[tool.citeaudit]`, which wins over the built-in defaults. This module only combines values;
`config` reads and validates the files, `cli` reads the flags.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citeaudit.audit.options import AuditOptions
from citeaudit.audit.request import CheckRequest
from citeaudit.catalog.remap import parse_remap
from citeaudit.check.archive import ArchiveOptions
from citeaudit.check.cache import default_cache_path
from citeaudit.check.cookies import load_cookie_jar
from citeaudit.check.options import CheckOptions, parse_resolve
from citeaudit.check.store import StoreTarget, pick_store
from citeaudit.config import Config, merge
from citeaudit.config.values import display
from citeaudit.errors import ConfigError
from citeaudit.evidence.history import parse_confirm
from citeaudit.judge.acceptance import status_ranges
from citeaudit.models import ArchiveMode


@dataclass(frozen=True, slots=True)
class RunSettings:
    """What the CLI itself needs besides the audit options."""

    fail_on: tuple[str, ...]
    cache_path: Path | None
    no_cache: bool
    store: str | None = None
    """The PostgreSQL store's URL; when set, `cache_path` is not used."""


def audit_options(config: Config, request: CheckRequest) -> tuple[AuditOptions, RunSettings]:
    """Combine a loaded Config with a run's request (what the request gives wins)."""
    merged = merge(
        store_settings(config, request.store_url, request.cache_path),
        {
            "per_host": request.per_host,
            "concurrency": request.concurrency,
            "retries": request.retries,
            "timeout": request.timeout,
            "max_wait": request.max_wait,
            "user_agent": request.user_agent,
            "archive": request.archive_mode,
            "fail_on": list(request.fail_on) or None,
            "exclude": request.exclude,
            "include": request.include,
            "exclude_path": request.exclude_path,
            "accept": request.accept,
            "max_redirects": request.max_redirects,
            "header": request.header,
            "remap": request.remap,
            "base_url": request.base_url,
            "offline": request.offline or None,
            "include_fragments": request.include_fragments or None,
            "require_https": request.require_https or None,
            "github_token": request.github_token,
            "cookie_jar": request.cookie_jar,
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
        max_redirects=merged.max_redirects,
        headers=merged.header,
        github_token=merged.github_token,
        cookies=_cookies(merged.cookie_jar, None if request.cookie_jar else merged.source),
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
        try:
            confirm = parse_confirm(request.confirm)
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
    drift = None
    threshold = request.drift_threshold
    if request.drift or threshold is not None:
        # deferred: drift reads pages with BeautifulSoup, whose import costs ~0.16 s that a run
        # without --drift should not pay.
        from citeaudit.evidence.drift import DEFAULT_DRIFT_THRESHOLD, DriftOptions

        drift = DriftOptions(threshold=DEFAULT_DRIFT_THRESHOLD if threshold is None else threshold)
    options = AuditOptions(
        check=check,
        confirm=confirm,
        drift=drift,
        archive=archive,
        exclude=merged.exclude,
        include=merged.include,
        accept={host: statuses for host, statuses in merged.accept},
        outlet_aliases=dict(merged.outlet_aliases),
        outlet_kinds=dict(merged.outlet_kinds),
        as_of=request.archive_as_of,
        settings=echo(merged, check),
        remap=tuple(parse_remap(rule) for rule in merged.remap),
        base_url=merged.base_url,
        offline=merged.offline,
        include_fragments=merged.include_fragments,
        require_https=merged.require_https,
    )
    return options, RunSettings(
        fail_on=merged.fail_on,
        cache_path=merged.cache,
        no_cache=request.no_cache,
        store=merged.store,
    )


def echo(merged: Config, check: CheckOptions) -> dict[str, Any]:
    """The run's settings for the JSON report, each under its one name; header values left out.

    Header values may be credentials, so only their names are written.
    """
    return {
        "exclude": list(merged.exclude),
        "include": list(merged.include),
        "exclude_path": list(merged.exclude_path),
        "accept": {host: status_ranges(statuses) for host, statuses in merged.accept},
        "max_redirects": merged.max_redirects,
        "header": [name for name, _ in merged.header],
        "remap": list(merged.remap),
        "base_url": merged.base_url,
        "offline": merged.offline,
        "include_fragments": merged.include_fragments,
        "require_https": merged.require_https,
        # whether one was given, never the token itself
        "github_token": merged.github_token is not None,
        "cookie_jar": merged.cookie_jar,  # the file's name: its cookies are credentials
        "per_host": merged.per_host,
        "concurrency": merged.concurrency,
        "retries": merged.retries,
        "timeout": merged.timeout,
        "max_wait": merged.max_wait,
        "user_agent": check.agent,
        "first_request": check.first_request,
        "config": None if merged.source is None else str(merged.source),
        # where `exclude` patterns beyond the config's came from, as `config` says for the rest
        "ignore_file": None if merged.ignore_file is None else str(merged.ignore_file),
    }


def _cookies(path: str | None, source: Path | None) -> tuple[Any, ...]:
    """The jar's cookies; a bad file is named by where it was given (the flag, or the key)."""
    if path is None:
        return ()
    try:
        return load_cookie_jar(path)
    except ValueError as exc:
        given = "--cookie-jar" if source is None else f"{display(source)}: 'cookie_jar'"
        raise ConfigError(f"{given}: {exc}") from None


def store_target(config: Config, store_url: str | None, cache_path: str | None) -> StoreTarget:
    """The store a command uses: `--store` / `--cache` flags, else the configuration's."""
    merged = store_settings(config, store_url, cache_path)
    return pick_store(merged.store, merged.cache, default_cache_path())


def store_settings(config: Config, store: str | None, cache: str | None) -> Config:
    """The config with `--store URL` / `--cache FILE` applied: the one given replaces both."""
    if store is not None and cache is not None:
        raise ConfigError("--store and --cache name two stores; give one")
    if store is not None:
        return merge(dataclasses.replace(config, cache=None), {"store": store})
    if cache is not None:
        return merge(dataclasses.replace(config, store=None), {"cache": cache})
    return config
