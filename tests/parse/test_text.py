"""The plain-text / Markdown reader: document facts, furniture, notes, claims, page breaks.

Inputs are small hand-written reports; each test builds the catalog the way the CLI does
(`parse_text` then `build_catalog`, or `load_catalog` on a file) and checks one rule.
"""

from __future__ import annotations

from datetime import date

import pytest

from citeaudit.catalog import build_catalog
from citeaudit.documents import load_catalog
from citeaudit.errors import InputError
from citeaudit.models import CitationStyle, FindingKind, Flag
from citeaudit.parse.dates import find_date
from citeaudit.parse.lines import furniture_lines
from citeaudit.parse.text import decode, find_title, parse_text

HEADER = "Iran and Russia in Syria | Institute for the Study of War"


def catalog_of(text: str, path: str = "report.md"):
    return build_catalog(parse_text(text, path), path)


def claims_of(text: str) -> list[tuple[tuple[int, ...], str]]:
    return [(c.notes, c.text) for c in catalog_of(text).claims]


# -- document ----------------------------------------------------------------------------------


def test_bom_is_dropped():
    text, findings = decode("\ufeffMy Report\n".encode(), "r.txt")
    assert text == "My Report\n"
    assert findings == ()


def test_bom_file_parses_with_a_clean_title(tmp_path):
    path = tmp_path / "bom.md"
    path.write_bytes("\ufeff".encode() + REPORT.encode())
    catalog = load_catalog(str(path))
    assert catalog.document.title == "A Small Report"
    assert [n.number for n in catalog.notes] == [1, 2]
    assert not [f for f in catalog.findings if f.kind == FindingKind.INVALID_UTF8]


def test_invalid_utf8_is_replaced_and_reported(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(
        b"Title\n\nClaim caf\xe9 here.[1]\n\nNotes\n\n[1] https://a.example/x \xff\xfe\n"
    )
    catalog = load_catalog(str(path))
    (finding,) = [f for f in catalog.findings if f.kind == FindingKind.INVALID_UTF8]
    assert finding.line == 3
    assert "3 invalid" in finding.message
    assert "\ufffd" in catalog.claims[0].text
    assert [s.url for s in catalog.note(1).sources] == ["https://a.example/x"]


@pytest.mark.parametrize(
    ("data", "problem"),
    [(b"", "empty"), (b"  \n\t\n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary")],
)
def test_unreadable_input_is_an_input_error(data, problem):
    with pytest.raises(InputError, match=problem):
        decode(data, "x.txt")


def test_title_is_the_first_non_empty_line_without_markup():
    assert find_title(["", "  ", "# **My Report**", "Other"]) == "My Report"
    assert find_title(["", ""]) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("August 3, 2023", date(2023, 8, 3)),
        ("Aug. 3, 2023", date(2023, 8, 3)),
        ("Published August 3rd 2023 by ISW", date(2023, 8, 3)),
        ("3 August 2023", date(2023, 8, 3)),
        ("03 Aug 2023", date(2023, 8, 3)),
        ("2023-08-03", date(2023, 8, 3)),
        ("Updated: 2023-08-03T10:00Z", date(2023, 8, 3)),
        ("No date here", None),
        ("February 30, 2023", None),
    ],
)
def test_date_forms(line, expected):
    assert find_date(["Title", "", line]) == expected


def test_first_date_wins():
    assert find_date(["Title", "3 August 2023, revised 2023-09-01"]) == date(2023, 8, 3)
    assert find_date(["Title", "2023-09-01", "August 3, 2023"]) == date(2023, 9, 1)


def test_date_far_below_the_top_is_ignored():
    lines = ["Title"] + [f"line {i}" for i in range(60)] + ["August 3, 2023"]
    assert find_date(lines) is None


REPORT = """\
# A Small Report

August 3, 2023

Iran moved forces east.[1] Russia helped.[2]

## Notes

[1] https://a.example/one
[2] https://b.example/two
"""


def test_title_and_date_reach_the_catalog():
    document = catalog_of(REPORT).document
    assert document.title == "A Small Report"
    assert document.date == date(2023, 8, 3)


def test_date_override_wins(tmp_path):
    path = tmp_path / "r.md"
    path.write_text(REPORT, encoding="utf-8")
    assert load_catalog(str(path)).document.date == date(2023, 8, 3)
    assert load_catalog(str(path), as_of=date(2020, 1, 2)).document.date == date(2020, 1, 2)
    raw = parse_text(REPORT, "r.md", date_override=date(2021, 5, 6))
    assert raw.date == date(2021, 5, 6)


# -- page furniture ----------------------------------------------------------------------------

FURNITURE_REPORT = f"""\
Report title

The first claim starts on one page and
{HEADER}
continues on the next page.[1] Second claim.[2]

{HEADER}

Endnotes

[1] Note one, Reuters, https://www.reuters.com/world/a
{HEADER}
[2] Note two is cut
{HEADER}
by a page break, https://b.example/two
"""


def test_a_line_repeated_three_times_is_furniture():
    lines = FURNITURE_REPORT.split("\n")
    assert furniture_lines(lines) == frozenset({HEADER})


def test_a_line_repeated_twice_is_not_furniture():
    assert furniture_lines([HEADER, "x", HEADER]) == frozenset()


def test_short_repeated_lines_and_notes_are_not_furniture():
    assert furniture_lines(["Page", "Page", "Page", "[1] same", "[1] same", "[1] same"]) == set()


def test_furniture_is_removed_and_the_cut_sentence_joined():
    catalog = catalog_of(FURNITURE_REPORT)
    assert [(c.notes, c.text) for c in catalog.claims] == [
        ((1,), "The first claim starts on one page and continues on the next page.[1]"),
        ((2,), "Second claim.[2]"),
    ]
    assert catalog.claims[0].line == 3


def test_furniture_is_removed_from_notes_and_a_cut_note_runs_on():
    catalog = catalog_of(FURNITURE_REPORT)
    assert [n.number for n in catalog.notes] == [1, 2]
    for note in catalog.notes:
        assert HEADER not in note.text
    assert [s.url for s in catalog.note(1).sources] == ["https://www.reuters.com/world/a"]
    two = catalog.note(2)
    assert " ".join(two.text.split()) == "Note two is cut by a page break, https://b.example/two"
    assert [s.url for s in two.sources] == ["https://b.example/two"]
    assert two.sources[0].span.line == 15


def _fragment_report(url_line: str, fragment: str) -> str:
    return f"""\
Report title

First claim.[1] Second claim.[2]

{HEADER}

Endnotes

[1] {url_line}
{HEADER}
{fragment}
[2] Other note https://b.example/two
{HEADER}
"""


def test_fragment_after_a_running_header_joins_with_the_overlap():
    catalog = catalog_of(_fragment_report("Eye, https://www.eyeofeufrates.com/", "com/ar/news/123"))
    (source,) = catalog.note(1).sources
    assert source.url == "https://www.eyeofeufrates.com/ar/news/123"
    assert source.as_written == "https://www.eyeofeufrates.com/"
    assert "https://www.eyeofeufrates.com/" in source.alternates
    assert Flag.JOINED_FRAGMENT in source.flags
    assert [s.url for s in catalog.note(2).sources] == ["https://b.example/two"]


def test_fragment_after_a_running_header_is_concatenated_without_overlap():
    catalog = catalog_of(_fragment_report("https://a.example/reports/", "2023/summary.pdf"))
    (source,) = catalog.note(1).sources
    assert source.url == "https://a.example/reports/2023/summary.pdf"
    assert Flag.JOINED_FRAGMENT in source.flags


# -- notes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    [
        "Endnotes",
        "ENDNOTES",
        "End notes",
        "Notes",
        "notes:",
        "References",
        "Sources",
        "Footnotes",
        "Citations",
        "## Notes",
        "# References",
        "**Sources**",
        "Notes & References",
        "Notes and sources",
        "Works cited",
        "Bibliography",
        "References[edit]",
        "## 7. Notes",
        "Notas",
        "Anmerkungen",
        "Références",
        "Примечания",
        "ملاحظات",
    ],
)
def test_notes_heading_variants(heading):
    catalog = catalog_of(f"Title\n\nA claim.[1]\n\n{heading}\n\n[1] https://a.example/x\n")
    assert [n.number for n in catalog.notes] == [1]
    assert [s.url for s in catalog.note(1).sources] == ["https://a.example/x"]
    assert [c.notes for c in catalog.claims] == [(1,)]


def test_no_citations_at_all_is_an_input_error():
    with pytest.raises(InputError, match="no citations found"):
        parse_text("Title\n\nJust prose, no link and no note.\n", "plain.txt")


def test_a_link_in_prose_without_notes_is_an_inline_citation():
    catalog = catalog_of("Title\n\nJust prose with a link https://a.example/.\n")
    assert catalog.citation_styles == (CitationStyle.INLINE,)
    assert [c.text for c in catalog.claims] == ["Just prose with a link https://a.example/."]
    note = catalog.note(catalog.claims[0].notes[0])
    assert [s.url for s in note.sources] == ["https://a.example/"]


def test_a_notes_heading_with_no_notes_after_it_is_not_the_notes_section():
    with pytest.raises(InputError):
        parse_text("Title\n\nSources\n\nWe talked to many people.\n", "p.txt")


def test_a_later_heading_without_notes_does_not_hide_the_notes_section():
    text = "Title\n\nA claim.[1]\n\nNotes\n\n[1] https://a.example/x\n\nSources\n\nOur method.\n"
    catalog = catalog_of(text)
    assert [n.number for n in catalog.notes] == [1]
    assert [s.url for s in catalog.note(1).sources] == ["https://a.example/x"]


def test_no_notes_required_for_url_listing():
    raw = parse_text("Title\n\nJust prose.\n", "plain.txt", require_notes=False)
    assert raw.notes == ()


@pytest.mark.parametrize("style", ["[{n}] ", "{n}. ", "^{n} "])
def test_note_start_styles(style):
    notes = "\n".join(style.format(n=n) + f"Note {n} https://n{n}.example/" for n in (1, 2, 3))
    catalog = catalog_of(f"Title\n\nClaims.[1][2][3]\n\nNotes\n\n{notes}\n")
    assert [n.number for n in catalog.notes] == [1, 2, 3]
    assert [[s.url for s in n.sources] for n in catalog.notes] == [
        ["https://n1.example/"],
        ["https://n2.example/"],
        ["https://n3.example/"],
    ]
    assert catalog.note(2).line == 8


def test_a_note_runs_across_blank_lines_and_page_breaks():
    text = (
        "Title\n\nClaim.[1][2]\n\nNotes\n\n"
        "[1] First part of note one,\n\n\nsecond part https://a.example/x\n\f\n"
        "third part https://b.example/y\n"
        "[2] Note two\n"
    )
    catalog = catalog_of(text)
    assert [n.number for n in catalog.notes] == [1, 2]
    assert [s.url for s in catalog.note(1).sources] == [
        "https://a.example/x",
        "https://b.example/y",
    ]


def test_a_numbered_line_out_of_sequence_continues_the_note():
    text = "Title\n\nClaim.[1][2]\n\nNotes\n\n1. Spent\n2011. was a year\n2. Two\n"
    catalog = catalog_of(text)
    assert [n.number for n in catalog.notes] == [1, 2]
    assert "2011. was a year" in catalog.note(1).text


def test_markdown_footnotes_without_a_heading():
    text = (
        "# Title\n\nA claim.[^1] Another one.[^2]\n\n"
        "[^1]: First https://a.example/x\n"
        "[^2]: Second https://b.example/y\n"
        "    continued https://c.example/z\n"
    )
    catalog = catalog_of(text)
    assert [n.number for n in catalog.notes] == [1, 2]
    assert [s.url for s in catalog.note(2).sources] == [
        "https://b.example/y",
        "https://c.example/z",
    ]
    assert [(c.notes, c.text) for c in catalog.claims] == [
        ((1,), "A claim.[^1]"),
        ((2,), "Another one.[^2]"),
    ]


def test_named_footnote_labels():
    text = "Title\n\nA claim.[^reuters] B claim.[^ap]\n\n[^ap]: AP https://ap.example/\n" + (
        "[^reuters]: Reuters https://reuters.example/\n"
    )
    catalog = catalog_of(text)
    by_number = {n.number: [s.url for s in n.sources] for n in catalog.notes}
    cited = [c.notes[0] for c in catalog.claims]
    assert by_number[cited[0]] == ["https://reuters.example/"]
    assert by_number[cited[1]] == ["https://ap.example/"]
    assert not [f for f in catalog.findings if f.kind == FindingKind.MARKER_WITHOUT_NOTE]


def test_named_footnotes_do_not_collide_with_a_notes_section():
    text = (
        "Title\n\nA claim.[1] B claim.[^extra]\n\nNotes\n\n[1] https://one.example/\n\n"
        "[^extra]: https://extra.example/\n"
    )
    catalog = catalog_of(text)
    assert len(catalog.notes) == 2
    assert [s.url for s in catalog.note(1).sources] == ["https://one.example/"]
    extra = catalog.claims[1].notes[0]
    assert extra != 1
    assert [s.url for s in catalog.note(extra).sources] == ["https://extra.example/"]


# -- claims ------------------------------------------------------------------------------------

NOTES_1_TO_9 = "\n\nNotes\n\n" + "".join(f"[{n}] https://n{n}.example/\n" for n in range(1, 10))


@pytest.mark.parametrize(
    ("sentence", "cited"),
    [
        ("One claim.[3]", (3,)),
        ("One claim.[3, 4]", (3, 4)),
        ("One claim.[3-5]", (3, 4, 5)),
        ("One claim.[3][4]", (3, 4)),
        ("One claim [3].", (3,)),
        ("One claim. [3]", (3,)),
    ],
)
def test_claim_marker_forms(sentence, cited):
    assert claims_of(f"Title\n\n{sentence} Next sentence." + NOTES_1_TO_9) == [(cited, sentence)]


def test_abbreviations_do_not_cut_claims():
    body = "The U.S. said on Jan. 5 that Gen. Smith, e.g. his staff, would stay.[1] Done.[2]"
    assert claims_of(f"Title\n\n{body}" + NOTES_1_TO_9) == [
        ((1,), "The U.S. said on Jan. 5 that Gen. Smith, e.g. his staff, would stay.[1]"),
        ((2,), "Done.[2]"),
    ]


def test_bullets_are_claims():
    body = "Key takeaways:\n\n- Iran moved forces [1]\n- Russia helped [2][3]\n* No marker here\n"
    catalog = catalog_of(f"Title\n\n{body}" + NOTES_1_TO_9)
    assert [(c.notes, c.text, c.line) for c in catalog.claims] == [
        ((1,), "Iran moved forces [1]", 5),
        ((2, 3), "Russia helped [2][3]", 6),
    ]
    assert catalog.claims[0].column == 3


def test_hard_wrapped_paragraph_is_one_claim_per_sentence():
    body = "Iran moved forces\nto the east.[1] Then Russia\nhelped.[2]"
    assert claims_of(f"Title\n\n{body}" + NOTES_1_TO_9) == [
        ((1,), "Iran moved forces to the east.[1]"),
        ((2,), "Then Russia helped.[2]"),
    ]


def test_claim_ids_and_lines():
    catalog = catalog_of("Title\n\nFirst.[1]\n\nSecond.[2] Third.[3]" + NOTES_1_TO_9)
    assert [(c.id, c.line) for c in catalog.claims] == [(1, 3), (2, 5), (3, 5)]
    assert catalog.claims[2].column == len("Second.[2] ") + 1
