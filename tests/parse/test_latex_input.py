r"""LaTeX `\input` and `\include`: chapters read where they are included, safely bounded."""

from __future__ import annotations

from citeaudit.catalog import build_catalog
from citeaudit.models import CitationStyle, FindingKind
from citeaudit.parse.latex import read_latex
from citeaudit.parse.latex_input import MAX_DEPTH, MAX_FILES, expand_inputs
from citeaudit.parse.siblings import sibling_loader

from .markup_helpers import MARKUP, all_urls, catalog_of

THESIS = MARKUP / "thesis" / "thesis.tex"


def _read(path):
    return read_latex(path.read_bytes(), str(path), sibling_loader(str(path)))


def test_footnotes_of_included_chapters_number_on_in_document_order():
    raw = _read(THESIS)
    assert [(n.number, n.style) for n in raw.notes] == [
        (1, CitationStyle.FOOTNOTES),
        (2, CitationStyle.FOOTNOTES),  # chapters/intro.tex
        (3, CitationStyle.FOOTNOTES),  # chapters/table.tex, included by chapters/results.tex
        (4, CitationStyle.FOOTNOTES),  # chapters/loop.tex, read once
        (5, CitationStyle.BIBLIOGRAPHY),  # cited in chapters/results.tex
        (6, CitationStyle.BIBLIOGRAPHY),
    ]
    assert all_urls(catalog_of("thesis/thesis.tex")) == {
        "https://grid.example/log",
        "https://works.example/repairs",
        "https://counts.example/2023",
        "https://loop.example/once",
        "https://doi.org/10.1000/grid.2023",
        "https://ledger.example/outages",
    }


def test_included_text_is_placed_at_the_include_line_and_the_main_lines_keep_theirs():
    cat = catalog_of("thesis/thesis.tex")
    lines = {c.text.split()[0]: c.line for c in cat.claims}
    assert lines == {"The": 12, "Repairs": 10, "Outages": 12, "A": 14, "Closing": 16}
    first = next(c for c in cat.claims if c.text.startswith("The grid"))
    assert (first.line, first.column) == (8, 1)


def test_a_commented_input_includes_nothing():
    assert "https://draft.example/never" not in all_urls(catalog_of("thesis/thesis.tex"))


def test_a_missing_file_and_a_cycle_are_findings_not_errors():
    cat = catalog_of("thesis/thesis.tex")
    skipped = [f for f in cat.findings if f.kind == FindingKind.INPUT_NOT_READ]
    assert [(f.line, f.message.split("(")[-1]) for f in skipped] == [
        (13, "no such file beside the document)"),
        (14, "it includes itself)"),
    ]


def test_without_a_loader_nothing_is_included():
    raw = read_latex(THESIS.read_bytes(), str(THESIS))
    assert [n.number for n in raw.notes if n.style == CitationStyle.FOOTNOTES] == [1]
    assert not raw.findings


def test_an_absolute_name_is_never_read(tmp_path):
    doc = tmp_path / "d.tex"
    doc.write_text("Text.\\footnote{\\url{https://a.example/}}\n\\input{/etc/hostname}\n")
    raw = _read(doc)
    assert [f.message for f in raw.findings] == [
        "\\input{/etc/hostname} on line 2 was not read (an absolute name)"
    ]
    assert sibling_loader(str(doc))("/etc/hostname") is None


def test_inclusion_stops_at_the_depth_cap(tmp_path):
    for k in range(MAX_DEPTH + 3):
        body = f"Level {k}.\\footnote{{\\url{{https://a.example/{k}}}}}\n\\input{{f{k + 1}}}\n"
        (tmp_path / f"f{k}.tex").write_text(body)
    raw = _read(tmp_path / "f0.tex")
    assert len([n for n in raw.notes if n.style == CitationStyle.FOOTNOTES]) == MAX_DEPTH + 1
    assert [f.message.split("(")[-1] for f in raw.findings] == [
        f"more than {MAX_DEPTH} files deep)"
    ]


def test_a_fan_out_of_inclusions_stops_at_the_file_cap(tmp_path):
    fan = "".join("\\input{b}\n" for _ in range(100))
    (tmp_path / "a.tex").write_text("Top.\\footnote{\\url{https://a.example/}}\n" + fan)
    (tmp_path / "b.tex").write_text(fan.replace("{b}", "{c}"))
    (tmp_path / "c.tex").write_text("Leaf.\n")
    expanded = expand_inputs(
        (tmp_path / "a.tex").read_text(), sibling_loader(str(tmp_path / "a.tex"))
    )
    # 4 whole copies of b (101 files each), then 95 leaves of the fifth: 500 files read
    assert expanded.text.count("Leaf.") == 495
    (finding,) = expanded.findings
    assert f"over {MAX_FILES} files" in finding.message


def test_the_main_document_positions_survive_an_inclusion():
    files = {"ch.tex": b"one\ntwo\nthree\n"}
    expanded = expand_inputs("a\n\\input{ch}\nb\nc\n", files.get)
    at = expanded.text.index("c\n")
    assert expanded.at(at).line == 4
    assert expanded.at(expanded.text.index("two")).line == 2  # the \input line


def test_the_catalog_of_a_document_with_inclusions_builds():
    raw = _read(THESIS)
    cat = build_catalog(raw, str(THESIS))
    assert len(cat.claims) == 6


# -- the same thesis compiled by pdflatex + BibTeX + hyperref (make_markup.sh) -----------------


def _footnote_urls(catalog):
    return [[s.url for s in n.sources] for n in catalog.notes if n.style == CitationStyle.FOOTNOTES]


def test_the_compiled_pdf_has_the_footnote_urls_the_tex_reader_finds():
    tex = catalog_of("thesis/thesis.tex")
    pdf = catalog_of("thesis.pdf")
    # the PDF's first two notes are its bibliography ([1] ledger, [2] grid: no URL printed)
    bibliography, footnotes = pdf.notes[:2], pdf.notes[2:]
    assert [n.page for n in bibliography] == [6, 6]
    assert [[s.url for s in n.sources] for n in footnotes] == _footnote_urls(tex)
    assert [n.page for n in footnotes] == [2, 3, 4, 5]


def test_footnote_numbers_the_report_class_restarts_per_chapter_stay_apart():
    pdf = catalog_of("thesis.pdf")
    # chapter 1 and chapter 2 both print footnote 1; each marker cites its own page's footnote
    cited = {
        c.text.split(".")[0]: [s.url for n in c.notes for s in pdf.note(n).sources]
        for c in pdf.claims
    }
    assert cited["Repairs took weeks"] == ["https://works.example/repairs"]
    assert cited["The table counts every outage"] == ["https://counts.example/2023"]
    assert cited["A chapter that includes itself"] == ["https://loop.example/once"]
    assert cited["Closing words cite the ledger [1]"] == ["https://ledger.example/outages"]
    assert not [f for f in pdf.findings if f.kind == FindingKind.NOTE_NEVER_CITED]
