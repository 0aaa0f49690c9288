"""`parse`, `claims`, `urls`: what a document cites, read offline."""

from __future__ import annotations

import json
from datetime import date

import click

from citeaudit.catalog import urls_in_text
from citeaudit.commands.base import (
    date_option,
    emit,
    format_option,
    friendly_errors,
    input_format_option,
    main,
    warn,
)
from citeaudit.judge.score import score_claims


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
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.documents import load_catalogs
    from citeaudit.report import catalog_view

    catalogs = load_catalogs(files, as_of=as_of, input_format=input_format, warn=warn)
    if fmt == "json":
        emit(catalog_view.catalog_json(catalogs))
        return
    render = catalog_view.catalog_markdown if fmt == "markdown" else catalog_view.catalog_table
    emit("\n".join(render(c) for c in catalogs))


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
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.documents import load_catalog
    from citeaudit.report import claims_view

    catalog = load_catalog(file, as_of=as_of, input_format=input_format)
    scores = claims_view.select(
        score_claims(catalog, {}), single_source=single_source, single_outlet=single_outlet
    )
    emit(claims_view.render(scores, fmt))


@main.command()
@click.argument("file", type=str)
@format_option(
    ["text", "json"], "text", "text: one URL a line; json: url, as_written, line, flags."
)
@friendly_errors
def urls(file: str, fmt: str) -> None:
    """Every URL in FILE (or - for stdin), refanged and normalized. No notes section needed."""
    # deferred: start-up, only this command pays for these (see commands/__init__)
    from citeaudit.documents import read_input
    from citeaudit.parse.text import decode

    text, _ = decode(read_input(file), file)
    found = urls_in_text(text)
    if fmt == "json":
        emit(json.dumps(found, ensure_ascii=False, indent=2) + "\n")
    else:
        emit("".join(f"{item['url']}\n" for item in found))
