"""The HTML report's view model: pure, frozen, and built from `report.common` alone."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from citeaudit.judge.score import build_result, source_state
from citeaudit.models import (
    ArchiveSnapshot,
    AuditResult,
    Catalog,
    Claim,
    ClaimScore,
    LinkStatus,
    Note,
    OutletScore,
    Risk,
    RunFacts,
    Verdict,
)
from citeaudit.report import common, html_view
from citeaudit.report.html_view import (
    archive_cell,
    claim_view,
    document_view,
    link,
    outlet_chart,
    page_view,
    safe_href,
)

from .conftest import CHECKED_AT, CLAIMS, DOCUMENT, NOTES, VERDICTS, make_result, src


def _row(verdict: Verdict | None) -> common.SourceRow:
    a = src("https://a.example/x", "a.example", 3)
    occurrences = ((Note(1, 3, ""), a),)
    return common.SourceRow(a.url, "a.example", verdict, source_state(verdict), occurrences)


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.com/a?b=1&c=<d>", True),
        ("HTTP://EXAMPLE.COM/", True),
        ("javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("https://a.example/\nx", False),
        ("https://a.example/\u202ex", False),
        ("https://a.example/\u200bx", False),
        ("https://a.example/\u00a0x", False),
        ("ftp://a.example/x", False),
        ("https:///no-host", False),
        ("data:text/html,<script>", False),
        ("https://[::1", False),
    ],
)
def test_safe_href(url: str, linked: bool):
    assert (safe_href(url) == url) is linked


def test_link_cuts_long_urls_in_the_middle_but_links_them_whole():
    url = "https://news.example/" + "a" * 200 + "/end"
    shown = link(url)
    assert shown.href == url and shown.full == url
    assert len(shown.text) == html_view.URL_LABEL and shown.text.endswith("/end")
    assert len(link(url, limit=40).text) == 40
    bad = link("javascript:alert(1)\u202e")
    assert bad.href is None and bad.full == "javascript:alert(1)"


def _dead(archive: ArchiveSnapshot | None) -> Verdict:
    return Verdict("https://a.example/x", LinkStatus.DEAD, "404", archive=archive)


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (-1, "1 day before the document"),
        (0, "same day as the document"),
        (2, "2 days after the document"),
        (None, None),
    ],
)
def test_archive_cell_found(days: int | None, words: str | None):
    snap = ArchiveSnapshot(
        True,
        "https://web.archive.org/web/2023/x",
        datetime(2023, 8, 1, tzinfo=UTC),
        days_from_document=days,
    )
    cell = archive_cell(_row(_dead(snap)))
    assert (cell.outcome, cell.text, cell.href, cell.offset) == (
        "found",
        "2023-08-01",
        "https://web.archive.org/web/2023/x",
        words,
    )


def test_archive_cell_in_honest_words():
    unlinkable = ArchiveSnapshot(True, "javascript:alert(1)")
    cell = archive_cell(_row(_dead(unlinkable)))
    assert (cell.outcome, cell.text, cell.href) == ("found", "javascript:alert(1)", None)
    failed = archive_cell(_row(_dead(ArchiveSnapshot(False, reason="rate limited"))))
    assert (failed.outcome, failed.text) == ("failed", "lookup failed: rate limited")
    none = archive_cell(_row(_dead(ArchiveSnapshot.none("no capture found"))))
    assert (none.outcome, none.text) == ("none", "no capture found")
    assert archive_cell(_row(_dead(None))).text == "not looked up"
    live = Verdict("https://a.example/x", LinkStatus.ALIVE, "200 OK")
    assert archive_cell(_row(live)).text == ""


def test_claim_view_keeps_the_claims_url_order_and_says_na():
    claim = Claim(7, 3, "A claim\u202e.", (1,))
    score = ClaimScore(claim, 2, 0, 0, 0, 0, 2, 2, 0, None, Risk.UNSUPPORTED, ("b", "a", "gone"))
    views = {u: object() for u in ("a", "b")}
    view = claim_view(score, views)  # type: ignore[arg-type]
    assert view.refs == (views["b"], views["a"])  # an unknown URL is left out
    assert (view.score, view.score_sort, view.text, view.severity) == ("n/a", -1.0, "A claim.", 0)


def test_outlet_chart_geometry():
    outlets = [
        OutletScore("big.example", 10, 6, 2, 3, 1, 4),
        OutletScore("small.example", 5, 5, 0, 0, 0, 1),
    ]
    chart = outlet_chart(outlets, "", nothing_checked=False)
    big, small = chart.bars
    assert [s.part for s in big.segments] == ["live", "archived", "lost", "unverified"]
    # Archived is what remains of the URLs once live, lost and unverified are counted.
    assert [s.value for s in big.segments] == [6, 1, 2, 1]
    for bar in chart.bars:
        ends = [s.x + s.width for s in bar.segments]
        assert [s.x for s in bar.segments[1:]] == pytest.approx(ends[:-1])
        assert bar.end == pytest.approx(ends[-1])
    assert big.end - big.segments[0].x == pytest.approx(250)
    assert small.end - small.segments[0].x == pytest.approx(125)
    assert (small.y, chart.height) == (22, 44)
    empty = outlet_chart(outlets, "", nothing_checked=True)
    assert empty.empty and "Nothing was checked" in empty.empty


def test_age_chart_tones_and_empty_states():
    view = document_view(make_result())
    ages = view.charts[1]
    assert [b.name for b in ages.bars] == list(common.CAPTURE_AGES)
    tones = [b.segments[0].part for b in ages.bars if b.segments]
    assert tones == ["near"]  # the one capture, 2 days after the document
    assert ages.empty is None and "1 URL with a capture." in ages.notes
    no_archive = dataclasses.replace(make_result(), run=RunFacts(archive=None))
    assert "not asked" in (document_view(no_archive).charts[1].empty or "")


def test_capture_ages_buckets():
    def aged(days: int | None) -> AuditResult:
        snap = ArchiveSnapshot(True, "https://web.archive.org/x", days_from_document=days)
        a = src("https://a.example/", "a.example", 1)
        return AuditResult(
            Catalog(DOCUMENT, (Note(1, 1, "", (a,)),), ()),
            {a.url: Verdict(a.url, LinkStatus.DEAD, "404", archive=snap)},
        )

    def bucket(days: int | None) -> str:
        return next(k for k, n in common.capture_ages(aged(days)).items() if n)

    assert [bucket(d) for d in (-366, -365, -31, -30, -8, -7, 0, 7, 8, 30, 31, 365, 366)] == [
        "over a year before",
        "1–12 months before",
        "1–12 months before",
        "1–4 weeks before",
        "1–4 weeks before",
        "within a week",
        "within a week",
        "within a week",
        "1–4 weeks after",
        "1–4 weeks after",
        "1–12 months after",
        "1–12 months after",
        "over a year after",
    ]
    assert bucket(None) == common.AGE_UNKNOWN


def test_document_view_takes_its_lists_from_common():
    result = make_result()
    view = document_view(result)
    assert [s.url.full for s in view.attention] == [r.url for r in common.attention(result)]
    assert [s.url.full for s in view.sources] == [r.url for r in common.source_rows(result)]
    assert [c.id for c in view.claims] == [c.claim.id for c in common.claims_by_risk(result)]
    figures = {f.field: f.value for f in view.summary.figures}
    assert figures["urls"] == len(common.source_rows(result))
    assert figures["lost"] == common.state_counts(result)["lost"]
    assert figures["ignored"] == result.ignored == 1


def test_cached_verdicts_are_marked():
    verdicts = dict(VERDICTS)
    url = "https://alpha.com/a1"
    verdicts[url] = dataclasses.replace(verdicts[url], from_cache=True)
    result = build_result(
        Catalog(DOCUMENT, NOTES, CLAIMS),
        verdicts,
        generated_at=CHECKED_AT.replace(hour=15),
    )
    view = document_view(result)
    cached = {s.url.full: s.cached for s in view.sources}
    assert cached[url] == "cached 3 h ago"
    assert {u for u, c in cached.items() if c} == {url}


def test_view_model_is_frozen():
    view = page_view([make_result()])
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.documents[0].claims[0].text = "changed"  # type: ignore[misc]
    several = page_view([make_result(), make_result()])
    assert [d.suffix for d in several.documents] == ["-1", "-2"]
    assert several.title == "citeaudit: 2 documents"
