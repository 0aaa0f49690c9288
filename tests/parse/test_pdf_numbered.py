"""PDF footnotes told by their numbers alone (no rule, no gap, no smaller size), and pages of
three columns, on PDFs pdflatex made (tests/fixtures/make_pdf_fixtures.sh) and on PDFs drawn
here to the point."""

from __future__ import annotations

import sys
from pathlib import Path

from citeaudit.catalog import build_catalog
from citeaudit.parse.pdf import read_pdf
from citeaudit.parse.pdf_layout import regions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FORMATS = FIXTURES / "formats"
sys.path.insert(0, str(FIXTURES))
from make_small import _t, pdf_bytes  # noqa: E402


def _read(path: Path):
    raw = read_pdf(path.read_bytes(), str(path))
    return raw, build_catalog(raw, str(path))


def _cited(cat) -> list[tuple[str, list[str]]]:
    return [
        (" ".join(c.text.split()[:3]), [s.url for n in c.notes for s in cat.note(n).sources])
        for c in cat.claims
    ]


def test_footnotes_in_the_body_font_with_no_rule_or_gap_are_found_by_their_numbers():
    raw, cat = _read(FORMATS / "numbered-footnotes.pdf")
    base = "https://numbered.example/"
    assert [(n.number, n.page, [s.url for s in n.sources]) for n in cat.notes] == [
        (1, 1, [base + "ferry"]),
        (2, 1, [base + "council"]),
        (3, 2, [base + "engineers"]),
        (4, 3, [base + "survey"]),  # two rows: the second continues it
        (5, 3, [base + "tolls"]),
    ]
    assert [urls for _, urls in _cited(cat)] == [[base + u] for u in (
        "ferry", "council", "engineers", "survey", "tolls",
    )]  # fmt: skip
    assert not cat.findings


def test_rows_opening_with_numbers_nothing_above_cites_stay_text():
    raw, _ = _read(FORMATS / "numbered-footnotes.pdf")
    notes = " ".join(n.text for n in raw.notes)
    # "3 rivers meet" (page 1), a numbered list above footnote 3 (page 2), a list on a page
    # with no marker (page 4): body text, never notes
    for text in ("rivers meet", "Count the trucks", "Measure the sag", "Plan the crossing"):
        assert text not in notes
    assert raw.notes[3].text.endswith("<https://numbered.example/survey>")
    assert "published by the regional transport office" in " ".join(raw.notes[3].text.split())


def _sup(n: str) -> tuple:
    return _t(n, size=7, rise=4)


def _prose(n: int) -> list:
    return [_t(f"Prose line {n} of the report, as long as the notes are, or longer.")]


def test_numbers_out_of_the_cited_order_are_no_footnotes():
    pages = [
        [
            [_t("A claim about the river."), _sup("1")],
            _prose(1),
            [_t("A second claim about floods."), _sup("2")],
            _prose(2),
            [_t("2 https://order.example/two")],
            [_t("1 https://order.example/one")],
        ]
    ]
    raw = read_pdf(pdf_bytes(pages), "order.pdf")
    assert [n.number for n in raw.notes if n.style.value != "inline"] == []


def test_the_numbered_rows_must_be_every_number_cited_above():
    pages = [
        [
            [_t("A claim about the river."), _sup("1")],
            _prose(1),
            [_t("A second claim about floods."), _sup("2")],
            _prose(2),
            [_t("2 https://partial.example/two")],
        ],
        [
            [_t("A claim on the next page."), _sup("3")],
            _prose(3),
            [_t("3 https://partial.example/three")],
        ],
    ]
    raw = read_pdf(pdf_bytes(pages), "partial.pdf")
    cat = build_catalog(raw, "partial.pdf")
    # page 1 cites 1 and 2 but its foot numbers only 2: no footnotes there; page 2's 3 is one
    assert [(n.number, [s.url for s in n.sources]) for n in cat.notes if n.number == 3] == [
        (3, ["https://partial.example/three"])
    ]
    assert not any(n.number in (1, 2) and n.style.value != "inline" for n in cat.notes)


def test_three_columns_are_read_one_by_one_with_their_footnotes():
    raw, cat = _read(FORMATS / "three-columns.pdf")
    base = "https://three.example/"
    assert _cited(cat) == [
        ("The western levee", [base + "west"]),
        ("The middle channel", [base + "middle"]),
        ("Repairs to the", [base + "east"]),
    ]
    # no row mixes two columns: each claim is one column's sentence, whole
    assert [c.text for c in raw.claims] == [
        "The western levee held through the storm.[1]",
        "The middle channel rose by two me- tres.[2]",
        "Repairs to the eastern wall took a month.[3]",
    ]


def test_regions_split_three_columns_left_to_right():
    column = [(0.0, 0.0, 90.0, 0.0), (110.0, 0.0, 200.0, 0.0), (220.0, 0.0, 310.0, 0.0)]
    boxes = [(x0, 700.0 - 12 * k, x1, 710.0 - 12 * k) for k in range(6) for x0, _, x1, _ in column]
    found = regions(boxes)
    assert [(r.x0, r.x1) for r in found] == [(0.0, 90.0), (110.0, 200.0), (220.0, 310.0)]
    assert [len(r.lines) for r in found] == [6, 6, 6]


def test_libreoffice_prints_footnotes_flattened_into_text_that_are_found_by_their_numbers():
    raw, cat = _read(FORMATS / "numbered-footnotes-lo.pdf")
    base = "https://numbered-lo.example/"
    assert [(n.number, n.page, [s.url for s in n.sources]) for n in cat.notes] == [
        (1, 1, [base + "ferry"]),
        (2, 1, [base + "council"]),
        (3, 2, [base + "engineers"]),
    ]
    notes = " ".join(n.text for n in raw.notes)
    assert "1999" not in notes and "Count the trucks" not in notes
    assert [urls for _, urls in _cited(cat)] == [
        [base + "ferry"],
        [base + "council"],
        [base + "engineers"],
    ]


def test_the_libreoffice_fixture_is_what_its_script_writes(tmp_path):
    sys.path.insert(0, str(FORMATS / "src"))
    import numbered_docx

    numbered_docx.main(tmp_path)
    written = tmp_path / "numbered-footnotes-lo.docx"
    assert written.read_bytes() == (FORMATS / "numbered-footnotes-lo.docx").read_bytes()
