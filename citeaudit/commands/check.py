"""`check`: options into a CheckRequest, the run to the library, the outcome rendered."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from citeaudit.commands.base import (
    allow_private_option,
    ca_bundle_option,
    cache_option,
    date_option,
    emit,
    emit_report,
    friendly_errors,
    input_format_option,
    layout,
    main,
    parse_date,
    parse_duration,
    per_host_option,
    resolve_option,
    retries_option,
    store_option,
    timeout_option,
    user_agent_option,
    verbose_option,
    warn,
)
from citeaudit.judge.policy import FailOn
from citeaudit.models import ArchiveMode
from citeaudit.report import Format, default_format, parse_output, render, write_atomic


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in Format]),
    default=None,
    help="Report format on stdout (default: table; github inside GitHub Actions).",
)
@click.option(
    "--output",
    "-o",
    "outputs",
    multiple=True,
    metavar="[FORMAT=]PATH",
    help="Write a report to PATH (atomically); FORMAT=PATH picks its format. Repeatable.",
)
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    type=click.Choice([f.value for f in FailOn]),
    help="Exit 1 when any of these is found (default: lost). Repeatable.",
)
@per_host_option()
@click.option(
    "--concurrency",
    type=click.IntRange(1, 1024),
    default=None,
    help="Most requests in flight overall (default: per-host cap x hosts, at most 256).",
)
@retries_option
@timeout_option
@click.option(
    "--max-wait",
    type=click.FloatRange(0.1, 86400),
    default=None,
    help="Longest Retry-After slept, in seconds; asked for more, the URL is blocked (default 30).",
)
@user_agent_option
@resolve_option
@ca_bundle_option
@allow_private_option
@click.option(
    "--canary",
    "canaries",
    multiple=True,
    metavar="HOST",
    help="Stable names that must resolve before anything is called dead. Repeatable.",
)
@cache_option
@store_option
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache or store.")
@click.option(
    "--max-age",
    callback=parse_duration,
    default=None,
    metavar="DURATION",
    help="Reuse cached verdicts younger than this (default 7d alive, 1d other).",
)
@click.option("--refresh", is_flag=True, help="Probe everything again, ignoring cached verdicts.")
@click.option(
    "--first-request",
    type=click.Choice(["auto", "head", "get"]),
    default=None,
    help="Request that opens each probe: head, get, or auto (default: HEAD first until a "
    "host's pages prove to need the GET anyway).",
)
@click.option(
    "--archive",
    "archive_mode",
    type=click.Choice([m.value for m in ArchiveMode]),
    default=None,
    help="Which web archive to ask for snapshots (default wayback).",
)
@click.option("--no-archive", is_flag=True, help="Skip archive lookups.")
@click.option(
    "--wayback-endpoint",
    default=None,
    metavar="URL",
    help="Internet Archive base URL (default https://web.archive.org).",
)
@click.option(
    "--memento-endpoint",
    default=None,
    metavar="URL",
    help="Memento aggregator (TimeGate) base URL, for --archive memento.",
)
@click.option(
    "--as-of",
    "archive_as_of",
    callback=parse_date,
    metavar="YYYY-MM-DD",
    help="Ask archives for captures closest to this date (default: document date).",
)
@click.option(
    "--confirm",
    "confirm",
    default=None,
    metavar="N:DAYS",
    help="Call a source dead only after N failed checks over DAYS days (default 1:0).",
)
@click.option(
    "--baseline",
    "baseline",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    metavar="REPORT.json|LEDGER.jsonl",
    help="Fail only on problems this saved report or ledger did not already know.",
)
@click.option(
    "--drift",
    "drift",
    is_flag=True,
    help="Compare live pages with their captures and look for quoted words.",
)
@click.option(
    "--drift-threshold",
    "drift_threshold",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Similarity under which a live page is 'drifted' (default 0.5; implies --drift).",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="PATTERN",
    help="Never probe URLs matching this glob or re:REGEX (added to the config's). Repeatable.",
)
@click.option(
    "--include",
    multiple=True,
    metavar="PATTERN",
    help="Probe only URLs matching this glob or re:REGEX; beats --exclude. Repeatable.",
)
@click.option(
    "--exclude-path",
    multiple=True,
    metavar="PATTERN",
    help="Never read input files matching this gitignore-style glob or re:REGEX. Repeatable.",
)
@click.option(
    "--accept",
    multiple=True,
    metavar="[HOST=]STATUSES",
    help="Statuses treated as alive: 200..=299,403 replaces the default for every host (as in "
    "lychee); x.com=403 adds for one host. Repeatable.",
)
@click.option(
    "--max-redirects",
    type=click.IntRange(0, 100),
    default=None,
    help="Redirects followed before a URL is an error (default 10).",
)
@click.option(
    "--header",
    multiple=True,
    metavar="'NAME: VALUE'",
    help="Request header sent with every probe (never to archives). Repeatable.",
)
@click.option("--dump-inputs", is_flag=True, help="List the files the run would read, and stop.")
@click.option(
    "--remap",
    multiple=True,
    metavar="'PATTERN REPLACEMENT'",
    help="Probe another URL for matching ones: a prefix, or re:REGEX with $1 groups. Repeatable.",
)
@click.option(
    "--base-url",
    default=None,
    metavar="URL|FOLDER",
    help="Resolve relative links against this address (probed) or site root folder (on disk).",
)
@click.option(
    "--offline",
    is_flag=True,
    help="Probe nothing: check local files and the catalog only; web links are skipped.",
)
@click.option(
    "--include-fragments",
    is_flag=True,
    help="Check that page#section names an anchor (or #:~:text= text) the page has.",
)
@click.option(
    "--github-token",
    envvar="GITHUB_TOKEN",
    default=None,
    metavar="TOKEN",
    help="Token sent to github.com and api.github.com only [env GITHUB_TOKEN]; never written.",
)
@click.option(
    "--cookie-jar",
    default=None,
    metavar="FILE",
    help="Send the cookies of this Netscape cookies.txt file (read, never written).",
)
@click.option(
    "--require-https",
    is_flag=True,
    help="Flag http:// links whose site answers on https.",
)
@date_option
@input_format_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no hints, no closing line.")
@verbose_option
@friendly_errors
def check(
    files: tuple[str, ...],
    fmt: str | None,
    outputs: tuple[str, ...],
    quiet: bool,
    verbose: bool,
    **options: Any,
) -> None:
    """Check every source of FILES: probe each URL once, ask web archives, score the claims."""
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.audit import input_paths, run
    from citeaudit.audit.request import CheckRequest
    from citeaudit.report.common import closing_line

    stdout_format = Format(fmt) if fmt else default_format(os.environ)
    targets = [_output_spec(spec, stdout_format) for spec in outputs]
    request = CheckRequest(files=files, outputs=tuple(path for _, path in targets), **options)
    if request.dump_inputs:
        emit("".join(f"{path}\n" for path in input_paths(request)))
        return
    progress = None if quiet else _progress_reporter()
    with progress or _nullcontext():
        outcome = run(
            request,
            progress=progress.update if progress else None,
            archive_progress=progress.note if progress else None,
            warn=warn,
        )
    results = list(outcome.results)
    inputs = [r.catalog.document.path for r in results]
    for out_format, path in targets:
        write_atomic(path, render(results, out_format), inputs=inputs)
    # -o writes besides the terminal report, never instead of it
    full = next((path for f, path in targets if f is Format.HTML), None)
    # the layout is the terminal table's (importing it loads rich): other formats ignore it
    shown = layout(verbose, quiet, full) if stdout_format is Format.TABLE else None
    emit_report(results, stdout_format, shown)
    if not quiet and stdout_format != Format.TABLE:
        for result in results:
            for hint in result.hints:
                click.echo(f"hint: {hint}", err=True)
    if not quiet:
        click.echo(closing_line(results), err=True)
    sys.exit(outcome.status)


def _output_spec(spec: str, fallback: Format) -> tuple[Format, str]:
    """`FORMAT=PATH`, or a bare PATH whose format comes from its suffix (else `fallback`)."""
    if "=" in spec.split("/")[0]:
        return parse_output(spec)
    by_suffix = {
        ".json": Format.JSON,
        ".md": Format.MARKDOWN,
        ".sarif": Format.SARIF,
        ".xml": Format.JUNIT,
        ".html": Format.HTML,
        ".txt": Format.TABLE,
    }
    return by_suffix.get(Path(spec).suffix.lower(), fallback), spec


class _nullcontext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _progress_reporter() -> Any:
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.commands.progress import ProgressReporter

    return ProgressReporter.for_stderr()
