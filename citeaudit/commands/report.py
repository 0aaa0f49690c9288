"""`report`: re-render a saved JSON report without the network."""

from __future__ import annotations

import sys

import click

from citeaudit.commands.base import (
    deliver,
    format_option,
    friendly_errors,
    main,
    output_option,
    verbose_option,
)
from citeaudit.judge.policy import FailOn, exit_code, parse_fail_on
from citeaudit.report import Format


@main.command("report")
@click.argument("report_file", type=str)
@format_option([f.value for f in Format], "table", "Format to render the saved report in.")
@output_option
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
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.documents import read_input
    from citeaudit.report.json import load

    results = load(read_input(report_file).decode("utf-8", errors="replace"), name=report_file)
    deliver(results, fmt, output, inputs=(report_file,), verbose=verbose)
    sys.exit(exit_code(results, parse_fail_on(fail_on)) if fail_on else 0)
