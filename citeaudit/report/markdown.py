"""The Markdown report, written to be posted as a pull-request comment.

Short on purpose: a summary table, then only the claims and links that need attention, with the
archive link to use instead of a lost one. Text from documents and pages is escaped so it cannot
break a table, inject HTML or links, or mention (ping) anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from citeaudit.models import AuditResult, SourceState
from citeaudit.report.common import (
    attention,
    claims_at_risk,
    shorten,
    source_rows,
    state_counts,
    verdict_counts,
)
from citeaudit.report.text import md_cell

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


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _summary(result: AuditResult) -> list[str]:
    states = state_counts(result)
    at_risk = len(claims_at_risk(result))
    verdicts = ", ".join(f"{n} {k}" for k, n in verdict_counts(result).items()) or "none"
    lines = [
        _row("URLs", "live", "archived", "lost", "unverified", "claims at risk"),
        _row("---:", "---:", "---:", "---:", "---:", "---:"),
        _row(
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
    return lines


def _claims(result: AuditResult) -> list[str]:
    claims = claims_at_risk(result)
    if not claims:
        return []
    lines = ["", "### Claims that need attention", ""]
    lines.append(_row("risk", "claim", "line", "score", "sources", "lost", "outlets", "text"))
    lines.append(_row("---", "---:", "---:", "---:", "---:", "---:", "---:", "---"))
    for c in claims:
        lines.append(
            _row(
                f"**{c.risk}**",
                c.claim.id,
                c.claim.line,
                f"{c.score:.0%}",
                c.sources,
                c.lost,
                c.outlets,
                md_text(shorten(c.claim.text, 120)),
            )
        )
    return lines


def _links(result: AuditResult) -> list[str]:
    rows = attention(result)
    if not rows:
        return []
    lines = ["", "### Links that need attention", ""]
    lines.append(_row("state", "verdict", "notes", "URL", "reason", "use instead"))
    lines.append(_row("---", "---", "---", "---", "---", "---"))
    for r in rows:
        snap = r.snapshot
        if snap is not None and snap.url:
            when = snap.timestamp.date().isoformat() if snap.timestamp else "archived copy"
            instead = md_link(when, snap.url)
        else:
            instead = "none found" if r.state is SourceState.LOST else ""
        notes = ", ".join(map(str, r.notes))
        lines.append(_row(r.state, r.label, notes, md_cell(r.url), md_text(r.reason), instead))
    return lines


def _baseline(result: AuditResult) -> list[str]:
    # Only with --baseline: a pull request is judged on its own changes, so say which is which.
    if result.baseline is None:
        return []
    from citeaudit.baseline import distinct, split

    new, known = (distinct(p) for p in split(result))
    lines = ["", f"### Compared with the baseline: {len(new)} new, {len(known)} already known", ""]
    lines.append(f"**New** ({len(new)}):" if new else "**New:** none.")
    lines += [f"- new: {md_text(p.text)}" for p in new]
    if known:
        lines += ["", f"Already known ({len(known)}):"]
        lines += [f"- already known: {md_text(p.text)}" for p in known]
    return lines


def _evidence(result: AuditResult) -> list[str]:
    # Content annotations (drift, quotes) only appear when the run compared page text.
    rows = [v for v in result.verdicts.values() if v.evidence or v.first_failed]
    if not rows:
        return []
    lines = ["", "### Evidence over time", ""]
    lines.append(_row("URL", "verdict", "annotations", "similarity", "first failed"))
    lines.append(_row("---", "---", "---", "---:", "---"))
    for v in sorted(rows, key=lambda v: v.url):
        lines.append(
            _row(
                md_cell(v.url),
                v.status,
                ", ".join(v.evidence) or "",
                "" if v.similarity is None else f"{v.similarity:.0%}",
                v.first_failed.isoformat() if v.first_failed else "",
            )
        )
    return lines


def _one(result: AuditResult) -> list[str]:
    doc = result.catalog.document
    heading = md_text(doc.title) if doc.title else f"`{md_cell(doc.path).replace('`', '')}`"
    lines = [f"## citeaudit: {heading}", ""]
    if doc.title:
        lines += [f"Document: `{md_cell(doc.path).replace('`', '')}`", ""]
    lines += [f"> **Notice:** {md_text(n)}" for n in result.notices]
    if result.notices:
        lines.append("")
    lines += _summary(result)
    lines += _baseline(result)
    body = _claims(result) + _links(result)
    lines += body or ["", "Every source is live and every claim is supported."]
    lines += _evidence(result)
    if result.hints:
        lines += ["", "### Hints", ""] + [f"- {md_text(h)}" for h in result.hints]
    return lines


def render(results: Sequence[AuditResult]) -> str:
    """The Markdown report of every document, one section each."""
    lines: list[str] = []
    for i, result in enumerate(results):
        if i:
            lines += ["", "---", ""]
        lines += _one(result)
    return "\n".join(lines) + "\n"
