"""`archive`: ask Save Page Now to capture live sources that have no capture."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import click

from citeaudit.commands.base import (
    cache_option,
    date_option,
    friendly_errors,
    input_format_option,
    main,
    resolve_option,
    store_option,
    store_target_for,
)
from citeaudit.errors import ConfigError

ia_keys_option = click.option(
    "--ia-keys",
    "ia_keys",
    default=None,
    metavar="ACCESS:SECRET",
    help="Internet Archive S3 keys: 12 captures a minute instead of 4 "
    "(default: IA_ACCESS_KEY / IA_SECRET_KEY).",
)
save_endpoint_option = click.option(
    "--save-endpoint",
    default=None,
    metavar="URL",
    help="Save Page Now base URL (default https://web.archive.org).",
)

save_rate_option = click.option(
    "--save-rate",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="PER_MINUTE",
    help="Captures asked a minute (default: Save Page Now's limits, 4, or 12 with keys).",
)


@dataclass(frozen=True, slots=True)
class SaveFlags:
    """The Save Page Now options `archive` and `corpus archive` share, as click hands them."""

    ia_keys: str | None
    save_endpoint: str | None
    save_rate: float | None
    archive_budget: str
    resolve: tuple[str, ...]


def archive_budget_option(help: str) -> Any:
    """`--archive-budget shared|worker`: one archive rate budget in the store, or this process's."""
    return click.option(
        "--archive-budget",
        type=click.Choice(["shared", "worker"]),
        default="shared",
        show_default=True,
        help=help,
    )


@main.command("archive")
@click.argument("file", type=str)
@cache_option
@store_option
@ia_keys_option
@save_endpoint_option
@save_rate_option
@archive_budget_option(
    "With a PostgreSQL store: one Save Page Now budget for every process using the store "
    "(kept in it), or this process's own."
)
@resolve_option
@date_option
@input_format_option
@friendly_errors
def archive_command(
    file: str,
    cache_path: str | None,
    store_url: str | None,
    ia_keys: str | None,
    save_endpoint: str | None,
    save_rate: float | None,
    archive_budget: str,
    resolve: tuple[str, ...],
    as_of: date | None,
    input_format: str | None,
) -> None:
    """Ask Save Page Now to capture every live source of FILE that has no capture yet."""
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.check.store import StoreKind, open_store
    from citeaudit.documents import load_catalog

    catalog = load_catalog(file, as_of=as_of, input_format=input_format)
    urls = list(dict.fromkeys(s.url for _, s in catalog.sources() if s.checkable))
    target = store_target_for(cache_path, store_url)
    shared = target.location if target.kind is StoreKind.POSTGRESQL else None
    flags = SaveFlags(ia_keys, save_endpoint, save_rate, archive_budget, resolve)
    with open_store(target) as store:
        code = save_live(urls, store, shared_store=shared, flags=flags)
    sys.exit(code)


def save_live(
    urls: Sequence[str], store: Any, *, shared_store: str | None, flags: SaveFlags
) -> int:
    """Capture the live uncaptured `urls` of `store`, print what was done; the exit status.

    `shared_store`: the PostgreSQL store whose `archive:save` budget paces the captures
    (`--archive-budget shared`), so processes behind one address keep to one limit together,
    and whose advisory locks keep them from asking twice for one URL (in either budget mode).
    """
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.check import make_client
    from citeaudit.check.eventloop import run_sync
    from citeaudit.check.options import CheckOptions, parse_resolve
    from citeaudit.check.savepagenow import (
        DEFAULT_ENDPOINT,
        SaveOptions,
        SavePageNow,
        archive_live,
        keys_from,
    )
    from citeaudit.corpus.budget import BudgetMode, save_budget
    from citeaudit.corpus.save import capture_claims

    try:
        keys = keys_from(flags.ia_keys)
        mapping = tuple(parse_resolve(r) for r in flags.resolve)
        endpoint = flags.save_endpoint or DEFAULT_ENDPOINT
        options = SaveOptions(endpoint=endpoint, keys=keys, rate=flags.save_rate)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    mode = BudgetMode(flags.archive_budget)
    how = "authenticated" if keys else "anonymous"
    if flags.save_rate is not None:
        how += ", --save-rate"
    if shared_store is not None and mode is BudgetMode.SHARED:
        how += ", one budget for every process on the store"
    click.echo(
        f"Save Page Now at {options.endpoint}: {options.per_minute:g} captures a minute ({how})",
        err=True,
    )

    async def run(bucket: Any, claim: Any) -> list[Any]:
        async with make_client(CheckOptions(resolve=mapping, timeout=60.0)) as client:
            saver = SavePageNow(client, options, bucket=bucket)
            return await archive_live(
                urls, store, saver, progress=lambda m: click.echo(m, err=True), claim=claim
            )

    with (
        save_budget(shared_store, mode, options.per_minute) as bucket,
        capture_claims(shared_store) as claim,
    ):
        outcomes = run_sync(run(bucket, claim))
    counts = Counter(outcome.action for outcome in outcomes)
    click.echo(", ".join(f"{n} {action.replace('_', ' ')}" for action, n in sorted(counts.items())))
    if counts.get("not_checked"):
        click.echo(
            "hint: run `citeaudit check` first: unchecked sources are not archived", err=True
        )
    return 1 if counts.get("failed") else 0
