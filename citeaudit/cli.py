"""Command line: parse options, call the library, render, map errors to exit codes. No logic.

Exit codes: 0 clean, 1 findings that `--fail-on` names, 2 usage or input errors. Errors are one
line on stderr, never a traceback.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.exceptions import NoArgsIsHelpError

from citeaudit import __version__
from citeaudit.errors import CiteauditError
from citeaudit.models import ArchiveMode
from citeaudit.policy import FailOn
from citeaudit.report import Format, write_atomic

if TYPE_CHECKING:
    from citeaudit.check.store import Store, StoreTarget

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"citeaudit: error: {message}", err=True)
    sys.exit(code)


def friendly_errors(func: F) -> F:
    """Turn citeaudit's own errors (and broken pipes) into one line and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CiteauditError as exc:
            _fail(str(exc))
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except Exception as exc:  # a bug in citeaudit: one line, the traceback on request
            if os.environ.get("CITEAUDIT_DEBUG"):
                raise
            _fail(
                f"internal error: {type(exc).__name__}: {exc} (set CITEAUDIT_DEBUG=1 for details)",
                3,
            )

    return wrapper  # type: ignore[return-value]


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _emit(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


date_option = click.option(
    "--date",
    "as_of",
    callback=_parse_date,
    metavar="YYYY-MM-DD",
    help="The document's date (overrides the one found near its top).",
)
input_format_option = click.option(
    "--input-format",
    type=click.Choice(["text", "markdown", "html", "docx", "pdf"]),
    default=None,
    help="Read the document as this format instead of detecting it.",
)


class _OneLineErrors(click.Group):
    """Usage errors in the same one-line form as every other error, still exit 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line; every error leaves as one line on stderr."""
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except NoArgsIsHelpError as exc:  # `citeaudit` or `citeaudit cache` alone: the help
            click.echo(exc.ctx.get_help() if exc.ctx is not None else exc.format_message())
            code = 0
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "citeaudit"
            _fail(f"{exc.format_message()} (see `{where} --help`)", exc.exit_code)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except click.Abort:
            _fail("interrupted", 130)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="citeaudit")
def main() -> None:
    """Audit the sources behind a report: parse its notes, check every link, score every claim."""


verbose_option = click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Full tables in the terminal report (every claim, every source, the outlets).",
)
cache_option = click.option(
    "--cache",
    "cache_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="SQLite cache file (default: in the user cache directory).",
)
store_option = click.option(
    "--store",
    "store_url",
    default=None,
    metavar="URL",
    help="PostgreSQL store (postgresql://...) shared by many machines, instead of the cache file.",
)


resolve_option = click.option(
    "--resolve",
    "resolve",
    multiple=True,
    metavar="HOST:PORT:ADDR",
    help="Connect to ADDR for HOST:PORT, as curl does. Repeatable.",
)


def format_option(choices: list[str], default: str, help: str = "Output format.") -> Any:
    """The `--format` option of a command that prints in one of `choices`."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=default, show_default=True, help=help
    )


@main.command()
@click.argument("files", nargs=-1, required=True)
@format_option(
    ["table", "json", "markdown"],
    "table",
    "Output format (json: one catalog object, or a list of them for several files).",
)
@date_option
@input_format_option
@friendly_errors
def parse(files: tuple[str, ...], fmt: str, as_of: date | None, input_format: str | None) -> None:
    """Show the catalog of FILES (or - for stdin): notes, sources, claims, findings. Offline."""
    from citeaudit.documents import load_catalogs
    from citeaudit.report import catalog_view

    catalogs = load_catalogs(files, as_of=as_of, input_format=input_format, warn=_warn)
    if fmt == "json":
        _emit(catalog_view.catalog_json(catalogs))
        return
    render = catalog_view.catalog_markdown if fmt == "markdown" else catalog_view.catalog_table
    _emit("\n".join(render(c) for c in catalogs))


@main.command()
@click.argument("file", type=str)
@click.option("--single-source", is_flag=True, help="Only claims backed by one distinct URL.")
@click.option("--single-outlet", is_flag=True, help="Only claims backed by one outlet.")
@format_option(["table", "json"], "table")
@date_option
@input_format_option
@friendly_errors
def claims(
    file: str,
    single_source: bool,
    single_outlet: bool,
    fmt: str,
    as_of: date | None,
    input_format: str | None,
) -> None:
    """List the claims of FILE with the distinct sources and outlets behind each. Offline."""
    from citeaudit.documents import load_catalog
    from citeaudit.report import claims_view
    from citeaudit.score import score_claims

    catalog = load_catalog(file, as_of=as_of, input_format=input_format)
    scores = claims_view.select(
        score_claims(catalog, {}), single_source=single_source, single_outlet=single_outlet
    )
    _emit(claims_view.render(scores, fmt))


@main.command()
@click.argument("file", type=str)
@format_option(
    ["text", "json"], "text", "text: one URL a line; json: url, as_written, line, flags."
)
@friendly_errors
def urls(file: str, fmt: str) -> None:
    """Every URL in FILE (or - for stdin), refanged and normalized. No notes section needed."""
    from citeaudit.catalog import urls_in_text
    from citeaudit.documents import read_input
    from citeaudit.parse.text import decode

    text, _ = decode(read_input(file), file)
    found = urls_in_text(text)
    if fmt == "json":
        _emit(json.dumps(found, ensure_ascii=False, indent=2) + "\n")
    else:
        _emit("".join(f"{item['url']}\n" for item in found))


def _duration(ctx: click.Context, param: click.Parameter, value: str | None) -> timedelta | None:
    if value is None:
        return None
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
    text = value.strip().lower()
    try:
        if text[-1] in units:
            return timedelta(seconds=float(text[:-1]) * units[text[-1]])
        return timedelta(days=float(text))
    except (ValueError, IndexError):
        raise click.BadParameter(f"{value!r} is not a duration such as 12h, 7d or 2w") from None


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
@click.option(
    "--per-host",
    type=click.IntRange(1, 64),
    default=None,
    help="Most requests in flight to one host (default 4).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 1024),
    default=None,
    help="Most requests in flight overall (default: per-host cap x hosts, at most 256).",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=None,
    help="Retries after timeouts, resets, 5xx and 429 (default 2).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 600),
    default=None,
    help="Seconds per request (default 15).",
)
@click.option(
    "--max-wait",
    type=click.FloatRange(0.1, 86400),
    default=None,
    help="Longest Retry-After slept, in seconds; asked for more, the URL is blocked (default 30).",
)
@click.option("--user-agent", default=None, help="User-Agent header (default names citeaudit).")
@resolve_option
@click.option(
    "--ca-bundle",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="PEM file of CA certificates to trust.",
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Probe hosts that resolve to private, loopback or link-local addresses.",
)
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
    callback=_duration,
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
    callback=_parse_date,
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
    from citeaudit.audit import run
    from citeaudit.report import default_format, render
    from citeaudit.report.common import closing_line
    from citeaudit.request import CheckRequest

    stdout_format = Format(fmt) if fmt else default_format(os.environ)
    targets = [_output_spec(spec, stdout_format) for spec in outputs]
    request = CheckRequest(files=files, outputs=tuple(path for _, path in targets), **options)
    progress = None if quiet else _progress_reporter()
    with progress or _nullcontext():
        outcome = run(
            request,
            progress=progress.update if progress else None,
            archive_progress=progress.note if progress else None,
            warn=_warn,
        )
    results = list(outcome.results)
    inputs = [r.catalog.document.path for r in results]
    for out_format, path in targets:
        write_atomic(path, render(results, out_format), inputs=inputs)
    # -o writes besides the terminal report, never instead of it
    full = next((path for f, path in targets if f is Format.HTML), None)
    _emit(_render_stdout(results, stdout_format, _layout(verbose, quiet, full)))
    if not quiet and stdout_format != Format.TABLE:
        for result in results:
            for hint in result.hints:
                click.echo(f"hint: {hint}", err=True)
    if not quiet:
        click.echo(closing_line(results), err=True)
    sys.exit(outcome.status)


def _layout(verbose: bool, quiet: bool, full_report: str | None = None) -> Any:
    """How much the terminal report shows, from -v, -q and an HTML output if one is written."""
    from citeaudit.report.table import FULL_REPORT, Layout

    where = f"see {full_report} or --verbose" if full_report else FULL_REPORT
    return Layout(verbose=verbose, hints=not quiet, full_report=where)


def _render_stdout(results: Any, fmt: Format, layout: Any = None) -> str:
    """Render for stdout: the terminal table uses the terminal's width and colour."""
    from citeaudit.report import render, table

    if fmt != Format.TABLE:
        return render(results, fmt)
    if sys.stdout.isatty():
        width = shutil.get_terminal_size((120, 40)).columns
        return table.render(
            results, width=width, color=not os.environ.get("NO_COLOR"), layout=layout
        )
    return table.render(results, layout=layout)


def _output_spec(spec: str, fallback: Format) -> tuple[Format, str]:
    """`FORMAT=PATH`, or a bare PATH whose format comes from its suffix (else `fallback`)."""
    from citeaudit.report import parse_output

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


def _warn(message: str) -> None:
    click.echo(f"citeaudit: warning: {message}", err=True)


class _nullcontext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _progress_reporter() -> Any:
    from citeaudit.progress import ProgressReporter

    return ProgressReporter.for_stderr()


@main.command("report")
@click.argument("report_file", type=str)
@format_option([f.value for f in Format], "table", "Format to render the saved report in.")
@click.option(
    "--output",
    "-o",
    "output",
    default=None,
    metavar="PATH",
    help="Write to PATH (atomically) instead of stdout.",
)
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    type=click.Choice([f.value for f in FailOn]),
    help="Exit 1 when any of these is found (default: exit 0, only re-render).",
)
@verbose_option
@friendly_errors
def report_command(
    report_file: str, fmt: str, output: str | None, fail_on: tuple[str, ...], verbose: bool
) -> None:
    """Re-render a saved JSON report (from `check --format json`) without the network."""
    from citeaudit.documents import read_input
    from citeaudit.policy import exit_code, parse_fail_on
    from citeaudit.report import render
    from citeaudit.report.json import load

    results = load(read_input(report_file).decode("utf-8", errors="replace"), name=report_file)
    if output:
        write_atomic(output, render(results, fmt), inputs=(report_file,))
    else:
        _emit(_render_stdout(results, Format(fmt), _layout(verbose, quiet=False)))
    sys.exit(exit_code(results, parse_fail_on(fail_on)) if fail_on else 0)


def _fix_kinds(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> Any:
    from citeaudit.fix import parse_kinds

    try:
        return parse_kinds(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command("fix")
@click.argument("file", type=str)
@click.option(
    "--from",
    "report_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    metavar="REPORT.json",
    help="Take the verdicts from this saved report (no network); else check FILE first.",
)
@click.option(
    "--output", "-o", "output", default=None, metavar="OUT", help="Write the fixed copy to OUT."
)
@click.option(
    "--in-place",
    is_flag=True,
    help="Rewrite FILE itself, keeping FILE.orig; refused if FILE changed since the report.",
)
@click.option(
    "--apply",
    "apply_kinds",
    multiple=True,
    callback=_fix_kinds,
    metavar="KINDS",
    help="Fixes to make, comma-separated: archive, redirect, typo, truncated (these four are "
    "the default, 'safe'), refang, all.",
)
@click.option(
    "--archive-style",
    type=click.Choice(["append", "replace"]),
    default="append",
    show_default=True,
    help="append: [archived](capture) after the dead link; replace: the capture instead of it.",
)
@click.option("--diff", "show_diff", is_flag=True, help="Print the diff also with -o/--in-place.")
@format_option(["diff", "json"], "diff", "diff: the changes with reasons; json: a list of them.")
@resolve_option
@click.option(
    "--ca-bundle",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="PEM file of CA certificates to trust (when checking).",
)
@click.option("--allow-private", is_flag=True, help="Probe private addresses (when checking).")
@click.option("--canary", "canaries", multiple=True, metavar="HOST", help="As for check.")
@click.option("--wayback-endpoint", default=None, metavar="URL", help="Internet Archive base URL.")
@cache_option
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@date_option
@input_format_option
@friendly_errors
def fix_command(
    file: str,
    report_file: str | None,
    output: str | None,
    in_place: bool,
    apply_kinds: Any,
    archive_style: str,
    show_diff: bool,
    fmt: str,
    as_of: date | None,
    input_format: str | None,
    **flags: Any,
) -> None:
    """Write FILE with its dead, moved, mistyped and truncated links fixed (a diff by default)."""
    from citeaudit.errors import ConfigError
    from citeaudit.fix import ArchiveStyle, FixRequest, fix_document, render_diff
    from citeaudit.fix.output import write_copy, write_in_place
    from citeaudit.fix.run import check_verdicts
    from citeaudit.report.json import dumps

    if output and in_place:
        raise ConfigError("give -o OUT or --in-place, not both")
    request = FixRequest(
        path=file,
        report=report_file,
        kinds=apply_kinds,
        archive_style=ArchiveStyle(archive_style),
        input_format=input_format,
        as_of=as_of,
        in_place=in_place,
    )
    cache = None
    check = None
    if report_file is None:
        from citeaudit.check.cache import default_cache_path, open_cache
        from citeaudit.config import load_config
        from citeaudit.inputs import config_start
        from citeaudit.request import CheckRequest
        from citeaudit.settings import audit_options

        options, settings = audit_options(
            load_config(config_start(file)), CheckRequest(files=(file,), **flags)
        )
        if not settings.no_cache:
            cache = open_cache(settings.cache_path or default_cache_path(), warn=_warn)

        def check(catalog: Any) -> Any:
            return check_verdicts(catalog, options, cache=cache)

    try:
        result = fix_document(request, check=check)
    finally:
        if cache is not None:
            cache.close()
    for warning in result.warnings:
        _warn(warning)
    written = None
    if output:
        write_copy(output, result.after, inputs=[file, *([report_file] if report_file else [])])
        written = output
    elif in_place and result.changed:
        backup = write_in_place(file, result.before, result.after)
        written = f"{file} (original kept as {backup})"
    if fmt == "json":
        _emit(dumps(result.to_json()))
    elif written is None or show_diff:
        _emit(render_diff(result))
    if written is not None:
        click.echo(
            f"{written}: {len(result.edits)} change(s) made, {len(result.skipped)} not made",
            err=True,
        )


def _store_target(cache_path: str | None, store_url: str | None) -> StoreTarget:
    from citeaudit.config import load_config
    from citeaudit.settings import store_target

    return store_target(load_config(Path.cwd()), store_url, cache_path)


@main.group()
def cache() -> None:
    """Inspect or clear the verdict cache (or the PostgreSQL store)."""


@cache.command("info")
@cache_option
@store_option
@friendly_errors
def cache_info(cache_path: str | None, store_url: str | None) -> None:
    """Where the cache is, how big, how many URLs and probes it holds."""
    from citeaudit.check.store import open_store, store_exists

    target = _store_target(cache_path, store_url)
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
    from citeaudit.check.store import open_store, store_exists

    target = _store_target(cache_path, store_url)
    if not store_exists(target):
        click.echo(f"{target.display}: no cache, nothing to clear")
        return
    with open_store(target) as store:
        removed = store.clear()
    click.echo(f"{target.display}: removed {removed} entries")


def _open_store(cache_path: str | None, store_url: str | None) -> Store:
    from citeaudit.check.store import open_store

    return open_store(_store_target(cache_path, store_url))


@main.command("history")
@click.argument("url", type=str)
@cache_option
@store_option
@format_option(["text", "json"], "text")
@friendly_errors
def history_command(url: str, cache_path: str | None, store_url: str | None, fmt: str) -> None:
    """Show the timeline of one source: every probe and capture the store holds."""
    from citeaudit.audit import store_key
    from citeaudit.history import timeline

    with _open_store(cache_path, store_url) as store:
        key, probes = url, store.history(url)
        if not probes:  # the store files probes under the dedupe key
            key = store_key(url)
            probes = store.history(key)
        rows = timeline(probes)
        captures = [
            (as_of.isoformat(), snap.url) for as_of, snap in store.archive_history(key) if snap.url
        ]
    if fmt == "json":
        _emit(json.dumps({"url": key, "probes": rows, "captures": captures}, indent=2) + "\n")
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
    from citeaudit.ledger import export_ledger

    with _open_store(cache_path, store_url) as store:
        count = export_ledger(store, file)
    click.echo(f"{file}: {count} records")


@ledger.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@cache_option
@store_option
@friendly_errors
def ledger_import(file: str, cache_path: str | None, store_url: str | None) -> None:
    """Merge the ledger FILE into the store; records already known are skipped."""
    from citeaudit.ledger import import_ledger

    with _open_store(cache_path, store_url) as store:
        stats = import_ledger(store, file)
    click.echo(
        f"{file}: {stats.probes_added} probes added, {stats.probes_known} already known; "
        f"{stats.archives_added} archive lookups added, {stats.archives_known} already known"
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

    with _open_store(cache_path, store_url) as store:
        outcomes = asyncio.run(run(store))
    counts = Counter(outcome.action for outcome in outcomes)
    click.echo(", ".join(f"{n} {action.replace('_', ' ')}" for action, n in sorted(counts.items())))
    if counts.get("not_checked"):
        click.echo(
            "hint: run `citeaudit check` first: unchecked sources are not archived", err=True
        )
    sys.exit(1 if counts.get("failed") else 0)


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
        callback=_duration,
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
    from citeaudit.corpus.add import add_documents

    outcome = add_documents(store_url, paths, warn=_warn)
    if fmt == "json":
        _emit(json.dumps(outcome.to_json(), sort_keys=True) + "\n")
    else:
        _emit(
            f"{outcome.added} added, {outcome.updated} updated, {outcome.unchanged} unchanged, "
            f"{outcome.skipped} skipped; {outcome.urls} URLs\n"
        )


@corpus_group.command("work")
@corpus_store_option
@click.option(
    "--per-host",
    type=click.IntRange(1, 64),
    default=None,
    help="Most requests in flight to one host, over all workers (default 4).",
)
@click.option(
    "--hosts-at-once",
    type=click.IntRange(1, 1024),
    default=8,
    show_default=True,
    help="Hosts this worker probes at the same time.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 600),
    default=None,
    help="Seconds per request (default 15).",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=None,
    help="Retries after timeouts, resets, 5xx and 429 (default 2).",
)
@click.option("--user-agent", default=None, help="User-Agent header (default names citeaudit).")
@resolve_option
@click.option(
    "--ca-bundle",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="PEM file of CA certificates to trust.",
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Probe hosts that resolve to private, loopback or link-local addresses.",
)
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
@click.option(
    "--archive-budget",
    type=click.Choice(["shared", "worker"]),
    default="shared",
    show_default=True,
    help="One archive rate budget for all workers (in the store), or one per worker.",
)
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
    from citeaudit.corpus.options import work_options
    from citeaudit.corpus.work import work

    summary = work(store_url, work_options(**options))
    if not quiet:
        click.echo(
            f"worker done: {summary.probed} URLs probed on {summary.hosts} hosts "
            f"({summary.stalled_retried} stalled host jobs taken over)",
            err=True,
        )
    if summary.failed:
        _fail(f"host jobs failed on {', '.join(summary.failed)}; their URLs are still due", 1)


@corpus_group.command("status")
@corpus_store_option
@_schedule_options
@format_option(["table", "json"], "table")
@friendly_errors
def corpus_status_command(
    store_url: str, max_age: timedelta | None, confirm: str | None, fmt: str
) -> None:
    """Progress: documents, URLs due and done, verdicts, host jobs, workers alive."""
    from citeaudit.corpus.options import schedule_of
    from citeaudit.corpus.status import corpus_status, render_status

    status = corpus_status(store_url, schedule_of(max_age, confirm))
    if fmt == "json":
        _emit(json.dumps(status.to_json(), sort_keys=True) + "\n")
    else:
        _emit(render_status(status))


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
@click.option(
    "--output",
    "-o",
    "output",
    default=None,
    metavar="PATH",
    help="Write to PATH (atomically) instead of stdout.",
)
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
    from citeaudit.corpus.options import schedule_of
    from citeaudit.corpus.report import corpus_results
    from citeaudit.report import render

    policy = schedule_of(None, confirm).confirm
    results = corpus_results(store_url, documents=documents, policy=policy)
    if output:
        write_atomic(
            output, render(results, fmt), inputs=[r.catalog.document.path for r in results]
        )
    else:
        _emit(_render_stdout(results, Format(fmt), _layout(verbose, quiet=False)))
