"""Raw notes -> Catalog: normalization, in-note duplicates, outlets, flags and positions."""

from __future__ import annotations

from datetime import date

from citeaudit.catalog import build_catalog, note_sources, urls_in_text
from citeaudit.models import CATALOG_SCHEMA, Flag, Span
from citeaudit.parse.raw import RawClaim, RawDocument, RawNote


def sources(text: str):
    return note_sources(RawNote(1, Span(1, 1), text))


def test_duplicate_in_a_note_is_kept_once_and_flagged():
    (source,) = sources("https://a.example/x, see also https://A.EXAMPLE/x")
    assert source.url == "https://a.example/x"
    assert Flag.DUPLICATE_IN_NOTE in source.flags
    assert source.as_written == "https://a.example/x"  # the first occurrence


def test_different_urls_in_a_note_are_all_kept_in_order():
    got = sources("https://b.example/ and https://a.example/ and https://c.example/")
    assert [s.url for s in got] == [
        "https://b.example/",
        "https://a.example/",
        "https://c.example/",
    ]
    assert all(Flag.DUPLICATE_IN_NOTE not in s.flags for s in got)


def test_non_ascii_path_is_encoded_and_flagged():
    (source,) = sources("https://www.enabbaladi.net/archives/عنب")
    assert source.url == "https://www.enabbaladi.net/archives/%D8%B9%D9%86%D8%A8"
    assert source.as_written == "https://www.enabbaladi.net/archives/عنب"
    assert Flag.NON_ASCII in source.flags
    assert source.checkable


def test_idn_host_is_punycode_in_the_key():
    (source,) = sources("https://bücher.example/x")
    assert source.key == "https://xn--bcher-kva.example/x"
    assert Flag.NON_ASCII in source.flags
    assert source.outlet == "bücher.example"


def test_shortlink_is_flagged():
    (source,) = sources("https://t.co/jCrPHmu5Jg")
    assert Flag.SHORTLINK in source.flags
    assert source.outlet == "t.co"


def test_truncated_source_is_not_checkable():
    (source,) = sources("https://a.example/some-long-pa...")
    assert Flag.TRUNCATED in source.flags
    assert not source.checkable


def test_glue_residue_alternate_is_normalized():
    first, _ = sources("https://A.example/x-%C2%A0https://b.example/y")
    assert first.url == "https://a.example/x"
    assert first.alternates == ("https://a.example/x-%C2%A0",)


def test_key_drops_fragment_and_default_port():
    (source,) = sources("https://Example.com:443/a#part")
    assert source.url == "https://example.com:443/a#part"
    assert source.key == "https://example.com/a"


def test_source_position_follows_the_note_anchors():
    note = RawNote(
        4, Span(10, 1), "Title,\nhttps://a.example/x", ((0, Span(10, 5)), (7, Span(11, 1)))
    )
    (source,) = note_sources(note)
    assert source.span == Span(11, 1)


def test_build_catalog_numbers_claims_and_keeps_the_document():
    raw = RawDocument(
        title="T",
        date=date(2023, 8, 3),
        claims=(RawClaim(Span(3, 1), "One.[1]", (1,)), RawClaim(Span(3, 9), "Two.[2]", (2,))),
        notes=(RawNote(1, Span(7, 1), "https://a.example/"), RawNote(2, Span(8, 1), "")),
    )
    catalog = build_catalog(raw, "r.txt")
    assert [(c.id, c.line, c.column) for c in catalog.claims] == [(1, 3, 1), (2, 3, 9)]
    assert catalog.document.path == "r.txt"
    assert [f.kind for f in catalog.findings] == ["empty_note"]


def test_catalog_json_has_the_contract_keys():
    raw = RawDocument(
        title="T",
        date=date(2023, 8, 3),
        claims=(RawClaim(Span(3, 1), "One.[1]", (1,)),),
        notes=(RawNote(1, Span(7, 1), "hxxps://a[.]example/x"),),
    )
    data = build_catalog(raw, "r.txt").to_json()
    assert data["schema"] == CATALOG_SCHEMA
    assert data["document"] == {"path": "r.txt", "title": "T", "date": "2023-08-03"}
    (note,) = data["notes"]
    assert {"number", "line", "text", "sources"} <= note.keys()
    (source,) = note["sources"]
    assert source["url"] == "https://a.example/x"
    assert source["as_written"] == "hxxps://a[.]example/x"
    assert source["outlet"] == "a.example"
    assert source["flags"] == ["defanged"]
    (claim,) = data["claims"]
    assert {"id", "line", "text", "notes"} <= claim.keys()
    assert claim["notes"] == [1]


def test_urls_in_text_rows():
    text = "first line\nsee hxxp://a[.]example/x and\n  www.b.example/y\n"
    rows = urls_in_text(text)
    assert [(r["url"], r["as_written"], r["line"], r["column"], r["flags"]) for r in rows] == [
        ("http://a.example/x", "hxxp://a[.]example/x", 2, 5, ["defanged"]),
        ("http://www.b.example/y", "www.b.example/y", 3, 3, ["scheme_added"]),
    ]


def test_urls_in_text_keeps_repeats():
    rows = urls_in_text("https://a.example/\nhttps://a.example/\n")
    assert [r["line"] for r in rows] == [1, 2]
