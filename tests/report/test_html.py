"""The HTML report: self-contained, inert, the same counts as JSON, and working in a browser.

The markup tests read the rendered page. The browser tests open it in headless Chromium (see
`browser.py`): they click the page's own sort buttons, type in its filter boxes, turn its pages,
read the DOM it leaves and take a screenshot, and fail on any script error, console complaint,
CSP violation, dialog or request that is not the page itself.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from citeaudit.judge.score import build_result
from citeaudit.models import (
    ArchiveSnapshot,
    AuditResult,
    Catalog,
    Claim,
    Document,
    Finding,
    FindingKind,
    Hop,
    LinkStatus,
    Note,
    OutletScore,
    RunFacts,
    Verdict,
)
from citeaudit.report import common
from citeaudit.report import html as html_report
from citeaudit.report import json as json_report
from citeaudit.report.html_charts import TOP_OUTLETS
from citeaudit.report.html_view import PAGE_SIZE

from .browser import Chromium, launch
from .conftest import CHECKED_AT, CLAIMS, DOCUMENT, NOTES, SNAPSHOT, VERDICTS, make_result, src

# Breaks out of attributes and elements, opens a script, an event handler and a dialog.
PAYLOAD = (
    "\"'><script>document.body.dataset.pwned='1'</script>"
    "<img src=x onerror=\"alert('pwned')\"><svg onload=alert(2)>\u202e\x1b[31m"
)
EVIL_URL = 'https://evil.example/"><script>alert(3)</script>?q=<b>&x=1'


class _Collect(HTMLParser):
    """Every start tag with its attributes, and the text inside <style> and <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.raw: dict[str, list[str]] = {"style": [], "script": []}
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in self.raw else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in:
            self.raw[self._in].append(data)


def _parse(markup: str) -> _Collect:
    parser = _Collect()
    parser.feed(markup)
    return parser


def _tags(markup: str) -> list[tuple[str, dict[str, str | None]]]:
    return _parse(markup).tags


def _element(markup: str, tag: str, element_id: str) -> dict[str, str | None]:
    return next(a for t, a in _tags(markup) if t == tag and a.get("id") == element_id)


def _table(markup: str, table_id: str) -> str:
    body = markup[markup.index(f'id="{table_id}"') :]
    return body[: body.index("</table>")]


def _rows(markup: str, table_id: str) -> list[dict[str, str | None]]:
    return [a for t, a in _tags(_table(markup, table_id)) if t == "tr" and a]


def hostile() -> AuditResult:
    """Every field that comes from a document or a page carries markup, quotes and controls."""
    a = src(EVIL_URL, f"evil.example{PAYLOAD}", 40)
    b = src("javascript:document.body.dataset.pwned='4'", PAYLOAD, 41)
    c = src("https://moved.example/old", "moved.example", 42)
    notes = (
        Note(1, 40, PAYLOAD, (a,)),
        Note(2, 41, PAYLOAD, (b,)),
        Note(3, 42, PAYLOAD, (c,)),
    )
    claims = (
        Claim(1, 10, f"First {PAYLOAD}", (1,)),
        Claim(2, 12, f"Second {PAYLOAD}", (2, 3)),
    )
    archive = ArchiveSnapshot(
        available=True,
        url="javascript:document.body.dataset.pwned='5'",
        timestamp=datetime(2023, 8, 1, tzinfo=UTC),
        days_from_document=-2,
    )
    verdicts = {
        a.url: Verdict(a.url, LinkStatus.DEAD, PAYLOAD, title=PAYLOAD, archive=archive),
        b.url: Verdict(
            b.url, LinkStatus.SOFT_DEAD, PAYLOAD, archive=ArchiveSnapshot(False, reason=PAYLOAD)
        ),
        c.url: Verdict(
            c.url,
            LinkStatus.REDIRECTED,
            PAYLOAD,
            final_url=EVIL_URL + PAYLOAD,
            redirects=(Hop(c.url, 301),),
            title=PAYLOAD,
        ),
    }
    findings = (
        Finding(FindingKind.POSSIBLE_TYPO, PAYLOAD, (1, 2), (EVIL_URL, PAYLOAD), confidence="low"),
        Finding(FindingKind.EMPTY_NOTE, PAYLOAD, line=3),
    )
    document = Document(PAYLOAD, PAYLOAD, DOCUMENT.date)
    result = build_result(
        Catalog(document, notes, claims, findings),
        verdicts,
        notices=(PAYLOAD,),
        hints=(PAYLOAD,),
        generated_at=CHECKED_AT,
    )
    return dataclasses.replace(result, run=RunFacts(urls=3, archive="wayback"))


def with_ignored_note() -> AuditResult:
    """The shared audit plus a note silenced by an inline ignore, citing a URL of its own."""
    extra = src("https://ignored.example/x", "ignored.example", 47)
    ignored = Note(8, 47, "Ignored.", (extra,), ignored=True)
    catalog = Catalog(DOCUMENT, (*NOTES, ignored), CLAIMS)
    return build_result(catalog, VERDICTS, generated_at=CHECKED_AT, ignored=1)


def without_archives() -> AuditResult:
    """The shared audit of a run that did not ask a web archive (`--no-archive`)."""
    verdicts = {u: dataclasses.replace(v, archive=None) for u, v in VERDICTS.items()}
    result = build_result(Catalog(DOCUMENT, NOTES, CLAIMS), verdicts, generated_at=CHECKED_AT)
    return dataclasses.replace(result, run=RunFacts(urls=9, archive=None))


def many_claims(n: int = 250) -> AuditResult:
    """`n` claims, one note and one URL each; every third URL dead, every seventh blocked."""
    notes, claims, verdicts = [], [], {}
    for i in range(1, n + 1):
        outlet = f"outlet{i % 9}.example"
        url = f"https://{outlet}/story-{i:03d}"
        notes.append(Note(i, 1000 + i, f"Note {i}.", (src(url, outlet, 1000 + i),)))
        topic = "zebras" if i % 50 == 0 else "x"
        claims.append(Claim(i, i, f"Claim number {i:03d} about {topic}.", (i,)))
        status = LinkStatus.ALIVE
        if i % 3 == 0 or i % 7 == 0:
            status = LinkStatus.DEAD if i % 3 == 0 else LinkStatus.BLOCKED
        verdicts[url] = Verdict(url, status, "reason", checked_at=CHECKED_AT)
    catalog = Catalog(DOCUMENT, tuple(notes), tuple(claims))
    return build_result(catalog, verdicts, generated_at=CHECKED_AT)


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    with launch(tmp_path_factory.mktemp("html")) as browser:
        yield browser


@pytest.fixture(scope="module")
def page() -> str:
    return html_report.render([make_result()])


# --- markup ------------------------------------------------------------------------------------


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_self_contained_and_only_its_own_style_and_script_may_apply(page):
    parsed = _parse(page)
    scripts = [a for t, a in parsed.tags if t == "script"]
    assert len(scripts) == 1 and "src" not in scripts[0]
    assert not [a for t, a in parsed.tags if t == "link"]
    for tag, attrs in parsed.tags:
        assert tag not in ("img", "iframe", "object", "embed", "source", "video", "audio", "base")
        if tag == "svg":
            assert attrs["xmlns"] == "http://www.w3.org/2000/svg"  # a namespace, not a load
        assert "style" not in attrs, tag  # a hashed style-src forbids style attributes
    csp = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv"))
    assert csp is not None and "default-src 'none'" in csp and "unsafe" not in csp
    (style, noscript), (script,) = parsed.raw["style"], parsed.raw["script"]
    assert f"style-src {_sha(style)} {_sha(noscript)};" in csp
    assert f"script-src {_sha(script)};" in csp
    assert "@import" not in page and "url(" not in page


def test_template_escapes_by_default_and_refuses_undefined_names():
    env = html_report._template().environment
    assert env.autoescape is True
    with pytest.raises(Exception, match="undefined"):
        env.from_string("{{ missing }}").render()
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_hostile_text_is_escaped_everywhere():
    markup = html_report.render([hostile()])
    parsed = _parse(markup)
    assert [t for t, _ in parsed.tags].count("script") == 1
    assert "img" not in [t for t, _ in parsed.tags]
    for tag, attrs in parsed.tags:
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        if tag == "a":  # a source, a capture, or a section of the page itself
            assert (attrs["href"] or "").startswith(("http://", "https://", "#h-")), attrs
    assert "<script>document" not in markup and "<img src=x" not in markup
    assert "&lt;script&gt;document.body.dataset.pwned=&#39;1&#39;&lt;/script&gt;" in markup
    assert "\u202e" not in markup and "\x1b" not in markup
    # The javascript: source and capture are shown as text, never as links.
    assert "javascript:document.body.dataset.pwned=&#39;4&#39;" in markup
    assert "javascript:document.body.dataset.pwned=&#39;5&#39;" in markup
    # The evil URL is a link whose attribute stays closed.
    hrefs = [a["href"] for t, a in parsed.tags if t == "a"]
    assert EVIL_URL in hrefs


@pytest.mark.parametrize("build", [make_result, with_ignored_note, without_archives, hostile])
def test_every_count_and_list_equals_the_json_report(build):
    _assert_counts_match(build())


def _assert_counts_match(result: AuditResult) -> None:
    markup = html_report.render([result])
    data = json_report.to_json(result)
    summary = _element(markup, "dl", "summary")
    assert summary["data-urls"] == str(data["summary"]["urls"])
    assert summary["data-claims"] == str(data["summary"]["claims"])
    assert summary["data-ignored"] == str(data["summary"]["ignored"])
    for verdict, n in data["summary"]["by_verdict"].items():
        assert summary[f"data-count-{verdict.replace('_', '-')}"] == str(n), verdict
    for state, n in data["summary"]["by_state"].items():
        assert summary[f"data-state-{state}"] == str(n), state
        assert re.search(rf'data-field="{state}">{n}<', markup) or state == "unchecked"
    for risk, n in data["summary"]["by_risk"].items():
        assert summary[f"data-risk-{risk.replace('_', '-')}"] == str(n), risk
    sources = _rows(markup, "sources")
    assert [r["data-verdict"] for r in sources] == [s["verdict"] for s in data["sources"]]
    assert _element(markup, "table", "sources")["data-rows"] == str(len(data["sources"]))
    claims = _rows(markup, "claims")
    assert sorted(int(r["data-claim"] or 0) for r in claims) == sorted(
        c["id"] for c in data["claims"]
    )
    attention = [s for s in data["sources"] if s["state"] != "live" and s["verdict"] != "unchecked"]
    shown = _rows(markup, "attention") if attention else []
    assert sorted(r["data-verdict"] or "" for r in shown) == sorted(s["verdict"] for s in attention)


def test_an_ignored_note_is_not_counted():
    # The old page counted the catalog's URLs: 10 here, where the JSON says 9.
    result = with_ignored_note()
    markup = html_report.render([result])
    assert len(result.catalog.unique_urls()) == 10
    assert json_report.to_json(result)["summary"]["urls"] == 9
    assert _element(markup, "dl", "summary")["data-urls"] == "9"
    assert 'data-field="urls">9<' in markup
    assert "ignored.example" not in markup
    assert "Ignored by inline comments: 1" in markup


def test_claims_by_risk_with_their_sources_inline(page):
    result = make_result()
    rows = _rows(page, "claims")
    expected = common.claims_by_risk(result)
    assert [r["data-claim"] for r in rows] == [str(c.claim.id) for c in expected]
    assert [r["data-risk"] for r in rows] == [str(c.risk) for c in expected]
    body = _table(page, "claims")
    for row_markup, score in zip(body.split("<tr ")[1:], expected, strict=True):
        hrefs = [
            a["href"] for t, a in _tags(row_markup) if t == "a" and a.get("class") != "archive"
        ]
        assert hrefs == list(score.urls), score.claim.id
    # A lost source carries its verdict chip and its archive copy in the claim's list.
    two = body[body.index('data-claim="2"') :]
    two = two[: two.index("</tr>")]
    assert 's-archived"' in two and SNAPSHOT.url in two
    assert "cites no URL" in body  # claim 4: an interview


def test_dead_and_lost_links_come_before_the_long_lists(page):
    positions = [page.index(f'id="{t}"') for t in ("attention", "claims", "sources", "outlets")]
    assert positions == sorted(positions)
    rows = _rows(page, "attention")
    expected = common.attention(make_result())
    assert [r["data-state"] for r in rows] == [str(r.state) for r in expected]
    assert rows[0]["data-state"] == "lost"
    lost = _table(page, "attention")
    assert f'href="{SNAPSHOT.url}"' in lost  # the archive copy of the dead link to cite instead
    assert "2 days after the document" in lost
    assert "no capture found" in lost


def test_archive_column_only_when_archives_were_asked():
    asked = html_report.render([make_result()])
    assert "<th>archive copy</th>" in asked
    markup = html_report.render([without_archives()])
    assert "<th>archive copy</th>" not in markup and "archive lookups failed" not in markup
    assert "Web archives were not asked" in markup
    assert "no capture found" not in markup
    assert _element(markup, "p", "chart-ages")["class"] == "muted empty"


def test_failed_archive_lookups_are_counted():
    failed = ArchiveSnapshot(False, reason="rate limited (429)")
    verdicts = dict(VERDICTS)
    for url in ("https://gamma.net/missing", "https://eps.info/soft"):
        verdicts[url] = dataclasses.replace(verdicts[url], archive=failed)
    result = build_result(Catalog(DOCUMENT, NOTES, CLAIMS), verdicts, generated_at=CHECKED_AT)
    markup = html_report.render([result])
    assert common.archive_failures(result) == 2
    assert _element(markup, "dl", "summary")["data-archive-failed"] == "2"
    assert 'data-field="archive-failed">2<' in markup
    assert "Archive lookups failed for 2 URLs" in markup
    assert "lookup failed: rate limited (429)" in _table(markup, "attention")


def test_a_cached_verdict_says_so_with_its_age():
    verdicts = dict(VERDICTS)
    url = "https://gamma.net/missing"
    verdicts[url] = dataclasses.replace(
        verdicts[url], from_cache=True, checked_at=CHECKED_AT - timedelta(hours=3)
    )
    result = build_result(Catalog(DOCUMENT, NOTES, CLAIMS), verdicts, generated_at=CHECKED_AT)
    markup = html_report.render([result])
    row = _table(markup, "attention")
    row = row[row.index(url) :]
    assert row[: row.index("</tr>")].count("(cached 3 h ago)") == 1
    assert markup.count("cached 3 h ago") == 3  # attention, its claim's list, all sources


def test_outlet_chart_stacks_the_outlet_scores():
    result = make_result()
    markup = html_report.render([result])
    tags = _tags(markup)
    groups = [a for t, a in tags if t == "g" and "data-outlet" in a]
    by_name = {o.outlet: o for o in result.outlets}
    assert len(groups) == len(result.outlets)
    for g in groups:
        assert int(g["data-count"] or 0) == by_name[g["data-outlet"] or ""].urls
    chart = markup[markup.index('id="chart-outlets"') :]
    parts = [
        a for t, a in _tags(chart[: chart.index("</svg>")]) if t == "rect" and a.get("data-part")
    ]
    assert sum(int(p["data-value"] or 0) for p in parts if "p-" in (p["class"] or "")) > 0
    lost = sum(int(p["data-value"] or 0) for p in parts if p["data-part"] == "lost")
    assert lost == sum(o.lost for o in result.outlets)


def test_outlet_chart_is_capped():
    result = make_result()
    many = tuple(OutletScore(f"o{i}.example", i + 1, i, 1, 0, 0, 1) for i in range(30))
    markup = html_report.render([dataclasses.replace(result, outlets=many)])
    bars = [a["data-outlet"] for t, a in _tags(markup) if t == "g" and "data-outlet" in a]
    assert len(bars) == TOP_OUTLETS
    assert bars[0] == "o29.example"  # most URLs first
    assert "15 more outlets in the outlet table below." in markup


def test_age_chart_draws_capture_ages():
    result = make_result()
    markup = html_report.render([result])
    bars = {
        a["data-age"]: int(a["data-count"] or 0)
        for t, a in _tags(markup)
        if t == "g" and "data-age" in a
    }
    ages = common.capture_ages(result)
    assert bars == {k: v for k, v in ages.items() if k in common.CAPTURE_AGES}
    assert bars["within a week"] == 1  # beta.org, captured 2 days after the document


def test_moved_links_and_typos_are_listed():
    markup = html_report.render([hostile()])
    moved = _table(markup, "moved")
    assert "https://moved.example/old" in moved
    typos = _table(markup, "typos")
    assert "low" in typos and "&lt;script&gt;" in typos


def test_several_documents_have_one_section_each():
    markup = html_report.render([make_result(), with_ignored_note()])
    tags = _tags(markup)
    assert [a["data-path"] for t, a in tags if t == "section"] == ["reports/syria.md"] * 2
    ids = [a["id"] for _, a in tags if "id" in a]
    assert len(ids) == len(set(ids))
    assert {"claims-1", "claims-2", "summary-1", "summary-2", "sources-2"} <= set(ids)
    assert "<title>citeaudit: 2 documents</title>" in markup


def test_empty_result_renders():
    empty = AuditResult(Catalog(Document("empty.md", None, None), (), ()), {})
    markup = html_report.render([empty])
    assert 'data-urls="0"' in markup and 'id="claims"' in markup
    assert "Every checked link is live." in markup


def test_long_lists_are_all_in_the_markup_past_the_first_page_hidden():
    # The browser lays out one page while it parses; without script, <noscript> shows them all.
    markup = html_report.render([many_claims(250)])
    for table in ("claims", "sources"):
        rows = _rows(markup, table)
        assert len(rows) == 250
        assert ["hidden" in r for r in rows] == [False] * PAGE_SIZE + [True] * (250 - PAGE_SIZE)
    assert f"<noscript><style>{html_report.NOSCRIPT_STYLE}</style></noscript>" in markup


# --- in a real browser -------------------------------------------------------------------------


def _visible_claims(opened) -> list[int]:
    return opened.page.eval_on_selector_all(
        "#claims tbody tr:not([hidden])", "rows => rows.map(r => +r.dataset.claim)"
    )


def test_the_harness_catches_errors_and_foreign_requests(chromium):
    # Ready once the fetch was refused: by then the browser has reported the request.
    opened = chromium.open(
        "<!DOCTYPE html><body><script>fetch('http://example.com/x')"
        ".catch(() => document.body.setAttribute('data-ready', '1')); null.x;</script></body>"
    )
    assert opened.errors and "null" in opened.errors[0]
    assert any(u.startswith("http://example.com") for u in opened.requests)
    with pytest.raises(AssertionError):
        opened.assert_clean()


def test_renders_clean_in_chromium(chromium, page):
    opened = chromium.open(page)
    opened.assert_clean()
    p = opened.page
    assert p.get_attribute("body", "data-ready") == "1"
    assert p.is_visible("#claims-q") and p.is_visible("#claims-risk")
    assert p.text_content("#claims-shown") == "6 of 6 claims shown"
    assert not p.is_visible(".pager")  # one page: no page controls
    lost = common.state_counts(make_result())["lost"]
    assert p.text_content('#summary [data-field="lost"]') == str(lost)
    # Outlets and outlet kinds side by side, and nothing wider than the window.
    tops = p.eval_on_selector_all(".charts figure", "fs => fs.map(f => f.offsetTop)")
    assert len(tops) == 3 and tops[0] == tops[1]
    assert p.evaluate("document.documentElement.scrollWidth") <= 1280


def test_screenshot_shows_the_report(chromium, page):
    from PIL import Image

    opened = chromium.open(page)
    shot = Image.open(io.BytesIO(opened.page.screenshot())).convert("RGB")
    assert shot.size == (1280, 2000)
    colors = shot.getcolors(maxcolors=1 << 16) or []
    assert len(colors) > 50  # text, chips and bars, not a blank page
    # The lost chip's red (#c62828) is painted where the first attention row is.
    box = opened.page.locator("#attention tbody tr:first-child .chip").bounding_box()
    assert box is not None
    x, y = int(box["x"] + 3), int(box["y"] + box["height"] / 2)
    assert shot.getpixel((x, y)) == (0xC6, 0x28, 0x28)


def test_kind_chart_draws_every_kind_in_chromium(chromium, page):
    opened = chromium.open(page)
    opened.assert_clean()
    bars = opened.page.eval_on_selector_all(
        "#chart-kinds g[data-outlet-kind]",
        """gs => gs.map(g => [g.dataset.outletKind, +g.dataset.count,
            Array.from(g.querySelectorAll('rect')).map(r => [r.dataset.part,
                +r.dataset.value, r.getBoundingClientRect().width,
                getComputedStyle(r).fill])])""",
    )
    kinds = common.sources_by_kind(make_result())
    assert [(name, count) for name, count, _ in bars] == [
        (kind, sum(states.values())) for kind, states in kinds.items()
    ]
    fills = {}
    for name, _, rects in bars:
        assert {part: value for part, value, _, _ in rects} == {
            s: n for s, n in kinds[name].items() if n
        }
        for part, _, width, fill in rects:
            assert width > 0
            fills.setdefault(part, set()).add(fill)
    # Each state is painted in its own colour (the stylesheet applies under the page's CSP).
    assert fills["lost"] == {"rgb(198, 40, 40)"} and fills["live"] == {"rgb(46, 125, 50)"}


def test_hostile_page_stays_inert_in_chromium(chromium):
    opened = chromium.open(html_report.render([hostile()]))
    opened.assert_clean()
    p = opened.page
    assert p.evaluate("document.body.dataset.pwned") is None
    assert p.evaluate("document.scripts.length") == 1
    handlers = p.evaluate(
        "Array.from(document.querySelectorAll('*')).flatMap(e => "
        "Array.from(e.attributes).map(a => a.name)).filter(n => n.startsWith('on'))"
    )
    assert handlers == []
    assert "<script>document.body.dataset.pwned" in p.text_content("#claims tbody")
    # Typing markup into the filter only filters.
    p.fill("#claims-q", "<script>document.body.dataset.pwned='1'</script><img src=x")
    assert p.evaluate("document.body.dataset.pwned") is None
    assert _visible_claims(opened) == [1, 2]
    opened.assert_clean()


def test_sort_by_clicking_the_headers(chromium, page):
    opened = chromium.open(page)
    p = opened.page
    base = [c.claim.id for c in common.claims_by_risk(make_result())]
    assert _visible_claims(opened) == base
    by_score = sorted(
        common.claims_by_risk(make_result()), key=lambda c: -1 if c.score is None else c.score
    )
    p.click("#claims th[data-key=score] button")
    assert _visible_claims(opened) == [c.claim.id for c in by_score]
    assert p.get_attribute("#claims th[data-key=score]", "aria-sort") == "ascending"
    p.click("#claims th[data-key=score] button")
    assert p.get_attribute("#claims th[data-key=score]", "aria-sort") == "descending"
    desc = sorted(
        common.claims_by_risk(make_result()),
        key=lambda c: -(-1 if c.score is None else c.score),
    )
    assert _visible_claims(opened) == [c.claim.id for c in desc]
    p.click("#claims th[data-key=text] button")
    by_text = sorted(make_result().claims, key=lambda c: c.claim.text.lower())
    assert _visible_claims(opened) == [c.claim.id for c in by_text]
    assert "sort=text" in p.evaluate("location.hash")
    # The sources list sorts on its own.
    p.click("#sources th[data-key=url] button")
    urls = p.eval_on_selector_all("#sources tbody tr td.url a", "as => as.map(a => a.href)")
    assert urls == sorted(urls, key=str.lower)
    opened.assert_clean()


def test_filter_by_text_and_by_risk(chromium, page):
    opened = chromium.open(page)
    p = opened.page
    p.fill("#claims-q", "alpha")
    alpha = [
        c.claim.id
        for c in common.claims_by_risk(make_result())
        if "alpha" in c.claim.text.lower() or any("alpha" in u for u in c.urls)
    ]
    assert _visible_claims(opened) == alpha
    assert p.text_content("#claims-shown") == f"{len(alpha)} of 6 claims shown"
    p.fill("#claims-q", "")
    p.select_option("#claims-risk", "unsupported")
    unsupported = [
        c.claim.id for c in common.claims_by_risk(make_result()) if str(c.risk) == "unsupported"
    ]
    assert _visible_claims(opened) == unsupported
    assert "risk=unsupported" in p.evaluate("location.hash")
    p.select_option("#sources-state", "lost")
    lost = p.eval_on_selector_all(
        "#sources tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.state)"
    )
    assert lost == ["lost"] * common.state_counts(make_result())["lost"]
    opened.assert_clean()


def test_filter_finds_a_url_cut_in_the_middle_on_screen(chromium):
    middle = "the-part-of-a-long-slug-that-is-cut-out"
    url = f"https://news.example/2023/08/{middle}/" + "x" * 40
    note = Note(1, 20, "n", (src(url, "news.example", 20),))
    other = Note(2, 21, "n", (src("https://b.example/", "b.example", 21),))
    claims = (Claim(1, 3, "One.", (1,)), Claim(2, 4, "Two.", (2,)))
    verdicts = {
        s.url: Verdict(s.url, LinkStatus.ALIVE, "200 OK") for s in (*note.sources, *other.sources)
    }
    result = build_result(Catalog(DOCUMENT, (note, other), claims), verdicts)
    opened = chromium.open(html_report.render([result]))
    shown = opened.page.text_content("#claims tr[data-claim='1'] ul.refs a")
    assert shown and middle not in shown and "…" in shown
    opened.page.fill("#claims-q", middle)
    assert _visible_claims(opened) == [1]
    opened.assert_clean()


def test_long_lists_page_through_the_page_script(chromium):
    opened = chromium.open(html_report.render([many_claims(250)]))
    opened.assert_clean()
    p = opened.page
    order = [c.claim.id for c in common.claims_by_risk(many_claims(250))]
    assert _visible_claims(opened) == order[:PAGE_SIZE]
    assert p.text_content(".list:has(#claims) .pager.top .page-of") == "page 1 of 3"
    p.click(".list:has(#claims) .pager.top [data-go=next]")
    assert _visible_claims(opened) == order[PAGE_SIZE : 2 * PAGE_SIZE]
    assert "page=2" in p.evaluate("location.hash")
    p.click(".list:has(#claims) .pager.bottom [data-go=last]")
    assert _visible_claims(opened) == order[2 * PAGE_SIZE :]
    assert p.is_disabled(".list:has(#claims) .pager.top [data-go=next]")
    assert p.text_content("#claims-shown") == "250 of 250 claims shown (201–250 on this page)"
    # A filter starts again at page 1, over the matching rows only.
    p.fill("#claims-q", "zebras")
    assert _visible_claims(opened) == [c for c in order if c % 50 == 0]
    assert not p.is_visible(".list:has(#claims) .pager.top")
    assert not p.is_visible(".list:has(#claims) .pager.bottom")
    opened.assert_clean()


def test_the_fragment_restores_a_shared_view(chromium):
    markup = html_report.render([many_claims(250)])
    first = chromium.open(markup)
    first.page.select_option("#claims-risk", "single_source")
    first.page.click("#claims th[data-key=id] button")
    first.page.click("#claims th[data-key=id] button")
    first.page.click(".list:has(#claims) .pager.top [data-go=next]")
    fragment = first.page.evaluate("location.hash")
    seen = _visible_claims(first)
    single = sorted(
        (c.claim.id for c in many_claims(250).claims if str(c.risk) == "single_source"),
        reverse=True,
    )
    assert seen == single[PAGE_SIZE:]
    again = chromium.open(markup, fragment)
    again.assert_clean()
    assert _visible_claims(again) == seen
    assert again.page.input_value("#claims-risk") == "single_source"
    assert again.page.get_attribute("#claims th[data-key=id]", "aria-sort") == "descending"


def test_without_script_every_row_shows(chromium):
    opened = chromium.open(html_report.render([many_claims(250)]), javascript=False)
    p = opened.page
    assert p.get_attribute("body", "data-ready") is None
    assert p.locator("#claims tbody tr:visible").count() == 250
    assert not p.is_visible("#claims-q") and not p.is_visible(".pager")
    assert not opened.errors and not opened.violations()


def test_several_documents_in_chromium(chromium):
    opened = chromium.open(
        html_report.render([make_result(), with_ignored_note()]), "#risk=unsupported"
    )
    opened.assert_clean()
    tables = opened.page.eval_on_selector_all(
        "table.claims", "ts => ts.map(t => t.dataset.visibleRows)"
    )
    unsupported = common.risk_counts(make_result())["unsupported"]
    assert tables == [str(unsupported)] * 2


def test_shared_hostile_report_in_chromium(chromium, hostile_result):
    opened = chromium.open(html_report.render([hostile_result]))
    opened.assert_clean()
    assert opened.page.evaluate("document.scripts.length") == 1
    assert opened.page.get_attribute("#claims", "data-visible-rows") == str(
        len(hostile_result.claims)
    )
