"""What the HTML report shows, as frozen values: the view model its template lays out.

Every count and every list comes from `citeaudit.report.common` (source rows, attention order,
state, verdict and risk counts, claims by risk, moved links, typos, archive facts), so the page
can never disagree with the JSON or the terminal. This module only shapes them for the page:
text from documents and pages is made inert here (control and bidi characters dropped) and is
escaped by the template engine; a URL carries an `href` only when it is plain http(s).

Chart geometry is computed here too, so the template only writes the numbers into SVG.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from citeaudit.models import (
    ArchiveOutcome,
    AuditResult,
    ClaimScore,
    OutletScore,
    Risk,
    SourceState,
)
from citeaudit.report.common import (
    AGE_UNKNOWN,
    CAPTURE_AGES,
    SourceRow,
    archive_asked,
    archive_failures,
    attention,
    cached_text,
    capture_ages,
    claims_by_risk,
    claims_citing,
    distinguish,
    middle,
    redirects_to_update,
    risk_counts,
    score_text,
    source_rows,
    state_counts,
    typos,
    verdict_counts,
)
from citeaudit.report.text import inert

TOP_OUTLETS = 15
"""How many outlets the outlet chart shows (the outlet table lists them all)."""
PAGE_SIZE = 100
"""Rows per page of a long list; the page's script pages, without it every row shows."""
URL_LABEL = 90
"""Longest URL shown whole; longer ones are cut in the middle (the link keeps the whole URL)."""
SHORT_URL_LABEL = 64
"""The same in the claims list, where every claim shows each of its sources."""

# Whitespace, controls, zero-width and bidi characters: a URL holding one is shown, not linked.
_NOT_IN_LINK = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_OUTLET_PARTS = ("live", "archived", "lost", "unverified")
_LABEL_W, _BAR_W, _ROW_H, _TAIL_W = 180, 250, 22, 100


@dataclass(frozen=True, slots=True)
class Link:
    """A URL as shown: `text` (maybe shortened), the whole URL, and an href if it may be a link.

    A URL that may not be a link is shown whole, so the reader sees why it is not one.
    """

    text: str
    full: str
    href: str | None


@dataclass(frozen=True, slots=True)
class ArchiveCell:
    """What the archive said about one URL, in words, with the capture to cite when found."""

    outcome: str
    """found, none, failed, or empty when nothing was looked up."""
    text: str
    href: str | None = None
    offset: str | None = None
    """How far the capture is from the document date (`3 days before`)."""


@dataclass(frozen=True, slots=True)
class SourceView:
    """One distinct URL: verdict chip, where it is cited, why, and its archive copy."""

    url: Link
    short: Link
    """The URL shortened for the claims list, where each claim shows all its sources."""
    outlet: str
    kind: str
    title: str | None
    notes: str
    first_note: int
    line: int
    state: str
    verdict: str
    reason: str
    cached: str | None
    archive: ArchiveCell | None
    """None when archives were not asked: the page then has no archive column at all."""
    claims: str


@dataclass(frozen=True, slots=True)
class ClaimView:
    """One claim with its figures and its sources inline."""

    id: int
    line: int
    text: str
    notes: str
    risk: str
    severity: int
    score: str
    score_sort: float
    sources: int
    live: int
    archived: int
    lost: int
    unverified: int
    outlets: int
    refs: tuple[SourceView, ...]


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
class Segment:
    """One stacked part of a bar."""

    part: str
    value: int
    x: float
    width: float


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of a horizontal bar chart."""

    name: str
    label: str
    tag: str
    total: int
    y: int
    segments: tuple[Segment, ...]
    end: float

    @property
    def detail(self) -> str:
        """Every part with its count, for the tooltip."""
        return ", ".join(f"{s.value} {s.part}" for s in self.segments)


@dataclass(frozen=True, slots=True)
class Chart:
    """A horizontal bar chart, laid out."""

    id: str
    kind: str
    title: str
    width: int
    height: int
    label_width: int
    bars: tuple[Bar, ...]
    legend: tuple[str, ...]
    notes: tuple[str, ...]
    empty: str | None
    """Why there is nothing to chart, shown instead of the chart."""


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


def clean(text: object) -> str:
    """Untrusted text made inert for the page (escaping is the template engine's job).

    >>> clean("a\\u202eb\\nc")
    'ab c'
    """
    return inert(str(text))


def safe_href(url: str) -> str | None:
    """The URL if it may be a link (plain http or https, no whitespace or controls), else None.

    >>> safe_href("https://example.com/a?b=1")
    'https://example.com/a?b=1'
    >>> safe_href("javascript:alert(1)") is None
    True
    """
    if _NOT_IN_LINK.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def link(url: str, *, limit: int = URL_LABEL) -> Link:
    """A URL to show, cut in the middle when long (the href keeps it whole), linked when safe.

    >>> link("javascript:alert(1)").href is None
    True
    """
    full = clean(url)
    return Link(text=middle(full, limit), full=full, href=safe_href(url))


def _days(days: int) -> str:
    if days == 0:
        return "same day as the document"
    unit = "day" if abs(days) == 1 else "days"
    return f"{abs(days)} {unit} {'before' if days < 0 else 'after'} the document"


def archive_cell(row: SourceRow) -> ArchiveCell:
    """The archive column of one source, in honest words."""
    snap = row.snapshot
    if snap is not None and snap.url:
        when = snap.timestamp.date().isoformat() if snap.timestamp else "archived copy"
        # A capture URL that may not be a link is shown whole, so the reader sees why.
        label = when if safe_href(snap.url) else snap.url
        offset = None if snap.days_from_document is None else _days(snap.days_from_document)
        return ArchiveCell("found", clean(label), safe_href(snap.url), offset)
    answer = row.verdict.archive if row.verdict else None
    if answer is not None and answer.outcome is ArchiveOutcome.FAILED:
        return ArchiveCell("failed", clean(f"lookup failed: {answer.reason or 'no answer'}"))
    if answer is not None:
        return ArchiveCell("none", clean(answer.reason or "no capture found"))
    return ArchiveCell("", "not looked up" if row.state is SourceState.LOST else "")


def _joined(numbers: Sequence[int], limit: int = 8) -> str:
    shown = ", ".join(str(n) for n in numbers[:limit])
    return shown + (f" +{len(numbers) - limit}" if len(numbers) > limit else "")


def _urls(n: int) -> str:
    return f"{n} URL" if n == 1 else f"{n} URLs"


def _label(value: str) -> str:
    return value.replace("_", " ")


def source_view(
    row: SourceRow,
    result: AuditResult,
    *,
    asked: bool,
    kinds: dict[str, str],
    citing: dict[str, tuple[int, ...]],
) -> SourceView:
    """One source row of the page."""
    verdict = row.verdict
    return SourceView(
        url=link(row.url),
        short=link(row.url, limit=SHORT_URL_LABEL),
        outlet=clean(row.outlet),
        kind=kinds.get(row.outlet, ""),
        title=clean(verdict.title) if verdict and verdict.title else None,
        notes=_joined(row.notes),
        first_note=row.notes[0] if row.notes else 0,
        line=row.occurrences[0][1].span.line,
        state=str(row.state),
        verdict=row.label,
        reason=clean(row.reason),
        cached=cached_text(verdict, result.generated_at),
        archive=archive_cell(row) if asked else None,
        claims=_joined(citing.get(row.url, ())),
    )


def claim_view(score: ClaimScore, by_url: dict[str, SourceView]) -> ClaimView:
    """One claim of the page, its sources inline in the order the claim cites them."""
    return ClaimView(
        id=score.claim.id,
        line=score.claim.line,
        text=clean(score.claim.text),
        notes=_joined(score.claim.notes),
        risk=str(score.risk),
        severity=score.risk.severity,
        score=score_text(score),
        # n/a sorts below 0 %: nothing could be checked is no better than all lost.
        score_sort=-1.0 if score.score is None else round(score.score, 4),
        sources=score.sources,
        live=score.live,
        archived=score.archived,
        lost=score.lost,
        unverified=score.unverified,
        outlets=score.outlets,
        refs=tuple(by_url[u] for u in score.urls if u in by_url),
    )


def _bars(rows: Sequence[tuple[str, str, Sequence[tuple[str, int]]]]) -> tuple[Bar, ...]:
    """Lay out (name, tag, [(part, value)]) rows as stacked horizontal bars, the longest full."""
    most = max((sum(v for _, v in parts) for _, _, parts in rows), default=0) or 1
    bars = []
    for i, (name, tag, parts) in enumerate(rows):
        x, segments = float(_LABEL_W), []
        for part, value in parts:
            if value > 0:
                width = round(_BAR_W * value / most, 1)
                segments.append(Segment(part, value, round(x, 1), width))
                x += width
        total = sum(v for _, v in parts)
        label = name if len(name) <= 26 else name[:25] + "…"
        bars.append(Bar(name, label, tag, total, i * _ROW_H, tuple(segments), round(x, 1)))
    return tuple(bars)


def _chart(
    chart_id: str,
    kind: str,
    title: str,
    bars: tuple[Bar, ...],
    *,
    legend: tuple[str, ...] = (),
    notes: tuple[str, ...] = (),
    empty: str | None = None,
) -> Chart:
    height = max(_ROW_H * len(bars), _ROW_H)
    width = _LABEL_W + _BAR_W + _TAIL_W
    return Chart(chart_id, kind, title, width, height, _LABEL_W, bars, legend, notes, empty)


def outlet_chart(outlets: Sequence[OutletScore], suffix: str, nothing_checked: bool) -> Chart:
    """Sources of the top outlets by verdict: live, archived, lost, unverified, stacked."""
    top = sorted(outlets, key=lambda o: (-o.urls, o.outlet))[:TOP_OUTLETS]
    rows = []
    for o in top:
        # Checked URLs are live, archived, lost or unverified (see score_outlets); OutletScore's
        # own `archived` also counts live pages with a capture, so the archived part is the rest.
        rest = max(o.urls - o.live - o.lost - o.unverified, 0)
        parts = (
            ("live", o.live),
            ("archived", rest),
            ("lost", o.lost),
            ("unverified", o.unverified),
        )
        rows.append((clean(o.outlet), _label(str(o.kind or "")), parts))
    more = len(outlets) - len(top)
    return _chart(
        f"chart-outlets{suffix}",
        "outlet",
        f"Verdicts by outlet: the {len(top)} outlets with most URLs",
        _bars(rows),
        legend=_OUTLET_PARTS,
        notes=(f"{more} more outlets in the outlet table below.",) if more > 0 else (),
        empty="Nothing was checked: no verdicts to chart."
        if nothing_checked
        else ("No sources." if not top else None),
    )


def _age_tone(age: str) -> str:
    if age not in CAPTURE_AGES:
        return "unknown"
    i, mid = CAPTURE_AGES.index(age), len(CAPTURE_AGES) // 2
    return "before" if i < mid else "near" if i == mid else "after"


def age_chart(result: AuditResult, suffix: str, *, asked: bool, lost: int, failed: int) -> Chart:
    """Archive captures by their distance from the document date."""
    ages = capture_ages(result)
    names = [*CAPTURE_AGES, *([AGE_UNKNOWN] if ages[AGE_UNKNOWN] else [])]
    rows = [(name, "", [(_age_tone(name), ages[name])]) for name in names]
    captured = sum(ages.values())
    notes = [f"{_urls(captured)} with a capture."]
    if lost:
        notes.append(f"{_urls(lost)} lost without one: cite another source or find a copy.")
    if failed:
        notes.append(f"Archive lookups failed for {_urls(failed)}: captures may be missing.")
    empty = None
    if not asked:
        empty = "Web archives were not asked (--no-archive): no capture dates to compare."
    elif not captured:
        empty = "No archive capture is known for any source."
    when = result.catalog.document.date
    title = "Archive captures by distance from the document date" + (
        f" ({when.isoformat()})" if when else ""
    )
    return _chart(
        f"chart-ages{suffix}",
        "age",
        title,
        _bars(rows),
        notes=tuple(notes) if asked else (),
        empty=empty,
    )


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
    facts = ["Verdicts: " + (", ".join(f"{n} {_label(k)}" for k, n in verdicts.items()) or "none")]
    if not asked:
        facts.append("Web archives were not asked (--no-archive): no archive copies are shown.")
    elif failed:
        facts.append(f"Archive lookups failed for {_urls(failed)}: captures may be missing.")
    if result.run is not None and result.run.from_cache:
        facts.append(f"{result.run.from_cache} of {result.run.urls} verdicts came from the cache.")
    if result.ignored:
        facts.append(f"Ignored by inline comments: {result.ignored} (listed, never checked).")
    return Summary(figures, tuple(attrs), tuple(facts))


def document_view(result: AuditResult, suffix: str = "") -> DocView:
    """One document's section: summary, charts, then problems before the long lists."""
    doc = result.catalog.document
    asked = archive_asked(result)
    kinds = {o.outlet: _label(str(o.kind)) for o in result.outlets if o.kind}
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
            age_chart(result, suffix, asked=asked, lost=states["lost"], failed=failed),
        ),
        asked=asked,
        attention=tuple(views[r.url] for r in attention(result)),
        moved=tuple(
            MovedView(_joined(r.notes), link(r.url), link(r.verdict.final_url or ""))
            for r in redirects_to_update(result)
            if r.verdict is not None
        ),
        typos=tuple(_typo(f.notes, f.confidence, f.urls) for f in typos(result)),
        claims=tuple(claim_view(c, views) for c in claims_by_risk(result)),
        sources=tuple(views[r.url] for r in rows),
        outlets=tuple(
            OutletView(
                clean(o.outlet),
                _label(str(o.kind or "")),
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
    return TypoView(_joined(notes), confidence or "", clean(one), clean(other))


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
