"""Scoring on hand-built catalogs and verdicts, offline and online, and on the ISW sample."""

from __future__ import annotations

import dataclasses
import http.server
import json
import threading
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citeaudit.judge.score import build_result, score_claims, score_outlets, source_state
from citeaudit.models import (
    ArchiveSnapshot,
    Catalog,
    Claim,
    Document,
    Flag,
    LinkStatus,
    Note,
    Risk,
    Source,
    SourceState,
    Verdict,
)

SNAP = ArchiveSnapshot(True, url="https://web.archive.org/web/2023/https://x.org/a")
NO_SNAP = ArchiveSnapshot(False, reason="not found")
DOC = Document("doc.md", None, None)


def s(url: str, outlet: str | None = None, flags: tuple[Flag, ...] = ()) -> Source:
    host = url.split("/")[2]
    return Source(url, url, outlet or host, flags)


def v(url: str, status: LinkStatus, archive: ArchiveSnapshot | None = None, **kw: str) -> Verdict:
    return Verdict(url, status, status.value, archive=archive, **kw)  # type: ignore[arg-type]


def catalog(*notes: tuple[Source, ...], claims: tuple[tuple[int, ...], ...]) -> Catalog:
    return Catalog(
        DOC,
        tuple(Note(i + 1, 100 + i, "", srcs) for i, srcs in enumerate(notes)),
        tuple(Claim(i + 1, 10 + i, f"claim {i + 1}", cites) for i, cites in enumerate(claims)),
    )


@pytest.mark.parametrize(
    ("status", "archive", "state"),
    [
        (LinkStatus.ALIVE, None, SourceState.LIVE),
        (LinkStatus.REDIRECTED, SNAP, SourceState.LIVE),
        (LinkStatus.DEAD, None, SourceState.LOST),
        (LinkStatus.DEAD, NO_SNAP, SourceState.LOST),
        (LinkStatus.SOFT_DEAD, None, SourceState.LOST),
        (LinkStatus.DEAD, SNAP, SourceState.ARCHIVED),
        (LinkStatus.SOFT_DEAD, SNAP, SourceState.ARCHIVED),
        (LinkStatus.BLOCKED, None, SourceState.UNVERIFIED),
        (LinkStatus.BLOCKED, SNAP, SourceState.ARCHIVED),
        (LinkStatus.ERROR, None, SourceState.UNVERIFIED),
        (LinkStatus.INVALID, None, SourceState.UNVERIFIED),
        (LinkStatus.INVALID, SNAP, SourceState.ARCHIVED),
        (LinkStatus.SKIPPED, None, SourceState.UNVERIFIED),
    ],
)
def test_source_state(status: LinkStatus, archive: ArchiveSnapshot | None, state: SourceState):
    assert source_state(v("https://x.org/a", status, archive)) is state


def test_source_state_without_verdict_is_unchecked():
    assert source_state(None) is SourceState.UNCHECKED


def test_each_risk_worst_first():
    a1, a2 = s("https://a.com/1"), s("https://a.com/2")
    b, c, d = s("https://b.com/1"), s("https://c.com/1"), s("https://d.com/1")
    cat = catalog(
        (a1, a2),  # 1: one outlet
        (b, c),  # 2: b live, c dead
        (d,),  # 3: d dead
        (),  # 4: no URL at all
        (b,),  # 5: one live URL
        (a1, b),  # 6: fine
        (c, d),  # 7: two dead URLs on two outlets
        (s("https://e.com/1"), s("https://f.com/1")),  # 8: both unverified
        claims=tuple((n,) for n in range(1, 9)),
    )
    verdicts = {
        a1.url: v(a1.url, LinkStatus.ALIVE),
        a2.url: v(a2.url, LinkStatus.REDIRECTED),
        b.url: v(b.url, LinkStatus.ALIVE),
        c.url: v(c.url, LinkStatus.DEAD),
        d.url: v(d.url, LinkStatus.SOFT_DEAD),
        "https://e.com/1": v("https://e.com/1", LinkStatus.BLOCKED),
        "https://f.com/1": v("https://f.com/1", LinkStatus.ERROR),
    }
    risks = [c.risk for c in score_claims(cat, verdicts)]
    assert risks == [
        Risk.SINGLE_OUTLET,
        Risk.DEGRADED,
        Risk.UNSUPPORTED,
        Risk.UNSUPPORTED,
        Risk.SINGLE_SOURCE,
        Risk.OK,
        Risk.UNSUPPORTED,
        Risk.UNSUPPORTED,
    ]


def test_counts_and_score_over_distinct_urls_of_all_notes():
    live, dead_arch, lost, blocked = (
        s("https://a.com/1"),
        s("https://b.com/1"),
        s("https://c.com/1"),
        s("https://twitter.com/acct/1", "twitter.com/acct"),
    )
    live_arch = s("https://a.com/2")
    # The same URL in two notes counts once.
    cat = catalog((live, dead_arch, lost), (live, blocked, live_arch), claims=((1, 2, 99),))
    verdicts = {
        live.url: v(live.url, LinkStatus.ALIVE),
        dead_arch.url: v(dead_arch.url, LinkStatus.DEAD, SNAP),
        lost.url: v(lost.url, LinkStatus.DEAD, NO_SNAP),
        blocked.url: v(blocked.url, LinkStatus.BLOCKED),
        live_arch.url: v(live_arch.url, LinkStatus.ALIVE, SNAP),
    }
    (score,) = score_claims(cat, verdicts)
    assert (score.sources, score.live, score.archived, score.recoverable) == (5, 2, 2, 3)
    assert (score.lost, score.unverified, score.outlets, score.live_outlets) == (1, 1, 4, 1)
    assert score.score == pytest.approx(3 / 5)
    assert score.risk is Risk.DEGRADED
    assert score.urls == (live.url, dead_arch.url, lost.url, blocked.url, live_arch.url)


def test_followed_shortlinks_count_as_their_target_outlet():
    t1 = s("https://t.co/abc", flags=(Flag.SHORTLINK,))
    t2 = s("https://t.co/def", flags=(Flag.SHORTLINK,))
    cat = catalog((t1, t2), claims=((1,),))
    offline = score_claims(cat, {})[0]
    assert (offline.outlets, offline.risk) == (1, Risk.SINGLE_OUTLET)
    verdicts = {
        t1.url: v(t1.url, LinkStatus.REDIRECTED, final_outlet="reuters.com"),
        t2.url: v(t2.url, LinkStatus.REDIRECTED, final_outlet="apnews.com"),
    }
    online = score_claims(cat, verdicts)[0]
    assert (online.outlets, online.live_outlets, online.risk) == (2, 2, Risk.OK)
    assert {o.outlet for o in score_outlets(cat, verdicts)} == {"reuters.com", "apnews.com"}


def test_offline_scoring_keeps_counts_and_document_only_risks():
    a1, a2, b = s("https://a.com/1"), s("https://a.com/2"), s("https://b.com/1")
    cat = catalog((a1, a2), (b,), (), (a1, b), claims=((1,), (2,), (3,), (4,)))
    scores = score_claims(cat, {})
    assert [c.risk for c in scores] == [
        Risk.SINGLE_OUTLET,
        Risk.SINGLE_SOURCE,
        Risk.UNSUPPORTED,
        Risk.OK,
    ]
    assert [(c.sources, c.outlets) for c in scores] == [(2, 1), (1, 1), (0, 0), (2, 2)]
    assert all(c.live == c.lost == c.recoverable == c.unverified == 0 for c in scores)
    assert all(c.score is None for c in scores)  # unknown offline, not 0%


def test_a_url_without_verdict_in_an_online_run_is_unverified():
    a, b = s("https://a.com/1"), s("https://b.com/1")
    cat = catalog((a, b), claims=((1,),))
    (score,) = score_claims(cat, {a.url: v(a.url, LinkStatus.ALIVE)})
    assert (score.live, score.unverified, score.risk) == (1, 1, Risk.OK)


def test_outlet_scores_count_states_and_claims_leaning_on_them():
    a1, a2, b, c = (
        s("https://a.com/1"),
        s("https://a.com/2"),
        s("https://b.com/1"),
        s("https://c.com/1"),
    )
    cat = catalog((a1, b), (a2,), (c,), claims=((1,), (1, 2), (2,), (3,)))
    verdicts = {
        a1.url: v(a1.url, LinkStatus.ALIVE),
        a2.url: v(a2.url, LinkStatus.DEAD, SNAP),
        b.url: v(b.url, LinkStatus.DEAD),
        c.url: v(c.url, LinkStatus.BLOCKED),
    }
    outlets = score_outlets(cat, verdicts)
    assert [o.outlet for o in outlets] == ["a.com", "b.com", "c.com"]
    a, bo, co = outlets
    assert (a.urls, a.live, a.archived, a.lost, a.unverified, a.claims) == (2, 1, 1, 0, 0, 3)
    assert (bo.urls, bo.lost, bo.claims) == (1, 1, 2)
    assert (co.unverified, co.claims) == (1, 1)


def test_build_result_carries_everything():
    a = s("https://a.com/1")
    cat = catalog((a,), claims=((1,),))
    result = build_result(
        cat, {a.url: v(a.url, LinkStatus.DEAD)}, notices=("n",), hints=("h",), ignored=2
    )
    assert result.claims[0].risk is Risk.UNSUPPORTED
    assert result.outlets[0].lost == 1
    assert (result.notices, result.hints, result.ignored) == (("n",), ("h",), 2)


URLS = [f"https://{host}.com/{i}" for host in "abc" for i in range(2)]


@settings(max_examples=150, deadline=None)
@given(
    notes=st.lists(st.lists(st.sampled_from(URLS), max_size=4), min_size=1, max_size=4),
    cites=st.lists(st.lists(st.integers(1, 5), max_size=3), min_size=1, max_size=5),
    statuses=st.lists(
        st.tuples(st.sampled_from(list(LinkStatus)), st.booleans()), min_size=6, max_size=6
    ),
)
def test_scores_are_consistent(notes, cites, statuses):
    cat = Catalog(
        DOC,
        tuple(Note(i + 1, i, "", tuple(s(u) for u in urls)) for i, urls in enumerate(notes)),
        tuple(Claim(i + 1, i, "", tuple(c)) for i, c in enumerate(cites)),
    )
    verdicts = {
        u: v(u, status, SNAP if snap else None)
        for u, (status, snap) in zip(URLS, statuses, strict=True)
    }
    online, offline = score_claims(cat, verdicts), score_claims(cat, {})
    for on, off in zip(online, offline, strict=True):
        assert 0.0 <= on.score <= 1.0
        assert on.live + on.lost + on.unverified <= on.sources
        assert on.recoverable <= on.sources and on.live_outlets <= on.outlets
        assert (on.risk is Risk.UNSUPPORTED) == (on.recoverable == 0)
        # What does not need the network is the same offline.
        assert (on.sources, on.outlets, on.urls) == (off.sources, off.outlets, off.urls)
        if on.recoverable:
            assert on.risk is off.risk or (off.risk, on.risk) == (Risk.OK, Risk.DEGRADED)
        else:
            assert off.risk is not Risk.DEGRADED


ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "endnotes" / "isw-2023-08-03-syria.txt"
GOLD = ROOT / "tests" / "parse" / "isw-2023-08-03-syria.gold.json"


def test_sample_report_scored_offline_matches_the_gold_catalog():
    from citeaudit.catalog import build_catalog
    from citeaudit.parse.text import decode, parse_text

    text, findings = decode(SEED.read_bytes(), str(SEED))
    raw = parse_text(text, str(SEED), findings=findings)
    gold = json.loads(GOLD.read_text())
    scores = score_claims(build_catalog(raw, str(SEED)), {})
    assert len(scores) == len(gold["claims"]) == 38
    for score, claim in zip(scores, gold["claims"], strict=True):
        urls = {src["url"] for n in claim["cites"] for src in gold["notes"][str(n)]["sources"]}
        assert score.sources == len(urls), claim["starts_with"]
        if len(urls) == 1:
            assert score.risk is Risk.SINGLE_SOURCE
    # Claim 1 cites three criticalthreats.org updates: several URLs, one outlet.
    assert (scores[0].sources, scores[0].outlets, scores[0].risk) == (3, 1, Risk.SINGLE_OUTLET)


class _Outlets(http.server.BaseHTTPRequestHandler):
    """Plays the sample report's outlets on loopback: one page per cited path, 404 elsewhere."""

    pages: frozenset[tuple[str, str]] = frozenset()
    gone = ("t.me", "www.washingtonpost.com")
    walled = ("twitter.com",)

    def _answer(self) -> tuple[int, bytes]:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        if host in self.walled:
            return 403, b"<title>Log in</title>"
        if host in self.gone or (host, self.path) not in self.pages:
            return 404, b"<title>Not found</title>"
        return 200, f"<title>{host} {len(self.path)}</title><p>{self.path}</p>".encode()

    def do_HEAD(self) -> None:  # noqa: N802 - the http.server naming
        status, body = self._answer()
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        self.do_HEAD()
        self.wfile.write(self._answer()[1])

    def log_message(self, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    # The checker opens up to 64 connections at once: the default backlog of 5 would refuse some.
    request_queue_size = 256
    daemon_threads = True


def test_sample_report_scored_end_to_end_against_loopback_outlets():
    from citeaudit.audit import AuditOptions, check_documents
    from citeaudit.catalog import build_catalog
    from citeaudit.check.options import CheckOptions
    from citeaudit.parse.text import decode, parse_text

    text, findings = decode(SEED.read_bytes(), str(SEED))
    parsed = build_catalog(parse_text(text, str(SEED), findings=findings), str(SEED))
    server = _Server(("127.0.0.1", 0), _Outlets)
    port = server.server_address[1]

    def to_loopback(source: Source) -> Source:
        # The same host and path, served by the loopback server: the outlet is unchanged.
        parts = urlsplit(source.url)
        url = urlunsplit(("http", f"{parts.hostname}:{port}", parts.path, parts.query, ""))
        return dataclasses.replace(source, url=url)

    cat = dataclasses.replace(
        parsed,
        notes=tuple(
            dataclasses.replace(n, sources=tuple(to_loopback(s) for s in n.sources))
            for n in parsed.notes
        ),
    )
    hosts = {urlsplit(s.url).hostname for _, s in cat.sources()} - {None}
    _Outlets.pages = frozenset(
        (p.hostname or "", (p.path or "/") + (f"?{p.query}" if p.query else ""))
        for p in (urlsplit(s.url) for _, s in cat.sources())
    )
    options = AuditOptions(
        check=CheckOptions(
            timeout=10.0,
            retries=1,
            backoff_base=0.05,
            canary_hosts=(),
            resolve=tuple((h, port, "127.0.0.1") for h in sorted(hosts)),  # type: ignore[misc]
        ),
        archive=None,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        (result,) = check_documents([cat], options)
    finally:
        server.shutdown()
        server.server_close()
    by_note = {c.claim.notes: c for c in result.claims}
    risk = {n: by_note[(n,)].risk for n in range(1, 39)}
    assert risk[1] is Risk.SINGLE_OUTLET  # three criticalthreats.org pages
    assert risk[3] is Risk.SINGLE_SOURCE and risk[6] is Risk.SINGLE_SOURCE
    # Only a bot-walled tweet, only dead Telegram posts, only a dead washingtonpost.com page.
    for note in (9, 15, 12, 16, 26, 37):
        assert risk[note] is Risk.UNSUPPORTED, note
    assert risk[4] is Risk.DEGRADED and risk[5] is Risk.DEGRADED
    assert (by_note[(5,)].lost, by_note[(5,)].live) == (3, 4)
    assert risk[34] is Risk.OK
    assert (by_note[(33,)].risk, by_note[(33,)].unverified, by_note[(33,)].live_outlets) == (
        Risk.OK,
        1,
        1,
    )
    # The truncated reuters.com link of note 22 is never probed: unverified, not lost.
    assert by_note[(22,)].lost == 0 and by_note[(22,)].unverified >= 1
    # Offline and online agree on what needs no network.
    offline = score_claims(cat, {})
    assert [(c.sources, c.outlets) for c in offline] == [
        (c.sources, c.outlets) for c in result.claims
    ]


def test_ignored_notes_and_claims_are_not_scored():
    a, b = s("https://a.com/1"), s("https://b.com/1")
    cat = catalog((a,), (b,), claims=((1, 2), (2,)))
    cat = dataclasses.replace(
        cat,
        notes=(cat.notes[0], dataclasses.replace(cat.notes[1], ignored=True)),
        claims=(cat.claims[0], dataclasses.replace(cat.claims[1], ignored=True)),
    )
    verdicts = {a.url: v(a.url, LinkStatus.ALIVE), b.url: v(b.url, LinkStatus.DEAD)}
    (score,) = score_claims(cat, verdicts)
    assert (score.sources, score.lost, score.risk) == (1, 0, Risk.SINGLE_SOURCE)
    assert [o.outlet for o in score_outlets(cat, verdicts)] == ["a.com"]


def test_a_claim_citing_only_ignored_notes_is_out_of_the_scoring():
    a, b = s("https://a.com/1"), s("https://b.com/1")
    cat = catalog((a,), (b,), claims=((1,), (2,), (1, 2)))
    cat = dataclasses.replace(
        cat, notes=(cat.notes[0], dataclasses.replace(cat.notes[1], ignored=True))
    )
    verdicts = {a.url: v(a.url, LinkStatus.ALIVE), b.url: v(b.url, LinkStatus.DEAD)}
    scores = score_claims(cat, verdicts)
    # claim 2 cites only the ignored note: not scored, so never "unsupported"
    assert [c.claim.id for c in scores] == [1, 3]
    assert all(c.risk is not Risk.UNSUPPORTED for c in scores)
    assert scores[1].urls == (a.url,)  # claim 3 keeps its other note


def test_configured_outlet_kinds_override_the_built_in_ones() -> None:
    from citeaudit.models import OutletKind

    urls = {"https://sana.sy/a": "sana.sy", "https://alwatan.sy/b": "alwatan.sy"}
    notes = tuple(
        Note(i, 10 + i, url, (Source(url, url, outlet),))
        for i, (url, outlet) in enumerate(urls.items(), 1)
    )
    catalog = Catalog(
        Document("r.md", None, date(2023, 8, 3)), notes, (Claim(1, 1, "Claim.", (1, 2)),)
    )
    result = build_result(catalog, {})
    assert {o.outlet: o.kind for o in result.outlets} == {
        "sana.sy": OutletKind.STATE_MEDIA,
        "alwatan.sy": None,
    }
    changed = build_result(catalog, {}, outlet_kinds={"alwatan.sy": "state_media", "sana.sy": ""})
    assert {o.outlet: o.kind for o in changed.outlets} == {
        "sana.sy": None,
        "alwatan.sy": OutletKind.STATE_MEDIA,
    }
