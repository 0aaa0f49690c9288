"""The long lists of the Markdown report, each a section that folds into `<details>`.

A section is data (title, table header, rows, closing lines), not text: the report decides how
many rows each may show so the comment fits GitHub's limit, and counts the rows it left out.
Text from documents and pages is escaped here, cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from citeaudit.judge.policy import claim_subject
from citeaudit.models import AuditResult, SourceState
from citeaudit.report.common import (
    SourceRow,
    archive_asked,
    attention,
    claims_at_risk,
    redirects_to_update,
    typos,
)
from citeaudit.report.text import md_cell
from citeaudit.report.words import cached_text, distinguish, score_text, shorten

# Characters a URL keeps as they are; parentheses, spaces, brackets and quotes are encoded so the
# link target cannot end early or carry Markdown.
_URL_SAFE = ":/?#@!$&*+,;=%~-._"


def md_text(text: str) -> str:
    """Untrusted prose in a cell: no HTML, no table breaks, no links, no @mentions.

    >>> md_text("[x](y) @bob")
    '\\\\[x\\\\](y) &#64;bob'
    """
    return md_cell(text).replace("[", "\\[").replace("]", "\\]").replace("@", "&#64;")


def md_link(label: str, url: str) -> str:
    """A Markdown link to an http(s) URL; other schemes are shown as text, never linked."""
    if not url.lower().startswith(("http://", "https://")):
        return md_text(url)
    return f"[{md_text(label)}]({quote(url, safe=_URL_SAFE)})"


def row(*cells: object) -> str:
    """One Markdown table row of cells already escaped."""
    return "| " + " | ".join(str(c) for c in cells) + " |"


@dataclass(frozen=True, slots=True)
class Section:
    """One foldable list: a table of rows, of which the report may show only the first few."""

    title: str
    """Plain words, shown in `<summary>` (no Markdown renders there)."""
    what: str
    """What a row is, plural: `links`, `claims`."""
    head: tuple[str, ...]
    rows: tuple[str, ...]
    known: int = 0
    """Rows a baseline already knows, counted and not listed."""


def _known(left: int, what: str) -> list[str]:
    """The line that counts the rows a baseline already knows, which are not listed."""
    return [f"_{left} {what} already known from the baseline; not listed here._"] if left else []


def folded(section: Section, cap: int | None, full_report: str) -> list[str]:
    """A section as `<details>`: a blank line after `<summary>`, or GitHub shows raw Markdown.

    >>> typos = Section("Possible typos", "typos", ("| a |", "| - |"), ("| x |", "| y |"))
    >>> folded(typos, 1, "here")  # doctest: +NORMALIZE_WHITESPACE
    ['', '<details><summary>Possible typos (2)</summary>', '', '| a |', '| - |', '| x |', '',
     '_1 more typos left out here; the full report is here._', '', '</details>']
    """
    count = f"{len(section.rows)}"
    if section.known:
        count = f"{len(section.rows)} new, {section.known} already known"
    lines = ["", f"<details><summary>{section.title} ({count})</summary>", ""]
    shown = section.rows if cap is None else section.rows[:cap]
    body: list[str] = list(section.head) + list(shown) if section.rows else []
    if len(shown) < len(section.rows):
        left = len(section.rows) - len(shown)
        body += [
            "",
            f"_{left} more {section.what} left out here; the full report is {full_report}._",
        ]
    if section.known:
        body += ([""] if body else []) + _known(section.known, section.what)
    return lines + body + ["", "</details>"]


def left_out(section: Section, cap: int | None) -> int:
    """How many rows of a section a cap leaves out."""
    return 0 if cap is None else max(0, len(section.rows) - cap)


def links(result: AuditResult, known: frozenset[str]) -> Section | None:
    """Links gone or unverified, worst first, with the archive copy to cite instead."""
    needing = attention(result)
    if not needing:
        return None
    asked = archive_asked(result)
    header = ["state", "verdict", "notes", "URL", "reason"] + (["use instead"] if asked else [])
    out = []
    for r in needing:
        if r.url in known:
            continue
        reason = md_text(r.reason)
        cached = cached_text(r.verdict, result.generated_at)
        if cached:
            reason += f" _({cached})_"
        cells = [r.state, r.label, ", ".join(map(str, r.notes)), md_cell(r.url), reason]
        if asked:
            cells.append(_instead(r))
        out.append(row(*cells))
    head = (row(*header), row(*["---"] * len(header)))
    return Section("Links that need attention", "links", head, tuple(out), len(needing) - len(out))


def _instead(source: SourceRow) -> str:
    snap = source.snapshot
    if snap is not None and snap.url:
        when = snap.timestamp.date().isoformat() if snap.timestamp else "archived copy"
        return md_link(when, snap.url)
    if source.verdict and source.verdict.archive and source.verdict.archive.failed:
        return "lookup failed"
    return "none found" if source.state is SourceState.LOST else ""


def moved(result: AuditResult) -> Section | None:
    """Links whose every hop is permanent: the new address to cite."""
    found = redirects_to_update(result)
    if not found:
        return None
    out = tuple(
        row(", ".join(map(str, r.notes)), md_cell(r.url), md_cell(r.verdict.final_url or ""))
        for r in found
        if r.verdict is not None
    )
    head = (row("notes", "cited", "now at"), row("---", "---", "---"))
    return Section("Moved for good: update the link", "redirects", head, out)


def possible_typos(result: AuditResult) -> Section | None:
    """Pairs of URLs one typo apart, each cut where they differ so the typo shows."""
    found = typos(result)
    if not found:
        return None
    out = []
    for f in found:
        first, *rest = f.urls or ("",)
        a, b = distinguish(first, rest[0]) if rest else (first, "")
        out.append(row(", ".join(map(str, f.notes)), f.confidence or "", md_cell(a), md_cell(b)))
    head = (row("notes", "confidence", "one spelling", "the other"), row(*["---"] * 4))
    return Section("Possible typos", "possible typos", head, tuple(out))


def claims(result: AuditResult, known: frozenset[str]) -> Section | None:
    """Claims at risk, worst first."""
    at_risk = claims_at_risk(result)
    if not at_risk:
        return None
    out = tuple(
        row(
            f"**{c.risk}**",
            c.claim.id,
            c.claim.line,
            score_text(c),
            c.sources,
            c.lost,
            c.outlets,
            md_text(shorten(c.claim.text, 120)),
        )
        for c in at_risk
        if claim_subject(c.claim.text) not in known
    )
    head = (
        row("risk", "claim", "line", "score", "sources", "lost", "outlets", "text"),
        row("---", "---:", "---:", "---:", "---:", "---:", "---:", "---"),
    )
    return Section("Claims at risk", "claims", head, out, len(at_risk) - len(out))


def evidence(result: AuditResult) -> Section | None:
    """Content annotations (drift, quotes) and first failures, when the run compared pages."""
    found = [v for v in result.verdicts.values() if v.evidence or v.first_failed]
    if not found:
        return None
    out = tuple(
        row(
            md_cell(v.url),
            v.status,
            ", ".join(v.evidence) or "",
            "" if v.similarity is None else f"{v.similarity:.0%}",
            v.first_failed.isoformat() if v.first_failed else "",
        )
        for v in sorted(found, key=lambda v: v.url)
    )
    head = (
        row("URL", "verdict", "annotations", "similarity", "first failed"),
        row("---", "---", "---", "---:", "---"),
    )
    return Section("Evidence over time", "evidence rows", head, out)
