"""`fix`: write the corrected document (a diff by default)."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from citeaudit.commands.base import (
    cache_option,
    date_option,
    emit,
    format_option,
    friendly_errors,
    input_format_option,
    main,
    resolve_option,
    warn,
)
from citeaudit.errors import ConfigError


def _fix_kinds(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> Any:
    # deferred: start-up, only this command pays for these (see commands/__init__)
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
    # deferred: start-up, only this command pays for these (see commands/__init__)
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
        # deferred: start-up, only this command pays for these (see commands/__init__)
        from citeaudit.audit.request import CheckRequest
        from citeaudit.audit.settings import audit_options
        from citeaudit.check.cache import default_cache_path
        from citeaudit.check.store import open_cache
        from citeaudit.config import load_config
        from citeaudit.documents.inputs import config_start

        options, settings = audit_options(
            load_config(config_start(file)), CheckRequest(files=(file,), **flags)
        )
        if not settings.no_cache:
            cache = open_cache(settings.cache_path or default_cache_path(), warn=warn)

        def check(catalog: Any) -> Any:
            return check_verdicts(catalog, options, cache=cache)

    try:
        result = fix_document(request, check=check)
    finally:
        if cache is not None:
            cache.close()
    for warning in result.warnings:
        warn(warning)
    written = None
    if output:
        write_copy(output, result.after, inputs=[file, *([report_file] if report_file else [])])
        written = output
    elif in_place and result.changed:
        backup = write_in_place(file, result.before, result.after)
        written = f"{file} (original kept as {backup})"
    if fmt == "json":
        emit(dumps(result.to_json()))
    elif written is None or show_diff:
        emit(render_diff(result))
    if written is not None:
        click.echo(
            f"{written}: {len(result.edits)} change(s) made, {len(result.skipped)} not made",
            err=True,
        )
