"""PDF reader: link annotations, furniture, URLs broken over lines and pages, superscripts."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from citeaudit.catalog import build_catalog
from citeaudit.errors import InputError
from citeaudit.models import Flag
from citeaudit.parse import pdf as pdf_module
from citeaudit.parse.pdf import read_pdf
from citeaudit.parse.raw import PAGE_BREAK

# Helpers beside the tests and in fixtures/, importable whether or not tests/ is a package.
_HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(_HERE), str(_HERE.parent / "fixtures")]
from make_small import HEADER, _t, pdf_bytes, sample_pdf_pages  # noqa: E402

from .format_gold import assert_matches_gold, upper_percent  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

SMALL = FIXTURES / "formats" / "links-and-breaks.pdf"


@pytest.fixture(scope="module")
def small():
    raw = read_pdf(SMALL.read_bytes(), str(SMALL))
    return raw, build_catalog(raw, str(SMALL))


def test_committed_fixture_is_what_the_generator_writes():
    assert SMALL.read_bytes() == pdf_bytes(sample_pdf_pages())


def test_visible_url_that_disagrees_with_its_annotation(small):
    _, cat = small
    sources = cat.note(1).sources
    assert [s.url for s in sources] == ["https://example.org/visible", "https://example.org/actual"]
    assert all(Flag.LINK_TEXT_DIFFERS in s.flags for s in sources)


def test_annotation_on_words_gives_its_target(small):
    raw, cat = small
    assert [s.url for s in cat.note(2).sources] == ["https://www.reuters.com/world/x/"]
    assert "[Reuters report](https://www.reuters.com/world/x/)" in raw.notes[1].text


def test_plain_url_broken_over_lines_is_rejoined(small):
    _, cat = small
    assert [s.url for s in cat.note(3).sources] == [
        "https://example.net/a/very/long/path-continues/here.html"
    ]


def test_url_broken_over_a_page_is_joined_by_the_catalog(small):
    raw, cat = small
    note4 = next(n for n in raw.notes if n.number == 4)
    assert PAGE_BREAK in note4.text
    assert HEADER not in note4.text  # the running header is furniture
    (source,) = cat.note(4).sources
    assert source.url == "https://example.com/split/over/a/page/break.html"
    assert Flag.JOINED_FRAGMENT in source.flags


def test_link_split_by_the_layout_is_one_link(small):
    _, cat = small
    (source,) = cat.note(5).sources
    assert source.url == "https://example.edu/long/link.html"
    assert Flag.LINK_TEXT_DIFFERS not in source.flags


def test_superscript_markers_become_claims_and_note_starts(small):
    raw, _ = small
    assert [n.number for n in raw.notes] == [1, 2, 3, 4, 5, 6]
    assert [(c.markers, c.text) for c in raw.claims] == [
        ((1,), "Forces moved east in July.[1]"),
        ((2,), "Officials confirmed the move[2] on July 9."),
        ((3,), "Analysts disagreed about its aims.[3]"),
        ((4,), "Later the units dug in.[4]"),
    ]


def test_positions_are_page_and_line(small):
    raw, _ = small
    assert (raw.claims[0].span.page, raw.claims[0].span.line) == (1, 3)
    note5 = next(n for n in raw.notes if n.number == 5)
    assert (note5.span.page, note5.span.line) == (2, 3)


def test_page_numbers_and_headers_are_removed(small):
    raw, _ = small
    text = " ".join(n.text for n in raw.notes)
    assert HEADER not in text
    assert raw.notes[-1].text == "An uncited note: https://example.com/six"
    assert raw.title == HEADER  # a running header that opens page 1
    assert raw.date is not None and raw.date.isoformat() == "2023-08-03"


def test_garbage_after_the_header_is_an_input_error():
    with pytest.raises(InputError, match="corrupt or unreadable PDF"):
        read_pdf(b"%PDF-1.7\n" + bytes(range(256)) * 40, "garbage.pdf")


def test_truncated_pdf_is_an_input_error():
    data = SMALL.read_bytes()
    with pytest.raises(InputError):
        read_pdf(data[: len(data) // 3], "cut.pdf")


def test_not_a_pdf_is_an_input_error():
    with pytest.raises(InputError, match="not a PDF"):
        read_pdf(b"hello", "x.pdf")


def test_page_limit(monkeypatch):
    monkeypatch.setattr(pdf_module, "MAX_PAGES", 2)
    with pytest.raises(InputError, match="pages"):
        read_pdf(SMALL.read_bytes(), "long.pdf")


def test_pdf_without_text_is_an_input_error():
    with pytest.raises(InputError, match="no text"):
        read_pdf(pdf_bytes([[[]]]), "scan.pdf")


def test_url_continuation_is_not_prose():
    pages = [
        [
            [_t("Claim.[1]")],
            [_t("Notes")],
            [_t("[1] See https://example.com/")],
            [_t("The next sentence is prose.")],
        ]
    ]
    raw = read_pdf(pdf_bytes(pages), "p.pdf")
    cat = build_catalog(raw, "p.pdf")
    assert [s.url for s in cat.note(1).sources] == ["https://example.com/"]


def test_sample_report_as_pdf_matches_the_text_version():
    """LibreOffice made the PDF from pandoc's DOCX (make_fixtures.sh). Exceptions, each caused
    by that conversion and not recoverable from the PDF:

    - LibreOffice rewrites link targets with upper-case percent-escapes (`%d8` -> `%D8`), so
      URLs are compared with escapes upper-cased.
    - Note 30, second source: the path is Arabic written raw in a plain-text (not linked) URL;
      the PDF stores right-to-left text in visual order, so the extracted path reads backwards.
    """
    path = FIXTURES / "formats" / "isw-2023-08-03-syria.pdf"
    raw = read_pdf(path.read_bytes(), str(path))
    assert_matches_gold(
        build_catalog(raw, str(path)),
        exceptions={(30, 1): "right-to-left path extracted in visual order"},
        normalize=upper_percent,
    )


def test_footnotes_at_page_feet_without_a_heading():
    def sup(n: str, size: float = 7) -> tuple:
        return _t(n, size=size, rise=4)

    small = 8
    pages = [
        [
            [_t("A claim about the river."), sup("1"), _t(" More prose follows here.")],
            [_t("The prose of a report is longer than its notes, line after line.")],
            [_t("A second claim about floods."), sup("2")],
            [],
            [sup("1", 5), _t(" https://foot.example/one", size=small)],
            [sup("2", 5), _t(" Ministry report, https://foot.example/two/", size=small)],
            [_t("1", size=9)],
        ],
        [
            [_t("Body of the second page cites again."), sup("3")],
            [_t("The prose of a report is longer than its notes, line after line.")],
            [],
            [_t("continued/part.html of the second footnote.", size=small)],
            [sup("3", 5), _t(" https://foot.example/three", size=small)],
            [_t("2", size=9)],
        ],
    ]
    raw = read_pdf(pdf_bytes(pages), "feet.pdf")
    cat = build_catalog(raw, "feet.pdf")
    assert [c.markers for c in raw.claims] == [(1,), (2,), (3,)]
    assert [n.number for n in raw.notes] == [1, 2, 3]
    assert [s.url for s in cat.note(1).sources] == ["https://foot.example/one"]
    (two,) = cat.note(2).sources
    assert two.url == "https://foot.example/two/continued/part.html"
    assert Flag.JOINED_FRAGMENT in two.flags
    note3 = next(n for n in raw.notes if n.number == 3)
    assert (note3.span.page, note3.span.line) == (2, 4)
    assert "Body of the second page" not in " ".join(n.text for n in raw.notes)


# PDFs made by real tools (tests/fixtures/make_pdf_fixtures.sh, sources in formats/src/).
FORMATS = FIXTURES / "formats"
LIBREOFFICE = FORMATS / "isw-2023-08-03-syria-footnotes.pdf"
LATEX = FORMATS / "latex-footnotes.pdf"
CHROMIUM = FORMATS / "chromium-notes.pdf"


def _read(path: Path):
    raw = read_pdf(path.read_bytes(), str(path))
    return raw, build_catalog(raw, str(path))


@pytest.fixture(scope="module")
def libreoffice():
    return _read(LIBREOFFICE)


@pytest.fixture(scope="module")
def latex():
    return _read(LATEX)


def _urls(cat, numbers) -> dict[int, list[str]]:
    return {n: [s.url for s in cat.note(n).sources] for n in numbers}


def test_word_footnotes_in_the_body_size_match_the_gold(libreoffice):
    """LibreOffice printed pandoc's DOCX with real footnotes: notes at each page's foot in the
    body's font size under a short rule, no notes heading. The exception is the same as for the
    endnote PDF (right-to-left text in visual order)."""
    _, cat = libreoffice
    assert_matches_gold(
        cat,
        exceptions={(30, 1): "right-to-left path extracted in visual order"},
        normalize=upper_percent,
    )


def test_word_footnotes_give_the_urls_of_the_docx_they_were_printed_from(libreoffice):
    from citeaudit.parse.docx import read_docx

    docx = FORMATS / "isw-2023-08-03-syria-footnotes.docx"
    want = build_catalog(read_docx(docx.read_bytes(), str(docx)), str(docx))
    raw, cat = libreoffice
    assert [n.number for n in raw.notes] == list(range(1, 39))
    for note in want.notes:
        got = [upper_percent(s.url) for s in cat.note(note.number).sources]
        expected = [upper_percent(s.url) for s in note.sources]
        if note.number == 30:  # the right-to-left path, as in the gold test
            got, expected = got[:1] + got[2:], expected[:1] + expected[2:]
        assert got == expected, note.number
    assert [c.notes for c in cat.claims] == [c.notes for c in want.claims]


def test_footnote_number_alone_on_its_row_opens_the_note(libreoffice):
    raw, cat = libreoffice
    # LibreOffice set "5" and "23" on rows of their own (the URL after them did not fit).
    five = next(n for n in raw.notes if n.number == 5)
    assert (five.span.page, five.span.line) == (2, 27)
    assert five.text.startswith("<https://www.tasnimnews.com/fa/media/1402/")
    assert [s.url for s in cat.note(5).sources][1:4] == [
        "https://t.me/SAM_Syria0/5139",
        "https://t.me/jharnous/989",
        "https://t.me/jharnous/997",
    ]
    twenty_three = next(n for n in raw.notes if n.number == 23)
    assert (twenty_three.span.page, twenty_three.span.line) == (8, 20)
    assert twenty_three.text.startswith("<https://www[dot]tasnimnews.com/fa/news/1398/")


def test_word_footnote_continued_on_the_next_page(libreoffice):
    raw, cat = libreoffice
    ten = next(n for n in raw.notes if n.number == 10)
    assert ten.span.page == 3
    assert PAGE_BREAK in ten.text
    # The rows above note 11 on page 4 finish note 10; none of them is body text.
    assert _urls(cat, [10])[10][4:7] == [
        "https://eyeofeufrates.com/ar/news/2023/07/08/9071",
        "https://eyeofeufrates.com/ar/news/2023/07/20/9181",
        "https://www.syriaahr.com/en/303779/",
    ]
    assert not any("eyeofeufrates" in c.text for c in raw.claims)


LATEX_URLS = {
    1: ["https://latex.example/one"],
    2: [
        "https://latex.example/two/a/rather/long/path/that/breaks/over/the/line/end/of/the/note.html"
    ],
    3: ["https://latex.example/plain/unlinked/path/that/is/long/enough/to/break/at/the/end.html"],
    4: [f"https://latex.example/council/statement-{i}.html" for i in range(1, 41)],
    5: ["https://latex.example/five"],
    6: ["https://latex.example/six/left-column"],
    7: ["https://latex.example/seven/right-column"],
}


def test_latex_footnotes_give_exactly_their_urls(latex):
    raw, cat = latex
    assert [n.number for n in raw.notes] == list(LATEX_URLS)
    assert _urls(cat, LATEX_URLS) == LATEX_URLS
    # pdfTeX pads link boxes by a point: the ";" after each URL is not part of its link.
    assert not any(s.flags for n in LATEX_URLS for s in cat.note(n).sources)


def test_latex_footnotes_hold_the_urls_of_the_tex_source(latex):
    import re

    tex = (FORMATS / "src" / "latex-footnotes.tex").read_text(encoding="utf-8")
    notes = re.findall(r"\\footnote\{(.*?)\}\s*(?:\n\n|\\filler|$|[A-Z\\])", tex, re.S)
    want = [re.findall(r"\\(?:no)?(?:link)?url\{([^}]*)\}", note) for note in notes]
    _, cat = latex
    assert [[s.url for s in cat.note(n).sources] for n in LATEX_URLS] == want


def test_latex_claims_and_positions(latex):
    raw, _ = latex
    assert [(c.markers, c.span.page, c.text) for c in raw.claims] == [
        ((1,), 1, "Convoys crossed the bridge at night.[1]"),
        ((2,), 1, "Officials confirmed the crossings a day later.[2]"),
        ((3,), 1, "Observers later counted forty trucks.[3]"),
        ((4,), 2, "The council denied any role in the deployments.[4]"),
        ((5,), 3, "Trucks returned south by the end of the week.[5]"),
        ((6,), 4, "A new bridge was reported upstream.[6]"),
        ((7,), 4, "The report of the second bridge was denied.[7]"),
    ]
    assert raw.title == "River Crossings in the North: A Test Report"


def test_latex_footnote_split_over_a_page(latex):
    raw, _ = latex
    four = next(n for n in raw.notes if n.number == 4)
    assert four.span.page == 2
    assert four.text.endswith("<https://latex.example/council/statement-40.html>.")
    # pdfTeX boxed every body line of page 3 with the split link: they stay plain prose.
    assert "statement" not in " ".join(c.text for c in raw.claims)
    five = next(n for n in raw.notes if n.number == 5)
    assert five.text == "<https://latex.example/five>"


def test_two_columns_are_read_column_by_column(latex):
    raw, _ = latex
    six, seven = (next(n for n in raw.notes if n.number == k) for k in (6, 7))
    # Each column has its own footnotes; the page number between them is furniture.
    assert (six.text, seven.text) == (
        "<https://latex.example/six/left-column>",
        "<https://latex.example/seven/right-column>",
    )
    assert six.span.page == seven.span.page == 4
    assert six.span.line < seven.span.line


def test_chromium_notes_list():
    raw, cat = _read(CHROMIUM)
    assert [(c.markers, c.text.split()[0]) for c in raw.claims] == [
        ((1,), "Water"),
        ((2,), "Farmers"),
        ((3,), "Engineers"),
        ((4,), "Repairs"),
    ]
    assert _urls(cat, [1, 2, 3, 4]) == {
        1: ["https://chromium.example/bulletins/2023/08/spillways-opened.html"],
        2: ["https://chromium.example/farmers"],
        # Chromium writes the "fi" ligature as U+FB01; the note spans a page break.
        3: [
            "https://chromium.example/engineering/inspections/"
            "levee-north-section-a-and-section-b-findings.pdf"
        ],
        # Not linked, broken mid-number where the row met the column's edge.
        4: [
            "https://chromium.example/works/statements/2023-08-04-levee-repairs-begin-at-dawn.html"
        ],
    }
    assert raw.title == "Floodplain Watch: Weekly Notes"


def test_plain_footnote_numbers_that_match_the_page_markers():
    def sup(n: str) -> tuple:
        return _t(n, size=7, rise=4)

    prose = "The prose of a report is longer than its notes, line after line."
    pages = [
        [
            [_t("A claim about the river."), sup("1"), _t(" More prose follows here.")],
            [_t(prose)],
            [_t("A second claim about floods."), sup("2")],
            [_t(prose)],
            [],
            [_t("1 https://plain.example/one", size=8)],
            [_t("2. Ministry report, https://plain.example/two", size=8)],
            [_t("1999 was a dry year, says https://plain.example/three", size=8)],
        ]
    ]
    raw = read_pdf(pdf_bytes(pages), "plain.pdf")
    cat = build_catalog(raw, "plain.pdf")
    assert [n.number for n in raw.notes] == [1, 2]
    assert _urls(cat, [1, 2]) == {
        1: ["https://plain.example/one"],
        # A number nothing on the page cites is the note's text, not a new note.
        2: ["https://plain.example/two", "https://plain.example/three"],
    }


def test_hyphen_the_layout_added_inside_a_link_is_dropped():
    uri = "https://hy.example/longpath.html"
    pages = [
        [
            [_t("Claim.[1]")],
            [_t("Notes")],
            [_t("[1] See "), _t("https://hy.example/long-", uri=uri)],
            [_t("path.html", uri=uri)],
        ]
    ]
    raw = read_pdf(pdf_bytes(pages), "hy.pdf")
    (source,) = build_catalog(raw, "hy.pdf").note(1).sources
    assert source.url == uri
    assert Flag.LINK_TEXT_DIFFERS not in source.flags
    assert raw.notes[0].text == f"See <{uri}>"


def test_footnotes_in_the_body_size_without_a_rule_are_found_by_the_gap_and_numbers():
    def sup(n: str) -> tuple:
        return _t(n, size=7, rise=4)

    def prose(n: int) -> list:
        return [_t(f"Prose line {n} of the report, longer than its notes, line after line.")]

    pages = [
        [
            [_t("A claim about the river."), sup("1"), _t(" More prose follows here.")],
            prose(1),
            [sup("3"), _t(" is not cited above: this row is body text.")],
            [_t("A second claim about floods."), sup("2")],
            prose(2),
            [],
            [sup("1"), _t(" https://gap.example/one")],
            [sup("2"), _t(" Ministry report, https://gap.example/two")],
        ],
        [
            [_t("The second page goes on with a claim."), sup("4")],
            prose(3),
            prose(4),
            [],
            [sup("4"), _t(" https://gap.example/four")],
        ],
    ]
    raw = read_pdf(pdf_bytes(pages), "gap.pdf")
    cat = build_catalog(raw, "gap.pdf")
    assert [n.number for n in raw.notes] == [1, 2, 4]
    assert _urls(cat, [1, 2, 4]) == {
        1: ["https://gap.example/one"],
        2: ["https://gap.example/two"],
        4: ["https://gap.example/four"],
    }
    # The superscript 3 opening a body row is a marker there (no footnote 3 on the page).
    assert [c.markers for c in raw.claims] == [(1,), (3,), (2,), (4,)]
    assert "second page goes on" in raw.claims[-1].text
    assert not any("gap.example" in c.text for c in raw.claims)
