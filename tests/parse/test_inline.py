"""Inline-link citations and the endnote variants real text and Markdown documents use."""

from __future__ import annotations

import pytest

from citeaudit.catalog import build_catalog
from citeaudit.models import Catalog, CitationStyle, FindingKind
from citeaudit.parse.formats import read_document
from citeaudit.parse.inline import code_spans, mask_markdown, unhtml_lines
from citeaudit.parse.labels import roman_value
from citeaudit.parse.text import parse_text

from .markup_helpers import catalog_of as markup_catalog


def catalog_of(text: str, path: str = "doc.md") -> Catalog:
    return build_catalog(parse_text(text, path), path)


def sources_of_claims(catalog: Catalog) -> list[list[str]]:
    out = []
    for claim in catalog.claims:
        urls = []
        for number in claim.notes:
            note = catalog.note(number)
            assert note is not None, number
            urls.extend(s.url for s in note.sources)
        out.append(urls)
    return out


def test_one_sentence_with_three_links_is_one_claim_with_three_sources():
    text = (
        "# A blog post\n\nOfficials [said](https://a.example/1) it, as did <https://b.example/2>"
        " and https://c.example/3. The next sentence has no link.\n"
    )
    catalog = catalog_of(text)
    assert len(catalog.claims) == 1
    assert sources_of_claims(catalog) == [
        ["https://a.example/1", "https://b.example/2", "https://c.example/3"]
    ]
    assert catalog.citation_styles == (CitationStyle.INLINE,)


def test_inline_sources_point_at_their_line_and_column():
    text = "Title\n\nFirst line of a paragraph\nwith a [link](https://a.example/x) here.\n"
    catalog = catalog_of(text)
    (source,) = catalog.note(catalog.claims[0].notes[0]).sources
    assert (source.span.line, source.span.column) == (4, 15)


def test_reference_style_links_resolve_to_their_definitions():
    text = (
        "Title\n\nThe [report][r1] and the [Other Study] agree.\n\n"
        "[r1]: https://a.example/report\n[other study]: <https://b.example/study>\n"
    )
    catalog = catalog_of(text)
    assert sources_of_claims(catalog) == [["https://a.example/report", "https://b.example/study"]]
    source = catalog.note(catalog.claims[0].notes[0]).sources[0]
    assert source.span.line == 5


def test_numeric_reference_definitions_are_endnotes():
    text = (
        "Title\n\nA claim.[1] Another.[2]\n\n[1]: https://a.example/1\n[2]: https://b.example/2\n"
    )
    catalog = catalog_of(text)
    assert sources_of_claims(catalog) == [["https://a.example/1"], ["https://b.example/2"]]
    assert catalog.citation_styles == (CitationStyle.ENDNOTES,)


def test_mixed_styles_are_listed_in_order():
    text = (
        "Title\n\nA claim with a [link](https://a.example/x).[1] A footnoted one.[^n]\n\n"
        "[^n]: https://c.example/f\n\nEndnotes\n\n[1] https://b.example/e\n"
    )
    catalog = catalog_of(text)
    assert set(catalog.citation_styles) == {
        CitationStyle.ENDNOTES,
        CitationStyle.FOOTNOTES,
        CitationStyle.INLINE,
    }
    assert sources_of_claims(catalog) == [
        ["https://b.example/e", "https://a.example/x"],
        ["https://c.example/f"],
    ]
    assert catalog.to_json()["citation_styles"][0] == "endnotes"


@pytest.mark.parametrize(
    "line",
    [
        "An image ![chart](https://a.example/chart.png) is no source.",
        "Write [me](mailto:x@a.example) or call [us](tel:+15551234).",
        "A [script](javascript:alert(1)) and an [anchor](#section-2).",
        "Code `https://a.example/api` and `a[0]` are not citations.",
    ],
)
def test_what_is_not_a_source(line):
    with pytest.raises(Exception, match="no citations found"):
        parse_text(f"Title\n\n{line}\n", "doc.md")


def test_code_blocks_never_yield_markers_or_links():
    text = (
        "Title\n\nA claim.[1]\n\n```python\nx = a[0] + b[2]  # https://a.example/code\n```\n\n"
        "    indented = c[3]\n\nNotes\n\n[1] https://b.example/n\n"
    )
    catalog = catalog_of(text)
    assert [c.notes for c in catalog.claims] == [(1,)]
    assert not [f for f in catalog.findings if f.kind is FindingKind.MARKER_WITHOUT_NOTE]


def test_further_reading_links_are_not_citations():
    text = (
        "Title\n\nA claim.[1]\n\n## Further reading\n\n- https://x.example/book\n\n"
        "## Notes\n\n[1] https://b.example/n\n"
    )
    catalog = catalog_of(text)
    assert catalog.unique_urls() == ["https://b.example/n"]


@pytest.mark.parametrize(
    ("labels", "markers"),
    [
        (["i", "ii", "iii"], ["[i]", "[ii]", "[iii]"]),
        (["I", "II", "III"], ["[I]", "[II]", "[III]"]),
        (["a", "b", "c"], ["[a]", "[b]", "[c]"]),
        (["*", "†", "‡"], ["*", "†", "‡"]),
    ],
)
def test_labels_other_than_numbers(labels, markers):
    body = " ".join(f"Claim {k}.{m}" for k, m in zip("xyz", markers, strict=True))
    notes = "\n".join(
        f"{label}. https://{k}.example/n" for k, label in zip("xyz", labels, strict=True)
    )
    if labels[0] == "*":
        notes = "\n".join(
            f"{label} https://{k}.example/n" for k, label in zip("xyz", labels, strict=True)
        )
    catalog = catalog_of(f"Title\n\n{body}\n\nNotes\n\n{notes}\n", "doc.txt")
    assert [n.label for n in catalog.notes] == labels
    assert sources_of_claims(catalog) == [[f"https://{k}.example/n"] for k in "xyz"]


def test_indented_reference_list_is_notes():
    text = "Title\n\nA claim.[1] More.[2]\n\nReferences\n\n    1. https://a.example/1\n    2. https://b.example/2\n"
    catalog = catalog_of(text, "doc.txt")
    assert sources_of_claims(catalog) == [["https://a.example/1"], ["https://b.example/2"]]


def test_notes_found_by_their_shape_without_a_heading():
    text = (
        "Title\n\nA claim.[1] Another.[2] A third.[3]\n\n"
        "[1] https://a.example/1\n[2] https://b.example/2\n[3] https://c.example/3\n"
    )
    catalog = catalog_of(text, "doc.txt")
    assert sources_of_claims(catalog) == [
        ["https://a.example/1"],
        ["https://b.example/2"],
        ["https://c.example/3"],
    ]
    assert catalog.citation_styles == (CitationStyle.ENDNOTES,)


def test_an_uncited_numbered_list_at_the_end_is_not_notes():
    text = "Title\n\nSteps with a https://a.example/ link.\n\n1. one\n2. two\n3. three\n"
    catalog = catalog_of(text, "doc.txt")
    assert catalog.citation_styles == (CitationStyle.INLINE,)


def test_bulleted_reference_list_entries_are_notes_of_their_own():
    text = "Title\n\nA claim.\n\nReferences\n\n- https://a.example/1\n- https://b.example/2\n"
    catalog = catalog_of(text)
    assert [[s.url for s in n.sources] for n in catalog.notes] == [
        ["https://a.example/1"],
        ["https://b.example/2"],
    ]


def test_roman_values():
    assert [roman_value(x) for x in ("i", "iv", "ix", "xl", "MMXXIII")] == [1, 4, 9, 40, 2023]
    assert roman_value("vv") is None


def test_code_spans_are_linear_on_many_backticks():
    text = "`" * 100_000 + " x " + "``" * 50_000
    assert code_spans(text) or True  # must return, whatever it finds
    assert mask_markdown("a ``b ` c`` d") == "a           d"


def test_many_code_spans_are_masked_in_one_pass():
    text = "`a` b " * 50_000
    assert mask_markdown(text) == "    b " * 50_000


# -- raw HTML inside Markdown --------------------------------------------------------------------

RAW_HTML_MD = """\
# Raw HTML report

Forces moved east.<sup>1</sup> The ministry <a href="https://m.example/s">said so</a>.
<a name="p2"></a>Aid arrived.<sup><a href="#note-2">[2]</a></sup> Photos: <img src="https://i.example/a.png">.
Mail <a href="mailto:x@y.example">us</a>; data <a href='//d.example/set'>here</a>.

```html
<sup>9</sup> <a href="https://code.example/">not a source</a>
```

## Notes

<ol>
<li id="note-1">https://n.example/one</li>
<li id="note-2">See <a href="https://n.example/two">the report</a>.</li>
</ol>
"""


def test_unhtml_keeps_every_line_length():
    lines = RAW_HTML_MD.split("\n")
    out = unhtml_lines(lines, set())
    assert [len(line) for line in out] == [len(line) for line in lines]
    assert out[2].startswith("Forces moved east.[1] ")
    assert "<" not in out[3] and "https://i.example" not in out[3]


def test_raw_html_markers_notes_list_and_links_in_markdown():
    catalog = catalog_of(RAW_HTML_MD, "raw.md")
    notes = {n.number: [s.url for s in n.sources] for n in catalog.notes}
    assert notes[1] == ["https://n.example/one"]
    assert notes[2] == ["https://n.example/two"]
    styles = {n.number: n.style for n in catalog.notes}
    assert styles[1] == styles[2] == CitationStyle.ENDNOTES
    claims = [(c.notes, c.text) for c in catalog.claims]
    assert claims[0] == ((1,), "Forces moved east.[1]")
    assert claims[2][0][0] == 2
    inline = [s.url for n in catalog.notes if n.style == CitationStyle.INLINE for s in n.sources]
    # mailto:, images, `<a name>` and code blocks give nothing; //host gets https.
    assert inline == ["https://m.example/s", "https://d.example/set"]


def test_raw_html_positions_point_into_the_markdown_file():
    catalog = catalog_of(RAW_HTML_MD, "raw.md")
    lines = RAW_HTML_MD.split("\n")
    for note in catalog.notes:
        for s in note.sources:
            written = lines[s.span.line - 1][s.span.column - 1 :]
            # "href='//host" reads as "https://host" in place: the span is the attribute's.
            assert written.startswith((s.url, "href='//d.example/set'")), (s.url, written)


def test_md_dense_with_html_stays_markdown(tmp_path):
    body = "".join(f"<p>Para <b>{i}</b> <i>x</i></p>\n" for i in range(40))
    data = (body + '<p>Claim <a href="https://s.example/a">here</a>.</p>\n').encode()
    path = tmp_path / "dense.md"
    raw = read_document(path, data)
    assert raw.input_format == "markdown"
    assert [n.style for n in raw.notes] == [CitationStyle.INLINE]


def test_raw_html_link_claims_read_as_their_link_text():
    catalog = markup_catalog("raw_html.md")
    assert [(c.text, c.line) for c in catalog.claims] == [
        (
            "The tracker follows the grid operator's status page and the city's repair log.",
            4,
        ),
        ("Markdown links read as before: see [the ledger](https://ledger.example/outages).", 8),
        ("Counts come from the registry.", 11),
        ("https://maps.example/ draws the map.", 12),
    ]
    sources = [[s.url for s in catalog.note(n).sources] for c in catalog.claims for n in c.notes]
    assert sources == [
        ["https://grid.example/status", "https://works.example/log"],
        ["https://ledger.example/outages"],
        ["https://counts.example/2023"],
        ["https://maps.example/"],
    ]


def test_raw_html_claim_text_keeps_its_markers():
    catalog = catalog_of(RAW_HTML_MD, "raw.md")
    assert [c.text for c in catalog.claims][:3] == [
        "Forces moved east.[1]",
        "The ministry said so.",
        "Aid arrived.[2]",
    ]
