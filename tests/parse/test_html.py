"""HTML reader: each publisher pattern, links as sources, ignored regions, positions, defences."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import pytest

from citeaudit.catalog import build_catalog
from citeaudit.errors import InputError
from citeaudit.models import FindingKind, Flag
from citeaudit.parse.html import read_html

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
