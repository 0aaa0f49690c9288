"""What every report format agrees on: which sources and claims need attention, and the counts.

The renderers only lay this out; deciding what is lost, what needs action and in which order
lives here once, so the terminal table, Markdown, HTML, SARIF, JUnit and GitHub output never
disagree. How values are worded is in `words.py`; what CI annotations point at, in
`annotations.py`. Text from documents and pages is returned raw: escaping is each format's job
(see `text.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from citeaudit.catalog.archives import is_archive_copy
from citeaudit.catalog.outlets import is_shortlink
from citeaudit.judge.score import effective_outlet, scored_sources, source_state
from citeaudit.models import (
    ArchiveSnapshot,
    AuditResult,
    ClaimScore,
    Finding,
    FindingKind,
    LinkStatus,
    Note,
    OutletKind,
    Risk,
    Source,
    SourceState,
    Verdict,
)

UNCHECKED = "unchecked"

# Worst first: the order in which sources needing attention are listed.
_STATE_ORDER = {
    SourceState.LOST: 0,
    SourceState.ARCHIVED: 1,
    SourceState.UNVERIFIED: 2,
    SourceState.UNCHECKED: 3,
    SourceState.LIVE: 4,
}


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One distinct URL of a document, with its verdict and every place that cites it."""

    url: str
    outlet: str
    verdict: Verdict | None
    state: SourceState
    occurrences: tuple[tuple[Note, Source], ...]

    @property
    def label(self) -> str:
        """The verdict's name, or `unchecked`."""
        return str(self.verdict.status) if self.verdict else UNCHECKED

    @property
    def reason(self) -> str:
        """The verdict's reason in words."""
        return self.verdict.reason if self.verdict else "not checked"

    @property
    def notes(self) -> tuple[int, ...]:
        """The numbers of the notes citing this URL, each once."""
        return tuple(dict.fromkeys(n.number for n, _ in self.occurrences))

    @property
    def snapshot(self) -> ArchiveSnapshot | None:
        """The archive capture to use, when one is known."""
        v = self.verdict
        return v.archive if v and v.archive and v.archive.available and v.archive.url else None

    @property
    def annotated(self) -> bool:
        """Whether CI annotations (SARIF, GitHub, JUnit failures) should point at it.

        Skipped URLs were excluded on purpose, so they are listed but never annotated.
        """
        if self.verdict is None or self.verdict.status is LinkStatus.SKIPPED:
            return False
        return self.state in (SourceState.LOST, SourceState.UNVERIFIED, SourceState.ARCHIVED)


def source_rows(result: AuditResult) -> list[SourceRow]:
    """One row per distinct URL of the document, in first-cited order."""
    rows: dict[str, list[tuple[Note, Source]]] = {}
    for note, source in scored_sources(result.catalog):
        rows.setdefault(source.url, []).append((note, source))
    out = []
    for url, occurrences in rows.items():
        verdict = result.verdicts.get(url)
        out.append(
            SourceRow(
                url=url,
                outlet=effective_outlet(occurrences[0][1], verdict),
                verdict=verdict,
                state=source_state(verdict),
                occurrences=tuple(occurrences),
            )
        )
    return out


def attention(result: AuditResult) -> list[SourceRow]:
    """The checked sources that are not live, worst first (lost, archived, unverified)."""
    rows = [
        r for r in source_rows(result) if r.verdict is not None and r.state is not SourceState.LIVE
    ]
    return sorted(rows, key=lambda r: (_STATE_ORDER[r.state], r.occurrences[0][1].span.line))


def verdict_counts(result: AuditResult, rows: Sequence[SourceRow] | None = None) -> dict[str, int]:
    """Distinct URLs by verdict, in LinkStatus order, zero counts left out.

    `rows`: the result's `source_rows`, when the caller has them already.
    """
    counts = {str(s): 0 for s in LinkStatus}
    counts[UNCHECKED] = 0
    for row in source_rows(result) if rows is None else rows:
        counts[row.label] += 1
    return {k: v for k, v in counts.items() if v}


def state_counts(result: AuditResult, rows: Sequence[SourceRow] | None = None) -> dict[str, int]:
    """Distinct URLs by source state (every state, zeros included); `rows` as above."""
    counts = {str(s): 0 for s in SourceState}
    for row in source_rows(result) if rows is None else rows:
        counts[str(row.state)] += 1
    return counts


def risk_counts(result: AuditResult) -> dict[str, int]:
    """Claims by risk, worst first (every risk, zeros included)."""
    counts = {str(r): 0 for r in Risk}
    for claim in result.claims:
        counts[str(claim.risk)] += 1
    return counts


def claims_by_risk(result: AuditResult) -> list[ClaimScore]:
    """Every claim, worst risk first, then lowest score, then document order."""
    return sorted(result.claims, key=lambda c: (c.risk.severity, c.score or 0.0, c.claim.line))


def claims_at_risk(result: AuditResult) -> list[ClaimScore]:
    """The claims whose risk is not `ok`, worst first."""
    return [c for c in claims_by_risk(result) if c.risk is not Risk.OK]


def summary_line(result: AuditResult) -> str:
    """One line: URLs by verdict and claims at risk."""
    urls = len(source_rows(result))
    verdicts = ", ".join(f"{n} {k}" for k, n in verdict_counts(result).items())
    states = state_counts(result)
    line = (
        f"{urls} URLs ({verdicts or 'none'}); {states['lost']} lost, {states['archived']} archived"
    )
    line += f"; {len(claims_at_risk(result))} of {len(result.claims)} claims at risk"
    if result.ignored:
        line += f"; {result.ignored} ignored"
    return line


def redirects_to_update(result: AuditResult) -> list[SourceRow]:
    """Live sources whose every redirect hop was permanent: the link should name the new address."""
    return [r for r in source_rows(result) if r.verdict is not None and r.verdict.moved_permanently]


def typos(result: AuditResult) -> list[Finding]:
    """Possible typos in the document's URLs, most confident first, then in document order."""
    rank = {"high": 0, "medium": 1, "low": 2}
    found = [f for f in result.catalog.findings if f.kind is FindingKind.POSSIBLE_TYPO]
    return sorted(found, key=lambda f: rank.get(f.confidence or "", 3))


def claims_citing(result: AuditResult) -> dict[str, tuple[int, ...]]:
    """URL -> the ids of the scored claims that rest on it, in claim order."""
    out: dict[str, list[int]] = {}
    for score in result.claims:
        for url in score.urls:
            out.setdefault(url, []).append(score.claim.id)
    return {url: tuple(ids) for url, ids in out.items()}


def archive_asked(result: AuditResult) -> bool:
    """Whether the run asked a web archive (False with `--no-archive` or `archive = "none"`)."""
    if result.run is not None:
        return result.run.archive is not None
    # A result saved before runs were recorded: archives were asked if any answer is stored.
    return any(v.archive is not None for v in result.verdicts.values())


def archive_failures(result: AuditResult) -> int:
    """Distinct URLs of the document whose archive lookup failed (not "no capture")."""
    return sum(
        1
        for r in source_rows(result)
        if r.verdict and r.verdict.archive and r.verdict.archive.failed
    )


OUTLET_KINDS = (
    "state media",
    "government",
    "platform account",
    "archive copy",
    "shortener",
    "other website",
)
"""The kinds of outlet a source can come from, in the order the chart lists them."""

KIND_NAMES = {
    OutletKind.STATE_MEDIA: "state media",
    OutletKind.GOVERNMENT: "government",
    OutletKind.SOCIAL: "platform account",
    OutletKind.ARCHIVE: "archive copy",
}
"""Each outlet kind as OUTLET_KINDS words it."""


def source_kind(row: SourceRow, named: Mapping[str, OutletKind]) -> OutletKind | None:
    """The kind of one source: an archive copy when a web archive serves it, else its outlet's.

    A capture is a copy whoever runs the archive, so webarchive.loc.gov counts as an archive,
    not as the government its outlet (loc.gov) is. `named` maps outlets to their kinds.

    >>> row = SourceRow("https://webarchive.loc.gov/all/2023/https://x.org/", "loc.gov", None,
    ...     SourceState.UNCHECKED, ())
    >>> str(source_kind(row, {"loc.gov": OutletKind.GOVERNMENT}))
    'archive'
    """
    if is_archive_copy(row.url):
        return OutletKind.ARCHIVE
    return named.get(row.outlet)


def sources_by_kind(result: AuditResult) -> dict[str, dict[str, int]]:
    """Distinct URLs by the kind of outlet they come from, each split by source state.

    Every kind of OUTLET_KINDS and every state, zeros included. The kind is `source_kind`'s:
    an archive copy when a web archive serves the URL, else the outlet score's (the built-in
    lists as the `outlet_kinds` setting corrects them); an outlet of none of those kinds is a
    shortener when its link was not followed to a target, else `other website`.

    >>> from citeaudit.models import Catalog, Document, OutletScore
    >>> gov = Source("https://army.mil/a", "https://army.mil/a", "army.mil")
    >>> short = Source("https://bit.ly/x", "https://bit.ly/x", "bit.ly")
    >>> copy = Source("https://archive.ph/2023/x", "https://archive.ph/2023/x", "archive.ph")
    >>> note = Note(1, 1, "", (gov, short, copy))
    >>> catalog = Catalog(Document("r.md", None, None), (note,), ())
    >>> result = AuditResult(catalog, {gov.url: Verdict(gov.url, LinkStatus.DEAD, "404")},
    ...     outlets=(OutletScore("army.mil", 1, 0, 1, 0, 0, 0, OutletKind.GOVERNMENT),))
    >>> kinds = sources_by_kind(result)
    >>> kinds["government"]["lost"], kinds["shortener"]["unchecked"], kinds["other website"]["live"]
    (1, 1, 0)
    >>> kinds["archive copy"]["unchecked"]
    1
    """
    named = {o.outlet: o.kind for o in result.outlets if o.kind is not None}
    counts = {kind: {str(s): 0 for s in SourceState} for kind in OUTLET_KINDS}
    for row in source_rows(result):
        kind = source_kind(row, named)
        if kind is not None:
            name = KIND_NAMES[kind]
        else:
            name = "shortener" if is_shortlink(row.outlet) else "other website"
        counts[name][str(row.state)] += 1
    return counts


CAPTURE_AGES = (
    "over a year before",
    "1–12 months before",
    "1–4 weeks before",
    "within a week",
    "1–4 weeks after",
    "1–12 months after",
    "over a year after",
)
"""How far an archive capture is from the document date, earliest first."""
AGE_UNKNOWN = "date unknown"


def capture_ages(result: AuditResult) -> dict[str, int]:
    """Distinct URLs with an archive capture by its distance from the document date.

    Every bucket of CAPTURE_AGES, zeros included, then `date unknown` (no document date).

    >>> from citeaudit.models import Catalog, Document, Note
    >>> snap = ArchiveSnapshot(True, "https://web.archive.org/web/2023/a", days_from_document=-9)
    >>> a = Source("https://a.example/", "https://a.example/", "a.example")
    >>> result = AuditResult(Catalog(Document("r.md", None, None), (Note(1, 1, "", (a,)),), ()),
    ...     {a.url: Verdict(a.url, LinkStatus.DEAD, "404", archive=snap)})
    >>> [(age, n) for age, n in capture_ages(result).items() if n]
    [('1–4 weeks before', 1)]
    """
    counts = dict.fromkeys((*CAPTURE_AGES, AGE_UNKNOWN), 0)
    for row in source_rows(result):
        if row.snapshot is None:
            continue
        days = row.snapshot.days_from_document
        if days is None:
            counts[AGE_UNKNOWN] += 1
            continue
        # How far: 0 within a week, 1 within 30 days, 2 within a year, 3 beyond it.
        far = sum(1 for limit in (7, 30, 365) if abs(days) > limit)
        counts[CAPTURE_AGES[3 - far if days < 0 else 3 + far]] += 1
    return counts


def closing_line(results: Sequence[AuditResult]) -> str:
    """One line on what the run checked, how much came from the cache, and how long it took.

    >>> from citeaudit.models import Catalog, Document, RunFacts
    >>> done = AuditResult(Catalog(Document("r.md", None, None), (), ()), {},
    ...                    run=RunFacts(urls=512, from_cache=300, requests=260, seconds=4.21))
    >>> closing_line([done])
    'citeaudit: checked 512 URLs in 1 document (300 from the cache, 260 requests) in 4.2 s'
    """
    run = next((r.run for r in results if r.run is not None), None)
    documents = f"{len(results)} document{'' if len(results) == 1 else 's'}"
    if run is None:
        return f"citeaudit: {documents}, nothing checked"
    return (
        f"citeaudit: checked {run.urls} URL{'' if run.urls == 1 else 's'} in {documents} "
        f"({run.from_cache} from the cache, {run.requests} requests) in {run.seconds:.1f} s"
    )
