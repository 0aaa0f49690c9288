"""Score claims and outlets from the catalog and the verdicts: pure, no I/O.

The model (also in the README):

- Each distinct URL gets a state from its verdict: `live` (alive, redirected); `archived` (not
  live, but an archive snapshot exists); `lost` (dead or soft_dead and no snapshot); `unverified`
  (blocked, error, failing, skipped, invalid: nobody could say whether the page is there; a
  truncated or malformed URL cannot be verified, so it is unverified, not lost, unless a snapshot
  exists);
  `unchecked` (no verdict).
- The claim counter `archived` counts every source with a snapshot, live ones included;
  `recoverable` counts the sources that are live or have a snapshot.
- A claim is scored over the distinct URLs of all the notes it cites:
  `score = recoverable / sources` (0 when it cites no URL), and its risk is the first that holds of
  `unsupported` (nothing recoverable, or no URL at all), `single_source` (one distinct URL),
  `single_outlet` (one distinct outlet), `degraded` (some source lost), `ok`.
- Outlets are `Source.outlet`, except that a shortlink the checker followed counts as the outlet it
  led to (`Verdict.final_outlet`).

Offline (no verdicts at all, the `claims` command) every state is `unchecked`: the counts that need
the network are 0, the score is None (unknown, not 0%), and the risk only uses what the document
says: `unsupported` for a claim citing no URL, then `single_source`, `single_outlet`, `ok`.
`degraded`, and
`unsupported` for a claim whose URLs are all gone, need the network, so offline and online agree on
everything else. With verdicts, a URL that has none (e.g. never probed) counts as unverified.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from citeaudit.catalog.outlets import outlet_kind
from citeaudit.models import (
    AuditResult,
    Catalog,
    Claim,
    ClaimScore,
    LinkStatus,
    Note,
    OutletScore,
    Risk,
    Source,
    SourceState,
    Verdict,
)


def has_snapshot(verdict: Verdict | None) -> bool:
    """Whether an archive capture of this URL is known."""
    return bool(verdict and verdict.archive and verdict.archive.available)


def source_state(verdict: Verdict | None) -> SourceState:
    """How one URL stands once its verdict and archive lookup are both known.

    >>> from citeaudit.models import LinkStatus
    >>> source_state(Verdict("https://a.org/", LinkStatus.DEAD, "404 Not Found"))
    <SourceState.LOST: 'lost'>
    >>> source_state(None)
    <SourceState.UNCHECKED: 'unchecked'>
    """
    if verdict is None:
        return SourceState.UNCHECKED
    if verdict.status.is_live or verdict.status is LinkStatus.FRAGMENT_MISSING:
        # a missing anchor leaves the page itself standing: the claim keeps its source
        return SourceState.LIVE
    if has_snapshot(verdict):
        return SourceState.ARCHIVED
    if verdict.status.is_lost:
        return SourceState.LOST
    # blocked, error, invalid (never probed) and skipped (excluded or private): nobody knows.
    return SourceState.UNVERIFIED


def effective_outlet(source: Source, verdict: Verdict | None) -> str:
    """The outlet a source really leans on: a followed shortlink counts as its target's outlet."""
    if verdict is not None and verdict.final_outlet:
        return verdict.final_outlet
    return source.outlet


def scored_sources(catalog: Catalog) -> list[tuple[Note, Source]]:
    """Every (note, source) occurrence that counts: notes silenced by an inline ignore do not."""
    return [(n, s) for n, s in catalog.sources() if not n.ignored]


@dataclass(frozen=True, slots=True)
class _Url:
    """One distinct URL of the document with what scoring needs to know about it."""

    url: str
    outlet: str
    state: SourceState
    snapshot: bool


def _urls(catalog: Catalog, verdicts: Mapping[str, Verdict]) -> dict[str, _Url]:
    online = bool(verdicts)
    out: dict[str, _Url] = {}
    for _, source in scored_sources(catalog):
        if source.url in out:
            continue
        verdict = verdicts.get(source.url)
        state = source_state(verdict)
        if online and state is SourceState.UNCHECKED:
            state = SourceState.UNVERIFIED
        out[source.url] = _Url(
            source.url, effective_outlet(source, verdict), state, has_snapshot(verdict)
        )
    return out


def is_silenced(catalog: Catalog, claim: Claim) -> bool:
    """Whether a claim is out of the audit: ignored itself, or citing only ignored notes.

    Scoring a claim whose every note is ignored would score it on nothing and call it
    unsupported, which is not what ignoring a note asks for.
    """
    if claim.ignored:
        return True
    cited = [catalog.note(n) for n in claim.notes]
    return bool(cited) and all(note is not None and note.ignored for note in cited)


def claim_urls(catalog: Catalog, claim: Claim) -> tuple[str, ...]:
    """The distinct URLs of all the notes a claim cites, in first-cited order."""
    seen: dict[str, None] = {}
    for number in claim.notes:
        note = catalog.note(number)
        if note is not None and not note.ignored:
            for source in note.sources:
                seen.setdefault(source.url, None)
    return tuple(seen)


def _risk(sources: int, recoverable: int, outlets: int, lost: int, online: bool) -> Risk:
    if sources == 0 or (online and recoverable == 0):
        return Risk.UNSUPPORTED
    if sources == 1:
        return Risk.SINGLE_SOURCE
    if outlets == 1:
        return Risk.SINGLE_OUTLET
    if lost:
        return Risk.DEGRADED
    return Risk.OK


def _score(claim: Claim, urls: Sequence[_Url], online: bool) -> ClaimScore:
    live = [u for u in urls if u.state is SourceState.LIVE]
    recoverable = sum(1 for u in urls if u.state is SourceState.LIVE or u.snapshot)
    lost = sum(1 for u in urls if u.state is SourceState.LOST)
    outlets = len({u.outlet for u in urls})
    return ClaimScore(
        claim=claim,
        sources=len(urls),
        live=len(live),
        archived=sum(1 for u in urls if u.snapshot),
        recoverable=recoverable,
        lost=lost,
        unverified=sum(1 for u in urls if u.state is SourceState.UNVERIFIED),
        outlets=outlets,
        live_outlets=len({u.outlet for u in live}),
        score=(recoverable / len(urls) if urls else 0.0) if online else None,
        risk=_risk(len(urls), recoverable, outlets, lost, online),
        urls=tuple(u.url for u in urls),
    )


def score_claims(catalog: Catalog, verdicts: Mapping[str, Verdict]) -> tuple[ClaimScore, ...]:
    """One score per claim, in document order; offline scoring when `verdicts` is empty.

    Claims silenced by an inline ignore, or citing only ignored notes, are not scored.
    """
    table = _urls(catalog, verdicts)
    online = bool(verdicts)
    return tuple(
        _score(claim, [table[u] for u in claim_urls(catalog, claim)], online)
        for claim in catalog.claims
        if not is_silenced(catalog, claim)
    )


def score_outlets(
    catalog: Catalog,
    verdicts: Mapping[str, Verdict],
    claims: Iterable[ClaimScore] | None = None,
    *,
    outlet_kinds: Mapping[str, str] | None = None,
) -> tuple[OutletScore, ...]:
    """One row per outlet: its URLs by state and how many claims lean on it.

    Sorted by the claims leaning on it (most first), then URLs, then name: the outlets a report
    depends on most come first.
    """
    table = _urls(catalog, verdicts)
    scores = score_claims(catalog, verdicts) if claims is None else tuple(claims)
    leaning: dict[str, int] = {}
    for score in scores:
        for outlet in {table[u].outlet for u in score.urls if u in table}:
            leaning[outlet] = leaning.get(outlet, 0) + 1
    by_outlet: dict[str, list[_Url]] = {}
    for u in table.values():
        by_outlet.setdefault(u.outlet, []).append(u)
    rows = [
        OutletScore(
            outlet=outlet,
            urls=len(urls),
            live=sum(1 for u in urls if u.state is SourceState.LIVE),
            lost=sum(1 for u in urls if u.state is SourceState.LOST),
            archived=sum(1 for u in urls if u.snapshot),
            unverified=sum(1 for u in urls if u.state is SourceState.UNVERIFIED),
            claims=leaning.get(outlet, 0),
            kind=outlet_kind(outlet, outlet_kinds),
        )
        for outlet, urls in by_outlet.items()
    ]
    return tuple(sorted(rows, key=lambda r: (-r.claims, -r.urls, r.outlet)))


def build_result(
    catalog: Catalog,
    verdicts: Mapping[str, Verdict],
    *,
    notices: Sequence[str] = (),
    hints: Sequence[str] = (),
    generated_at: datetime | None = None,
    ignored: int = 0,
    outlet_kinds: Mapping[str, str] | None = None,
) -> AuditResult:
    """Everything the reporters need about one document, scored.

    `outlet_kinds` (outlet -> kind, "" for none) corrects the built-in lists of state media,
    government and social outlets (the `outlet_kinds` setting).
    """
    claims = score_claims(catalog, verdicts)
    return AuditResult(
        catalog=catalog,
        verdicts=dict(verdicts),
        claims=claims,
        outlets=score_outlets(catalog, verdicts, claims, outlet_kinds=outlet_kinds),
        generated_at=generated_at,
        notices=tuple(notices),
        hints=tuple(hints),
        ignored=ignored,
    )
