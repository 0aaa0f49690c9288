"""Decide a run's exit code from what it found: the `--fail-on` policy. Pure.

Exit 1 when any condition named in `fail_on` is found in any document, 0 otherwise (`never`
always gives 0). Exit 2, for usage and input errors, is the CLI's business, not this module's.

What each condition means:

- `lost`: a source is dead or soft_dead and no archive snapshot exists (the default).
- `dead`: a source is dead or soft_dead, even if an archive snapshot exists.
- `unverified`: a source could not be verified (blocked, error, failing, invalid) and has no
  snapshot. `failing` is a failure not yet confirmed by `--confirm N:DAYS`: never `lost`.
  Skipped URLs (excluded by configuration, private addresses) do not count: skipping was asked for.
- `single-source`: a claim cites exactly one distinct URL.
- `unsupported`: a claim has nothing recoverable (or cites no URL).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from citeaudit.errors import ConfigError
from citeaudit.judge.score import scored_sources, source_state
from citeaudit.models import AuditResult, LinkStatus, Risk, SourceState


class FailOn(StrEnum):
    """Conditions that make a run fail (exit 1)."""

    LOST = "lost"
    DEAD = "dead"
    UNVERIFIED = "unverified"
    SINGLE_SOURCE = "single-source"
    UNSUPPORTED = "unsupported"
    NEVER = "never"


DEFAULT_FAIL_ON: frozenset[FailOn] = frozenset({FailOn.LOST})


def parse_fail_on(values: Iterable[str]) -> frozenset[FailOn]:
    """FailOn members from their names (comma-separated values allowed); ConfigError if unknown."""
    out: set[FailOn] = set()
    for value in values:
        for name in value.split(","):
            name = name.strip().lower().replace("_", "-")
            if not name:
                continue
            try:
                out.add(FailOn(name))
            except ValueError:
                choices = ", ".join(f.value for f in FailOn)
                raise ConfigError(
                    f"unknown fail-on value {name!r} (choose from {choices})"
                ) from None
    return frozenset(out) if out else DEFAULT_FAIL_ON


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing a run found that `--fail-on` may care about, keyed so baselines can match it.

    Keys: `lost:URL`, `dead:URL`, `unverified:URL`, `single-source:CLAIM`, `unsupported:CLAIM`,
    where CLAIM is the claim's text with its whitespace collapsed (ids move; the text does not).
    """

    condition: FailOn
    subject: str
    """The URL, or the claim's text with its whitespace collapsed."""
    text: str

    @property
    def key(self) -> str:
        """The key baselines know this problem by.

        >>> Problem(FailOn.LOST, "https://a.example/", "lost source").key
        'lost:https://a.example/'
        """
        return f"{self.condition}:{self.subject}"


def problems(result: AuditResult) -> list[Problem]:
    """Every problem of one result, in a stable order (sources first, then claims)."""
    out: list[Problem] = []
    # The catalog's URLs, not every verdict: one run may share its verdicts between documents.
    for url in dict.fromkeys(s.url for _, s in scored_sources(result.catalog)):
        verdict = result.verdicts.get(url)
        if verdict is None:
            continue
        state = source_state(verdict)
        if state is SourceState.LOST:
            out.append(Problem(FailOn.LOST, url, f"lost source {url} ({verdict.reason})"))
        if verdict.status.is_lost:
            out.append(Problem(FailOn.DEAD, url, f"{verdict.status} source {url}"))
        if state is SourceState.UNVERIFIED and verdict.status is not LinkStatus.SKIPPED:
            reason = f"{verdict.status}: {verdict.reason}"
            out.append(Problem(FailOn.UNVERIFIED, url, f"unverified source {url} ({reason})"))
    for claim in result.claims:
        text = claim_subject(claim.claim.text)
        where = f"claim {claim.claim.id} (line {claim.claim.line})"
        for condition, present in (
            (FailOn.SINGLE_SOURCE, claim.sources == 1),
            (FailOn.UNSUPPORTED, claim.risk is Risk.UNSUPPORTED),
        ):
            if present:
                out.append(Problem(condition, text, f"{where} is {condition}: {text}"))
    return out


def claim_key(condition: FailOn, text: str) -> str:
    """The key a claim's problem is known by: condition and text, whitespace collapsed.

    >>> claim_key(FailOn.SINGLE_SOURCE, " Prices  rose in May.[2]")
    'single-source:Prices rose in May.[2]'
    """
    return Problem(condition, claim_subject(text), "").key


def split(result: AuditResult) -> tuple[list[Problem], list[Problem]]:
    """(new, already known) problems of a result; all are new when it has no baseline."""
    known = result.baseline or frozenset()
    found = problems(result)
    return [p for p in found if p.key not in known], [p for p in found if p.key in known]


def known_subjects(result: AuditResult) -> frozenset[str]:
    """The URLs and claim texts whose every problem the baseline already knows (none without one).

    A report shown beside a baseline lists only what changed; these are what it may count instead.
    """
    if not result.baseline:
        return frozenset()
    new, known = split(result)
    changed = {p.subject for p in new}
    return frozenset(p.subject for p in known if p.subject not in changed)


def claim_subject(text: str) -> str:
    """A claim's text as problems key it: its whitespace collapsed.

    >>> claim_subject(" Prices  rose\\n in May.")
    'Prices rose in May.'
    """
    return " ".join(text.split())


def distinct(found: list[Problem]) -> list[Problem]:
    """The problems to show: a lost source is also dead, so it is listed once."""
    lost = {p.subject for p in found if p.condition is FailOn.LOST}
    return [p for p in found if not (p.condition is FailOn.DEAD and p.subject in lost)]


def found(result: AuditResult) -> frozenset[FailOn]:
    """The conditions present in one result (never includes `never`)."""
    return frozenset(p.condition for p in problems(result))


def new_conditions(result: AuditResult) -> frozenset[FailOn]:
    """The conditions among the problems a baseline did not know (all of them without one)."""
    known = result.baseline or frozenset()
    return frozenset(p.condition for p in problems(result) if p.key not in known)


def exit_code(results: Sequence[AuditResult], fail_on: Collection[FailOn] = DEFAULT_FAIL_ON) -> int:
    """1 when any condition named in `fail_on` is found in any result, else 0."""
    if FailOn.NEVER in fail_on:
        return 0
    wanted = set(fail_on)
    # With a baseline (--baseline), only what the baseline did not already know counts.
    return 1 if any(new_conditions(r) & wanted for r in results) else 0
