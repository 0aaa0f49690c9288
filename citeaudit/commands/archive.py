"""`archive`: ask Save Page Now to capture live sources that have no capture."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

import click

from citeaudit.commands.base import (
    cache_option,
    date_option,
    friendly_errors,
    input_format_option,
    main,
    open_store_for,
    resolve_option,
    store_option,
)


@main.command("archive")
@click.argument("file", type=str)
@cache_option
@store_option
@click.option(
    "--ia-keys",
    "ia_keys",
    default=None,
    metavar="ACCESS:SECRET",
    help="Internet Archive S3 keys: 12 captures a minute instead of 4 "
    "(default: IA_ACCESS_KEY / IA_SECRET_KEY).",
)
@click.option(
    "--save-endpoint",
    default=None,
    metavar="URL",
    help="Save Page Now base URL (default https://web.archive.org).",
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
    resolve: tuple[str, ...],
    as_of: date | None,
    input_format: str | None,
) -> None:
    """Ask Save Page Now to capture every live source of FILE that has no capture yet."""
    import asyncio
    from collections import Counter

    from citeaudit.check import make_client
    from citeaudit.check.options import CheckOptions, parse_resolve
    from citeaudit.check.savepagenow import (
        DEFAULT_ENDPOINT,
        SaveOptions,
        SavePageNow,
        archive_live,
        keys_from,
    )
    from citeaudit.documents import load_catalog

    try:
        keys = keys_from(ia_keys)
        mapping = tuple(parse_resolve(r) for r in resolve)
    except ValueError as exc:
        from citeaudit.errors import ConfigError

        raise ConfigError(str(exc)) from None
    catalog = load_catalog(file, as_of=as_of, input_format=input_format)
    urls = list(dict.fromkeys(s.url for _, s in catalog.sources() if s.checkable))
    options = SaveOptions(endpoint=save_endpoint or DEFAULT_ENDPOINT, keys=keys)
    click.echo(
        f"Save Page Now at {options.endpoint}: {options.per_minute} captures a minute "
        f"({'authenticated' if keys else 'anonymous'})",
        err=True,
    )

    async def run(store: Any) -> list[Any]:
        async with make_client(CheckOptions(resolve=mapping, timeout=60.0)) as client:
            saver = SavePageNow(client, options)
            return await archive_live(
                urls, store, saver, progress=lambda m: click.echo(m, err=True)
            )

    with open_store_for(cache_path, store_url) as store:
        outcomes = asyncio.run(run(store))
    counts = Counter(outcome.action for outcome in outcomes)
    click.echo(", ".join(f"{n} {action.replace('_', ' ')}" for action, n in sorted(counts.items())))
    if counts.get("not_checked"):
        click.echo(
            "hint: run `citeaudit check` first: unchecked sources are not archived", err=True
        )
    sys.exit(1 if counts.get("failed") else 0)
