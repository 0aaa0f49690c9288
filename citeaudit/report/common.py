"""What every report format agrees on: which sources and claims need attention, and the counts.

The renderers only lay this out; deciding what is lost, what to annotate and in which order lives
here once, so the terminal table, Markdown, SARIF, JUnit and GitHub output never disagree.
Text from documents and pages is returned raw: escaping is each format's job (see `text.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from citeaudit import __version__
from citeaudit.judge.policy import FailOn, claim_key
from citeaudit.judge.score import effective_outlet, scored_sources, source_state
from citeaudit.models import (
    ArchiveSnapshot,
    AuditResult,
    ClaimScore,
    Finding,
    FindingKind,
    LinkStatus,
    Note,
    Risk,
    Source,
    SourceState,
    Verdict,
)

TOOL_NAME = "citeaudit"
TOOL_VERSION = __version__
TOOL_URI = "https://pypi.org/project/citeaudit/"
UNCHECKED = "unchecked"

# Worst first: the order in which sources needing attention are listed.
_STATE_ORDER = {
    SourceState.LOST: 0,
    SourceState.ARCHIVED: 1,
    SourceState.UNVERIFIED: 2,
    SourceState.UNCHECKED: 3,
    SourceState.LIVE: 4,
}

RULES: dict[LinkStatus, str] = {
    LinkStatus.DEAD: "The cited page is gone (404, 410 or no such domain).",
    LinkStatus.SOFT_DEAD: "The cited page answers, but with a 'not found' page or the site's home.",
    LinkStatus.BLOCKED: "The site refused the check (401, 403, 429, bot wall): unverified.",
    LinkStatus.ERROR: "The check failed (timeout, reset, TLS, 5xx): unverified.",
    LinkStatus.INVALID: "The URL is truncated or malformed and cannot be checked.",
    LinkStatus.SKIPPED: "The URL was not checked (excluded, or a private address).",
    LinkStatus.FAILING: "The page failed recent checks, not yet enough to confirm (--confirm).",
    LinkStatus.FRAGMENT_MISSING: "The page answers, but the #fragment it is cited with is gone.",
}


CLAIM_RULES: dict[Risk, str] = {
    Risk.UNSUPPORTED: "No source of the claim is live or archived (or it cites no URL).",
    Risk.SINGLE_SOURCE: "The claim rests on one distinct URL.",
    Risk.SINGLE_OUTLET: "Every source of the claim comes from one outlet.",
}


def claim_rule_id(risk: Risk) -> str:
    """The stable rule id of a claim risk, e.g. CA-CLAIM-SINGLE-SOURCE.

    >>> claim_rule_id(Risk.SINGLE_OUTLET)
    'CA-CLAIM-SINGLE-OUTLET'
    """
    return "CA-CLAIM-" + risk.value.upper().replace("_", "-")


def rule_id(status: LinkStatus) -> str:
    """The stable rule id of a verdict, e.g. CA-SOFT-DEAD.

    >>> rule_id(LinkStatus.SOFT_DEAD)
    'CA-SOFT-DEAD'
    """
    return "CA-" + status.value.upper().replace("_", "-")


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


def verdict_counts(result: AuditResult) -> dict[str, int]:
    """Distinct URLs by verdict, in LinkStatus order, zero counts left out."""
    counts = {str(s): 0 for s in LinkStatus}
    counts[UNCHECKED] = 0
    for row in source_rows(result):
        counts[row.label] += 1
    return {k: v for k, v in counts.items() if v}


def state_counts(result: AuditResult) -> dict[str, int]:
    """Distinct URLs by source state (every state, zeros included)."""
    counts = {str(s): 0 for s in SourceState}
    for row in source_rows(result):
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


def score_text(score: ClaimScore) -> str:
    """A claim's score as a percentage, or `n/a` when nothing could be checked.

    >>> from citeaudit.models import Claim
    >>> claim = Claim(1, 1, "x", (1,))
    >>> score_text(ClaimScore(claim, 3, 2, 0, 2, 1, 0, 2, 2, 2 / 3, Risk.DEGRADED))
    '67%'
    >>> score_text(ClaimScore(claim, 1, 0, 0, 0, 0, 1, 1, 0, None, Risk.SINGLE_SOURCE))
    'n/a'
    """
    return "n/a" if score.score is None else f"{score.score:.0%}"


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


def distinguish(a: str, b: str, context: int = 16) -> tuple[str, str]:
    """Two similar URLs with their shared start elided, so where they differ stays visible.

    >>> distinguish("https://news.example/world/2023/article-x", "https://news.example/world/2023/aticle-x")
    ('…ple/world/2023/article-x', '…ple/world/2023/aticle-x')
    >>> distinguish("https://a.example/x", "https://b.example/x")
    ('https://a.example/x', 'https://b.example/x')
    """
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    cut = shared - context
    if cut <= 1:
        return a, b
    return "…" + a[cut:], "…" + b[cut:]


def cached_text(verdict: Verdict | None, now: datetime | None) -> str | None:
    """`cached 3 h ago` for a verdict reused from the store; None for a fresh one.

    >>> from datetime import UTC, datetime, timedelta
    >>> t = datetime(2024, 5, 1, 12, tzinfo=UTC)
    >>> v = Verdict("https://a.example/", LinkStatus.ALIVE, "200 OK", checked_at=t, from_cache=True)
    >>> cached_text(v, t + timedelta(hours=3, minutes=10))
    'cached 3 h ago'
    >>> cached_text(v, t + timedelta(days=2))
    'cached 2 d ago'
    """
    if verdict is None or not verdict.from_cache:
        return None
    if verdict.checked_at is None or now is None:
        return "cached"
    seconds = max(0.0, (now - verdict.checked_at).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"cached {int(seconds // size)} {unit} ago"
    return "cached just now"


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


def middle(text: str, limit: int) -> str:
    """Text cut in the middle to `limit` characters, so a URL keeps its host and its end.

    >>> middle("https://news.example/world/2023/08/03/a-long-slug-here", 32)
    'https://news.ex…a-long-slug-here'
    """
    if len(text) <= limit or limit < 5:
        return text
    head = (limit - 1) // 2
    tail = limit - 1 - head
    return f"{text[:head]}…{text[len(text) - tail :]}"


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


def shorten(text: str, limit: int = 100) -> str:
    """Text cut to `limit` characters on a word boundary, with an ellipsis.

    >>> shorten("one two three", 9)
    'one two…'
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut + "…"


def snapshot_text(snapshot: ArchiveSnapshot) -> str:
    """`URL (YYYY-MM-DD)` for a capture."""
    when = f" ({snapshot.timestamp.date().isoformat()})" if snapshot.timestamp else ""
    return f"{snapshot.url}{when}"


@dataclass(frozen=True, slots=True)
class Annotation:
    """One CI finding: a non-live source at one place in one document."""

    path: str
    line: int
    column: int
    level: str
    """error (lost), warning (unverified) or notice (gone, but archived)."""
    rule: str
    note: int
    row: SourceRow
    source: Source

    @property
    def title(self) -> str:
        """A short heading: rule and what happened."""
        return f"{self.rule}: {self.row.label.replace('_', ' ')} source in note {self.note}"

    @property
    def message(self) -> str:
        """The URL, what happened and the archived copy to use, in one sentence."""
        row, what = self.row, self.row.label.replace("_", " ")
        if row.state is SourceState.UNVERIFIED:
            return f"{row.url} could not be verified ({what}: {row.reason})"
        text = f"{row.url} is {what} ({row.reason})"
        if row.snapshot is not None:
            return f"{text}; use the archived copy {snapshot_text(row.snapshot)}"
        return f"{text} and no archived copy was found"


_LEVEL = {
    SourceState.LOST: "error",
    SourceState.UNVERIFIED: "warning",
    SourceState.ARCHIVED: "notice",
}


def occurrences(results: Sequence[AuditResult]) -> list[Annotation]:
    """Every occurrence of an annotated source, per document in document order."""
    out = []
    for result in results:
        path = result.catalog.document.path
        rows = [r for r in source_rows(result) if r.annotated]
        by_place = sorted(
            ((note, source, row) for row in rows for note, source in row.occurrences),
            key=lambda t: (t[1].span.line, t[1].span.column),
        )
        for note, source, row in by_place:
            assert row.verdict is not None  # annotated rows always have one
            out.append(
                Annotation(
                    path=path,
                    line=source.span.line,
                    column=source.span.column,
                    level=_LEVEL[row.state],
                    rule=rule_id(row.verdict.status),
                    note=note.number,
                    row=row,
                    source=source,
                )
            )
    return out


_CLAIM_LEVEL = {
    Risk.UNSUPPORTED: "warning",
    Risk.SINGLE_SOURCE: "notice",
    Risk.SINGLE_OUTLET: "notice",
}


@dataclass(frozen=True, slots=True)
class ClaimAnnotation:
    """One CI finding on a claim: unsupported, single-source or single-outlet, at its line."""

    path: str
    level: str
    """warning (unsupported) or notice (single source, single outlet)."""
    rule: str
    score: ClaimScore

    @property
    def baseline_key(self) -> str | None:
        """The key a baseline knows this problem by (see citeaudit.judge.policy.Problem), if any."""
        conditions = {
            Risk.UNSUPPORTED: FailOn.UNSUPPORTED,
            Risk.SINGLE_SOURCE: FailOn.SINGLE_SOURCE,
        }
        condition = conditions.get(self.score.risk)
        return None if condition is None else claim_key(condition, self.score.claim.text)

    @property
    def line(self) -> int:
        """The claim's line."""
        return self.score.claim.line

    @property
    def column(self) -> int:
        """The claim's column."""
        return self.score.claim.column

    @property
    def title(self) -> str:
        """A short heading: rule and claim."""
        return (
            f"{self.rule}: claim {self.score.claim.id} is {self.score.risk.value.replace('_', '-')}"
        )

    @property
    def message(self) -> str:
        """What the claim rests on, in one sentence, with its opening words."""
        c = self.score
        text = shorten(c.claim.text, 80)
        if c.risk is Risk.UNSUPPORTED:
            if not c.sources:
                return f"'{text}' cites no URL"
            if c.sources == 1:
                return f"'{text}': its only source is neither live nor archived"
            return f"'{text}': none of its {c.sources} sources is live or archived"
        if c.risk is Risk.SINGLE_SOURCE:
            return f"'{text}' rests on a single source: {c.urls[0] if c.urls else '?'}"
        return f"'{text}' rests on {c.sources} sources from a single outlet"


def claim_annotations(results: Sequence[AuditResult]) -> list[ClaimAnnotation]:
    """The claims a reviewer should look at, per document in document order (not ignored ones)."""
    out = []
    for result in results:
        path = result.catalog.document.path
        for score in sorted(result.claims, key=lambda c: (c.claim.line, c.claim.column)):
            level = _CLAIM_LEVEL.get(score.risk)
            if level is None or score.claim.ignored:
                continue
            out.append(ClaimAnnotation(path, level, claim_rule_id(score.risk), score))
    return out
