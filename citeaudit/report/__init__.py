"""Report formats: one module per format, each `render(results) -> str`, in one registry.

The registry is keyed by `Format` so that the CLI's `--format` choices, the renderers and the
exhaustiveness test cannot drift apart. `write_atomic` writes a report so that a reader (or an
interrupted run) never sees half a file, and refuses to overwrite the documents being audited.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from typing import Protocol

from citeaudit.errors import ReportError
from citeaudit.models import AuditResult
from citeaudit.report.files import refuse_overwriting_inputs, write_bytes_atomic


class Format(StrEnum):
    """Output formats of an audit."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    JUNIT = "junit"
    GITHUB = "github"
    HTML = "html"


class Reporter(Protocol):
    """What every format implements: the report of some documents, as text."""

    def __call__(self, results: Sequence[AuditResult], /) -> str: ...


# Each format is a module of this package with a `render(results)`, imported only when used, so
# `citeaudit parse` never loads the report formats it does not need.
RENDERERS: dict[Format, str] = {
    Format.TABLE: "table",
    Format.JSON: "json",
    Format.MARKDOWN: "markdown",
    Format.SARIF: "sarif",
    Format.JUNIT: "junit",
    Format.GITHUB: "github",
    Format.HTML: "html",
}


def render_chunks(results: Sequence[AuditResult], fmt: Format | str) -> Iterator[str]:
    """`render`'s text in pieces: the JSON report as it is produced, any other in one piece.

    Writing a large JSON report as it comes never holds its whole text (24 MB at 15,000 URLs).
    """
    if Format(fmt) is Format.JSON:
        # deferred: as RENDERERS, each format loads when it is asked for
        from citeaudit.report import json

        return json.render_chunks(results)
    return iter([render(results, fmt)])


def reporter(fmt: Format) -> Reporter:
    """The renderer of one format."""
    module = importlib.import_module(f"citeaudit.report.{RENDERERS[fmt]}")
    render: Reporter = module.render
    return render


def render(results: Sequence[AuditResult], fmt: Format | str) -> str:
    """The report of `results` in format `fmt`."""
    try:
        chosen = Format(fmt)
    except ValueError:
        raise ReportError(f"unknown report format {fmt!r}") from None
    return reporter(chosen)(results)


def default_format(env: Mapping[str, str]) -> Format:
    """`github` inside GitHub Actions (GITHUB_ACTIONS=true), `table` elsewhere."""
    return Format.GITHUB if env.get("GITHUB_ACTIONS", "").lower() == "true" else Format.TABLE


def parse_output(spec: str) -> tuple[Format, str]:
    """Split a `FORMAT=PATH` output option; ReportError naming the formats when it is not one."""
    name, sep, path = spec.partition("=")
    choices = ", ".join(f.value for f in Format)
    if not sep or not path:
        raise ReportError(f"output {spec!r} is not FORMAT=PATH (formats: {choices})")
    try:
        return Format(name.strip().lower()), path
    except ValueError:
        raise ReportError(f"unknown report format {name!r} (formats: {choices})") from None


def write_atomic(path: str | os.PathLike[str], text: str, *, inputs: Iterable[str] = ()) -> None:
    """Write `text` to `path` via a temporary file and a rename; never over an input document."""
    refuse_overwriting_inputs([path], inputs)
    write_bytes_atomic(path, text.encode("utf-8"))
