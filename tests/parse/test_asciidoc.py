"""AsciiDoc reader: footnote:[...] as Asciidoctor numbers them, links, bibliography, comments."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeaudit.catalog import build_catalog
from citeaudit.errors import InputError
from citeaudit.models import CitationStyle, Span
from citeaudit.parse.asciidoc import read_asciidoc
from citeaudit.parse.html import read_html

from .markup_helpers import MARKUP, all_urls, catalog_of, cited_urls, where

REPORT = MARKUP / "report.adoc"


def _read(text: str):
    raw = read_asciidoc(text.encode(), "t.adoc")
    return raw, build_catalog(raw, "t.adoc")


def test_report_claims_notes_urls_and_spans():
    text = REPORT.read_text(encoding="utf-8")
    cat = catalog_of("report.adoc")
    assert cat.document.title == "Iran and Russia Press US Forces in Eastern Syria"
    assert cat.document.date.isoformat() == "2023-08-03"
    assert [(c.notes, c.text) for c in cat.claims] == [
        ((1,), "Iranian-backed militias moved fighters toward the Euphrates River valley.[1]"),
        ((2,), "Russian officials said they would coordinate patrols with the regime.[2]"),
        ((2,), "The regime's state news agency repeated the claim a week later.[2]"),
        (
            (4, 5),
            "A [Reuters dispatch](https://www.reuters.com/world/middle-east/syria-patrols-2023-07-28/)"
            " from Damascus agreed, as did [4].",
        ),
        ((3,), "A US official told reporters the coalition was watching closely.[3]"),
        (
            (6,),
            "Local activists reported the movements on "
            "<https://deirezzor24.net/en/2023/07/militias-move/>.",
        ),
        (
            (3,),
            "Inline https://monospace.example/x is not a source, but this sentence cites the "
            "briefing again.[3]",
        ),
    ]
    assert {n.number: [s.url for s in n.sources] for n in cat.notes} == {
        1: ["https://www.understandingwar.org/backgrounder/iran-update-july-31-2023"],
        2: ["https://t.me/mod_russia/28517"],
        3: ["https://www.defense.gov/News/Transcripts/Transcript/Article/3478129/"],
        4: ["https://www.syriahr.com/en/305421/"],
        5: ["https://www.reuters.com/world/middle-east/syria-patrols-2023-07-28/"],
        6: ["https://deirezzor24.net/en/2023/07/militias-move/"],
    }
    for note in cat.notes:
        for source in note.sources:
            assert source.span == where(text, source.as_written), source.url
    assert [(n.style, n.label) for n in cat.notes[:4]] == [
        (CitationStyle.FOOTNOTES, None),
        (CitationStyle.FOOTNOTES, None),
        (CitationStyle.FOOTNOTES, None),
        (CitationStyle.BIBLIOGRAPHY, "sohr"),
    ]
    # `\]` is a bracket inside the footnote, not its end.
    assert cat.note(2).text.endswith('(the channel calls it "[joint] patrols").')
    assert cat.findings == ()


def test_comments_listings_literals_and_monospace_never_cite():
    urls = all_urls(catalog_of("report.adoc"))
    assert not any("never-cited" in u for u in urls)
    assert "https://monospace.example/x" not in urls


def test_asciidoctor_html_of_the_report_has_the_same_footnotes():
    """Asciidoctor's HTML of the same source, read by the HTML reader: the same footnotes."""
    html = MARKUP / "report.adoc.html"
    from_html = build_catalog(read_html(html.read_bytes(), str(html)), str(html))
    from_adoc = catalog_of("report.adoc")
    footnotes = [n for n in from_adoc.notes if n.style == CitationStyle.FOOTNOTES]
    assert {n.number: [s.url for s in n.sources] for n in footnotes} == {
        n.number: [s.url for s in n.sources]
        for n in from_html.notes
        if n.style is not CitationStyle.INLINE  # the page's inline links are sources too
    }


def test_pandoc_asciidoc_reads_as_its_markdown_source():
    want = [urls for _, urls in cited_urls(catalog_of("source.md"))]
    assert [urls for _, urls in cited_urls(catalog_of("pandoc.adoc"))] == want


def test_named_footnotes_and_their_reuse():
    raw, cat = _read(
        "One.footnote:src[https://a.example/src] Two.footnote:[https://a.example/two] "
        "Three.footnote:src[] Four.footnote:nope[]\n"
    )
    assert [c.markers for c in raw.claims][:3] == [(1,), (2,), (1,)]
    assert [n.number for n in raw.notes] == [1, 2]
    assert raw.claims[3].markers[0] > 1000  # an unknown name: a marker without a note


def test_links_inside_a_footnote_keep_their_brackets():
    text = "Claim.footnote:[See link:https://a.example/x[the [draft\\] page] and https://b.example/y[b].]\n"
    raw, cat = _read(text)
    assert [s.url for s in cat.note(1).sources] == ["https://a.example/x", "https://b.example/y"]
    assert cat.note(1).sources[0].span == where(text, "https://a.example")
    assert raw.notes[0].text == (
        "See [the \\[draft\\] page](https://a.example/x) and [b](https://b.example/y)."
    )


def test_link_text_with_attributes():
    raw, cat = _read("See https://a.example/x[the brief,window=_blank] now.\n")
    assert raw.claims[0].text == "See [the brief](https://a.example/x) now."


def test_source_paragraphs_and_indented_literals_never_cite():
    raw, cat = _read(
        "[source,shell]\ncurl https://a.example/no footnote:[https://b.example/no]\n\n"
        "  indented https://c.example/no\n\n"
        "Cited.footnote:[https://d.example/yes]\n"
    )
    assert all_urls(cat) == {"https://d.example/yes"}
    assert raw.claims[0].span == Span(6, 1)


def test_no_citations_is_one_clear_error():
    with pytest.raises(InputError, match=r"t\.adoc: no citations found"):
        read_asciidoc(b"= Title\n\nJust prose.\n", "t.adoc")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "footnote:[",
                "footnote:a[",
                "footnoteref:[",
                "link:",
                "https://a.example/",
                "[",
                "]",
                "\\]",
                "<<",
                ">>",
                "`",
                "+++",
                "----",
                "////",
                "//",
                "\n",
                "\n\n",
                " ",
                "x",
                ".",
                "* ",
                "= ",
                "[[[k]]]",
                "[bibliography]\n",
                "pass:[",
            ]
        ),  # fmt: skip
        max_size=60,
    ).map("".join)
)
def test_any_source_reads_or_fails_cleanly(text: str):
    try:
        raw = read_asciidoc(text.encode(), "t.adoc")
    except InputError:
        return
    build_catalog(raw, "t.adoc")


def test_attribute_links_point_at_their_definition():
    text = (
        ":url-sana: https://sana.sy/en/?p=1\n:name: Not a URL\n\n"
        "See {url-sana}[SANA] and {name}.footnote:[Via {url-sana}[the agency].]\n"
        "include::other.adoc[]\n"
    )
    raw, cat = _read(text)
    assert raw.claims[0].text == "See [SANA](https://sana.sy/en/?p=1) and {name}.[1]"
    assert raw.notes[0].text == "Via [the agency](https://sana.sy/en/?p=1)."
    assert cat.note(1).sources[0].span == where(text, "https://sana.sy")
    assert "include" not in raw.claims[0].text


def test_an_ignore_comment_silences_the_next_line():
    raw, cat = _read(
        "Kept.footnote:[https://a.example/1]\n\n// citeaudit: ignore\n"
        "Silenced.footnote:[https://a.example/2]\n"
    )
    assert [(n.number, n.ignored) for n in cat.notes] == [(1, False), (2, True)]
    assert [c.ignored for c in cat.claims] == [False, True]


def test_cross_references_to_sections_are_not_citations():
    raw, cat = _read(
        "As <<methods,the method section>> and <<results>> show, SOHR agreed <<sohr>>.\n\n"
        "[bibliography]\n== References\n\n* [[[sohr]]] SOHR, https://www.syriahr.com/en/1/\n"
    )
    assert raw.claims[0].text == "As the method section and results show, SOHR agreed [1]."
    assert raw.claims[0].markers == (1,)
    assert cat.findings == ()
