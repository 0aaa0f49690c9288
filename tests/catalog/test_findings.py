"""Document-level findings, one kind at a time, on small reports built through the parser."""

from __future__ import annotations

from citeaudit.catalog import build_catalog
from citeaudit.catalog.findings import document_findings
from citeaudit.catalog.typos import bounded_levenshtein
from citeaudit.models import Claim, FindingKind, Note, Source
from citeaudit.parse.text import parse_text


def findings_of(body: str, notes: list[str], kind: FindingKind | None = None):
    text = "Title\n\n" + body + "\n\nNotes\n\n" + "\n".join(notes) + "\n"
    catalog = build_catalog(parse_text(text, "r.md"), "r.md")
    return [f for f in catalog.findings if kind is None or f.kind == kind]


def cite_all(n: int) -> str:
    return " ".join(f"Claim {i}.[{i}]" for i in range(1, n + 1))


def test_bounded_levenshtein():
    assert bounded_levenshtein("jharnous", "jharmous", 2) == 1
    assert bounded_levenshtein("eyeofeufrates.com", "eyeofeuphrates.com", 2) == 2
    assert bounded_levenshtein("abc", "xyz", 1) == 2
    assert bounded_levenshtein("short", "much-longer-string", 2) == 3
    assert bounded_levenshtein("same", "same", 0) == 0


def test_same_post_id_under_two_account_spellings():
    notes = [
        "[1] https://twitter.com/DeirEzzore/status/1677278853734051846",
        "[2] https://twitter.com/DeirEzzor/status/1677278853734051846",
    ]
    (f,) = findings_of(cite_all(2), notes, FindingKind.POSSIBLE_TYPO)
    assert f.confidence == "high"
    assert f.notes == (1, 2)
    assert set(f.urls) == {
        "https://twitter.com/DeirEzzore/status/1677278853734051846",
        "https://twitter.com/DeirEzzor/status/1677278853734051846",
    }
    assert "post id" in f.message


def test_one_id_that_differs_by_a_character():
    notes = [
        "[1] https://www.example.com/news/iran-moves-forces-to-deir-ez-zor",
        "[2] https://www.example.com/news/iran-moves-forces-to-deir-ez-zr",
    ]
    (f,) = findings_of(cite_all(2), notes, FindingKind.POSSIBLE_TYPO)
    assert f.confidence == "high"
    assert f.notes == (1, 2)
    assert len(f.urls) == 2


def test_one_outlet_spelled_several_ways():
    notes = [
        "[1] https://eyeofeufrates.com/a",
        "[2] https://eyeofeuphrates.com/b",
        "[3] https://www.eyeofeufrate.com/c",
    ]
    (f,) = findings_of(cite_all(3), notes, FindingKind.POSSIBLE_TYPO)
    assert f.confidence == "high"
    assert f.notes == (1, 2, 3)
    assert "eyeofeufrates.com" in f.message and "eyeofeuphrates.com" in f.message


def test_distinct_outlets_are_not_typos():
    notes = ["[1] https://reuters.com/a", "[2] https://apnews.com/b", "[3] https://bbc.co.uk/c"]
    assert findings_of(cite_all(3), notes, FindingKind.POSSIBLE_TYPO) == []


def test_same_resource_variant():
    notes = ["[1] http://same.example/page", "[2] https://same.example/page/"]
    (f,) = findings_of(cite_all(2), notes, FindingKind.SAME_RESOURCE_VARIANT)
    assert set(f.urls) == {"http://same.example/page", "https://same.example/page/"}
    assert f.notes == (1, 2)


def test_different_pages_are_not_variants():
    notes = ["[1] https://same.example/page", "[2] https://same.example/other"]
    assert findings_of(cite_all(2), notes, FindingKind.SAME_RESOURCE_VARIANT) == []


def test_cited_in_many():
    notes = [
        "[1] https://a.example/x",
        "[2] Ibid, https://a.example/x",
        "[3] https://b.example/y",
        "[4] https://a.example/x",
    ]
    (f,) = findings_of(cite_all(4), notes, FindingKind.CITED_IN_MANY)
    assert f.urls == ("https://a.example/x",)
    assert f.notes == (1, 2, 4)


def test_note_never_cited():
    notes = ["[1] https://a.example/", "[2] https://b.example/"]
    (f,) = findings_of("Only one claim.[1]", notes, FindingKind.NOTE_NEVER_CITED)
    assert f.notes == (2,)
    assert f.line == 8


def test_marker_without_note():
    notes = ["[1] https://a.example/"]
    (f,) = findings_of("A claim.[1] Another.[7]", notes, FindingKind.MARKER_WITHOUT_NOTE)
    assert f.notes == (7,)
    assert f.line == 3
    assert "[7]" in f.message


def test_empty_note():
    notes = ["[1] https://a.example/", "[2]", "[3] https://c.example/"]
    (f,) = findings_of(cite_all(3), notes, FindingKind.EMPTY_NOTE)
    assert f.notes == (2,)


def test_truncated():
    notes = [
        "[1] Reuters, https://www.reuters.com/world/middle-east/iranian-president-lands-damasc..."
    ]
    (f,) = findings_of(cite_all(1), notes, FindingKind.TRUNCATED)
    assert f.urls == ("https://www.reuters.com/world/middle-east/iranian-president-lands-damasc",)
    assert f.notes == (1,)


def test_link_text_differs():
    notes = ["[1] [https://shown.example/a](https://target.example/b)"]
    (f,) = findings_of(cite_all(1), notes, FindingKind.LINK_TEXT_DIFFERS)
    assert f.urls == ("https://shown.example/a", "https://target.example/b")
    assert "shows https://shown.example/a" in f.message


def test_a_clean_document_has_no_findings():
    notes = ["[1] https://a.example/x", "[2] https://b.example/y"]
    assert findings_of(cite_all(2), notes) == []


def test_every_finding_has_kind_message_notes_and_urls_for_json():
    notes = ["[1] http://same.example/page", "[2] https://same.example/page/", "[3]"]
    for f in findings_of("A claim.[1][2] Lost.[9]", notes):
        data = f.to_json()
        assert {"kind", "notes", "urls", "message"} <= data.keys()
        assert data["message"] and "\n" not in data["message"]


def test_findings_stay_fast_on_many_similar_urls():
    # Bucketed comparisons: 3,000 near-identical URLs must not become a quadratic scan.
    import time

    notes = tuple(
        Note(i, i, "", (Source(f"https://news{i % 50}.example.com/article/{i:08d}", "", "x"),))
        for i in range(1, 3001)
    )
    claims = (Claim(1, 1, "c", tuple(range(1, 3001))),)
    started = time.perf_counter()
    document_findings(notes, claims)
    assert time.perf_counter() - started < 5


def test_a_truncated_url_that_is_no_valid_url_does_not_crash_findings():
    # Found by hypothesis: "http://[4-6]..." is truncated (not invalid) and urlsplit rejects it.
    notes = ["[1] http://[4-6]...", "[2] https://a.example/x"]
    found = findings_of(cite_all(2), notes)
    assert [f.kind for f in found] == [FindingKind.TRUNCATED]


def test_one_url_cited_by_every_note_stays_linear():
    import time

    url = "https://a.example/everywhere"
    notes = tuple(Note(i, i, "", (Source(url, url, "a.example"),)) for i in range(1, 30001))
    started = time.perf_counter()
    (finding,) = [f for f in document_findings(notes, ()) if f.kind == FindingKind.CITED_IN_MANY]
    assert time.perf_counter() - started < 3
    assert finding.notes == tuple(range(1, 30001))


def test_path_typos_among_many_urls_of_one_month_are_found_fast():
    # News sites put hundreds of articles under one /year/month/: comparing every pair of
    # slugs made this quadratic; one-character deletions are looked up instead.
    import time

    slugs = [f"regime-forces-deployed-near-city-number-{i:05d}" for i in range(280)]
    urls = [f"https://news.example.com/2023/07/{slug}" for slug in slugs]
    urls.append("https://news.example.com/2023/07/regime-forces-deployed-near-city-numbr-00007")
    notes = tuple(Note(i, i, "", (Source(u, u, "example.com"),)) for i, u in enumerate(urls, 1))
    started = time.perf_counter()
    typos = [f for f in document_findings(notes, ()) if f.kind == FindingKind.POSSIBLE_TYPO]
    assert time.perf_counter() - started < 2
    assert [f.urls for f in typos] == [(urls[7], urls[-1])]
