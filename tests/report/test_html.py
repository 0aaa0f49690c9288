"""The HTML report: self-contained, escaped, right counts, and working in a real browser.

The pure tests read the markup. The browser tests open the file in headless Chromium
(`--dump-dom` prints the DOM after the page's script ran) and read the console on stderr: a page
whose script throws, or that tries to load anything, fails. Without Chromium the browser tests
skip on a developer machine and fail in CI (env `CI` set), where `.ci/run` installs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

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
    OutletScore,
    Risk,
    Source,
    Span,
    Verdict,
)
from citeaudit.report import html as html_report

HOSTILE = '<script>document.body.dataset.pwned="1"</script><img src=x onerror="alert(1)">'


def _source(url: str, outlet: str, line: int, flags: tuple[Flag, ...] = ()) -> Source:
    return Source(url=url, as_written=url, outlet=outlet, flags=flags, span=Span(line, 5), key=url)


def _verdict(url: str, status: LinkStatus, *, archive: str | None = None, title=None) -> Verdict:
    snap = (
        ArchiveSnapshot(
            available=True,
            url=archive,
            timestamp=datetime(2023, 8, 2, 12, 0, tzinfo=UTC),
            archive="wayback",
            days_from_document=-1,
        )
        if archive
        else ArchiveSnapshot(available=False, reason="not found")
    )
    return Verdict(
        url=url, status=status, reason=f"{status.value} reason", title=title, archive=snap
    )


def _claim_score(claim: Claim, sources: int, live: int, lost: int, outlets: int, risk: Risk):
    return ClaimScore(
        claim=claim,
        sources=sources,
        live=live,
        archived=0,
        recoverable=live,
        lost=lost,
        unverified=0,
        outlets=outlets,
        live_outlets=min(live, outlets),
        score=live / sources if sources else 0.0,
        risk=risk,
    )


def make_result(path: str = "report.md", title: str = "Syria update") -> AuditResult:
    """A hand-built audit: 6 unique URLs, 2 dead (1 archived), 1 blocked, 4 claims."""
    a = _source("https://news.example/a", "news.example", 20)
    b = _source("https://news.example/b", "news.example", 20)
    c = _source("https://gone.example/c", "gone.example", 21)
    d = _source("https://x.com/acct/status/1", "x.com/acct", 22)
    e = _source("https://old.example/e", "old.example", 23)
    f = _source("https://gov.example/f", "gov.example", 23)
    notes = (
        Note(1, 20, "n1", (a, b)),
        Note(2, 21, "n2", (c,)),
        Note(3, 22, "n3", (d, a)),
        Note(4, 23, "n4", (e, f)),
    )
    claims = (
        Claim(1, 3, "Forces advanced near the river.", (1,)),
        Claim(2, 5, HOSTILE, (2,)),
        Claim(3, 7, "Officials denied the report.", (3, 4)),
        Claim(4, 9, "Zebra claim about outlets.", (4,)),
    )
    catalog = Catalog(Document(path, title, date(2023, 8, 3)), notes, claims)
    verdicts = {
        a.url: _verdict(a.url, LinkStatus.ALIVE, title=HOSTILE),
        b.url: _verdict(b.url, LinkStatus.REDIRECTED),
        c.url: _verdict(c.url, LinkStatus.DEAD),
        d.url: _verdict(d.url, LinkStatus.BLOCKED),
        e.url: _verdict(e.url, LinkStatus.SOFT_DEAD, archive="javascript:alert(1)"),
        f.url: _verdict(f.url, LinkStatus.DEAD, archive="https://web.archive.org/web/2023/f"),
    }
    scores = (
        _claim_score(claims[0], 2, 2, 0, 1, Risk.SINGLE_OUTLET),
        _claim_score(claims[1], 1, 0, 1, 1, Risk.UNSUPPORTED),
        _claim_score(claims[2], 5, 2, 1, 4, Risk.DEGRADED),
        _claim_score(claims[3], 2, 0, 1, 2, Risk.DEGRADED),
    )
    outlets = (
        OutletScore("news.example", 2, 2, 0, 0, 0, 2),
        OutletScore("gone.example", 1, 0, 1, 0, 0, 1),
        OutletScore("x.com/acct", 1, 0, 0, 0, 1, 1),
        OutletScore("old.example", 1, 0, 0, 1, 0, 2),
        OutletScore(HOSTILE, 1, 0, 1, 1, 0, 2),
    )
    return AuditResult(
        catalog=catalog,
        verdicts=verdicts,
        claims=scores,
        outlets=outlets,
        generated_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        notices=("archive lookups were slow <b>",),
        hints=("1 URL on x.com was unverifiable",),
        ignored=2,
    )


class _Collect(HTMLParser):
    """Every start tag with its attributes, to check what the markup would load or run."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(markup: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Collect()
    parser.feed(markup)
    return parser.tags


@pytest.fixture(scope="module")
def page() -> str:
    return html_report.render(make_result())


# --- pure checks on the markup ---------------------------------------------------------------


def test_self_contained(page):
    tags = _tags(page)
    scripts = [a for t, a in tags if t == "script"]
    assert scripts and all("src" not in a for a in scripts)
    assert not [a for t, a in tags if t == "link"]
    for tag, attrs in tags:
        if tag in ("img", "iframe", "object", "embed", "source", "video", "audio"):
            pytest.fail(f"external resource element <{tag}>")
        if tag == "svg":
            assert attrs["xmlns"] == "http://www.w3.org/2000/svg"  # a namespace, not a load
    csp = next(a["content"] for t, a in tags if t == "meta" and a.get("http-equiv"))
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1]
    assert "@import" not in page and "url(" not in page


def test_hostile_text_is_escaped(page):
    assert "<script>document.body" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;document.body.dataset.pwned=&quot;1&quot;&lt;/script&gt;" in page
    assert [t for t, _ in _tags(page)].count("script") == 1
    assert "&lt;b&gt;" in page  # notices are escaped too


def test_only_http_urls_become_links(page):
    hrefs = [a["href"] for t, a in _tags(page) if t == "a"]
    assert "https://web.archive.org/web/2023/f" in hrefs
    assert "https://gone.example/c" in hrefs
    assert all(h.startswith(("https://", "http://")) for h in hrefs)
    assert "javascript:alert(1)" in page  # shown as text, not as a link
    assert html_report.safe_href("java\tscript:alert(1)") is None
    assert html_report.safe_href("https://a.example/\nx") is None


def test_summary_counts(page):
    summary = next(a for t, a in _tags(page) if t == "dl" and a.get("id") == "summary")
    assert summary["data-urls"] == "6"
    assert summary["data-count-alive"] == "1"
    assert summary["data-count-redirected"] == "1"
    assert summary["data-count-dead"] == "2"
    assert summary["data-count-soft-dead"] == "1"
    assert summary["data-count-blocked"] == "1"
    assert summary["data-state-lost"] == "1"
    assert summary["data-state-archived"] == "2"
    assert summary["data-state-unverified"] == "1"
    assert summary["data-risk-degraded"] == "2"
    assert summary["data-risk-unsupported"] == "1"
    assert summary["data-ignored"] == "2"


def test_tables_and_charts(page):
    tags = _tags(page)
    claim_rows = [a for t, a in tags if t == "tr" and "data-claim" in a]
    assert [r["data-claim"] for r in claim_rows] == ["1", "2", "3", "4"]
    assert [r["data-risk"] for r in claim_rows] == [
        "single_outlet",
        "unsupported",
        "degraded",
        "degraded",
    ]
    lost_rows = [a for t, a in tags if t == "tr" and "data-state" in a]
    assert sorted(r["data-verdict"] for r in lost_rows) == ["blocked", "dead", "dead", "soft_dead"]
    bars = {a["data-verdict"]: a["data-count"] for t, a in tags if t == "g" and "data-verdict" in a}
    assert bars == {"alive": "1", "redirected": "1", "dead": "2", "soft_dead": "1", "blocked": "1"}
    outlet_bars = [a["data-outlet"] for t, a in tags if t == "g" and "data-outlet" in a]
    assert outlet_bars[0] == "news.example" and len(outlet_bars) == 5
    # The archive copy of a dead link is linked from its row.
    lost_table = page[page.index('id="lost"') :]
    assert 'href="https://web.archive.org/web/2023/f"' in lost_table


def test_outlet_chart_is_capped():
    result = make_result()
    many = tuple(OutletScore(f"o{i}.example", i + 1, i, 1, 0, 0, 1) for i in range(30))
    page = html_report.render(AuditResult(result.catalog, result.verdicts, outlets=many))
    bars = [a["data-outlet"] for t, a in _tags(page) if t == "g" and "data-outlet" in a]
    assert len(bars) == html_report.TOP_OUTLETS
    assert bars[0] == "o29.example"  # most URLs first


def test_render_many_has_one_section_each():
    page = html_report.render_many([make_result("a.md", "A"), make_result("b.md", "B")])
    tags = _tags(page)
    sections = [a for t, a in tags if t == "section"]
    assert [s["data-path"] for s in sections] == ["a.md", "b.md"]
    ids = [a["id"] for _, a in tags if "id" in a]
    assert len(ids) == len(set(ids))
    assert {"claims-1", "claims-2", "summary-1", "summary-2"} <= set(ids)


def test_empty_result_renders():
    catalog = Catalog(Document("empty.md", None, None), (), ())
    page = html_report.render(AuditResult(catalog, {}))
    assert 'data-urls="0"' in page and 'id="claims"' in page


# --- in a real browser ---------------------------------------------------------------------


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is required in CI (installed by .ci/run)")
    pytest.skip("chromium not installed")


def _open(tmp_path: Path, markup: str, fragment: str = "") -> tuple[str, str]:
    """The DOM after the page's script ran, and the browser's console log."""
    page = tmp_path / "report.html"
    page.write_text(markup, encoding="utf-8")
    proc = subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--host-resolver-rules=MAP * ~NOTFOUND",  # no DNS query leaves the machine
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            page.as_uri() + fragment,
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = "\n".join(line for line in proc.stderr.splitlines() if "CONSOLE" in line)
    return proc.stdout, console


def _rows(dom: str, table_id: str) -> list[dict[str, str | None]]:
    body = dom[dom.index(f'id="{table_id}"') :]
    body = body[: body.index("</table>")]
    return [a for t, a in _tags(body) if t == "tr" and "data-claim" in a]


def test_browser_detects_script_errors(tmp_path):
    # The harness itself must be able to fail: a page that throws shows up in the console log.
    _, console = _open(tmp_path, "<!DOCTYPE html><body><script>null.x;</script></body>")
    assert "Uncaught" in console


def test_renders_in_chromium(tmp_path):
    dom, console = _open(tmp_path, html_report.render(make_result()))
    assert "Uncaught" not in console and "Refused" not in console, console
    body = next(a for t, a in _tags(dom) if t == "body")
    assert body.get("data-ready") == "1"
    assert "data-pwned" not in dom
    table = next(a for t, a in _tags(dom) if t == "table" and a.get("id") == "claims")
    assert table["data-visible-rows"] == "4"
    assert "4 of 4 claims shown" in dom
    controls = next(a for t, a in _tags(dom) if t == "div" and a.get("class") == "controls")
    assert "hidden" not in controls
    summary = next(a for t, a in _tags(dom) if t == "dl" and a.get("id") == "summary")
    assert summary["data-count-dead"] == "2"
    assert re.search(r'data-field="lost">1<', dom)


def test_sort_and_filter_in_chromium(tmp_path):
    markup = html_report.render(make_result())
    dom, console = _open(tmp_path, markup, "#sort=risk&dir=asc")
    assert "Uncaught" not in console, console
    assert [r["data-claim"] for r in _rows(dom, "claims")] == ["2", "1", "3", "4"]
    dom, _ = _open(tmp_path, markup, "#sort=text&dir=desc")
    assert [r["data-claim"] for r in _rows(dom, "claims")] == ["4", "3", "1", "2"]
    dom, console = _open(tmp_path, markup, "#risk=degraded&q=zebra")
    assert "Uncaught" not in console, console
    rows = _rows(dom, "claims")
    assert [r["data-claim"] for r in rows if "hidden" not in r] == ["4"]
    assert "1 of 4 claims shown" in dom


def test_several_documents_in_chromium(tmp_path):
    markup = html_report.render_many([make_result("a.md"), make_result("b.md")])
    dom, console = _open(tmp_path, markup, "#risk=unsupported")
    assert "Uncaught" not in console, console
    tables = [a for t, a in _tags(dom) if t == "table" and a.get("class") == "claims"]
    assert [t["data-visible-rows"] for t in tables] == ["1", "1"]


# --- the shared fixed report every format is tested on (tests/report/conftest.py) -----------


def test_shared_report_rows_follow_the_scores(result):
    tags = _tags(html_report.render(result))
    rows = [a for t, a in tags if t == "tr" and "data-claim" in a]
    assert [(r["data-claim"], r["data-risk"]) for r in rows] == [
        (str(c.claim.id), c.risk.value) for c in result.claims
    ]
    outlets = [a["data-outlet"] for t, a in tags if t == "tr" and "data-outlet" in a]
    assert sorted(outlets) == sorted(o.outlet for o in result.outlets)


def test_shared_hostile_report_is_inert(hostile_result):
    page = html_report.render(hostile_result)
    assert "<script>alert(1)</script>" not in page
    assert "\x1b" not in page
    assert [t for t, _ in _tags(page)].count("script") == 1


def test_shared_hostile_report_in_chromium(tmp_path, hostile_result):
    dom, console = _open(tmp_path, html_report.render(hostile_result))
    assert "Uncaught" not in console and "Refused" not in console, console
    assert 'data-ready="1"' in dom
    table = next(a for t, a in _tags(dom) if t == "table" and a.get("id") == "claims")
    assert table["data-visible-rows"] == str(len(hostile_result.claims))
