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
