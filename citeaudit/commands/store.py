"""`cache`, `history`, `ledger`: the verdict store (SQLite file or PostgreSQL)."""

from __future__ import annotations

import json

import click

from citeaudit.commands.base import (
    cache_option,
    emit,
    format_option,
    friendly_errors,
    main,
    open_store_for,
    store_option,
    store_target_for,
)


@main.group()
def cache() -> None:
    """Inspect or clear the verdict cache (or the PostgreSQL store)."""


@cache.command("info")
@cache_option
@store_option
@friendly_errors
def cache_info(cache_path: str | None, store_url: str | None) -> None:
    """Where the cache is, how big, how many URLs and probes it holds."""
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.check.store import open_store, store_exists

    target = store_target_for(cache_path, store_url)
    if not store_exists(target):
        click.echo(f"path: {target.display}\nno cache yet")
        return
    with open_store(target) as store:
        for key, value in store.info().items():
            click.echo(f"{key}: {value}")


@cache.command("clear")
@cache_option
@store_option
@friendly_errors
def cache_clear(cache_path: str | None, store_url: str | None) -> None:
    """Remove every cached verdict, host probe and archive lookup."""
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.check.store import open_store, store_exists

    target = store_target_for(cache_path, store_url)
    if not store_exists(target):
        click.echo(f"{target.display}: no cache, nothing to clear")
        return
    with open_store(target) as store:
        removed = store.clear()
    click.echo(f"{target.display}: removed {removed} entries")


@main.command("history")
@click.argument("url", type=str)
@cache_option
@store_option
@format_option(["text", "json"], "text")
@friendly_errors
def history_command(url: str, cache_path: str | None, store_url: str | None, fmt: str) -> None:
    """Show the timeline of one source: every probe and capture the store holds."""
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.audit import store_key
    from citeaudit.evidence.history import timeline

    with open_store_for(cache_path, store_url) as store:
        key, probes = url, store.history(url)
        if not probes:  # the store files probes under the dedupe key
            key = store_key(url)
            probes = store.history(key)
        rows = timeline(probes)
        captures = [
            (as_of.isoformat(), snap.url) for as_of, snap in store.archive_history(key) if snap.url
        ]
    if fmt == "json":
        emit(json.dumps({"url": key, "probes": rows, "captures": captures}, indent=2) + "\n")
        return
    if not rows and not captures:
        click.echo(f"{key}: no history in the store (run `citeaudit check` first)")
        return
    click.echo(key)
    for row in rows:
        extra = f" -> {row['final_url']}" if row["final_url"] and row["final_url"] != key else ""
        capture = f" [capture {row['capture']}]" if row["capture"] else ""
        changed = " [text changed]" if row["changed"] else ""
        click.echo(
            f"  {row['checked_at']}  {row['verdict']:<10} {row['status'] or '-'}"
            f"{extra}{capture}{changed}  {row['reason']}"
        )
    for as_of, capture_url in captures:
        click.echo(f"  capture for {as_of}: {capture_url}")


@main.group()
def ledger() -> None:
    """Export or import the evidence ledger (the store's history as JSON Lines)."""


@ledger.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@cache_option
@store_option
@friendly_errors
def ledger_export(file: str, cache_path: str | None, store_url: str | None) -> None:
    """Write every probe and archive lookup to FILE, sorted and stable (commit it to git)."""
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.evidence.ledger import export_ledger

    with open_store_for(cache_path, store_url) as store:
        count = export_ledger(store, file)
    click.echo(f"{file}: {count} records")


@ledger.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@cache_option
@store_option
@friendly_errors
def ledger_import(file: str, cache_path: str | None, store_url: str | None) -> None:
    """Merge the ledger FILE into the store; records already known are skipped."""
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.evidence.ledger import import_ledger

    with open_store_for(cache_path, store_url) as store:
        stats = import_ledger(store, file)
    click.echo(
        f"{file}: {stats.probes_added} probes added, {stats.probes_known} already known; "
        f"{stats.archives_added} archive lookups added, {stats.archives_known} already known"
    )
