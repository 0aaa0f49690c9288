"""Which spelling a possible typo should become: only one that answered where the written did not.

A `possible_typo` finding groups URLs that look like one resource spelled several ways. That is
a suspicion, not a correction: the fix takes a candidate only when the check proved it, i.e.
the written URL is lost (dead or soft-dead), the candidate answered (alive or redirected), and
the candidate differs from the written URL in one place only (the host, or one path segment),
so a dead article is never swapped for a different live article of the same outlet. It does
not invent spellings nobody checked (a domain typo whose corrected URL is cited nowhere stays).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from citeaudit.models import Finding, FindingKind, Verdict


@dataclass(frozen=True, slots=True)
class Correction:
    """The spelling a lost URL should take, or why none can be chosen."""

    written: str
    candidate: str | None
    reason: str


def one_place_apart(a: str, b: str) -> bool:
    """Whether two URLs differ only in their host or in exactly one path segment.

    >>> one_place_apart("https://t.me/jharmous/997", "https://t.me/jharnous/997")
    True
    >>> one_place_apart("https://a.example/x/1", "https://b.example/x/1")
    True
    >>> one_place_apart("https://a.example/x/1", "https://b.example/x/2")
    False
    """
    pa, pb = urlsplit(a), urlsplit(b)
    if (pa.scheme, pa.query, pa.fragment) != (pb.scheme, pb.query, pb.fragment):
        return False
    if pa.netloc != pb.netloc:
        return pa.path == pb.path
    sa, sb = pa.path.split("/"), pb.path.split("/")
    return len(sa) == len(sb) and sum(x != y for x, y in zip(sa, sb, strict=True)) == 1


def corrections(
    findings: Iterable[Finding], verdicts: Mapping[str, Verdict]
) -> dict[str, Correction]:
    """For each lost URL named by a possible_typo finding: its proven spelling, or why none."""
    out: dict[str, Correction] = {}
    for finding in findings:
        if finding.kind is not FindingKind.POSSIBLE_TYPO:
            continue
        for written in finding.urls:
            verdict = verdicts.get(written)
            if verdict is None or not verdict.status.is_lost or written in out:
                continue
            out[written] = _correct(written, verdict, finding, verdicts)
    return out


def _correct(
    written: str, verdict: Verdict, finding: Finding, verdicts: Mapping[str, Verdict]
) -> Correction:
    related = [u for u in finding.urls if u != written and one_place_apart(written, u)]
    live = [u for u in related if (v := verdicts.get(u)) is not None and v.status.is_live]
    if len(live) == 1:
        answer = verdicts[live[0]]
        return Correction(
            written,
            live[0],
            f"possible typo: {written} is {verdict.status} ({verdict.reason}); "
            f"{live[0]} answers ({answer.reason})",
        )
    if len(live) > 1:
        return Correction(
            written, None, f"possible typo, but {len(live)} spellings answer: {', '.join(live)}"
        )
    if related:
        return Correction(
            written, None, f"possible typo, but no other spelling answered: {', '.join(related)}"
        )
    return Correction(
        written, None, "possible typo, but no other spelling of this very URL was checked"
    )
