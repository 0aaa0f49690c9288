"""Command line: parse options, call the library, render, map errors to exit codes. No logic.

Exit codes: 0 clean, 1 findings that `--fail-on` names, 2 usage or input errors. Errors are one
line on stderr, never a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import click

from citeaudit import __version__
from citeaudit.errors import CiteauditError

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="citeaudit")
def main() -> None:
    """Audit the sources behind a report: parse its notes, check every link, score every claim."""


@main.command()
@click.argument("file", type=str)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@date_option
@input_format_option
@friendly_errors
def parse(file: str, fmt: str, as_of: date | None, input_format: str | None) -> None:
    """Show the catalog of FILE (or - for stdin): notes, sources, claims, findings. Offline."""
    from citeaudit.audit import load_catalog
    from citeaudit.report import catalog_view

    catalog = load_catalog(file, as_of=as_of, input_format=input_format)
    render = {
        "json": catalog_view.catalog_json,
        "markdown": catalog_view.catalog_markdown,
        "table": catalog_view.catalog_table,
    }[fmt]
    _emit(render(catalog))


@main.command()
@click.argument("file", type=str)
@click.option("--single-source", is_flag=True, help="Only claims backed by one distinct URL.")
@click.option("--single-outlet", is_flag=True, help="Only claims backed by one outlet.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
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
    from citeaudit.audit import load_catalog
    from citeaudit.report import claims_view
    from citeaudit.score import score_claims

    catalog = load_catalog(file, as_of=as_of, input_format=input_format)
    scores = claims_view.select(
        score_claims(catalog, {}), single_source=single_source, single_outlet=single_outlet
    )
    _emit(claims_view.render(scores, fmt))


@main.command()
@click.argument("file", type=str)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one URL a line; json: url, as_written, line, flags.",
)
@friendly_errors
def urls(file: str, fmt: str) -> None:
    """Every URL in FILE (or - for stdin), refanged and normalized. No notes section needed."""
    from citeaudit.audit import read_input
    from citeaudit.catalog import urls_in_text
    from citeaudit.parse.text import decode

    text, _ = decode(read_input(file), file)
    found = urls_in_text(text)
    if fmt == "json":
        _emit(json.dumps(found, ensure_ascii=False, indent=2) + "\n")
    else:
        _emit("".join(f"{item['url']}\n" for item in found))
