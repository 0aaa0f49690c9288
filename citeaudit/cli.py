"""Command line: parse options, call the library, render, map errors to exit codes. No logic."""

from __future__ import annotations

import click

from citeaudit import __version__


@click.group()
@click.version_option(__version__, prog_name="citeaudit")
def main() -> None:
    """Audit the sources behind a report."""
