"""GitHub Actions workflow commands: annotations on the pull request's changed documents.

`::error` for a lost source, `::warning` for an unverified one, `::notice` for a gone source that
has an archived copy; at claim lines `::warning` for an unsupported claim and `::notice` for one
resting on a single source or a single outlet; then one `::notice` summary per document. Values
are escaped as the runner expects (% CR LF everywhere, and : , in properties), so no page title
can start a new command.
"""

from __future__ import annotations

from collections.abc import Sequence

from citeaudit.models import AuditResult
from citeaudit.report.common import claim_annotations, occurrences, summary_line
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
    known = _known(results)
    lines = []
    for a in occurrences(results):
        # With --baseline, a problem the baseline knew is a notice, not a new failure.
        was_known = None if known is None else _source_known(known.get(a.path, set()), a.source.url)
        level, message = _against_baseline(a.level, a.message, was_known)
        lines.append(command(level, message, file=a.path, line=a.line, col=a.column, title=a.title))
    for c in claim_annotations(results):
        key = c.baseline_key
        was_known = None if known is None or key is None else key in known.get(c.path, set())
        level, message = _against_baseline(c.level, c.message, was_known)
        lines.append(command(level, message, file=c.path, line=c.line, col=c.column, title=c.title))
    for result in results:
        path = result.catalog.document.path
        lines.append(command("notice", summary_line(result), title=f"citeaudit: {path}"))
        if result.baseline is not None:
            from citeaudit.baseline import distinct, split

            new, old = (distinct(p) for p in split(result))
            lines.append(
                command(
                    "notice",
                    f"{len(new)} new, {len(old)} already known compared with the baseline",
                    title=f"citeaudit baseline: {path}",
                )
            )
    return "\n".join(lines) + "\n"


def _against_baseline(level: str, message: str, known: bool | None) -> tuple[str, str]:
    """Level and message marked new or already known (unchanged when there is no baseline)."""
    if known is None:
        return level, message
    return ("notice", f"already known: {message}") if known else (level, f"new: {message}")


def _known(results: Sequence[AuditResult]) -> dict[str, set[str]] | None:
    """Per document path, the problem keys a baseline already knew (None: no baseline)."""
    if all(r.baseline is None for r in results):
        return None
    out: dict[str, set[str]] = {}
    for r in results:
        out.setdefault(r.catalog.document.path, set()).update(r.baseline or ())
    return out


def _source_known(keys: set[str], url: str) -> bool:
    # a source problem is filed under lost:, dead: or unverified: (see citeaudit.policy)
    return any(f"{kind}:{url}" in keys for kind in ("lost", "dead", "unverified"))
