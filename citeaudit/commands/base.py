"""The `citeaudit` group, its one-line errors and the options several commands share."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.exceptions import NoArgsIsHelpError

from citeaudit import __version__
from citeaudit.errors import CiteauditError
from citeaudit.parse.detect import FORMATS
from citeaudit.report import Format, render, render_chunks, write_atomic

if TYPE_CHECKING:
    from citeaudit.check.store import Store, StoreTarget


F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = 2) -> None:
    """Say what went wrong in one line on stderr, and exit with `code`."""
    click.echo(f"citeaudit: error: {message}", err=True)
    sys.exit(code)


def friendly_errors(func: F) -> F:
    """Turn citeaudit's own errors (and broken pipes) into one line and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CiteauditError as exc:
            fail(str(exc))
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except Exception as exc:  # a bug in citeaudit: one line, the traceback on request
            if os.environ.get("CITEAUDIT_DEBUG"):
                raise
            fail(
                f"internal error: {type(exc).__name__}: {exc} (set CITEAUDIT_DEBUG=1 for details)",
                3,
            )

    return wrapper  # type: ignore[return-value]


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """Click callback: a `YYYY-MM-DD` option as a date (a usage error otherwise)."""
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def emit(text: str) -> None:
    """Write a rendered report to stdout as it is (no extra newline)."""
    # in slices: given the whole report at once, the stream encodes a second copy of it
    for start in range(0, len(text), _SLICE):
        sys.stdout.write(text[start : start + _SLICE])
    sys.stdout.flush()


_SLICE = 1 << 20


date_option = click.option(
    "--date",
    "as_of",
    callback=parse_date,
    metavar="YYYY-MM-DD",
    help="The document's date (overrides the one found near its top).",
)
input_format_option = click.option(
    "--input-format",
    type=click.Choice(FORMATS),
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
            fail(f"{exc.format_message()} (see `{where} --help`)", exc.exit_code)
        except click.ClickException as exc:
            fail(exc.format_message(), exc.exit_code)
        except click.Abort:
            fail("interrupted", 130)
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


def warn(message: str) -> None:
    """One warning line on stderr; the run goes on."""
    click.echo(f"citeaudit: warning: {message}", err=True)


def layout(verbose: bool, quiet: bool, full_report: str | None = None) -> Any:
    """How much the terminal report shows, from -v, -q and an HTML output if one is written."""
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.report.table import FULL_REPORT, Layout

    where = f"see {full_report} or --verbose" if full_report else FULL_REPORT
    return Layout(verbose=verbose, hints=not quiet, full_report=where)


def emit_report(results: Any, fmt: Format, layout: Any = None) -> None:
    """Render for stdout and write it, as it is produced when the format allows (JSON)."""
    if fmt is not Format.JSON:
        emit(render_stdout(results, fmt, layout))
        return
    for chunk in render_chunks(results, fmt):
        emit(chunk)


def render_stdout(results: Any, fmt: Format, layout: Any = None) -> str:
    """Render for stdout: the terminal table uses the terminal's width and colour."""
    if fmt != Format.TABLE:
        return render(results, fmt)
    # deferred: rich, which only the terminal table needs (see commands/__init__)
    from citeaudit.report import table

    if sys.stdout.isatty():
        width = shutil.get_terminal_size((120, 40)).columns
        return table.render(
            results, width=width, color=not os.environ.get("NO_COLOR"), layout=layout
        )
    return table.render(results, layout=layout)


def store_target_for(cache_path: str | None, store_url: str | None) -> StoreTarget:
    """The store a store command works on: its flags, else the configuration found here."""
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.audit.settings import store_target
    from citeaudit.config import load_config

    return store_target(load_config(Path.cwd()), store_url, cache_path)


def open_store_for(cache_path: str | None, store_url: str | None) -> Store:
    """Open the store a store command works on (CacheError in one line if it cannot)."""
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.check.store import open_store

    return open_store(store_target_for(cache_path, store_url))


def parse_duration(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> timedelta | None:
    """Click callback: `12h`, `7d`, `2w` (or a number of days) as a timedelta."""
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


def per_host_option(help: str = "Most requests in flight to one host (default 4).") -> Any:
    """`--per-host N`, for the commands that probe."""
    return click.option("--per-host", type=click.IntRange(1, 64), default=None, help=help)


retries_option = click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=None,
    help="Retries after timeouts, resets, 5xx and 429 (default 2).",
)
timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(0.1, 600),
    default=None,
    help="Seconds per request (default 15).",
)
user_agent_option = click.option(
    "--user-agent", default=None, help="User-Agent header (default names citeaudit)."
)
ca_bundle_option = click.option(
    "--ca-bundle",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="PEM file of CA certificates to trust.",
)
allow_private_option = click.option(
    "--allow-private",
    is_flag=True,
    help="Probe hosts that resolve to private, loopback or link-local addresses.",
)


output_option = click.option(
    "--output",
    "-o",
    "output",
    default=None,
    metavar="PATH",
    help="Write to PATH (atomically) instead of stdout.",
)


def deliver(
    results: Any, fmt: str, output: str | None, *, inputs: Sequence[str], verbose: bool
) -> None:
    """A re-rendered report: written to `output` (never over an input), else to stdout."""
    if output:
        write_atomic(output, render(results, fmt), inputs=inputs)
    else:
        emit(render_stdout(results, Format(fmt), layout(verbose, quiet=False)))
