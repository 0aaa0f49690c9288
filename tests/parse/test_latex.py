"""LaTeX reader: footnotes, \\url and \\href, \\cite through a .bib file, comments and verbatim."""

from __future__ import annotations

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeaudit.catalog import build_catalog
from citeaudit.errors import InputError
from citeaudit.models import CitationStyle, FindingKind, Span
from citeaudit.parse.latex import read_latex
from citeaudit.parse.pdf import read_pdf
from citeaudit.parse.siblings import sibling_loader

from .markup_helpers import MARKUP, all_urls, catalog_of, cited_urls, where

REPORT = MARKUP / "report.tex"


def _read(text: str, files: dict[str, str] | None = None):
    files = files or {}
    raw = read_latex(text.encode(), "t.tex", lambda name: files.get(name, "").encode() or None)
    return raw, build_catalog(raw, "t.tex")


def test_report_claims_notes_urls_and_spans():
    text = REPORT.read_text(encoding="utf-8")
    cat = catalog_of("report.tex")
    assert cat.document.title == "Iran and Russia Press US Forces in Eastern Syria"
    assert cat.document.date.isoformat() == "2023-08-03"
    assert [(c.notes, " ".join(c.text.split()[:5])) for c in cat.claims] == [
        ((1,), "Iranian-backed militias moved fighters toward"),
        ((3, 4), "Russian officials said they would"),
        ((6,), "A [Reuters dispatch](https://www.reuters.com/world/middle-east/"
               "syria-patrols-2023-07-28/) from Damascus"),
        ((2,), "A US official told reporters"),
        ((5,), "Local activists reported the movements"),
        ((1000000,), "The search terms were \\cite{verb}"),
    ]  # fmt: skip
    assert cat.claims[1].text == (
        "Russian officials said they would coordinate patrols with the regime [3, 4] and "
        "repeated the claim a week later [4]."
    )
    by_number = {n.number: n for n in cat.notes}
    assert {k: [s.url for s in n.sources] for k, n in by_number.items()} == {
        1: ["https://www.understandingwar.org/backgrounder/iran-update-july-31-2023"],
        2: ["https://www.defense.gov/News/Transcripts/Transcript/Article/3478129/#q3"],
        3: ["https://t.me/mod_russia/28517"],
        4: ["https://sana.sy/en/?p=310021"],
        5: ["https://doi.org/10.5555/sohr.2023.305421"],
        6: ["https://www.reuters.com/world/middle-east/syria-patrols-2023-07-28/"],
    }
    assert [(n.style, n.label) for n in cat.notes[:5]] == [
        (CitationStyle.FOOTNOTES, None),
        (CitationStyle.FOOTNOTES, None),
        (CitationStyle.BIBLIOGRAPHY, "mod2023"),
        (CitationStyle.BIBLIOGRAPHY, "sana2023"),
        (CitationStyle.BIBLIOGRAPHY, "sohr"),
    ]
    # URLs written in the source point at themselves; bibliography URLs at the first \cite.
    assert by_number[1].sources[0].span == where(text, "https://www.understandingwar.org")
    assert by_number[2].sources[0].span == where(text, "https://www.defense.gov")
    assert by_number[6].sources[0].span == where(text, "https://www.reuters.com")
    assert by_number[3].sources[0].span == where(text, "\\cite{mod2023")
    assert by_number[5].sources[0].span == where(text, "\\cite{sohr}")
    # `nobib` has no entry in refs.bib: a marker without a note; `uncited` is never a note.
    assert [f.kind for f in cat.findings] == [FindingKind.MARKER_WITHOUT_NOTE]
    assert "https://uncited.example/" not in all_urls(cat)


def test_comments_verbatim_and_preamble_never_cite():
    cat = catalog_of("report.tex")
    urls = all_urls(cat)
    assert not any("never-cited" in u or "preamble" in u for u in urls)
    assert all("commented" not in c.text and "verbatim" not in c.text for c in cat.claims)


def test_the_compiled_pdf_links_the_same_urls():
    """pdflatex + hyperref + BibTeX made report.pdf: its link annotations are the reader's URLs."""
    pdf = MARKUP / "report.pdf"
    links = set()
    for page in pypdf.PdfReader(pdf).pages:
        for annotation in page.get("/Annots", []):
            action = annotation.get_object().get("/A", {})
            if "/URI" in action:
                links.add(str(action["/URI"]))
    # plainnat prints a DOI as text, not as a link.
    assert links == all_urls(catalog_of("report.tex")) - {
        "https://doi.org/10.5555/sohr.2023.305421"
    }
    from_pdf = build_catalog(read_pdf(pdf.read_bytes(), str(pdf)), str(pdf))
    # The PDF reader sees every footnote URL among its notes' sources, and nothing hidden in a
    # comment; the verbatim block is printed text in the PDF, so that one it does see.
    pdf_urls = all_urls(from_pdf)
    assert {
        "https://www.understandingwar.org/backgrounder/iran-update-july-31-2023",
        "https://www.defense.gov/News/Transcripts/Transcript/Article/3478129/#q3",
        "https://sana.sy/en/?p=310021",
    } <= pdf_urls
    assert "https://comment.example/never-cited" not in pdf_urls


def test_pandoc_latex_reads_as_its_markdown_source():
    want = [urls for _, urls in cited_urls(catalog_of("source.md"))]
    assert [urls for _, urls in cited_urls(catalog_of("pandoc.tex"))] == want
    assert catalog_of("pandoc.tex").document.date.isoformat() == "2023-08-03"


def test_nested_braces_in_a_footnote():
    raw, cat = _read(
        "Claim.\\footnote{See {\\em the {deeply {nested}} report}, "
        "\\href{https://a.example/x}{\\textbf{its} page} and \\url{https://b.example/y}.} Next.\n"
    )
    assert raw.notes[0].text == (
        "See the deeply nested report, [its page](https://a.example/x) and <https://b.example/y>."
    )
    assert [s.url for s in cat.note(1).sources] == ["https://a.example/x", "https://b.example/y"]
    assert raw.claims[0].text == "Claim.[1]"


def test_href_and_url_escapes_and_percent_signs():
    text = (
        "A \\href{https://a.example/p\\%20q\\#top}{link} and "
        "\\url{https://b.example/a%20b?x=1&y=2} here.\n"
    )
    raw, cat = _read(text)
    sources = cat.note(1).sources
    assert [s.url for s in sources] == [
        "https://a.example/p%20q#top",
        "https://b.example/a%20b?x=1&y=2",
    ]
    assert sources[0].span == where(text, "https://a.example")
    assert sources[1].span == where(text, "https://b.example")


def test_a_percent_comment_never_cites():
    raw, cat = _read(
        "Cited.\\footnote{https://a.example/kept} % \\footnote{https://b.example/no} \\cite{x}\n"
        "% \\url{https://c.example/no}\n"
        "Shown 100\\% sure.\\footnote{https://d.example/kept}\n"
    )
    assert all_urls(cat) == {"https://a.example/kept", "https://d.example/kept"}
    assert [c.text for c in raw.claims] == ["Cited.[1]", "Shown 100% sure.[2]"]


def test_footnote_numbers_follow_latex():
    raw, _ = _read(
        "A.\\footnote{https://a.example/1} B.\\footnote[7]{https://a.example/7} "
        "C.\\footnotemark{} D.\\footnotetext{https://a.example/2}\n"
    )
    assert [n.number for n in raw.notes] == [1, 2, 7]
    assert [c.markers for c in raw.claims] == [(1,), (7,), (2,)]


def test_bibliography_fields_and_citation_order():
    bib = """
    @string{pub = "Example Press"}
    @book{b, title={B {Title}}, publisher=pub, doi={https://doi.org/10.1/B}}
    @misc{a, howpublished={\\url{https://a.example/a\\_b}}, url={https://a.example/url}}
    @article{c, eprint={2101.00001}, archiveprefix={arXiv}}
    @misc{never, url={https://never.example/}}
    """
    raw, cat = _read(
        "First \\citep[see][p.~3]{b}. Then \\textcite{a,c} and \\cite{b} again. \\nocite{z}\n"
        "\\bibliography{refs,more}\n",
        {"refs.bib": bib},
    )
    assert [c.markers for c in raw.claims] == [(1,), (2, 3, 1)]
    assert [
        (n.number, n.label, [s.url for s in cat.note(n.number).sources]) for n in raw.notes
    ] == [
        (1, "b", ["https://doi.org/10.1/B"]),
        (2, "a", ["https://a.example/url", "https://a.example/a_b"]),
        (3, "c", ["https://arxiv.org/abs/2101.00001"]),
    ]
    assert raw.notes[0].text == "B Title. https://doi.org/10.1/B"


def test_a_missing_bib_file_leaves_markers_without_notes():
    raw, cat = _read("Claim \\cite{k}.\\footnote{https://a.example/}\n\\addbibresource{gone.bib}\n")
    assert [f.kind for f in cat.findings] == [FindingKind.MARKER_WITHOUT_NOTE]


def test_thebibliography_environment():
    raw, cat = _read(
        "Claim \\cite{k1} and \\cite{k2}.\n"
        "\\begin{thebibliography}{9}\n"
        "\\bibitem{k1} One, \\url{https://a.example/1}.\n"
        "\\bibitem[Two]{k2} Two, \\href{https://a.example/2}{site}.\n"
        "\\end{thebibliography}\n"
    )
    assert raw.claims[0].markers == (1, 2)
    assert [s.url for n in cat.notes for s in n.sources] == [
        "https://a.example/1",
        "https://a.example/2",
    ]


def test_the_bib_file_is_read_beside_the_document(tmp_path):
    (tmp_path / "paper.tex").write_text("See \\cite{k}.\n\\bibliography{lib/refs}\n")
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "refs.bib").write_text("@misc{k, url={https://a.example/k}}\n")
    path = tmp_path / "paper.tex"
    raw = read_latex(path.read_bytes(), str(path), sibling_loader(str(path)))
    assert raw.notes[0].text == "https://a.example/k"
    assert sibling_loader(str(path))("absent.bib") is None


def test_no_citations_is_one_clear_error():
    with pytest.raises(InputError, match=r"t\.tex: no citations found"):
        read_latex(b"\\section{Intro}\nJust prose.\n", "t.tex")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "\\footnote{",
                "\\cite{",
                "\\url{",
                "\\href{",
                "}",
                "{",
                "[",
                "]",
                "%",
                "\\%",
                "\n",
                "\n\n",
                "\\begin{verbatim}",
                "\\end{verbatim}",
                "\\verb|",
                "|",
                "k,",
                "https://a.example/",
                "x",
                ".",
                "\\",
                "\\bibitem{",
                "\\begin{thebibliography}",
                "\\'",
                "~",
                "``",
                "--",
                "\\item",
                "\\section{",
            ]
        ),  # fmt: skip
        max_size=60,
    ).map("".join)
)
def test_any_source_reads_or_fails_cleanly(text: str):
    try:
        raw = read_latex(text.encode(), "t.tex", lambda name: b"@misc{k, url={https://b.example/}}")
    except InputError:
        return
    build_catalog(raw, "t.tex")


def test_spans_of_a_source_on_a_continuation_line():
    text = "Claim.\\footnote{Source,\n    \\url{https://a.example/x}.}\n"
    raw, cat = _read(text)
    assert cat.note(1).sources[0].span == Span(2, 10)


def test_bibliography_titles_are_rendered_from_latex():
    raw, _ = _read(
        "See \\cite{k}.\n\\bibliography{refs}\n",
        {
            "refs.bib": "@misc{k, title={Caf\\'e {Fran\\c{c}ais} \\emph{now}}, url={https://a.example/}}"
        },
    )
    assert raw.notes[0].text == "Café Français now. https://a.example/"


def test_dashes_in_a_url_typed_in_the_text_are_kept():
    raw, cat = _read("Claim.\\footnote{See https://a.example/x--y---z today.}\n")
    assert [s.url for s in cat.note(1).sources] == ["https://a.example/x--y---z"]


def test_an_ignore_comment_on_the_line_silences_its_footnote():
    raw, cat = _read(
        "Kept.\\footnote{https://a.example/1}\n\n"
        "Silenced.\\footnote{https://a.example/2} % citeaudit: ignore\n"
    )
    assert [(n.number, n.ignored) for n in cat.notes] == [(1, False), (2, True)]
    assert [c.ignored for c in cat.claims] == [False, True]
