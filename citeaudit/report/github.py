"""GitHub Actions workflow commands: annotations on the pull request's changed documents.

`::error` for a lost source, `::warning` for an unverified one, `::notice` for a gone source that
has an archived copy; at claim lines `::warning` for an unsupported claim and `::notice` for one
resting on a single source or a single outlet; then one `::notice` summary per document. Values
are escaped as the runner expects (% CR LF everywhere, and : , in properties), so no page title
can start a new command.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from citeaudit.judge.policy import distinct, split
from citeaudit.models import AuditResult, Risk
from citeaudit.report import markdown
from citeaudit.report.annotations import claim_annotations, occurrences
from citeaudit.report.common import risk_counts, state_counts, summary_line, verdict_counts
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


# GitHub shows this many annotations of each level per step and drops the rest.
SHOWN_PER_LEVEL = 10
_SEVERITY = {"error": 0, "warning": 1, "notice": 2}


def render(results: Sequence[AuditResult]) -> str:
    """Summary first, then the most severe annotations, capped to what GitHub shows."""
    summary, found = _commands(results)
    found.sort(key=lambda lc: _SEVERITY[lc[0]])  # stable: document order within a level
    shown: list[str] = []
    per_level: dict[str, int] = {}
    for level, line in found:
        per_level[level] = per_level.get(level, 0) + 1
        if per_level[level] <= SHOWN_PER_LEVEL:
            shown.append(line)
    left = {k: n - SHOWN_PER_LEVEL for k, n in per_level.items() if n > SHOWN_PER_LEVEL}
    if left:
        extra = ", ".join(f"{n} {k}" for k, n in left.items())
        # Summaries are notices, so the note joins them in the one slot ahead of the cap.
        summary.append(
            command(
                "notice",
                f"{extra} annotations not shown (GitHub shows {SHOWN_PER_LEVEL} per level); "
                "see the job summary for the full report",
                title="citeaudit: more annotations",
            )
        )
    write_environment(results)
    return "\n".join([_merge(summary), *shown]) + "\n"


def _merge(summary: list[str]) -> str:
    # One summary annotation, so it never competes with the findings for the notice slots.
    if len(summary) == 1:
        return summary[0]
    messages = [line.split("::", 2)[2] for line in summary]
    return f"::notice title=citeaudit summary::{'%0A'.join(messages)}"


def outputs(results: Sequence[AuditResult]) -> dict[str, int]:
    """The action's outputs: lost, dead and unverified sources, single-source claims."""
    out = {"lost": 0, "dead": 0, "unverified": 0, "single-source": 0}
    for r in results:
        states, verdicts, risks = state_counts(r), verdict_counts(r), risk_counts(r)
        out["lost"] += states.get("lost", 0)
        out["dead"] += verdicts.get("dead", 0) + verdicts.get("soft_dead", 0)
        out["unverified"] += states.get("unverified", 0)
        out["single-source"] += risks.get(str(Risk.SINGLE_SOURCE), 0)
    return out


def write_environment(results: Sequence[AuditResult]) -> None:
    """In GitHub Actions: the full Markdown to the job summary, the counts to step outputs."""
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        # The job summary takes up to 1 MiB, so the comment's limit does not apply.
        with Path(summary_path).open("a", encoding="utf-8") as f:
            f.write(markdown.render(results, limit=1024 * 1024))
    output_path = os.environ.get("GITHUB_OUTPUT")
    if output_path:
        with Path(output_path).open("a", encoding="utf-8") as f:
            f.writelines(f"{k}={n}\n" for k, n in outputs(results).items())


def _commands(results: Sequence[AuditResult]) -> tuple[list[str], list[tuple[str, str]]]:
    """(summary commands, (level, command) per finding) in document order."""
    known = _known(results)
    found: list[tuple[str, str]] = []
    summary: list[str] = []
    for a in occurrences(results):
        # With --baseline, a problem the baseline knew is a notice, not a new failure.
        was_known = None if known is None else _source_known(known.get(a.path, set()), a.source.url)
        level, message = _against_baseline(a.level, a.message, was_known)
        line = command(level, message, file=a.path, line=a.line, col=a.column, title=a.title)
        found.append((level, line))
    for c in claim_annotations(results):
        key = c.baseline_key
        was_known = None if known is None or key is None else key in known.get(c.path, set())
        level, message = _against_baseline(c.level, c.message, was_known)
        line = command(level, message, file=c.path, line=c.line, col=c.column, title=c.title)
        found.append((level, line))
    for result in results:
        path = result.catalog.document.path
        summary.append(command("notice", summary_line(result), title=f"citeaudit: {path}"))
        if result.baseline is not None:
            new, old = (distinct(p) for p in split(result))
            summary.append(
                command(
                    "notice",
                    f"{len(new)} new, {len(old)} already known compared with the baseline",
                    title=f"citeaudit baseline: {path}",
                )
            )
    return summary, found


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
    # a source problem is filed under lost:, dead: or unverified: (see citeaudit.judge.policy)
    return any(f"{kind}:{url}" in keys for kind in ("lost", "dead", "unverified"))
