"""HTML reader: each publisher pattern, links as sources, ignored regions, positions, defences."""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from citeaudit.catalog import build_catalog
from citeaudit.errors import InputError
from citeaudit.models import CitationStyle, FindingKind, Flag
from citeaudit.parse.html import read_html
from citeaudit.parse.raw import RawDocument

# Helpers beside the tests and in fixtures/, importable whether or not tests/ is a package.
_HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(_HERE), str(_HERE.parent / "fixtures")]
from .format_gold import assert_matches_gold  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HTML = FIXTURES / "html"


def _catalog(name: str):
    path = HTML / name
    raw = read_html(path.read_bytes(), str(path))
    return raw, build_catalog(raw, str(path))


def _urls(catalog, number: int) -> list[str]:
    return [s.url for s in catalog.note(number).sources]


def _flags(catalog, number: int) -> list[set[Flag]]:
    return [set(s.flags) for s in catalog.note(number).sources]


def test_word_export_endnotes_and_footnotes():
    raw, cat = _catalog("word-export.html")
    assert [n.number for n in raw.notes] == [1, 2, 3]
    assert _urls(cat, 1) == [
        "https://example.org/visible",
        "https://example.org/actual",
        "https://www.reuters.com/world/x/",
        "https://plain.example/p",
    ]
    assert _flags(cat, 1)[:2] == [{Flag.LINK_TEXT_DIFFERS}, {Flag.LINK_TEXT_DIFFERS}]
    assert _urls(cat, 3) == ["https://footnote.example/f"]
    # The backlink "[1]" at the start of the note is not part of its text.
    assert not raw.notes[0].text.startswith("[1]")
    assert [(c.markers, c.text) for c in raw.claims] == [
        ((1,), "Forces moved east in July.[1]"),
        ((2,), "The U.S. Army said so.[2]"),
        ((3,), "A footnoted remark.[3]"),
    ]
    assert raw.title == "Word Export Report"
    assert raw.date == date(2023, 7, 9)


def test_word_export_positions_are_source_lines():
    raw, _ = _catalog("word-export.html")
    source = (HTML / "word-export.html").read_text(encoding="utf-8").splitlines()
    assert "Forces moved east" in source[raw.claims[0].span.line - 1]
    note2 = next(n for n in raw.notes if n.number == 2)
    assert "id=edn2" in source[note2.span.line - 1]


def test_wordpress_plugins_and_ignored_regions():
    raw, cat = _catalog("wordpress.html")
    assert _urls(cat, 1) == ["https://a.example/one"]
    assert _urls(cat, 2) == ["https://b.example/two"]
    assert _urls(cat, 3) == ["https://c.example/three"]
    assert [c.markers for c in raw.claims] == [(1,), (2,), (3,)]
    everything = " ".join(n.text for n in raw.notes) + " ".join(c.text for c in raw.claims)
    # <script>, <nav>/<header> and <footer> content never becomes a note, source or claim.
    for ignored in ("tracker.example", "footer.example", "About"):
        assert ignored not in everything
    assert raw.title == "WordPress Report"
    assert raw.date == date(2023, 8, 3)


def test_drupal_footnotes():
    raw, cat = _catalog("drupal.html")
    assert _urls(cat, 1) == ["https://d.example/one"]
    assert _urls(cat, 2) == ["https://d.example/two"]
    assert raw.notes[1].text == "Source: [the ministry](https://d.example/two)"
    assert [c.markers for c in raw.claims] == [(1,), (2,)]


def test_wikipedia_references_with_shared_citations():
    raw, cat = _catalog("wikipedia.html")
    assert _urls(cat, 1) == ["https://river.example/length"]
    assert _urls(cat, 2) == ["https://flood.example/report"]
    assert _urls(cat, 3) == []
    assert [c.markers for c in raw.claims] == [(1,), (2,), (2, 3)]
    # The "^ a b" backlinks are dropped.
    assert "^" not in raw.notes[1].text
    assert raw.title == "Example topic"


def test_pandoc_footnotes_visible_url_differs_from_href():
    raw, cat = _catalog("pandoc-footnotes.html")
    assert _urls(cat, 1) == ["https://p.example/one"]
    assert _urls(cat, 2) == ["https://p.example/other", "https://p.example/two"]
    assert _flags(cat, 2) == [{Flag.LINK_TEXT_DIFFERS}] * 2
    assert any(f.kind == "link_text_differs" for f in cat.findings)
    assert "↩" not in raw.notes[0].text
    assert raw.date == date(2023, 8, 3)  # from the <header>, read before it is dropped


def test_plain_ordered_list_under_heading_with_superscripts():
    raw, cat = _catalog("plain-ol.html")
    assert [n.number for n in raw.notes] == [1, 2, 3]
    assert _urls(cat, 2) == ["https://o.example/two"]
    assert _urls(cat, 3) == ["https://o.example/three"]
    assert [c.markers for c in raw.claims] == [(1,), (2, 3)]
    assert raw.date == date(2023, 7, 9)


def test_bracket_paragraphs_under_sources_heading():
    raw, cat = _catalog("bracket-paragraphs.html")
    assert _urls(cat, 1) == ["https://q.example/one"]
    assert _urls(cat, 2) == ["https://q.example/shown", "https://q.example/real"]
    assert raw.input_format == "html"
    source = (HTML / "bracket-paragraphs.html").read_text().splitlines()
    assert source[raw.notes[1].span.line - 1].startswith("<p>[2]")


def test_toc_links_are_not_note_markers():
    html = b"""<html><body><p><a href="#s2">Section two</a></p>
    <p>Claim.<sup><a href="#fn1">1</a></sup></p><h2 id="s2">Two</h2>
    <ol><li id="fn1">https://x.example/a</li></ol></body></html>"""
    raw = read_html(html, "toc.html")
    assert [n.number for n in raw.notes] == [1]
    assert [c.markers for c in raw.claims] == [(1,)]


def test_deeply_nested_markup_is_bounded():
    depth = 30_000
    html = ("<div>" * depth + "Claim.[1]" + "</div>" * depth).encode()
    html += b"<h2>Notes</h2><p>[1] https://deep.example/</p>"
    start = time.perf_counter()
    raw = read_html(html, "deep.html")
    assert time.perf_counter() - start < 20
    assert [n.number for n in raw.notes] == [1]


def test_binary_html_is_an_input_error():
    with pytest.raises(InputError, match="binary"):
        read_html(b"\x00\x01\x02<html>" * 100, "bin.html")


def test_html_without_notes_is_an_input_error():
    with pytest.raises(InputError, match="no notes"):
        read_html(b"<html><body><p>Just prose.</p></body></html>", "prose.html")


def test_sample_report_as_html_matches_the_text_version():
    """pandoc turned the sample's Markdown-flavoured text into HTML (make_fixtures.sh).

    The conversion changed no URL: autolinks became <a> whose text is the href, Markdown links
    became <a> (pandoc percent-encodes `[dot]` in href hosts; the reader decodes a host as a
    browser does). `as_written` and the `markdown_link` flag differ by construction, so sources
    are compared by URL (or an accepted alternate), count and order, per note.
    """
    path = FIXTURES / "formats" / "isw-2023-08-03-syria.html"
    raw = read_html(path.read_bytes(), str(path))
    assert_matches_gold(build_catalog(raw, str(path)), exceptions={})


def test_list_item_without_marker_is_an_uncited_note():
    html = b"""<html><body><p>Claim.<a href="#fn1" class="footnote-ref"><sup>1</sup></a></p>
    <section class="footnotes"><ol><li id="fn1">https://u.example/1</li>
    <li id="fn2">https://u.example/2</li></ol></section></body></html>"""
    raw = read_html(html, "uncited.html")
    cat = build_catalog(raw, "uncited.html")
    assert [n.number for n in raw.notes] == [1, 2]
    assert [s.url for s in cat.note(2).sources] == ["https://u.example/2"]
    assert any(f.kind == "note_never_cited" and f.notes == (2,) for f in cat.findings)


def test_undecodable_bytes_become_a_finding_not_log_noise(capfd):
    junk = (
        b"\xed\xa5\x1a0\xa2\xff\xba\xddL\x1f\xbfV\xe6\xb9\xfa\xb7\x81\xf0\xf8m\x82\xd5\xea\xac1NI"
        b"\x97\xfa\xe2\x80\xd9\xf1\x82e\x97"
    )
    data = (
        b"<html><body><p>Claim.<sup>1</sup> " + junk + b"</p>"
        b"<h2>Notes</h2><ol><li>https://a.example/x</li></ol></body></html>"
    )
    document = read_html(data, "junk.html")
    kinds = [f.kind for f in document.findings]
    assert kinds == [FindingKind.INVALID_UTF8]
    assert "could not be decoded" not in capfd.readouterr().err


# -- inline links --------------------------------------------------------------------------------

INLINE_GOLD = json.loads((HTML / "inline-gold.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(INLINE_GOLD))
def test_inline_pages_give_exactly_their_sources(name):
    """Chrome, own-site links, images, mail/tel/javascript and anchors are no sources."""
    _, cat = _catalog(name)
    found = sorted({s.url for n in cat.notes for s in n.sources})
    assert found == sorted(INLINE_GOLD[name])


def test_news_article_claims_are_sentences_and_list_items():
    raw, cat = _catalog("news-article.html")
    assert cat.citation_styles == (CitationStyle.INLINE,)
    texts = [c.text for c in raw.claims]
    assert texts[0] == (
        "Negotiators left the capital without a deal on Monday, according to a Reuters report."
    )
    # One sentence with three links is one claim with three sources.
    water = next(c for c in raw.claims if c.text.startswith("Water levels"))
    assert len(water.markers) == 1
    assert _urls(cat, water.markers[0]) == [
        "https://www.unep.org/resources/report/nile-basin-2024",
        "https://doi.org/10.1000/xyz123",
        "https://data.example.org/levels.csv",
    ]
    assert "Egypt's statement is online." in texts


def test_mixed_styles_marker_and_link_in_one_sentence():
    raw, cat = _catalog("saved-page.html")
    assert cat.citation_styles == (CitationStyle.ENDNOTES, CitationStyle.INLINE)
    insurers = next(c for c in raw.claims if c.text.startswith("Insurers"))
    assert insurers.markers[0] == 2
    assert _urls(cat, insurers.markers[1]) == ["https://www.lloydslist.example/insurance-2024"]
    # The page's own absolute "#fnref" back-links are labels, not sources.
    assert _urls(cat, 1) == ["https://stats.example/containers-2024"]
    assert cat.to_json()["citation_styles"] == ["endnotes", "inline"]


def test_wikipedia_inline_internal_links_isbn_edit_and_external_links_section():
    raw, cat = _catalog("wiki-inline.html")
    assert [c.markers for c in raw.claims] == [(1,), (3,), (2,)]
    assert _urls(cat, 3) == ["https://basin.example.gov/gauges"]
    assert cat.note(3).style == CitationStyle.INLINE


def test_inline_source_positions_point_at_the_href():
    """pandoc wraps `<a` and `href=` onto different lines: the span is the href's."""
    for name in ("pandoc-inline.html", "news-article.html", "saved-page.html"):
        _, cat = _catalog(name)
        source = (HTML / name).read_text(encoding="utf-8").splitlines()
        for note in cat.notes:
            if note.style != CitationStyle.INLINE:
                continue
            for s in note.sources:
                written = source[s.span.line - 1][s.span.column - 1 :]
                # A protocol-relative href is written without the scheme the source got.
                assert written.startswith((s.url, s.url.removeprefix("https:"))), (name, s.url)


def _inline(body: str, head: str = "") -> tuple[RawDocument, object]:
    html = f"<html><head>{head}</head><body>{body}</body></html>".encode()
    raw = read_html(html, "page.html")
    return raw, build_catalog(raw, "page.html")


def test_links_that_are_no_sources():
    body = (
        '<p>Mail <a href="mailto:a@b.example">me</a>, call <a href="tel:+1555">us</a>, '
        '<a href="javascript:void(0)">click</a>, <a href="#s2">jump</a>, '
        '<a href="/local/page">read more</a>, '
        '<a href="https://x.example/i.png"><img src="i.png"></a>, '
        '<a href="https://own.example/other">our story</a>, <a href="data:text/plain,hi">data</a>. '
        'A source: <a href="https://real.example/r">report</a>.</p>'
    )
    raw, cat = _inline(body, '<link rel="canonical" href="https://www.own.example/a">')
    assert [s.url for _, s in cat.sources()] == ["https://real.example/r"]
    assert [c.text for c in raw.claims] == ["A source: report."]


def test_protocol_relative_takes_the_page_scheme_or_https():
    body = '<p>Data <a href="//d.example/x">here</a>.</p>'
    _, plain = _inline(body, '<base href="http://site.example/">')
    _, unknown = _inline(body)
    assert [s.url for _, s in plain.sources()] == ["http://d.example/x"]
    assert [s.url for _, s in unknown.sources()] == ["https://d.example/x"]


def test_largest_article_is_the_main_content_not_the_related_cards():
    story = "<p>" + "Long story text. " * 30 + 'See <a href="https://src.example/a">this</a>.</p>'
    card = '<article><p>Card <a href="https://card.example/c">teaser</a>.</p></article>'
    _, cat = _inline(f"<main><article>{story}</article>{card}{card}</main>")
    assert [s.url for _, s in cat.sources()] == ["https://src.example/a"]


def test_prose_without_links_or_notes_is_still_an_input_error():
    with pytest.raises(InputError, match="no citations found"):
        read_html(b'<p>Prose, <a href="mailto:x@y.example">mail</a>.</p>', "p.html")


@pytest.mark.parametrize(
    "wrapper",
    ['<div class="menu">', "<article>", '<div class="has-sidebar">'],
)
def test_deeply_nested_wrappers_keep_the_article_and_stay_linear(wrapper):
    """A layout wrapper named like chrome but holding the page is not chrome."""
    depth = 20_000
    close = "</" + wrapper[1:].split()[0].rstrip(">") + ">"
    html = wrapper * depth + '<p>Claim <a href="https://a.example/x">x</a>.</p>' + close * depth
    raw = read_html(html.encode(), "deep.html")
    assert [c.text for c in raw.claims] == ["Claim x."]


@pytest.mark.parametrize("name", ["pandoc-inline.html", "saved-page.html", "wiki-inline.html"])
def test_claim_spans_point_at_the_sentence(name):
    """Text positions are counted back from the next tag: each claim starts where it is written."""
    raw, _ = _catalog(name)
    source = (HTML / name).read_text(encoding="utf-8").splitlines()
    for claim in raw.claims:
        written = source[claim.span.line - 1][claim.span.column - 1 :]
        assert written.startswith(claim.text.split()[0]), (claim.text, written)


def test_share_buttons_and_link_only_blocks_are_no_sources():
    body = (
        '<p>Prices rose, <a href="https://stats.example/cpi">the office said</a>.</p>'
        '<div class="ufi"><a href="https://c.example/comments">12 comments</a> '
        '<a href="https://www.facebook.com/sharer/sharer.php?u=x">Share</a></div>'
        '<p>Also <a href="https://twitter.com/intent/tweet?text=x">tweet this</a>.</p>'
    )
    raw, cat = _inline(body)
    assert [s.url for _, s in cat.sources()] == ["https://stats.example/cpi"]
    assert [c.text for c in raw.claims] == ["Prices rose, the office said."]
    # The same holds beside linked notes (the other route).
    notes = '<p>Claim.<a href="#fn1">1</a></p><ol><li id="fn1">https://n.example/1</li></ol>'
    raw, cat = _inline(body + notes)
    assert [s.url for _, s in cat.sources()] == ["https://n.example/1", "https://stats.example/cpi"]


def test_hidden_elements_are_not_read():
    body = (
        '<p>Seen <a href="https://seen.example/a">here</a>.</p>'
        '<div hidden><p>Hidden <a href="https://h1.example/">one</a>.</p></div>'
        '<p style="display: none">Hidden <a href="https://h2.example/">two</a>.</p>'
        '<p aria-hidden="true">Hidden <a href="https://h3.example/">three</a>.</p>'
    )
    _, cat = _inline(body)
    assert [s.url for _, s in cat.sources()] == ["https://seen.example/a"]
