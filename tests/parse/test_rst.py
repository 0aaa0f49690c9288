"""reStructuredText reader: footnotes numbered as docutils numbers them, links, literal blocks."""

from __future__ import annotations

import docutils.core
import docutils.nodes
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeaudit.catalog import build_catalog
from citeaudit.errors import InputError
from citeaudit.models import CitationStyle, FindingKind, Span
from citeaudit.parse.html import read_html
from citeaudit.parse.rst import read_rst

from .markup_helpers import MARKUP, all_urls, catalog_of, cited_urls, where

REPORT = MARKUP / "report.rst"


def _read(text: str):
    raw = read_rst(text.encode(), "t.rst")
    return raw, build_catalog(raw, "t.rst")


def test_report_claims_notes_urls_and_spans():
    text = REPORT.read_text(encoding="utf-8")
    cat = catalog_of("report.rst")
    assert cat.document.title == "Iran and Russia Press US Forces in Eastern Syria"
    assert cat.document.date.isoformat() == "2023-08-03"
    assert [(c.notes, c.text) for c in cat.claims] == [
        ((1,), "Iranian-backed militias moved fighters toward the Euphrates River valley. [1]"),
        (
            (3, 4),
            "Russian officials said they would coordinate patrols with the regime [3] and "
            "repeated the claim a week later. [4]",
        ),
        (
            (4, 6),
            "The regime's state news agency echoed them, [4] as did a [Reuters dispatch]"
            "(https://www.reuters.com/world/middle-east/syria-patrols-2023-07-28/) from Damascus.",
        ),
        ((5,), "A US official told reporters the coalition was watching closely. [5]"),
        (
            (7,),
            "Local activists reported the movements on Deir ez-Zor 24 and on "
            "[the Syrian Observatory](https://www.syriahr.com/en/305421/).",
        ),
        ((2,), "Inline https://inline-literal.example/x text is not a link either. [2]"),
    ]
    claim_at = [(c.line, c.column) for c in cat.claims]
    assert claim_at[0] == (where(text, "Iranian").line, 1)
    assert claim_at[2] == (where(text, "The regime's").line, where(text, "The regime's").column)
    assert claim_at[3] == (where(text, "A US").line, 3)  # after the "- " bullet
    expected = {
        1: ["https://www.understandingwar.org/backgrounder/iran-update-july-31-2023"],
        2: ["https://example.org/methodology"],
        3: ["https://t.me/mod_russia/28517"],
        4: [
            "https://sana.sy/en/?p=310021",
            "https://web.archive.org/web/20230730000000/https://sana.sy/en/?p=310021",
        ],
        5: ["https://www.defense.gov/News/Transcripts/Transcript/Article/3478129/"],
        6: ["https://www.reuters.com/world/middle-east/syria-patrols-2023-07-28/"],
        7: [
            "https://www.syriahr.com/en/305421/",
            "https://deirezzor24.net/en/2023/07/militias-move/",
        ],
    }
    assert {n.number: [s.url for s in n.sources] for n in cat.notes} == expected
    # Every source points at the line and column its URL is written on.
    for note in cat.notes:
        for source in note.sources:
            assert source.span == where(text, source.as_written), source.url
    styles = {n.number: n.style for n in cat.notes}
    assert styles[1] == styles[4] == CitationStyle.FOOTNOTES
    assert styles[6] == styles[7] == CitationStyle.INLINE
    assert cat.findings == ()


def test_literal_blocks_code_comments_and_inline_literals_never_cite():
    cat = catalog_of("report.rst")
    assert not any("never-cited" in url for url in all_urls(cat))
    assert "https://inline-literal.example/x" not in all_urls(cat)


def _docutils_footnotes(text: str) -> tuple[dict[int, set[str]], list[int]]:
    """What docutils makes of a source: each footnote's URLs, and the markers in order."""
    tree = docutils.core.publish_doctree(text, settings_overrides={"report_level": 5})
    notes = {}
    for fn in tree.findall(docutils.nodes.footnote):
        number = int(fn.children[0].astext())
        refs = {r["refuri"] for r in fn.findall(docutils.nodes.reference) if "refuri" in r}
        notes[number] = refs
    markers = [int(r.astext()) for r in tree.findall(docutils.nodes.footnote_reference)]
    return notes, markers


def test_footnote_numbers_agree_with_docutils():
    text = REPORT.read_text(encoding="utf-8")
    want_notes, want_markers = _docutils_footnotes(text)
    raw, cat = _read(text)
    footnotes = {n.number: n for n in cat.notes if n.style == CitationStyle.FOOTNOTES}
    assert {k: {s.url for s in n.sources} for k, n in footnotes.items()} == want_notes
    got_markers = [n for c in cat.claims for n in c.notes if n in footnotes]
    assert got_markers == want_markers


def test_docutils_html_of_the_report_has_the_same_notes():
    """docutils' HTML of the same source, read by the HTML reader: the same footnote URLs."""
    html = MARKUP / "report.rst.html"
    from_html = build_catalog(read_html(html.read_bytes(), str(html)), str(html))
    from_rst = catalog_of("report.rst")
    footnotes = [n for n in from_rst.notes if n.style == CitationStyle.FOOTNOTES]
    assert {n.number: [s.url for s in n.sources] for n in footnotes} == {
        n.number: [s.url for s in n.sources]
        for n in from_html.notes
        if n.style is not CitationStyle.INLINE  # the page's inline links are sources too
    }


def test_pandoc_rst_reads_as_its_markdown_source():
    """pandoc's rST of source.md: every claim cites the URLs the Markdown reader finds."""
    want = [urls for _, urls in cited_urls(catalog_of("source.md"))]
    assert [urls for _, urls in cited_urls(catalog_of("pandoc.rst"))] == want


def test_url_on_the_line_after_the_label():
    raw, cat = _read("Claim. [1]_\n\n.. [1]\n   https://a.example/next-line\n")
    assert cat.note(1).sources[0].url == "https://a.example/next-line"
    assert cat.note(1).sources[0].span == Span(4, 4)


def test_auto_numbered_in_definition_order_skipping_hand_numbers():
    text = (
        "One [#]_ two [2]_ three [#]_ four [#named]_.\n\n"
        ".. [#] https://a.example/first\n"
        ".. [2] https://a.example/two\n"
        ".. [#named] https://a.example/named\n"
        ".. [#] https://a.example/third\n"
    )
    raw, cat = _read(text)
    assert raw.claims[0].markers == (1, 2, 4, 3)
    assert {n.number: n.sources[0].url for n in cat.notes} == {
        1: "https://a.example/first",
        2: "https://a.example/two",
        3: "https://a.example/named",
        4: "https://a.example/third",
    }
    want_notes, want_markers = _docutils_footnotes(text)
    assert want_markers == [1, 2, 4, 3]
    assert want_notes == {n.number: {n.sources[0].url} for n in cat.notes}


def test_a_labelled_footnote_cited_twice_is_one_note():
    raw, cat = _read("First. [#src]_ Again. [#src]_\n\n.. [#src] Report,\n   https://a.example/r\n")
    assert [c.notes for c in cat.claims] == [(1,), (1,)]
    assert len(cat.notes) == 1
    assert cat.note(1).text == "Report,\nhttps://a.example/r"


def test_citations_symbols_and_unknown_labels():
    raw, cat = _read(
        "Cited [Smith2020]_ and [*]_ and [nope]_.\n\n"
        ".. [Smith2020] Smith, https://a.example/smith\n"
        ".. [*] https://a.example/star\n"
    )
    smith, star = raw.notes[0], raw.notes[1]
    assert (smith.style, smith.label, smith.number) == (CitationStyle.BIBLIOGRAPHY, "Smith2020", 1)
    assert (star.style, star.label, star.number) == (CitationStyle.FOOTNOTES, "*", 2)
    assert raw.claims[0].markers[:2] == (1, 2)
    assert [f.kind for f in cat.findings] == [FindingKind.MARKER_WITHOUT_NOTE]


def test_named_and_anonymous_targets():
    raw, cat = _read(
        "See `the brief`_, Python_ and `this one`__, `that <alias_>`_.\n\n"
        ".. _the brief: https://a.example/brief\n"
        ".. _python: https://a.example/python\n"
        ".. __: https://a.example/anonymous\n"
        ".. _alias: https://a.example/alias\n"
    )
    assert [s.url for s in cat.note(raw.claims[0].markers[0]).sources] == [
        "https://a.example/brief",
        "https://a.example/python",
        "https://a.example/anonymous",
        "https://a.example/alias",
    ]
    # A URL defined elsewhere points at its definition.
    assert cat.note(1).sources[0].span == Span(3, 16)


def test_multiline_embedded_link_points_at_its_url():
    raw, cat = _read("A `long\n   title <https://a.example/x>`_ here.\n")
    assert cat.note(1).sources[0].url == "https://a.example/x"
    assert cat.note(1).sources[0].span == Span(2, 11)


def test_no_citations_is_one_clear_error():
    with pytest.raises(InputError, match=r"t\.rst: no citations found"):
        read_rst(b"Title\n=====\n\nJust prose, nothing cited.\n", "t.rst")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                ".. ",
                "[1]",
                "[#]",
                "[#a]",
                "_",
                "__",
                "`",
                "<",
                ">",
                "::",
                "\n",
                "\n\n",
                "   ",
                "https://a.example/",
                "x",
                ".",
                "..",
                "=====",
                "- ",
                ":",
                "``",
                "[*]",
                "|",
            ]
        ),  # fmt: skip
        max_size=60,
    ).map("".join)
)
def test_any_source_reads_or_fails_cleanly(text: str):
    try:
        raw = read_rst(text.encode(), "t.rst")
    except InputError:
        return
    build_catalog(raw, "t.rst")


def test_an_ignore_comment_silences_the_next_note():
    raw, cat = _read(
        "Kept. [1]_ Silenced. [2]_\n\n.. [1] https://a.example/1\n\n"
        ".. citeaudit: ignore\n.. [2] https://a.example/2\n"
    )
    assert [(n.number, n.ignored) for n in cat.notes] == [(1, False), (2, True)]
