"""Hints: each piece of advice appears exactly when its condition holds."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from citeaudit.judge.hints import MAX_HOST_HINTS, hints
from citeaudit.models import (
    ArchiveSnapshot,
    AuditResult,
    Catalog,
    Claim,
    ClaimScore,
    Document,
    Flag,
    LinkStatus,
    Note,
    Risk,
    RunFacts,
    Source,
    Verdict,
)

SNAP = ArchiveSnapshot(available=True, url="https://web.archive.org/web/2023/x")
NONE = ArchiveSnapshot(available=False, reason="not found")


def audit(
    entries: list[tuple[str, LinkStatus | None, str, ArchiveSnapshot | None]],
    *,
    flags: dict[str, tuple[Flag, ...]] | None = None,
    notices: tuple[str, ...] = (),
    claim_sources: tuple[int, ...] = (),
    offline: bool = False,
) -> AuditResult:
    """One note per URL; `claim_sources` gives each hand-made claim's distinct source count."""
    flags = flags or {}
    notes = tuple(
        Note(i, 100 + i, url, (Source(url, url, "outlet", flags.get(url, ())),))
        for i, (url, *_rest) in enumerate(entries, 1)
    )
    verdicts = {
        url: Verdict(url, status, reason, archive=snap)
        for url, status, reason, snap in entries
        if status is not None
    }
    claims = tuple(
        ClaimScore(Claim(i, i, f"claim {i}", (1,)), n, n, 0, n, 0, 0, n, n, 1.0, Risk.OK)
        for i, n in enumerate(claim_sources, 1)
    )
    catalog = Catalog(Document("r.md", None, date(2023, 8, 3)), notes, ())
    run = RunFacts(urls=len(verdicts), archive="wayback", network_available=not offline)
    return AuditResult(catalog, verdicts, claims=claims, notices=notices, run=run)


def ok(url: str) -> tuple[str, LinkStatus, str, None]:
    return (url, LinkStatus.ALIVE, "200 OK", None)


def test_clean_run_has_no_hints():
    result = audit([ok("https://a.example/1"), ok("https://b.example/2")], claim_sources=(2,))
    assert hints(result) == ()
    assert hints(result, archive_stats={"rate_limited": 0, "failed": 0, "other": 5}) == ()


def test_blocked_hosts():
    entries = [
        (f"https://x.com/a/status/{i}", LinkStatus.BLOCKED, "bot wall", NONE) for i in range(12)
    ]
    entries.append(("https://www.facebook.com/p", LinkStatus.BLOCKED, "login page", None))
    # A blocked URL that has a snapshot is recoverable: no advice needed for it.
    entries.append(("https://linkedin.com/in/x", LinkStatus.BLOCKED, "999", SNAP))
    got = hints(audit(entries))
    assert got == (
        "12 URLs on x.com were unverifiable: consider `accept` for that host in "
        "[tool.citeaudit] or archive links",
        "1 URL on facebook.com was unverifiable: consider `accept` for that host in "
        "[tool.citeaudit] or archive links",
    )


def test_blocked_hosts_are_capped():
    entries = [
        (f"https://h{i}.example/{j}", LinkStatus.BLOCKED, "403", None)
        for i in range(MAX_HOST_HINTS + 2)
        for j in range(i + 1)
    ]
    got = hints(audit(entries))
    assert len(got) == MAX_HOST_HINTS + 1
    assert got[0].startswith("5 URLs on h4.example")
    assert got[-1] == "3 more URLs on 2 other hosts were unverifiable"


def test_network_unavailable_from_the_run_facts():
    want = "network unavailable: nothing was marked dead; rerun with network access"
    offline = audit(
        [("https://a.example/", LinkStatus.ERROR, "no such domain", None)], offline=True
    )
    assert hints(offline)[0] == want
    # the words in a reason are not the fact: only the run knows whether the network was there
    worded = audit([("https://a.example/", LinkStatus.ERROR, "network unavailable", None)])
    assert want not in hints(worded)


def test_an_offline_run_asked_for_is_not_called_a_missing_network():
    """--offline probes nothing on purpose: the run's notice says so, no hint asks for a network."""
    asked = audit([("https://a.example/", None, "", None)], offline=True)
    assert asked.run is not None
    asked = dataclasses.replace(
        asked, run=dataclasses.replace(asked.run, settings={"offline": True})
    )
    assert not any(h.startswith("network unavailable") for h in hints(asked))


def test_timeouts_unless_offline():
    entries = [
        ("https://a.example/", LinkStatus.ERROR, "timeout after 15 s", None),
        ("https://b.example/", LinkStatus.ERROR, "read timed out", None),
    ]
    assert hints(audit(entries)) == (
        "2 URLs timed out: rerun later or raise `timeout` in [tool.citeaudit]",
    )
    offline = hints(audit(entries, offline=True))
    assert not any("timed out" in h for h in offline)


def test_archive_rate_limited():
    want = "archive lookups were rate limited: rerun later or use the cache"
    assert hints(audit([ok("https://a.example/")]), archive_stats={"rate_limited": 3}) == (want,)
    limited = ArchiveSnapshot(available=False, reason="rate limited by the archive")
    from_reason = audit([("https://a.example/", LinkStatus.DEAD, "404", limited)])
    assert want in hints(from_reason)
    assert want not in hints(audit([("https://a.example/", LinkStatus.DEAD, "404", NONE)]))


def test_archive_failures():
    want = ("2 archive lookups failed: snapshots may be missing; rerun later",)
    assert hints(audit([ok("https://a.example/")]), archive_stats={"errors": 2}) == want
    assert hints(audit([ok("https://a.example/")]), archive_stats={"failed": 2}) == want
    stats = {"lookups": 9, "found": 4, "not_found": 5, "rate_limited": 0, "errors": 0}
    assert hints(audit([ok("https://a.example/")]), archive_stats=stats) == ()


def test_truncated_urls():
    entries = [
        ("https://a.example/artic", LinkStatus.INVALID, "truncated", None),
        ("https://b.example/new", LinkStatus.INVALID, "truncated", None),
        ok("https://c.example/full"),
    ]
    flags = {
        "https://a.example/artic": (Flag.TRUNCATED,),
        "https://b.example/new": (Flag.TRUNCATED,),
    }
    got = hints(audit(entries, flags=flags))
    assert got == ("2 truncated URLs cannot be checked: replace them with full links",)
    # Offline (no verdicts at all) the document alone says so.
    assert hints(audit([(u, None, "", None) for u in flags], flags=flags)) == got


def test_dead_links_with_and_without_snapshots():
    entries = [
        ("https://a.example/", LinkStatus.DEAD, "404", SNAP),
        ("https://b.example/", LinkStatus.SOFT_DEAD, "not found page", None),
        ("https://c.example/", LinkStatus.DEAD, "410", NONE),
    ]
    assert hints(audit(entries)) == (
        "1 dead link has an archive copy: cite the snapshot shown in the report",
        "2 lost sources have no known archive copy: find another source, "
        'or try `archive = "memento"` for other archives',
    )


@pytest.mark.parametrize(("sources", "expected"), [((1, 2, 1), 2), ((1,), 1), ((2, 3), 0)])
def test_single_source_claims(sources, expected):
    got = [
        h for h in hints(audit([ok("https://a.example/")], claim_sources=sources)) if "rest" in h
    ]
    if expected == 0:
        assert got == []
    elif expected == 1:
        assert got == ["1 claim rests on one source: add an independent second source"]
    else:
        assert got == [f"{expected} claims rest on one source: add an independent second source"]


def test_only_the_documents_urls_count():
    # Several documents share one run's verdicts: another document's blocked URL is not ours.
    result = audit([ok("https://a.example/")])
    shared = dict(result.verdicts)
    shared["https://x.com/other"] = Verdict("https://x.com/other", LinkStatus.BLOCKED, "bot wall")
    assert hints(AuditResult(result.catalog, shared)) == ()


def test_claims_resting_only_on_state_media_or_social_accounts() -> None:
    from citeaudit.judge.score import build_result

    sources = {
        "https://sana.sy/a": "sana.sy",
        "https://t.me/chan/1": "t.me/chan",
        "https://reuters.com/x": "reuters.com",
    }
    notes = tuple(
        Note(i, 100 + i, url, (Source(url, url, outlet),))
        for i, (url, outlet) in enumerate(sources.items(), 1)
    )
    claims = (
        Claim(1, 10, "State media and a channel say so.", (1, 2)),
        Claim(2, 11, "Reuters and state media say so.", (1, 3)),
    )
    catalog = Catalog(Document("r.md", None, date(2023, 8, 3)), notes, claims)
    result = build_result(catalog, {})
    advice = [h for h in hints(result) if "state media" in h]
    assert advice == [
        "1 claim rests only on state media or social accounts (claim 1): "
        "look for an independent outlet"
    ]


def test_without_archives_no_hint_points_at_a_snapshot():
    # A snapshot the store kept from an earlier run: the reports show no archive column now.
    entries = [
        ("https://a.example/", LinkStatus.DEAD, "404", SNAP),
        ("https://c.example/", LinkStatus.DEAD, "410", None),
    ]
    result = audit(entries)
    result = dataclasses.replace(result, run=dataclasses.replace(result.run, archive=None))
    assert hints(result) == ("1 source is gone: find another source",)
