"""The Markdown report, written to be posted as a pull-request comment.

What a reviewer reads first is open: the summary, then the new problems (beside a baseline) or
the ten worst (without one). The long lists (links gone or unverified with the archive link to
use instead, links that moved for good, possible typos, claims at risk, evidence over time) are
folded into `<details>` sections. The whole comment fits GitHub's 65,536 characters: lists are
cut to fewer rows until it does, and each cut says how many rows it left out and where the full
report is. Text from documents and pages is escaped so it cannot break a table, inject HTML or
links, or mention (ping) anyone.
"""

from __future__ import annotations

from collections.abc import Sequence

from citeaudit.judge.policy import FailOn, Problem, distinct, known_subjects, problems, split
from citeaudit.models import AuditResult
from citeaudit.report.common import (
    archive_asked,
    archive_failures,
    claims_at_risk,
    source_rows,
    state_counts,
    verdict_counts,
)
from citeaudit.report.markdown_sections import (
    Section,
    claims,
    evidence,
    folded,
    left_out,
    links,
    md_link,
    md_text,
    moved,
    possible_typos,
    row,
)
from citeaudit.report.text import md_cell

__all__ = ["GITHUB_COMMENT_LIMIT", "md_link", "md_text", "render"]

# GitHub rejects a comment longer than this many characters.
GITHUB_COMMENT_LIMIT = 65_536
# Tried in turn until the report fits; None lists every row.
_ROW_CAPS: tuple[int | None, ...] = (None, 200, 100, 50, 25, 10, 5, 0)
_FULL_REPORT = "in the job summary or `--format json`"
# Without a baseline, how many problems are shown open before the folded lists.
_FIRST = 10
# Worst first: the order of the open list of problems.
_SEVERITY = (FailOn.LOST, FailOn.UNSUPPORTED, FailOn.DEAD, FailOn.UNVERIFIED, FailOn.SINGLE_SOURCE)


def _summary(result: AuditResult) -> list[str]:
    states = state_counts(result)
    at_risk = len(claims_at_risk(result))
    verdicts = ", ".join(f"{n} {k}" for k, n in verdict_counts(result).items()) or "none"
    lines = [
        row("URLs", "live", "archived", "lost", "unverified", "claims at risk"),
        row("---:", "---:", "---:", "---:", "---:", "---:"),
        row(
            len(source_rows(result)),
            states["live"],
            states["archived"],
            states["lost"],
            states["unverified"],
            f"{at_risk} of {len(result.claims)}",
        ),
        "",
        f"Verdicts: {verdicts}.",
    ]
    if result.ignored:
        lines.append(f"Ignored by inline comments: {result.ignored}.")
    if not archive_asked(result):
        lines.append("Web archives were not asked (`--no-archive`).")
    elif failed := archive_failures(result):
        lines.append(f"Archive lookups failed for {failed} URLs: captures may be missing.")
    if result.run is not None and result.run.from_cache:
        lines.append(f"{result.run.from_cache} of {result.run.urls} verdicts came from the cache.")
    return lines


def _worst(found: list[Problem]) -> list[Problem]:
    return sorted(found, key=lambda p: _SEVERITY.index(p.condition))


def _first(result: AuditResult, cap: int | None) -> tuple[list[str], int]:
    """The open list of problems, and how many of them it left out.

    Beside a baseline: every new problem (up to cap), the known ones counted by kind. Without
    one: the worst few, the folded lists below holding the rest.
    """
    if result.baseline is None:
        found = _worst(distinct(problems(result)))
        if not found:
            return [], 0
        shown = found[: min(_FIRST, _FIRST if cap is None else cap)]
        lines = ["", f"### To fix first ({len(found)} problems)", ""]
        lines += [f"- {md_text(p.text)}" for p in shown]
        if len(shown) < len(found):
            lines += ["", f"_{len(found) - len(shown)} more in the lists below._"]
        return lines, 0
    new, known = (distinct(p) for p in split(result))
    lines = ["", f"### Compared with the baseline: {len(new)} new, {len(known)} already known", ""]
    lines.append(f"**New** ({len(new)}):" if new else "**New:** none.")
    shown = _worst(new) if cap is None else _worst(new)[:cap]
    lines += [f"- new: {md_text(p.text)}" for p in shown]
    left = len(new) - len(shown)
    if left:
        lines += [
            "",
            f"_{left} more new problems left out here; the full report is {_FULL_REPORT}._",
        ]
    if known:
        # Known items are what the pull request did not change: counts are enough, and listing
        # them is what pushed large reports past GitHub's comment limit.
        kinds: dict[str, int] = {}
        for p in known:
            kinds[str(p.condition)] = kinds.get(str(p.condition), 0) + 1
        counts = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        lines += ["", f"Already known: {len(known)} ({counts}); not listed here."]
    return lines, left


def _lists(result: AuditResult) -> list[Section]:
    """The lists of what needs action, in the order a reviewer works through them."""
    # Beside a baseline, the lists show what changed; known rows are only counted.
    known = known_subjects(result)
    found = (links(result, known), moved(result), possible_typos(result), claims(result, known))
    return [s for s in found if s is not None]


def _one(result: AuditResult, cap: int | None) -> list[str]:
    doc = result.catalog.document
    heading = md_text(doc.title) if doc.title else f"`{md_cell(doc.path).replace('`', '')}`"
    lines = [f"## citeaudit: {heading}", ""]
    if doc.title:
        lines += [f"Document: `{md_cell(doc.path).replace('`', '')}`", ""]
    lines += [f"> **Notice:** {md_text(n)}" for n in result.notices]
    if result.notices:
        lines.append("")
    lines += _summary(result)
    first, first_left = _first(result, cap)
    lists = _lists(result)
    # Long, and rarely what a reviewer acts on first: last of the folded sections.
    sections = lists + [s for s in (evidence(result),) if s is not None]
    left = first_left + sum(left_out(s, cap) for s in sections)
    if left:
        lines += [
            "",
            f"_Cut to fit: {left} rows left out below; the full report is {_FULL_REPORT}._",
        ]
    if not lists and not problems(result):
        lines += ["", "Every source is live and every claim is supported."]
    lines += first
    for section in sections:
        lines += folded(section, cap, _FULL_REPORT)
    if result.hints:
        lines += ["", "### Hints", ""] + [f"- {md_text(h)}" for h in result.hints]
    return lines


def _render(results: Sequence[AuditResult], cap: int | None) -> str:
    lines: list[str] = []
    for i, result in enumerate(results):
        if i:
            lines += ["", "---", ""]
        lines += _one(result, cap)
    return "\n".join(lines) + "\n"


def _cut(text: str, limit: int) -> str:
    """Text cut at a line to fit limit, every `<details>` it opened closed, and a note saying so."""
    note = f"\n_Report cut at {limit:,} characters; the full report is {_FULL_REPORT}._\n"
    budget = max(0, limit - len(note) - 64)
    kept = text[: text.rfind("\n", 0, budget) + 1]
    # A cut inside a fold would swallow the note into it.
    unclosed = kept.count("<details>") - kept.count("</details>")
    closing = "\n</details>\n" * unclosed
    return (kept + closing + note)[:limit]


def render(results: Sequence[AuditResult], limit: int | None = GITHUB_COMMENT_LIMIT) -> str:
    """The Markdown report of every document, one section each, within limit characters."""
    text = ""
    for cap in _ROW_CAPS:
        text = _render(results, cap)
        if limit is None or len(text) <= limit:
            return text
    assert limit is not None  # the loop returned otherwise
    # Only reached with very many documents or a huge notice: cut, and say so.
    return _cut(text, limit)
