"""What the HTML report shows, as frozen values: the view model its template lays out.

Every count and every list comes from `citeaudit.report.common` (source rows, attention order,
state, verdict and risk counts, claims by risk, moved links, typos, archive facts), so the page
can never disagree with the JSON or the terminal. This module assembles a document's section
(summary, charts, the lists that need attention, then the long lists) from the rows of
`html_rows` and the charts of `html_charts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from citeaudit.models import AuditResult, Risk, SourceState
from citeaudit.report.common import (
    SourceRow,
    archive_asked,
    archive_failures,
    attention,
    claims_by_risk,
    claims_citing,
    redirects_to_update,
    risk_counts,
    source_rows,
    state_counts,
    typos,
    verdict_counts,
)
from citeaudit.report.html_charts import Chart, age_chart, kind_chart, outlet_chart
from citeaudit.report.html_rows import (
    ClaimView,
    Link,
    SourceView,
    claim_view,
    clean,
    joined,
    label,
    link,
    source_view,
    urls_text,
)
from citeaudit.report.words import distinguish

PAGE_SIZE = 100
"""Rows per page of a long list; the page's script pages, without it every row shows."""


@dataclass(frozen=True, slots=True)
class OutletView:
    """One outlet's row of the outlet table."""

    outlet: str
    kind: str
    urls: int
    live: int
    archived: int
    lost: int
    unverified: int
    claims: int


@dataclass(frozen=True, slots=True)
class MovedView:
    """A link that moved for good: the address cited and the one to write instead."""

    notes: str
    cited: Link
    now: Link


@dataclass(frozen=True, slots=True)
class TypoView:
    """Two spellings of what may be one URL, their shared start elided."""

    notes: str
    confidence: str
    one: str
    other: str


@dataclass(frozen=True, slots=True)
class FindingView:
    """A note about the document itself (a marker without a note, an empty note, ...)."""

    kind: str
    line: int | None
    message: str


@dataclass(frozen=True, slots=True)
class Figure:
    """One number of the summary."""

    label: str
    value: int
    field: str
    tone: str = ""


@dataclass(frozen=True, slots=True)
class Summary:
    """The counts at the top, as figures, as data attributes, and as sentences."""

    figures: tuple[Figure, ...]
    attrs: tuple[tuple[str, int], ...]
    """data-* attributes (names from the closed enums only) so tests and scripts read counts."""
    facts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DocView:
    """One document's section of the page."""

    suffix: str
    path: str
    heading: str
    meta: tuple[str, ...]
    notices: tuple[str, ...]
    hints: tuple[str, ...]
    summary: Summary
    charts: tuple[Chart, ...]
    asked: bool
    attention: tuple[SourceView, ...]
    moved: tuple[MovedView, ...]
    typos: tuple[TypoView, ...]
    claims: tuple[ClaimView, ...]
    sources: tuple[SourceView, ...]
    outlets: tuple[OutletView, ...]
    findings: tuple[FindingView, ...]
    lost: int


@dataclass(frozen=True, slots=True)
class PageView:
    """The whole page: one section per document."""

    title: str
    documents: tuple[DocView, ...]
    risks: tuple[str, ...]
    states: tuple[str, ...]
    attention_states: tuple[str, ...]
    page_size: int


def _summary(
    result: AuditResult, rows: Sequence[SourceRow], states: dict[str, int], failed: int
) -> Summary:
    verdicts = verdict_counts(result)
    risks = risk_counts(result)
    figures: tuple[Figure, ...] = (
        Figure("claims", len(result.claims), "claims"),
        Figure("URLs", len(rows), "urls"),
        Figure("live", states["live"], "live", "ok"),
        Figure("archived", states["archived"], "archived"),
        Figure("lost", states["lost"], "lost", "bad" if states["lost"] else ""),
        Figure("unverified", states["unverified"], "unverified"),
        Figure("unsupported claims", risks["unsupported"], "unsupported", "bad"),
        Figure("single-source claims", risks["single_source"], "single-source", "warn"),
        Figure("ignored", result.ignored, "ignored"),
    )
    asked = archive_asked(result)
    if asked:
        figures += (Figure("archive lookups failed", failed, "archive-failed"),)
    attrs = [("urls", len(rows)), ("claims", len(result.claims)), ("ignored", result.ignored)]
    attrs += [(f"count-{k.replace('_', '-')}", n) for k, n in verdicts.items()]
    attrs += [(f"state-{k}", n) for k, n in states.items()]
    attrs += [(f"risk-{k.replace('_', '-')}", n) for k, n in risks.items()]
    attrs.append(("archive-failed", failed))
    facts = ["Verdicts: " + (", ".join(f"{n} {label(k)}" for k, n in verdicts.items()) or "none")]
    if not asked:
        facts.append("Web archives were not asked (--no-archive): no archive copies are shown.")
    elif failed:
        facts.append(f"Archive lookups failed for {urls_text(failed)}: captures may be missing.")
    if result.run is not None and result.run.from_cache:
        facts.append(f"{result.run.from_cache} of {result.run.urls} verdicts came from the cache.")
    if result.ignored:
        facts.append(f"Ignored by inline comments: {result.ignored} (listed, never checked).")
    return Summary(figures, tuple(attrs), tuple(facts))


def document_view(result: AuditResult, suffix: str = "") -> DocView:
    """One document's section: summary, charts, then problems before the long lists."""
    doc = result.catalog.document
    asked = archive_asked(result)
    kinds = {o.outlet: o.kind for o in result.outlets if o.kind}
    citing = claims_citing(result)
    rows = source_rows(result)
    views = {r.url: source_view(r, result, asked=asked, kinds=kinds, citing=citing) for r in rows}
    states = state_counts(result)
    meta = [clean(doc.path)]
    if doc.date:
        meta.append(f"dated {doc.date.isoformat()}")
    if result.generated_at:
        meta.append(f"checked {result.generated_at.isoformat(timespec='seconds')}")
    nothing_checked = bool(rows) and states["unchecked"] == len(rows)
    failed = archive_failures(result) if asked else 0
    return DocView(
        suffix=suffix,
        path=clean(doc.path),
        heading=clean(doc.title or doc.path),
        meta=tuple(meta),
        notices=tuple(clean(n) for n in result.notices),
        hints=tuple(clean(h) for h in result.hints),
        summary=_summary(result, rows, states, failed),
        charts=(
            outlet_chart(result.outlets, suffix, nothing_checked),
            kind_chart(result, suffix),
            age_chart(result, suffix, asked=asked, lost=states["lost"], failed=failed),
        ),
        asked=asked,
        attention=tuple(views[r.url] for r in attention(result)),
        moved=tuple(
            MovedView(joined(r.notes), link(r.url), link(r.verdict.final_url or ""))
            for r in redirects_to_update(result)
            if r.verdict is not None
        ),
        typos=tuple(_typo(f.notes, f.confidence, f.urls) for f in typos(result)),
        claims=tuple(claim_view(c, views) for c in claims_by_risk(result)),
        sources=tuple(views[r.url] for r in rows),
        outlets=tuple(
            OutletView(
                clean(o.outlet),
                label(str(o.kind or "")),
                o.urls,
                o.live,
                o.archived,
                o.lost,
                o.unverified,
                o.claims,
            )
            for o in result.outlets
        ),
        findings=tuple(
            FindingView(str(f.kind), f.line, clean(f.message)) for f in result.catalog.findings
        ),
        lost=states["lost"],
    )


def _typo(notes: Sequence[int], confidence: str | None, urls: Sequence[str]) -> TypoView:
    first, *rest = urls or ("",)
    one, other = distinguish(first, rest[0]) if rest else (first, "")
    return TypoView(joined(notes), confidence or "", clean(one), clean(other))


def page_view(results: Sequence[AuditResult]) -> PageView:
    """The page of one or several documents (section ids suffixed -1, -2, ... when several)."""
    several = len(results) != 1
    if several:
        title = f"citeaudit: {len(results)} documents"
    else:
        # The section heading names the document; the page title is for tabs and bookmarks.
        doc = results[0].catalog.document
        title = f"citeaudit: {clean(doc.title or doc.path)}"
    return PageView(
        title=title,
        documents=tuple(
            document_view(r, f"-{i}" if several else "") for i, r in enumerate(results, 1)
        ),
        risks=tuple(str(r) for r in Risk),
        states=tuple(str(s) for s in SourceState),
        attention_states=("lost", "archived", "unverified"),
        page_size=PAGE_SIZE,
    )
