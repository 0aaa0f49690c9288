"""GitHub Actions workflow commands: annotations on the pull request's changed documents.

`::error` for a lost source, `::warning` for an unverified one, `::notice` for a gone source that
has an archived copy, then one `::notice` summary per document. Values are escaped as the runner
expects (% CR LF everywhere, and : , in properties), so no page title can start a new command.
"""

from __future__ import annotations

from collections.abc import Sequence

from citeaudit.models import AuditResult
from citeaudit.report.common import occurrences, summary_line
from citeaudit.report.text import inert


def escape_data(text: str) -> str:
    """A command's message: % CR LF escaped.

    >>> escape_data("50%\\nnext")
    '50%25%0Anext'
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value: as a message, plus : and , escaped.

    >>> escape_property("a:b,c")
    'a%3Ab%2Cc'
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    """One workflow command line; untrusted text is made inert (no control characters) first."""
    props = ",".join(f"{k}={escape_property(inert(str(v)))}" for k, v in properties.items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(inert(message))}"


def render(results: Sequence[AuditResult]) -> str:
    """Workflow commands for every annotated source occurrence, then a summary per document."""
    lines = [
        command(a.level, a.message, file=a.path, line=a.line, col=a.column, title=a.title)
        for a in occurrences(results)
    ]
    for result in results:
        path = result.catalog.document.path
        lines.append(command("notice", summary_line(result), title=f"citeaudit: {path}"))
    return "\n".join(lines) + "\n"
