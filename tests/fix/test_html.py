"""Fixing HTML: only hrefs and link text change; a round trip on loopback leaves nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeaudit.fix import FixRequest, fix_document
from citeaudit.fix.html import page_encoding

from ..check.servers import TestServer
from . import outlets
from .test_run import assert_only_edits_changed, check, saved_report


@pytest.mark.parametrize("encoding", ["utf-8", "windows-1252"])
def test_check_fix_check_an_html_page(server: TestServer, tmp_path: Path, encoding: str) -> None:
    outlets.serve(server)
    doc = outlets.write_html(tmp_path / "report.html", server.port, encoding=encoding)
    first = check(doc, server)
    assert outlets.lost(first) and outlets.permanent_redirects(first)
    report = saved_report(doc, server, tmp_path)

    result = fix_document(FixRequest(str(doc), report=str(report)))

    assert result.input_format == "html" and result.encoding == encoding
    assert sorted(str(e.kind) for e in result.edits) == [
        "archive", "redirect", "redirect", "redirect", "typo",
    ]  # fmt: skip
    assert_only_edits_changed(result.before, result.after, list(result.edits), encoding)
    fixed = tmp_path / "fixed.html"
    fixed.write_bytes(result.after)
    again = check(fixed, server)
    assert outlets.lost(again) == [] and outlets.permanent_redirects(again) == []


def test_what_an_html_fix_writes(server: TestServer, tmp_path: Path) -> None:
    outlets.serve(server)
    doc = outlets.write_html(tmp_path / "report.html", server.port)
    report = saved_report(doc, server, tmp_path)
    lines = fix_document(FixRequest(str(doc), report=str(report))).after.decode().split("\n")
    news, gone = f"http://news.test:{server.port}", f"http://gone.test:{server.port}"
    capture = f"http://archive.test:{server.port}/web/{outlets.CAPTURE_TIME}/{gone}/prices"
    assert lines[7] == (
        f'<p>[1] Le café, <a class="x" href="{gone}/prices">the prices page</a>'
        f' <a href="{capture}">archived</a>; ibid.</p>'
    )
    # The quote style stays; the text that showed the old URL shows the new one.
    assert lines[8] == (
        f"<p>[2] <a href='{news}/new'>{news}/new</a> and "
        f'<a href="{news}/new">moved with a query</a></p>'
    )
    # A link showing a mistyped URL and pointing elsewhere: only the shown text changes.
    assert lines[9] == f'<p>[3] Wages: <a href="{news}/ok">{news}/wages-report-for-march</a></p>'


def test_a_url_in_running_text_is_reported_not_rewritten(tmp_path: Path) -> None:
    import json

    doc = tmp_path / "r.html"
    doc.write_text(
        "<html><body><p>Claim.[1]</p><h2>Endnotes</h2>"
        "<p>[1] http://moved.example/old</p></body></html>\n"
    )
    report = {
        "schema": "citeaudit.report/1",
        "document": {"path": str(doc), "title": None, "date": None},
        "sources": [
            {
                "url": "http://moved.example/old",
                "verdict": "redirected",
                "reason": "moved",
                "final_url": "https://moved.example/new",
                "redirects": [{"url": "http://moved.example/old", "status": 301}],
            }
        ],
    }
    (tmp_path / "r.json").write_text(json.dumps(report))
    result = fix_document(FixRequest(str(doc), report=str(tmp_path / "r.json")))
    assert result.edits == () and not result.changed
    (skip,) = result.skipped
    assert skip.reason == "no link holds this URL (in HTML only links are rewritten)"


def test_page_encoding() -> None:
    assert page_encoding(b'<meta charset="windows-1252"><p>x') == ("windows-1252", 0)
    assert page_encoding(b"\xef\xbb\xbf<p>x") == ("utf-8", 3)
    assert page_encoding(b"<p>x") == ("utf-8", 0)
