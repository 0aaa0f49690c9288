"""DOCX reader: real endnotes/footnotes, hyperlinks through relationships, hand-numbered notes."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from citeaudit.catalog import build_catalog
from citeaudit.errors import InputError
from citeaudit.models import Flag
from citeaudit.parse import docx as docx_module
from citeaudit.parse.docx import read_docx

# Helpers beside the tests and in fixtures/, importable whether or not tests/ is a package.
_HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(_HERE), str(_HERE.parent / "fixtures")]
from make_small import REAL_ENDNOTES, docx_bytes  # noqa: E402

from .format_gold import assert_matches_gold  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

REAL = FIXTURES / "formats" / "real-endnotes.docx"


def _read(data: bytes, name: str = "t.docx"):
    raw = read_docx(data, name)
    return raw, build_catalog(raw, name)


def test_committed_fixture_is_what_the_generator_writes():
    assert REAL.read_bytes() == docx_bytes(
        REAL_ENDNOTES["body"], endnotes=REAL_ENDNOTES["endnotes"]
    )


def test_real_endnotes_and_their_hyperlinks():
    raw, cat = _read(REAL.read_bytes(), str(REAL))
    assert [n.number for n in raw.notes] == [1, 2, 3]
    assert [s.url for s in cat.note(1).sources] == [
        "https://example.org/report",
        "https://www.reuters.com/world/x-2023-07-09/",
    ]
    note2 = cat.note(2).sources
    assert [s.url for s in note2] == [
        "https://example.org/visible",
        "https://example.org/actual",
        "https://plain.example/path?a=1",  # plain-text URL in a note
        "https://field.example/f",  # HYPERLINK field code
    ]
    assert set(note2[0].flags) == {Flag.LINK_TEXT_DIFFERS}
    assert cat.note(3).sources == ()
    # Separator notes (w:type) are not notes; the note's own reference mark is not text.
    assert all(n.text and not n.text.startswith("[") for n in raw.notes if n.number != 2)


def test_claims_carry_the_references_in_display_order():
    raw, _ = _read(REAL.read_bytes())
    assert [(c.markers, c.text) for c in raw.claims] == [
        ((1,), "Forces moved east in July.[1]"),
        ((2, 3), "The U.S. Army said so on July 9.[2][3]"),
    ]
    # Span.line is the body paragraph number.
    assert {c.span.line for c in raw.claims} == {3}
    assert raw.title == "Hand-made report with real endnotes"
    assert raw.date is not None and raw.date.isoformat() == "2023-08-03"


def test_body_hyperlinks_are_not_sources():
    raw, _ = _read(REAL.read_bytes())
    assert all("example.gov" not in n.text for n in raw.notes)


def test_numbers_follow_reference_order_not_ids():
    data = docx_bytes(
        [["First.", ("endnote", "7"), " Second.", ("endnote", "3")]],
        endnotes={"3": [["https://b.example/"]], "7": [["https://a.example/"]]},
    )
    raw, cat = _read(data)
    assert [c.markers for c in raw.claims] == [(1,), (2,)]
    assert [s.url for s in cat.note(1).sources] == ["https://a.example/"]


def test_footnotes_first_then_endnotes():
    data = docx_bytes(
        [["Endnoted.", ("endnote", "1"), " Footnoted.", ("footnote", "1")]],
        endnotes={"1": [["https://end.example/"]]},
        footnotes={"1": [["https://foot.example/"]]},
        title="Both kinds",
    )
    raw, cat = _read(data)
    assert raw.title == "Both kinds"
    assert [s.url for s in cat.note(1).sources] == ["https://foot.example/"]
    assert [s.url for s in cat.note(2).sources] == ["https://end.example/"]
    assert [c.markers for c in raw.claims] == [(2,), (1,)]


def test_unreferenced_note_is_kept_and_reported():
    data = docx_bytes(
        [["Cited.", ("endnote", "1")]], endnotes={"1": [["a"]], "2": [["https://z.example/"]]}
    )
    raw, cat = _read(data)
    assert [n.number for n in raw.notes] == [1, 2]
    assert any(f.kind == "note_never_cited" for f in cat.findings)


def test_hand_numbered_notes_go_through_the_text_parser():
    data = docx_bytes(
        [
            ["Title line"],
            ["A claim.[1] Another.[2]"],
            ["Endnotes"],
            ["[1] ", ("link", "https://h.example/one", "https://h.example/one")],
            ["[2] ", ("link", "the report", "https://h.example/two")],
        ]
    )
    raw, cat = _read(data)
    assert raw.input_format == "docx"
    assert [s.url for s in cat.note(1).sources] == ["https://h.example/one"]
    assert [s.url for s in cat.note(2).sources] == ["https://h.example/two"]
    assert [c.markers for c in raw.claims] == [(1,), (2,)]
    # Span.line is the paragraph number.
    assert raw.claims[0].span.line == 2
    assert [n.span.line for n in raw.notes] == [4, 5]


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A deflated zip archive holding `files` (also used by the hostile-document tests)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_truncated_zip_is_an_input_error():
    data = REAL.read_bytes()
    with pytest.raises(InputError, match="corrupt or truncated"):
        read_docx(data[: len(data) // 2], "cut.docx")


def test_invalid_xml_is_an_input_error():
    with pytest.raises(InputError, match="not valid XML"):
        read_docx(zip_bytes({"word/document.xml": b"<w:document"}), "bad.docx")


def test_missing_document_part_is_an_input_error():
    with pytest.raises(InputError, match="no word/document.xml"):
        read_docx(zip_bytes({"other.xml": b"<a/>"}), "empty.docx")


def test_entity_expansion_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>'
    )
    with pytest.raises(InputError):
        read_docx(zip_bytes({"word/document.xml": bomb}), "laughs.docx")


def test_zip_bomb_ratio_is_refused_before_decompressing():
    with pytest.raises(InputError, match="zip bomb"):
        read_docx(zip_bytes({"word/document.xml": b"\0" * (4 * 1024 * 1024)}), "bomb.docx")


def test_total_size_cap(monkeypatch):
    monkeypatch.setattr(docx_module, "MAX_TOTAL_BYTES", 1000)
    with pytest.raises(InputError, match="expand"):
        read_docx(REAL.read_bytes(), "big.docx")


def test_sample_report_as_docx_matches_the_text_version():
    """pandoc made the DOCX from the sample text (make_fixtures.sh): hand-numbered notes.

    Autolinks and Markdown links became w:hyperlink elements whose targets live in
    document.xml.rels; pandoc percent-encodes `[dot]` in the targets' hosts (decoded as a browser
    would). No URL changed, so there are no exceptions.
    """
    path = FIXTURES / "formats" / "isw-2023-08-03-syria.docx"
    raw = read_docx(path.read_bytes(), str(path))
    assert_matches_gold(build_catalog(raw, str(path)), exceptions={})
