"""Planning: which fix each source gets, in which order, and why the others are skipped."""

from __future__ import annotations

from datetime import UTC, date, datetime

from citeaudit.fix.model import SAFE_KINDS, ArchiveStyle, FixKind
from citeaudit.fix.plan import plan
from citeaudit.models import (
    ArchiveSnapshot,
    Catalog,
    Document,
    Finding,
    FindingKind,
    Flag,
    Hop,
    LinkStatus,
    Note,
    Source,
    Span,
    Verdict,
)

SNAP = ArchiveSnapshot(
    True,
    "https://web.archive.org/web/20230802000000/https://a.example/dead",
    datetime(2023, 8, 2, tzinfo=UTC),
    "wayback",
    -1,
)


def src(url: str, *flags: Flag, written: str | None = None, line: int = 10) -> Source:
    return Source(url, written or url, url.split("/")[2], flags, Span(line, 5))


def catalog(*sources: Source, findings: tuple[Finding, ...] = ()) -> Catalog:
    notes = tuple(Note(i, s.span.line, s.as_written, (s,)) for i, s in enumerate(sources, 1))
    return Catalog(Document("r.md", None, date(2023, 8, 3)), notes, (), findings)


def dead(url: str, archive: ArchiveSnapshot | None = None) -> Verdict:
    return Verdict(url, LinkStatus.DEAD, "404 Not Found", 404, archive=archive)


def moved(url: str, final: str, *statuses: int) -> Verdict:
    hops = tuple(Hop(f"{url}?{i}", s) for i, s in enumerate(statuses))
    return Verdict(url, LinkStatus.REDIRECTED, "200 after redirects", 200, final, hops)


def alive(url: str) -> Verdict:
    return Verdict(url, LinkStatus.ALIVE, "200 OK", 200)


def test_dead_with_capture_is_archived_appended_or_replaced() -> None:
    s = src("https://a.example/dead")
    (p,), skipped = plan(catalog(s), {s.url: dead(s.url, SNAP)}, SAFE_KINDS)
    assert (p.kind, p.new_url, p.append, skipped) == (FixKind.ARCHIVE, SNAP.url, True, [])
    assert p.reason == "dead (404 Not Found); archived 2023-08-02, 1 day before the document's date"
    (r,), _ = plan(catalog(s), {s.url: dead(s.url, SNAP)}, SAFE_KINDS, ArchiveStyle.REPLACE)
    assert not r.append


def test_dead_without_capture_is_skipped_with_the_archive_reason() -> None:
    s = src("https://a.example/dead")
    none = ArchiveSnapshot(False, reason="no capture in the Internet Archive")
    proposals, (skip,) = plan(catalog(s), {s.url: dead(s.url, none)}, SAFE_KINDS)
    assert proposals == [] and skip.kind is FixKind.ARCHIVE and skip.line == 10
    assert (
        skip.reason
        == "dead (404 Not Found) and no archive capture (no capture in the Internet Archive)"
    )


def test_a_note_already_citing_the_capture_is_left_alone() -> None:
    s = src("https://a.example/dead")
    capture = src(SNAP.url)
    notes = (Note(1, 10, "", (s, capture)),)
    cat = Catalog(Document("r.md", None, None), notes, ())
    assert plan(cat, {s.url: dead(s.url, SNAP), capture.url: alive(capture.url)}, SAFE_KINDS) == (
        [],
        [],
    )


def test_only_all_permanent_redirects_are_followed() -> None:
    a, b = src("http://a.example/x#part"), src("http://b.example/y")
    verdicts = {
        a.url: moved(a.url, "https://a.example/new", 301, 308),
        b.url: moved(b.url, "https://b.example/z", 301, 302),
    }
    (p,), (skip,) = plan(catalog(a, b), verdicts, SAFE_KINDS)
    assert p.kind is FixKind.REDIRECT and p.new_url == "https://a.example/new#part"
    assert p.reason == "moved permanently (301 -> 308) to https://a.example/new#part"
    assert skip.url == b.url and "not every hop is permanent (302)" in skip.reason


def test_typo_takes_the_spelling_that_answers_only() -> None:
    bad, good = src("https://t.me/jharmous/997"), src("https://t.me/jharnous/997")
    finding = Finding(FindingKind.POSSIBLE_TYPO, "", urls=(good.url, bad.url))
    cat = catalog(bad, good, findings=(finding,))
    (p,), _ = plan(cat, {bad.url: dead(bad.url), good.url: alive(good.url)}, SAFE_KINDS)
    assert (p.kind, p.source, p.new_url) == (FixKind.TYPO, bad, good.url)
    # Both dead: no proof either way.
    proposals, skipped = plan(cat, {bad.url: dead(bad.url), good.url: dead(good.url)}, SAFE_KINDS)
    assert proposals == []
    assert [(s.url, s.kind) for s in skipped if s.kind is FixKind.TYPO] == [
        (bad.url, FixKind.TYPO),
        (good.url, FixKind.TYPO),
    ]
    assert "no other spelling answered" in skipped[0].reason


def test_typo_never_swaps_a_dead_article_for_another_live_one() -> None:
    a, b = src("https://t.me/DeirEzzore/1"), src("https://t.me/DeirEzzor24/2")
    finding = Finding(FindingKind.POSSIBLE_TYPO, "", urls=(a.url, b.url))
    none = ArchiveSnapshot(False, reason="no capture")
    proposals, skipped = plan(
        catalog(a, b, findings=(finding,)),
        {a.url: dead(a.url, none), b.url: alive(b.url)},
        SAFE_KINDS,
    )
    assert proposals == []
    assert [s.kind for s in skipped] == [FixKind.TYPO, FixKind.ARCHIVE]
    assert "no other spelling of this very URL was checked" in skipped[0].reason


def test_truncated_takes_the_one_full_form_of_another_note() -> None:
    cut = src("https://a.example/long-sto", Flag.TRUNCATED, written="https://a.example/long-sto...")
    full = src("https://a.example/long-story")
    (p,), _ = plan(catalog(cut, full), {}, SAFE_KINDS)
    assert (p.kind, p.new_url) == (FixKind.TRUNCATED, full.url)
    other = src("https://a.example/long-stop")
    proposals, (skip,) = plan(catalog(cut, full, other), {}, SAFE_KINDS)
    assert proposals == [] and "2 URLs of other notes start with it" in skip.reason


def test_defanged_needs_refang_for_any_fix_that_writes_it_live() -> None:
    s = src("https://a.example/dead", Flag.DEFANGED, written="hxxps://a[.]example/dead")
    verdicts = {s.url: dead(s.url, SNAP)}
    proposals, (skip,) = plan(catalog(s), verdicts, SAFE_KINDS)
    assert proposals == [] and "add refang to --apply" in skip.reason
    (p,), _ = plan(catalog(s), verdicts, SAFE_KINDS | {FixKind.REFANG})
    assert p.kind is FixKind.ARCHIVE
    live = src("https://a.example/ok", Flag.DEFANGED, written="hxxps://a[.]example/ok")
    (r,), _ = plan(catalog(live), {live.url: alive(live.url)}, {FixKind.REFANG})
    assert (r.kind, r.new_url) == (FixKind.REFANG, "https://a.example/ok")


def test_kinds_not_asked_for_are_not_planned_and_ignored_notes_are_left() -> None:
    s = src("https://a.example/dead")
    assert plan(catalog(s), {s.url: dead(s.url, SNAP)}, {FixKind.REDIRECT}) == ([], [])
    cat = catalog(s)
    silenced = Catalog(cat.document, (Note(1, 10, "", (s,), ignored=True),), ())
    assert plan(silenced, {s.url: dead(s.url, SNAP)}, SAFE_KINDS) == ([], [])
