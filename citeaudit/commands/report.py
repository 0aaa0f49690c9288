"""`report`: re-render a saved JSON report without the network."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from citeaudit.commands.base import (
    emit,
    format_option,
    friendly_errors,
    layout,
    main,
    render_stdout,
    verbose_option,
)
from citeaudit.judge.policy import FailOn
from citeaudit.report import Format, write_atomic

if TYPE_CHECKING:
    pass


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
    from citeaudit.judge.policy import exit_code, parse_fail_on
    from citeaudit.report import render
    from citeaudit.report.json import load

    results = load(read_input(report_file).decode("utf-8", errors="replace"), name=report_file)
    if output:
        write_atomic(output, render(results, fmt), inputs=(report_file,))
    else:
        emit(render_stdout(results, Format(fmt), layout(verbose, quiet=False)))
    sys.exit(exit_code(results, parse_fail_on(fail_on)) if fail_on else 0)
