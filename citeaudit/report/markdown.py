"""The Markdown report, written to be posted as a pull-request comment.

Short on purpose: a summary table, then only what needs attention: links gone or unverified
(with the archive link to use instead), links that moved for good, possible typos, claims at
risk. Text from documents and pages is escaped so it cannot break a table, inject HTML or
links, or mention (ping) anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from citeaudit.judge.policy import claim_subject, distinct, known_subjects, split
from citeaudit.models import AuditResult, SourceState
from citeaudit.report.common import (
    SourceRow,
    archive_asked,
    archive_failures,
    attention,
    claims_at_risk,
    redirects_to_update,
    source_rows,
    state_counts,
    typos,
    verdict_counts,
)
from citeaudit.report.text import md_cell
from citeaudit.report.words import cached_text, distinguish, score_text, shorten

# Characters a URL keeps as they are; parentheses, spaces, brackets and quotes are encoded so the
# link target cannot end early or carry Markdown.
_URL_SAFE = ":/?#@!$&*+,;=%~-._"

# GitHub rejects a comment longer than this many characters.
GITHUB_COMMENT_LIMIT = 65_536
# Tried in turn until the report fits; None lists every row.
_ROW_CAPS: tuple[int | None, ...] = (None, 200, 100, 50, 25, 10, 5, 0)
_FULL_REPORT = "the full report is in the job summary or `--format json`"


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
    if not archive_asked(result):
        lines.append("Web archives were not asked (`--no-archive`).")
    elif failed := archive_failures(result):
        lines.append(f"Archive lookups failed for {failed} URLs: captures may be missing.")
    if result.run is not None and result.run.from_cache:
        lines.append(f"{result.run.from_cache} of {result.run.urls} verdicts came from the cache.")
    return lines


def _capped(rows: list[str], cap: int | None, what: str) -> list[str]:
    """At most cap rows, then a line saying how many were left out and where they are."""
    if cap is None or len(rows) <= cap:
        return rows
    left = len(rows) - cap
    return rows[:cap] + ["", f"_{left} more {what} left out here; {_FULL_REPORT}._"]


def _known(left: int, what: str) -> list[str]:
    """The line that counts the rows a baseline already knows, which are not listed."""
    return (
        ["", f"_{left} {what} already known from the baseline; not listed here._"] if left else []
    )


def _claims(
    result: AuditResult, cap: int | None = None, known: frozenset[str] = frozenset()
) -> list[str]:
    at_risk = claims_at_risk(result)
    claims = [c for c in at_risk if claim_subject(c.claim.text) not in known]
    if not at_risk:
        return []
    lines = ["", "### Claims that need attention", ""]
    if not claims:
        return lines[:-1] + _known(len(at_risk), "claims at risk")
    lines.append(_row("risk", "claim", "line", "score", "sources", "lost", "outlets", "text"))
    lines.append(_row("---", "---:", "---:", "---:", "---:", "---:", "---:", "---"))
    rows = []
    for c in claims:
        rows.append(
            _row(
                f"**{c.risk}**",
                c.claim.id,
                c.claim.line,
                score_text(c),
                c.sources,
                c.lost,
                c.outlets,
                md_text(shorten(c.claim.text, 120)),
            )
        )
    return lines + _capped(rows, cap, "claims") + _known(len(at_risk) - len(claims), "claims")


def _links(
    result: AuditResult, cap: int | None = None, known: frozenset[str] = frozenset()
) -> list[str]:
    needing = attention(result)
    rows = [r for r in needing if r.url not in known]
    if not needing:
        return []
    asked = archive_asked(result)
    lines = ["", "### Links that need attention", ""]
    if not rows:
        return lines[:-1] + _known(len(needing), "links that need attention")
    header = ["state", "verdict", "notes", "URL", "reason"] + (["use instead"] if asked else [])
    lines.append(_row(*header))
    lines.append(_row(*["---"] * len(header)))
    out = []
    for r in rows:
        reason = md_text(r.reason)
        cached = cached_text(r.verdict, result.generated_at)
        if cached:
            reason += f" _({cached})_"
        cells = [r.state, r.label, ", ".join(map(str, r.notes)), md_cell(r.url), reason]
        if asked:
            cells.append(_instead(r))
        out.append(_row(*cells))
    return lines + _capped(out, cap, "links") + _known(len(needing) - len(rows), "links")


def _instead(row: SourceRow) -> str:
    snap = row.snapshot
    if snap is not None and snap.url:
        when = snap.timestamp.date().isoformat() if snap.timestamp else "archived copy"
        return md_link(when, snap.url)
    if row.verdict and row.verdict.archive and row.verdict.archive.failed:
        return "lookup failed"
    return "none found" if row.state is SourceState.LOST else ""


def _moved(result: AuditResult, cap: int | None = None) -> list[str]:
    rows = redirects_to_update(result)
    if not rows:
        return []
    lines = ["", "### Moved for good: update the link", ""]
    lines += [_row("notes", "cited", "now at"), _row("---", "---", "---")]
    out = [
        _row(", ".join(map(str, r.notes)), md_cell(r.url), md_cell(r.verdict.final_url or ""))
        for r in rows
        if r.verdict is not None
    ]
    return lines + _capped(out, cap, "redirects")


def _typos(result: AuditResult, cap: int | None = None) -> list[str]:
    found = typos(result)
    if not found:
        return []
    lines = ["", "### Possible typos", ""]
    lines += [_row("notes", "confidence", "one spelling", "the other"), _row(*["---"] * 4)]
    out = []
    for f in found:
        first, *rest = f.urls or ("",)
        a, b = distinguish(first, rest[0]) if rest else (first, "")
        out.append(_row(", ".join(map(str, f.notes)), f.confidence or "", md_cell(a), md_cell(b)))
    return lines + _capped(out, cap, "possible typos")


def _baseline(result: AuditResult, cap: int | None = None) -> list[str]:
    # Only with --baseline: a pull request is judged on its own changes, so say which is which.
    if result.baseline is None:
        return []
    new, known = (distinct(p) for p in split(result))
    lines = ["", f"### Compared with the baseline: {len(new)} new, {len(known)} already known", ""]
    lines.append(f"**New** ({len(new)}):" if new else "**New:** none.")
    lines += _capped([f"- new: {md_text(p.text)}" for p in new], cap, "new problems")
    if known:
        # Known items are what the pull request did not change: counts are enough, and listing
        # them is what pushed large reports past GitHub's comment limit.
        kinds: dict[str, int] = {}
        for p in known:
            kinds[str(p.condition)] = kinds.get(str(p.condition), 0) + 1
        counts = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        lines += ["", f"Already known: {len(known)} ({counts}); not listed here."]
    return lines


def _evidence(result: AuditResult, cap: int | None = None) -> list[str]:
    # Content annotations (drift, quotes) only appear when the run compared page text.
    rows = [v for v in result.verdicts.values() if v.evidence or v.first_failed]
    if not rows:
        return []
    lines = [_row("URL", "verdict", "annotations", "similarity", "first failed")]
    lines.append(_row("---", "---", "---", "---:", "---"))
    out = []
    for v in sorted(rows, key=lambda v: v.url):
        out.append(
            _row(
                md_cell(v.url),
                v.status,
                ", ".join(v.evidence) or "",
                "" if v.similarity is None else f"{v.similarity:.0%}",
                v.first_failed.isoformat() if v.first_failed else "",
            )
        )
    return lines + _capped(out, cap, "evidence rows")


def _one(result: AuditResult, cap: int | None = None) -> list[str]:
    doc = result.catalog.document
    heading = md_text(doc.title) if doc.title else f"`{md_cell(doc.path).replace('`', '')}`"
    lines = [f"## citeaudit: {heading}", ""]
    if doc.title:
        lines += [f"Document: `{md_cell(doc.path).replace('`', '')}`", ""]
    lines += [f"> **Notice:** {md_text(n)}" for n in result.notices]
    if result.notices:
        lines.append("")
    lines += _summary(result)
    lines += _baseline(result, cap)
    # Beside a baseline, the lists show what changed; known rows are only counted.
    known = known_subjects(result)
    body = _links(result, cap, known) + _moved(result, cap) + _typos(result, cap)
    body += _claims(result, cap, known)
    lines += body or ["", "Every source is live and every claim is supported."]
    evidence = _evidence(result, cap)
    if evidence:
        # Long, and rarely what a reviewer acts on first: folded away.
        lines += ["", "<details><summary>Evidence over time</summary>", ""]
        lines += evidence + ["", "</details>"]
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


def render(results: Sequence[AuditResult], limit: int | None = GITHUB_COMMENT_LIMIT) -> str:
    """The Markdown report of every document, one section each, within limit characters."""
    text = ""
    for cap in _ROW_CAPS:
        text = _render(results, cap)
        if limit is None or len(text) <= limit:
            return text
    assert limit is not None  # the loop returned otherwise
    # Only reached with very many documents or a huge notice: cut, and say so.
    note = f"\n\n_Report cut at {limit} characters; {_FULL_REPORT}._\n"
    return text[: max(0, limit - len(note))] + note
