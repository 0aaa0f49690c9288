"""Turn the `corpus` commands' plain option values into typed options (one-line errors)."""

from __future__ import annotations

from datetime import timedelta

from citeaudit.check import CheckOptions, parse_resolve
from citeaudit.check.archive import ArchiveOptions
from citeaudit.corpus.budget import BudgetMode
from citeaudit.corpus.due import Schedule
from citeaudit.corpus.work import WorkOptions
from citeaudit.errors import ConfigError
from citeaudit.evidence.history import Confirm, parse_confirm

DEFAULT_MAX_AGE = timedelta(days=7)


def schedule_of(max_age: timedelta | None, confirm: str | None) -> Schedule:
    """The re-check schedule of `--max-age` and `--confirm N:DAYS`."""
    try:
        policy = parse_confirm(confirm) if confirm else Confirm()
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return Schedule(max_age=max_age if max_age is not None else DEFAULT_MAX_AGE, confirm=policy)


def work_options(
    *,
    per_host: int | None = None,
    hosts_at_once: int = 8,
    timeout: float | None = None,
    retries: int | None = None,
    user_agent: str | None = None,
    resolve: tuple[str, ...] = (),
    ca_bundle: str | None = None,
    allow_private: bool = False,
    max_age: timedelta | None = None,
    confirm: str | None = None,
    archive: bool = False,
    wayback_endpoint: str | None = None,
    archive_budget: str = "shared",
    heartbeat: float = 5.0,
    stalled_after: float = 30.0,
    poll: float = 1.0,
    forever: bool = False,
) -> WorkOptions:
    """The options of one `corpus work`; ConfigError (one line) when a value cannot work."""
    try:
        mapping = tuple(parse_resolve(r) for r in resolve)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    if stalled_after <= heartbeat:
        raise ConfigError(
            f"--stalled-after {stalled_after:g} must be longer than --heartbeat {heartbeat:g}"
        )
    base = CheckOptions()
    check = CheckOptions(
        per_host=per_host or base.per_host,
        timeout=timeout if timeout is not None else base.timeout,
        retries=retries if retries is not None else base.retries,
        user_agent=user_agent,
        resolve=mapping,
        ca_bundle=ca_bundle,
        allow_private=allow_private,
        refresh=True,
    )
    archive_options = None
    if archive:
        archive_options = ArchiveOptions(
            wayback_endpoint=wayback_endpoint or ArchiveOptions().wayback_endpoint
        )
    return WorkOptions(
        check=check,
        schedule=schedule_of(max_age, confirm),
        archive=archive_options,
        archive_budget=BudgetMode(archive_budget),
        hosts_at_once=hosts_at_once,
        heartbeat=heartbeat,
        stalled_after=stalled_after,
        poll=poll,
        forever=forever,
    )
