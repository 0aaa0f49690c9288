"""`corpus`: many documents, many workers, one PostgreSQL store (library: citeaudit.corpus)."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from typing import Any

import click

from citeaudit.commands.archive import (
    SaveFlags,
    archive_budget_option,
    ia_keys_option,
    save_endpoint_option,
    save_live,
    save_rate_option,
)
from citeaudit.commands.base import (
    F,
    allow_private_option,
    ca_bundle_option,
    deliver,
    emit,
    fail,
    format_option,
    friendly_errors,
    main,
    output_option,
    parse_duration,
    per_host_option,
    resolve_option,
    retries_option,
    timeout_option,
    user_agent_option,
    verbose_option,
    warn,
)
from citeaudit.report import Format

# -- corpus mode: many documents, many workers, one PostgreSQL store ----------------------

corpus_store_option = click.option(
    "--store",
    "store_url",
    required=True,
    envvar="CITEAUDIT_STORE",
    metavar="URL",
    help="The PostgreSQL store (postgresql://...) the corpus lives in [env CITEAUDIT_STORE].",
)
corpus_schedule_options = (
    click.option(
        "--max-age",
        callback=parse_duration,
        default=None,
        metavar="DURATION",
        help="Probe again what was checked longer ago than this (default 7d).",
    ),
    click.option(
        "--confirm",
        default=None,
        metavar="N:DAYS",
        help="Call a source dead after N failed checks over DAYS days; re-check failing ones "
        "DAYS/(N-1) days apart.",
    ),
)


def _schedule_options(func: F) -> F:
    for option in reversed(corpus_schedule_options):
        func = option(func)
    return func


@main.group("corpus")
def corpus_group() -> None:
    """Corpus mode: documents in a shared PostgreSQL store, checked by several workers."""


@corpus_group.command("add")
@click.argument("paths", nargs=-1, required=True)
@corpus_store_option
@format_option(["table", "json"], "table")
@friendly_errors
def corpus_add(paths: tuple[str, ...], store_url: str, fmt: str) -> None:
    """Parse documents into the store; unchanged files (same SHA-256) are not parsed again."""
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.corpus.add import add_documents

    outcome = add_documents(store_url, paths, warn=warn)
    if fmt == "json":
        emit(json.dumps(outcome.to_json(), sort_keys=True) + "\n")
    else:
        emit(
            f"{outcome.added} added, {outcome.updated} updated, {outcome.unchanged} unchanged, "
            f"{outcome.skipped} skipped; {outcome.urls} URLs\n"
        )


@corpus_group.command("work")
@corpus_store_option
@per_host_option("Most requests in flight to one host, over all workers (default 4).")
@click.option(
    "--hosts-at-once",
    type=click.IntRange(1, 1024),
    default=8,
    show_default=True,
    help="Hosts this worker probes at the same time.",
)
@timeout_option
@retries_option
@user_agent_option
@resolve_option
@ca_bundle_option
@allow_private_option
@_schedule_options
@click.option(
    "--archive/--no-archive",
    default=False,
    show_default=True,
    help="Ask the Wayback Machine about every probed URL.",
)
@click.option(
    "--wayback-endpoint", default=None, metavar="URL", help="Another Wayback-compatible archive."
)
@archive_budget_option("One archive rate budget for all workers (in the store), or one per worker.")
@click.option(
    "--heartbeat",
    type=click.FloatRange(0.1, 600),
    default=5.0,
    show_default=True,
    help="Seconds between this worker's heartbeats.",
)
@click.option(
    "--stalled-after",
    type=click.FloatRange(0.2, 3600),
    default=30.0,
    show_default=True,
    help="A worker silent this long is dead; its hosts go to the others.",
)
@click.option(
    "--poll",
    type=click.FloatRange(0.05, 600),
    default=1.0,
    show_default=True,
    help="Seconds between looks at the schedule and at stalled jobs.",
)
@click.option(
    "--forever",
    is_flag=True,
    help="Keep working as URLs fall due instead of stopping when nothing is due.",
)
@click.option("--quiet", "-q", is_flag=True, help="No closing line.")
@friendly_errors
def corpus_work(store_url: str, quiet: bool, **options: Any) -> None:
    """Run one worker: take one host at a time, probe its due URLs, commit every verdict."""
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.corpus.options import work_options
    from citeaudit.corpus.work import work

    summary = work(store_url, work_options(**options))
    if not quiet:
        click.echo(
            f"worker done: {summary.probed} URLs probed on {summary.hosts} hosts "
            f"({summary.stalled_retried} stalled host jobs taken over"
            + (
                f", {summary.held_elsewhere} left to a worker still probing the host)"
                if summary.held_elsewhere
                else ")"
            ),
            err=True,
        )
    if summary.failed:
        fail(f"host jobs failed on {', '.join(summary.failed)}; their URLs are still due", 1)


@corpus_group.command("status")
@corpus_store_option
@_schedule_options
@format_option(["table", "json"], "table")
@friendly_errors
def corpus_status_command(
    store_url: str, max_age: timedelta | None, confirm: str | None, fmt: str
) -> None:
    """Progress: documents, URLs due and done, verdicts, host jobs, workers alive."""
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.corpus.options import schedule_of
    from citeaudit.corpus.status import corpus_status, render_status

    status = corpus_status(store_url, schedule_of(max_age, confirm))
    if fmt == "json":
        emit(json.dumps(status.to_json(), sort_keys=True) + "\n")
    else:
        emit(render_status(status))


@corpus_group.command("report")
@corpus_store_option
@click.option(
    "--document",
    "documents",
    multiple=True,
    metavar="PATH",
    help="Only this document (repeatable; default: every document).",
)
@format_option([f.value for f in Format], "table", "Report format.")
@output_option
@click.option(
    "--confirm",
    default=None,
    metavar="N:DAYS",
    help="Call a source dead only after N failed checks over DAYS days.",
)
@verbose_option
@friendly_errors
def corpus_report(
    store_url: str,
    documents: tuple[str, ...],
    fmt: str,
    output: str | None,
    confirm: str | None,
    verbose: bool,
) -> None:
    """Render every document's report from the stored verdicts, without the network."""
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.corpus.options import schedule_of
    from citeaudit.corpus.report import corpus_results

    policy = schedule_of(None, confirm).confirm
    results = corpus_results(store_url, documents=documents, policy=policy)
    inputs = [r.catalog.document.path for r in results]
    deliver(results, fmt, output, inputs=inputs, verbose=verbose)


@corpus_group.command("archive")
@corpus_store_option
@ia_keys_option
@save_endpoint_option
@save_rate_option
@archive_budget_option(
    "One Save Page Now budget for every process using the store (kept in it), or this "
    "process's own."
)
@resolve_option
@friendly_errors
def corpus_archive(
    store_url: str,
    ia_keys: str | None,
    save_endpoint: str | None,
    save_rate: float | None,
    archive_budget: str,
    resolve: tuple[str, ...],
) -> None:
    """Ask Save Page Now to capture every corpus URL last seen live that has no capture yet."""
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.check.store_pg import PostgresStore
    from citeaudit.corpus.save import live_urls

    urls = live_urls(store_url)
    flags = SaveFlags(ia_keys, save_endpoint, save_rate, archive_budget, resolve)
    with PostgresStore(store_url) as store:
        code = save_live(urls, store, shared_store=store_url, flags=flags)
    sys.exit(code)
