"""Decide, per source, what its URL becomes: pure, from the catalog and the verdicts only.

One source gets at most one fix, tried in this order: a truncated URL takes its full form from
another note; a lost URL with a proven typo takes the spelling that answered; a URL whose every
redirect hop is permanent takes its final URL; a lost URL with an archive capture gets the
capture; a defanged URL is written live (only when `refang` is asked for). A defanged source
gets none of the others unless `refang` is asked for too, since each of them writes the URL
live. Where a fix would apply but cannot be made, the reason is kept (`Skipped`).

Where the change lands in the file is not decided here: see `fix.text`, `fix.html`, `fix.docx`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from urllib.parse import urlsplit

from citeaudit.catalog.normalize import normalize
from citeaudit.fix.model import ArchiveStyle, FixKind, Proposal, Skipped
from citeaudit.fix.typos import Correction, corrections
from citeaudit.models import PERMANENT_REDIRECTS, Catalog, Flag, LinkStatus, Note, Source, Verdict

_WRITES_LIVE = (FixKind.TRUNCATED, FixKind.TYPO, FixKind.REDIRECT, FixKind.ARCHIVE)


def plan(
    catalog: Catalog,
    verdicts: Mapping[str, Verdict],
    kinds: Collection[FixKind],
    archive_style: ArchiveStyle = ArchiveStyle.APPEND,
) -> tuple[list[Proposal], list[Skipped]]:
    """The proposals for every source of `catalog` (document order), and the fixes skipped."""
    typos = corrections(catalog.findings, verdicts) if FixKind.TYPO in kinds else {}
    full_forms = _full_forms(catalog) if FixKind.TRUNCATED in kinds else {}
    proposals: list[Proposal] = []
    skipped: list[Skipped] = []
    for note, source in catalog.sources():
        if note.ignored:
            continue
        proposal, skips = _source_fix(
            note, source, verdicts.get(source.url), kinds, archive_style, typos, full_forms
        )
        if proposal is not None:
            proposals.append(proposal)
        else:
            skipped.extend(skips)
    return proposals, skipped


def _source_fix(
    note: Note,
    source: Source,
    verdict: Verdict | None,
    kinds: Collection[FixKind],
    style: ArchiveStyle,
    typos: Mapping[str, Correction],
    full_forms: Mapping[str, list[str]],
) -> tuple[Proposal | None, list[Skipped]]:
    skips: list[Skipped] = []
    for kind in _WRITES_LIVE:
        if kind not in kinds:
            continue
        found = _try(kind, note, source, verdict, style, typos, full_forms)
        if isinstance(found, Proposal):
            if Flag.DEFANGED in source.flags and FixKind.REFANG not in kinds:
                why = (
                    f"{found.reason}; but the URL is defanged, perhaps on purpose, and this "
                    "fix writes it live: add refang to --apply to allow it"
                )
                return None, [_skip(kind, note, source, why)]
            return found, []
        if found is not None:
            skips.append(found)
    if FixKind.REFANG in kinds and Flag.DEFANGED in source.flags:
        why = "defanged URL written live again"
        return Proposal(FixKind.REFANG, note.number, source, source.url, why), []
    return None, skips


def _try(
    kind: FixKind,
    note: Note,
    source: Source,
    verdict: Verdict | None,
    style: ArchiveStyle,
    typos: Mapping[str, Correction],
    full_forms: Mapping[str, list[str]],
) -> Proposal | Skipped | None:
    if kind is FixKind.TRUNCATED:
        return _truncated(note, source, full_forms)
    if verdict is None:
        return None
    if kind is FixKind.TYPO:
        correction = typos.get(source.url)
        if correction is None:
            return None
        if correction.candidate is None:
            return _skip(kind, note, source, correction.reason)
        return Proposal(kind, note.number, source, correction.candidate, correction.reason)
    if kind is FixKind.REDIRECT:
        return _redirect(note, source, verdict)
    return _archive(note, source, verdict, style)


def _skip(kind: FixKind, note: Note, source: Source, reason: str) -> Skipped:
    return Skipped(kind, source.url, note.number, source.span.line, reason)


def _full_forms(catalog: Catalog) -> dict[str, list[str]]:
    """For each truncated URL, the distinct complete URLs of the catalog it is a prefix of."""
    truncated = {s.url for _, s in catalog.sources() if Flag.TRUNCATED in s.flags}
    complete = [s.url for _, s in catalog.sources() if Flag.TRUNCATED not in s.flags]
    return {
        cut: list(dict.fromkeys(u for u in complete if u.startswith(cut) and u != cut))
        for cut in truncated
    }


def _truncated(
    note: Note, source: Source, full_forms: Mapping[str, list[str]]
) -> Proposal | Skipped | None:
    if Flag.TRUNCATED not in source.flags:
        return None
    forms = full_forms.get(source.url, [])
    if len(forms) == 1:
        return Proposal(
            FixKind.TRUNCATED,
            note.number,
            source,
            forms[0],
            "truncated with '...'; another note holds the full URL",
        )
    if forms:
        return _skip(
            FixKind.TRUNCATED,
            note,
            source,
            f"truncated with '...'; {len(forms)} URLs of other notes start with it",
        )
    return _skip(
        FixKind.TRUNCATED, note, source, "truncated with '...'; no note holds the full URL"
    )


def _redirect(note: Note, source: Source, verdict: Verdict) -> Proposal | Skipped | None:
    if verdict.status is not LinkStatus.REDIRECTED or not verdict.redirects:
        return None
    final = verdict.final_url
    if not final or final == source.url:
        return None
    temporary = [h for h in verdict.redirects if h.status not in PERMANENT_REDIRECTS]
    if temporary:
        statuses = ", ".join(str(h.status) for h in temporary)
        return _skip(
            FixKind.REDIRECT,
            note,
            source,
            f"redirects to {final}, but not every hop is permanent ({statuses}): "
            "the written URL may still be the one to cite",
        )
    fragment = urlsplit(source.url).fragment
    if fragment and "#" not in final:
        final = f"{final}#{fragment}"  # the probe drops the fragment; the reader's place stays
    hops = " -> ".join(str(h.status) for h in verdict.redirects)
    return Proposal(
        FixKind.REDIRECT,
        note.number,
        source,
        final,
        f"moved permanently ({hops}) to {final}",
    )


def _archive(
    note: Note, source: Source, verdict: Verdict, style: ArchiveStyle
) -> Proposal | Skipped | None:
    if not verdict.status.is_lost:
        return None
    snapshot = verdict.archive
    if snapshot is None or not snapshot.available or not snapshot.url:
        why = snapshot.reason if snapshot is not None and snapshot.reason else "none asked for"
        return _skip(
            FixKind.ARCHIVE,
            note,
            source,
            f"{verdict.status} ({verdict.reason}) and no archive capture ({why})",
        )
    if any(normalize(snapshot.url).url == s.url for s in note.sources):
        return None  # already fixed: the note cites the capture
    when = snapshot.timestamp.date().isoformat() if snapshot.timestamp else "an unknown date"
    days = snapshot.days_from_document
    distance = "" if days is None else f", {_days(days)} the document's date"
    return Proposal(
        FixKind.ARCHIVE,
        note.number,
        source,
        snapshot.url,
        f"{verdict.status} ({verdict.reason}); archived {when}{distance}",
        append=style is ArchiveStyle.APPEND,
    )


def _days(days: int) -> str:
    """
    >>> _days(-2), _days(0), _days(1)
    ('2 days before', 'on', '1 day after')
    """
    if days == 0:
        return "on"
    n = abs(days)
    return f"{n} day{'s' if n != 1 else ''} {'before' if days < 0 else 'after'}"
