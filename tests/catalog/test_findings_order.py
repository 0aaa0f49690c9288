"""The findings' order and grouping, which the lean (two-pass, per-group) builders must keep."""

from __future__ import annotations

from citeaudit.catalog import findings
from citeaudit.catalog.findings import document_findings, same_resource_variants
from citeaudit.catalog.occurrences import Occurrences
from citeaudit.models import FindingKind, Flag, Note, Source


def notes_citing(*urls: str | tuple[str, ...]) -> tuple[Note, ...]:
    """One note per item, citing that URL (or those URLs)."""
    out = []
    for number, item in enumerate(urls, start=1):
        group = (item,) if isinstance(item, str) else item
        out.append(Note(number, number, "", tuple(Source(u, u, "x") for u in group)))
    return tuple(out)


def test_occurrences_count_each_note_once_and_keep_the_first_source():
    notes = notes_citing("https://a.example/", ("https://b.example/", "https://a.example/"))
    notes += (Note(3, 3, "", (Source("https://a.example/", "A", "x"),) * 2),)
    occ = Occurrences(notes)
    assert list(occ.notes_of("https://a.example/")) == [1, 2, 3]
    assert list(occ.notes_of("https://b.example/")) == [2]
    assert occ.notes_of("https://c.example/") == ()
    assert occ.first_note("https://b.example/") == 2
    assert [u for u, _ in occ.repeated()] == ["https://a.example/"]
    assert [s.as_written for s in occ.sources] == ["https://a.example/", "https://b.example/"]


def test_occurrences_skip_unprobeable_sources():
    truncated = Source("https://a.example/x", "https://a.example/x...", "x", (Flag.TRUNCATED,))
    occ = Occurrences((Note(1, 1, "", (truncated, Source("https://b.example/", "", "x"))),))
    assert [s.url for s in occ.checkable()] == ["https://b.example/"]


def test_same_resource_variants_come_where_their_second_spelling_does():
    notes = notes_citing(
        "http://a.example/x",
        "https://b.example/y",
        "https://b.example/y/",
        "https://c.example/z",
        "https://a.example/x#part",
        "http://b.example/y",
    )
    found = [f for f in document_findings(notes, ()) if f.kind == FindingKind.SAME_RESOURCE_VARIANT]
    assert [f.urls for f in found] == [
        ("https://b.example/y", "https://b.example/y/", "http://b.example/y"),
        ("http://a.example/x", "https://a.example/x#part"),
    ]
    assert [f.notes for f in found] == [(2, 3, 6), (1, 5)]


def test_strangers_sharing_a_hash_slot_are_not_variants(monkeypatch):
    urls = [f"https://site{i}.example/page/{i}" for i in range(300)]
    urls[150:150] = ["http://site7.example/page/7/"]
    notes = notes_citing(*urls)
    expected = [f.urls for f in same_resource_variants(Occurrences(notes))]
    # 64 slots for 301 URLs: nearly every slot is shared by strangers.
    monkeypatch.setattr(findings, "_hash_bits", lambda items: 64)
    crowded = [f.urls for f in same_resource_variants(Occurrences(notes))]
    assert expected == crowded == [("https://site7.example/page/7", "http://site7.example/page/7/")]


def test_path_findings_come_in_the_order_of_their_first_url():
    # Two buckets of one host and path length: the slug bucket (index 2) starts at the first
    # URL, the section bucket (index 0) at the third; the first URL's bucket is reported first.
    slug = "regime-forces-deployed-near-the-city"
    notes = notes_citing(
        f"https://n.example/2023/07/{slug}",
        f"https://n.example/2023/07/{slug[:-1]}",
        "https://n.example/international-affairs/07/iran",
        "https://n.example/internationl-affairs/07/iran",
    )
    found = [f for f in document_findings(notes, ()) if f.kind == FindingKind.POSSIBLE_TYPO]
    assert [f.notes for f in found] == [(1, 2), (3, 4)]
    assert all("one character" in f.message for f in found)
