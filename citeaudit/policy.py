"""Decide a run's exit code from what it found: the `--fail-on` policy. Pure.

Exit 1 when any condition named in `fail_on` is found in any document, 0 otherwise (`never`
always gives 0). Exit 2, for usage and input errors, is the CLI's business, not this module's.

What each condition means:

- `lost`: a source is dead or soft_dead and no archive snapshot exists (the default).
- `dead`: a source is dead or soft_dead, even if an archive snapshot exists.
- `unverified`: a source could not be verified (blocked, error, invalid) and has no snapshot.
  Skipped URLs (excluded by configuration, private addresses) do not count: skipping was asked for.
- `single-source`: a claim cites exactly one distinct URL.
- `unsupported`: a claim has nothing recoverable (or cites no URL).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from enum import StrEnum

from citeaudit.errors import ConfigError
from citeaudit.models import AuditResult, LinkStatus, Risk, SourceState
from citeaudit.score import scored_sources, source_state


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


def found(result: AuditResult) -> frozenset[FailOn]:
    """The conditions present in one result (never includes `never`)."""
    out: set[FailOn] = set()
    # The catalog's URLs, not every verdict: one run may share its verdicts between documents.
    for url in dict.fromkeys(s.url for _, s in scored_sources(result.catalog)):
        verdict = result.verdicts.get(url)
        if verdict is None:
            continue
        state = source_state(verdict)
        if state is SourceState.LOST:
            out.add(FailOn.LOST)
        if verdict.status.is_lost:
            out.add(FailOn.DEAD)
        if state is SourceState.UNVERIFIED and verdict.status is not LinkStatus.SKIPPED:
            out.add(FailOn.UNVERIFIED)
    for claim in result.claims:
        if claim.sources == 1:
            out.add(FailOn.SINGLE_SOURCE)
        if claim.risk is Risk.UNSUPPORTED:
            out.add(FailOn.UNSUPPORTED)
    return frozenset(out)


def exit_code(results: Sequence[AuditResult], fail_on: Collection[FailOn] = DEFAULT_FAIL_ON) -> int:
    """1 when any condition named in `fail_on` is found in any result, else 0."""
    if FailOn.NEVER in fail_on:
        return 0
    wanted = set(fail_on)
    return 1 if any(found(r) & wanted for r in results) else 0
