"""Sphinx in reStructuredText: sphinxcontrib-bibtex roles read through the project's `.bib` files,
`[Label]_` citations, and cross-reference roles that are never sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from citeaudit.catalog import build_catalog
from citeaudit.errors import InputError
from citeaudit.models import CitationStyle, FindingKind
from citeaudit.parse.formats import read_document
from citeaudit.parse.rst import read_rst
from citeaudit.parse.siblings import sibling_loader

from .markup_helpers import MARKUP, all_urls, catalog_of, cited_urls

SPHINX = MARKUP / "sphinx"


def test_cite_roles_read_the_bib_files_conf_py_lists():
    cat = catalog_of("sphinx/report.rst")
    assert cited_urls(cat) == [
        ("The grid failed twice", ["https://doi.org/10.1000/grid.2023"]),
        (
            "Repairs took weeks [3,",
            ["https://works.example/repairs?year=2023", "https://doi.org/10.1000/grid.2023"],
        ),
        ("See Methods and appendix/data", []),
        ("The census [1] counted", ["https://census.example/2020"]),
    ]


def test_entries_are_numbered_after_the_citations_in_order_of_first_citation():
    path = SPHINX / "report.rst"
    raw = read_rst(path.read_bytes(), str(path), sibling_loader(str(path)))
    assert [(n.number, n.label, n.style) for n in raw.notes] == [
        (1, "Census2020", CitationStyle.BIBLIOGRAPHY),
        (2, "grid2023", CitationStyle.BIBLIOGRAPHY),
        (3, "repairs2023", CitationStyle.FOOTNOTES),  # first cited by :footcite:
    ]
    assert raw.notes[1].text == "The March grid failures. https://doi.org/10.1000/grid.2023"
    assert (raw.notes[1].span.line, raw.notes[1].span.column) == (4, 32)


def test_cross_reference_roles_show_their_text_and_are_no_sources():
    cat = catalog_of("sphinx/report.rst")
    see = cat.claims[2]
    assert see.text.startswith("See Methods and appendix/data for how we counted;")
    assert ":ref:" not in see.text and "<methods>" not in see.text
    # "We counted :term:`households` with :py:func:`~survey.tools.count`": no claim at all
    assert not any(c.text.startswith("We counted") for c in cat.claims)
    assert all(u.startswith("https://") for u in all_urls(cat))


def test_a_key_no_bib_defines_is_a_marker_without_a_note():
    cat = catalog_of("sphinx/report.rst")
    assert [f.kind for f in cat.findings] == [FindingKind.MARKER_WITHOUT_NOTE]


def test_a_chapter_finds_conf_py_a_folder_up_and_every_listed_bib():
    cat = catalog_of("sphinx/chapters/second.rst")
    assert cited_urls(cat) == [("Outages were logged daily", ["https://ledger.example/outages"])]
    assert [n.label for n in cat.notes] == ["ledger2022", "offline1999"]


def test_an_old_style_bibliography_directive_names_its_file():
    cat = catalog_of("sphinx_old/old_style.rst")
    assert cited_urls(cat) == [("The grid failed [1].", ["https://doi.org/10.1000/grid.2023"])]


def test_without_a_loader_a_cite_is_a_marker_and_no_crash():
    raw = read_rst(b"The grid failed :cite:`grid2023`. See https://a.example/.\n", "t.rst")
    cat = build_catalog(raw, "t.rst")
    assert len(cat.claims) == 2 and [n.style for n in cat.notes] == [CitationStyle.INLINE]
    assert [f.kind for f in cat.findings] == [FindingKind.MARKER_WITHOUT_NOTE]


def test_only_unresolved_cites_is_one_clear_error():
    with pytest.raises(InputError, match="no .bib file"):
        read_rst(b"The grid failed :cite:`grid2023`.\n", "t.rst")


def test_a_missing_bib_file_is_skipped(tmp_path):
    (tmp_path / "conf.py").write_text('bibtex_bibfiles = ["absent.bib"]\n')
    doc = tmp_path / "d.rst"
    doc.write_text("Cited :cite:p:`a` and https://a.example/x.\n")
    raw = read_rst(doc.read_bytes(), str(doc), sibling_loader(str(doc)))
    assert [n.style for n in raw.notes] == [CitationStyle.INLINE]


def test_literal_roles_stay_literal_beside_cite_roles():
    text = b"Run :code:`https://a.example/x` as :cite:`k`.\n\nSee https://b.example/.\n"
    cat = build_catalog(read_rst(text, "t.rst"), "t.rst")
    assert all_urls(cat) == {"https://b.example/"}


# -- the HTML Sphinx itself built from the same project (tests/fixtures/markup/make_sphinx.sh) --


def _sourced(name: str) -> list[tuple[str, list[str]]]:
    """Per claim that cites a URL: its first two words (no marker) and the URLs, in order."""
    rows = cited_urls(catalog_of(name))
    return [(" ".join(words.split()[:2]), urls) for words, urls in rows if urls]


@pytest.mark.parametrize(
    ("built", "source"),
    [("sphinx_html/report.html", "sphinx/report.rst"),
     ("sphinx_html/chapters/second.html", "sphinx/chapters/second.rst")],
)  # fmt: skip
def test_the_html_sphinx_built_cites_what_the_rst_cites(built, source):
    assert _sourced(built) == _sourced(source)


def test_sphinx_html_footcites_and_citations_are_notes_of_their_own():
    cat = catalog_of("sphinx_html/report.html")
    repairs = cat.claims[1]
    assert repairs.text == "Repairs took weeks [1][2]."  # the two :footcite: footnotes
    assert cat.claims[0].text == "The grid failed twice in March [3]."  # not "[[3]]"
    census = cat.claims[2]
    assert census.text.startswith("The census [4] counted")  # `[Census2020]_` by its label
    # the footer's "Powered by Sphinx" and the :ref: to a section are no sources or notes
    assert all_urls(cat) == all_urls(catalog_of("sphinx/report.rst")) | {
        "https://ledger.example/outages"
    }
    assert not any(n.text.startswith("Methods") for n in cat.notes)


def test_bibliography_entries_other_pages_cite_are_notes_never_cited():
    cat = catalog_of("sphinx_html/report.html")
    never = [f.notes for f in cat.findings if f.kind == FindingKind.NOTE_NEVER_CITED]
    assert sorted(
        (cat.note(n[0]).text[:18], [s.url for s in cat.note(n[0]).sources]) for n in never
    ) == [
        ("A printed pamphlet", []),
        ("Ledger of outages.", ["https://ledger.example/outages"]),
    ]


def test_a_citation_of_another_pages_bibliography_reads_the_entry_from_its_title():
    html = (
        b'<html><body><p>Cited <span class="bibtex-citation">[<a class="reference internal"'
        b' href="../refs.html#id3" title="A. Author. A paper. doi:10.1000/xyz.">3</a>]</span>'
        b' and again <span class="bibtex-citation">[<a href="../refs.html#id3"'
        b' title="A. Author. A paper. doi:10.1000/xyz.">3</a>]</span>.</p></body></html>'
    )
    cat = build_catalog(read_document(Path("p.html"), html), "p.html")
    assert [(n.number, [s.url for s in n.sources]) for n in cat.notes] == [
        (3, ["https://doi.org/10.1000/xyz"])
    ]
    assert [c.notes for c in cat.claims] == [(3,)]  # one claim citing the entry twice


def test_the_sphinx_page_title_has_no_permalink_sign():
    assert catalog_of("sphinx_html/report.html").document.title == "Field report"
