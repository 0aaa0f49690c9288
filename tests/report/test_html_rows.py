"""The HTML report's rows: links that are safe to follow, archive cells, claims with sources."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from citeaudit.judge.score import source_state
from citeaudit.models import ArchiveSnapshot, Claim, ClaimScore, LinkStatus, Note, Risk, Verdict
from citeaudit.report import common, html_rows
from citeaudit.report.html_rows import archive_cell, claim_view, link, safe_href

from .conftest import src


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
    assert len(shown.text) == html_rows.URL_LABEL and shown.text.endswith("/end")
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
