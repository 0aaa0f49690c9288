"""The Markdown report, written to be posted as a pull-request comment.

What a reviewer reads first is open: the summary, then the new problems (beside a baseline) or
the ten worst (without one). The long lists (links gone or unverified with the archive link to
use instead, links that moved for good, possible typos, claims at risk, evidence over time) are
folded into `<details>` sections. The whole comment fits GitHub's 65,536 characters: every list
is cut to the most rows that fit, and each cut says how many rows it left out and where the full
report is. Text from documents and pages is escaped so it cannot break a table, inject HTML or
links, or mention (ping) anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class _Doc:
    """One document's report before any cap: worked out once, laid out at every cap tried."""

    head: tuple[str, ...]
    """Title, notices and summary."""
    problems: tuple[Problem, ...]
    """Without a baseline every problem, worst first; beside one, the new ones."""
    known: tuple[Problem, ...] | None
    """The problems a baseline knows; None without a baseline."""
    lists: tuple[Section, ...]
    evidence: Section | None
    hints: tuple[str, ...]

    @property
    def sections(self) -> tuple[Section, ...]:
        """Every folded section; evidence, long and rarely acted on first, last."""
        return self.lists + ((self.evidence,) if self.evidence else ())

    @property
    def longest(self) -> int:
        """The most rows any cap could cut from one list."""
        return max((len(s.rows) for s in self.sections), default=0) + len(self.problems)


def _doc(result: AuditResult) -> _Doc:
    doc = result.catalog.document
    heading = md_text(doc.title) if doc.title else f"`{md_cell(doc.path).replace('`', '')}`"
    head = [f"## citeaudit: {heading}", ""]
    if doc.title:
        head += [f"Document: `{md_cell(doc.path).replace('`', '')}`", ""]
    head += [f"> **Notice:** {md_text(n)}" for n in result.notices]
    if result.notices:
        head.append("")
    head += _summary(result)
    if result.baseline is None:
        found, known = _worst(distinct(problems(result))), None
    else:
        new, old = (distinct(p) for p in split(result))
        found, known = _worst(new), tuple(old)
    # Beside a baseline, the lists show what changed; known rows are only counted.
    subjects = known_subjects(result)
    lists = (
        links(result, subjects),
        moved(result),
        possible_typos(result),
        claims(result, subjects),
    )
    return _Doc(
        head=tuple(head),
        problems=tuple(found),
        known=known,
        lists=tuple(s for s in lists if s is not None),
        evidence=evidence(result),
        hints=result.hints,
    )


def _first(doc: _Doc, cap: int | None) -> tuple[list[str], int]:
    """The open list of problems, and how many of them it left out.

    Beside a baseline: every new problem (up to cap), the known ones counted by kind. Without
    one: the worst few, the folded lists below holding the rest.
    """
    found = doc.problems
    if doc.known is None:
        if not found:
            return [], 0
        shown = found[: min(_FIRST, _FIRST if cap is None else cap)]
        lines = ["", f"### To fix first ({len(found)} problems)", ""]
        lines += [f"- {md_text(p.text)}" for p in shown]
        if len(shown) < len(found):
            lines += ["", f"_{len(found) - len(shown)} more in the lists below._"]
        return lines, 0
    known = doc.known
    lines = [
        "",
        f"### Compared with the baseline: {len(found)} new, {len(known)} already known",
        "",
    ]
    lines.append(f"**New** ({len(found)}):" if found else "**New:** none.")
    shown = found if cap is None else found[:cap]
    lines += [f"- new: {md_text(p.text)}" for p in shown]
    left = len(found) - len(shown)
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


def _one(doc: _Doc, cap: int | None) -> list[str]:
    lines = list(doc.head)
    first, first_left = _first(doc, cap)
    left = first_left + sum(left_out(s, cap) for s in doc.sections)
    if left:
        lines += [
            "",
            f"_Cut to fit: {left} rows left out below; the full report is {_FULL_REPORT}._",
        ]
    if not doc.lists and not doc.problems and not doc.known:
        lines += ["", "Every source is live and every claim is supported."]
    lines += first
    for section in doc.sections:
        lines += folded(section, cap, _FULL_REPORT)
    if doc.hints:
        lines += ["", "### Hints", ""] + [f"- {md_text(h)}" for h in doc.hints]
    return lines


def _render(docs: Sequence[_Doc], cap: int | None) -> str:
    lines: list[str] = []
    for i, doc in enumerate(docs):
        if i:
            lines += ["", "---", ""]
        lines += _one(doc, cap)
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
    """The Markdown report of every document, one section each, within limit characters.

    When everything does not fit, every list is cut to the same number of rows: the most that
    fit, found by bisection (the layout is cheap; working out the rows is done once).
    """
    docs = [_doc(r) for r in results]
    text = _render(docs, None)
    if limit is None or len(text) <= limit:
        return text
    fits, low, high = None, 0, max((d.longest for d in docs), default=0)
    while low <= high:
        cap = (low + high) // 2
        attempt = _render(docs, cap)
        if len(attempt) <= limit:
            fits, low = attempt, cap + 1
        else:
            high = cap - 1
    # None fits only with very many documents or a huge notice: cut, and say so.
    return fits if fits is not None else _cut(_render(docs, 0), limit)
