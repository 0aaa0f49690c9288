"""The CI findings: which sources and claims SARIF, GitHub annotations and JUnit point at.

One `Annotation` per place a non-live source is cited, one `ClaimAnnotation` per claim a reviewer
should look at, each with its stable rule id and level, so the three CI formats never disagree on
what is an error, a warning or a notice. Text is returned raw: escaping is each format's job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from citeaudit import __version__
from citeaudit.judge.policy import FailOn, claim_key
from citeaudit.models import AuditResult, ClaimScore, LinkStatus, Risk, Source, SourceState
from citeaudit.report.common import SourceRow, source_rows
from citeaudit.report.words import shorten, snapshot_text

TOOL_NAME = "citeaudit"
TOOL_VERSION = __version__
TOOL_URI = "https://pypi.org/project/citeaudit/"


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
