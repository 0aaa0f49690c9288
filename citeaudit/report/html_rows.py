"""The rows of the HTML report: one source (URL, verdict chip, archive copy) and one claim.

A claim shows each of its sources inline, so both are built here, once per URL, and shared by
the claims list, the sources list and the links that need attention. Text from documents and
pages is made inert here (control and bidi characters dropped) and escaped by the template
engine; a URL carries an `href` only when it is plain http(s).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from citeaudit.models import ArchiveOutcome, AuditResult, ClaimScore, OutletKind, SourceState
from citeaudit.report.common import SourceRow, source_kind
from citeaudit.report.text import inert
from citeaudit.report.words import cached_text, middle, score_text

URL_LABEL = 90
"""Longest URL shown whole; longer ones are cut in the middle (the link keeps the whole URL)."""

SHORT_URL_LABEL = 64
"""The same in the claims list, where every claim shows each of its sources."""

# Whitespace, controls, zero-width and bidi characters: a URL holding one is shown, not linked.
_NOT_IN_LINK = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


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


def joined(numbers: Sequence[int], limit: int = 8) -> str:
    """Note or claim numbers for a cell, the first `limit` shown.

    >>> joined(range(1, 11))
    '1, 2, 3, 4, 5, 6, 7, 8 +2'
    """
    shown = ", ".join(str(n) for n in numbers[:limit])
    return shown + (f" +{len(numbers) - limit}" if len(numbers) > limit else "")


def urls_text(n: int) -> str:
    """`1 URL`, `2 URLs`."""
    return f"{n} URL" if n == 1 else f"{n} URLs"


def label(value: str) -> str:
    """An enum value in words (`single_source` -> `single source`)."""
    return value.replace("_", " ")


def source_view(
    row: SourceRow,
    result: AuditResult,
    *,
    asked: bool,
    kinds: Mapping[str, OutletKind],
    citing: dict[str, tuple[int, ...]],
) -> SourceView:
    """One source row of the page; `kinds` maps outlets to their kinds."""
    verdict = row.verdict
    kind = source_kind(row, kinds)
    return SourceView(
        url=link(row.url),
        short=link(row.url, limit=SHORT_URL_LABEL),
        outlet=clean(row.outlet),
        kind=label(str(kind)) if kind else "",
        title=clean(verdict.title) if verdict and verdict.title else None,
        notes=joined(row.notes),
        first_note=row.notes[0] if row.notes else 0,
        line=row.occurrences[0][1].span.line,
        state=str(row.state),
        verdict=row.label,
        reason=clean(row.reason),
        cached=cached_text(verdict, result.generated_at),
        archive=archive_cell(row) if asked else None,
        claims=joined(citing.get(row.url, ())),
    )


def claim_view(score: ClaimScore, by_url: dict[str, SourceView]) -> ClaimView:
    """One claim of the page, its sources inline in the order the claim cites them."""
    return ClaimView(
        id=score.claim.id,
        line=score.claim.line,
        text=clean(score.claim.text),
        notes=joined(score.claim.notes),
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
