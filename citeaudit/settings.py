"""Turn configuration files and command-line flags into the options of one `check` run.

Precedence is fixed and simple: a flag given on the command line wins over `citeaudit.toml` /
`[tool.citeaudit]`, which wins over the built-in defaults. This module only combines values;
`config` reads and validates the files, `cli` reads the flags.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from citeaudit.audit import AuditOptions
from citeaudit.check.archive import ArchiveOptions
from citeaudit.check.options import CheckOptions, parse_resolve
from citeaudit.check.store import StoreTarget, pick_store
from citeaudit.config import Config, merge
from citeaudit.errors import ConfigError


@dataclass(frozen=True, slots=True)
class RunSettings:
    """What the CLI itself needs besides the audit options."""

    fail_on: tuple[str, ...]
    cache_path: Path | None
    no_cache: bool
    store: str | None = None
    """The PostgreSQL store's URL; when set, `cache_path` is not used."""


def audit_options(
    config: Config, flags: Mapping[str, Any], *, fail_on: Sequence[str] = ()
) -> tuple[AuditOptions, RunSettings]:
    """Combine a loaded Config with the `check` command's flags (flags win)."""
    merged = merge(
        store_settings(config, flags),
        {
            "per_host": flags.get("per_host"),
            "concurrency": flags.get("concurrency"),
            "retries": flags.get("retries"),
            "timeout": flags.get("timeout"),
            "max_wait": flags.get("max_wait"),
            "user_agent": flags.get("user_agent"),
            "archive": flags.get("archive_mode"),
            "fail_on": list(fail_on) or None,
        },
    )
    try:
        resolve = tuple(parse_resolve(r) for r in flags.get("resolve") or ())
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
        ca_bundle=flags.get("ca_bundle"),
        allow_private=bool(flags.get("allow_private")),
        refresh=bool(flags.get("refresh")),
        first_request=flags.get("first_request") or "auto",
    )
    if flags.get("canaries"):
        check = dataclasses.replace(check, canary_hosts=tuple(flags["canaries"]))
    max_age: timedelta | None = flags.get("max_age")
    if max_age is not None:
        check = dataclasses.replace(check, max_age_alive=max_age, max_age_other=max_age)
    archive: ArchiveOptions | None = None
    if not flags.get("no_archive") and merged.archive != "none":
        archive = ArchiveOptions(mode=merged.archive)  # type: ignore[arg-type]
        if flags.get("wayback_endpoint"):
            archive = dataclasses.replace(archive, wayback_endpoint=flags["wayback_endpoint"])
        if flags.get("memento_endpoint"):
            archive = dataclasses.replace(archive, memento_endpoint=flags["memento_endpoint"])
        if archive.mode == "memento" and not archive.memento_endpoint:
            raise ConfigError("--archive memento needs --memento-endpoint URL (a TimeGate)")
    confirm = None
    if flags.get("confirm"):
        from citeaudit.history import parse_confirm

        try:
            confirm = parse_confirm(flags["confirm"])
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
    drift = None
    threshold = flags.get("drift_threshold")
    if flags.get("drift") or threshold is not None:
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
        as_of=flags.get("archive_as_of"),
    )
    return options, RunSettings(
        fail_on=merged.fail_on,
        cache_path=merged.cache,
        no_cache=bool(flags.get("no_cache")),
        store=merged.store,
    )


def store_target(config: Config, flags: Mapping[str, Any]) -> StoreTarget:
    """The store a command uses: `--store` / `--cache` flags, else the configuration's."""
    from citeaudit.check.cache import default_cache_path

    merged = store_settings(config, flags)
    return pick_store(merged.store, merged.cache, default_cache_path())


def store_settings(config: Config, flags: Mapping[str, Any]) -> Config:
    """The config with `--store URL` / `--cache FILE` applied: the one given replaces both."""
    store, cache = flags.get("store_url"), flags.get("cache_path")
    if store is not None and cache is not None:
        raise ConfigError("--store and --cache name two stores; give one")
    if store is not None:
        return merge(dataclasses.replace(config, cache=None), {"store": store})
    if cache is not None:
        return merge(dataclasses.replace(config, store=None), {"cache": cache})
    return config
