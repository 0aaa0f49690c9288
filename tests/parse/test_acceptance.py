"""The reference report must parse to the hand-checked gold catalog in ../shared/acceptance/.

The gold README's rules: a parsed source matches when its URL equals `url` or any `alternates`
entry; sources compare per note, in order, with the same count; every repair flag must be
there; all 38 claims with their notes; the high and medium confidence typo findings, the
same-resource variants and every cited-in-many finding. No list of exceptions.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citeaudit.documents import load_catalog
from citeaudit.models import Flag

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "endnotes" / "isw-2023-08-03-syria.txt"
GOLD_DIR = ROOT.parent / "shared" / "acceptance"
LOCAL_GOLD = Path(__file__).parent / "isw-2023-08-03-syria.gold.json"
# Flags that describe a source rather than repair it; the gold's vocabulary has no place for them.
INFORMATIONAL = {Flag.SHORTLINK}


def _gold() -> dict:
    path = GOLD_DIR / "isw-2023-08-03-syria.gold.json"
    return json.loads((path if path.exists() else LOCAL_GOLD).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gold() -> dict:
    return _gold()


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(str(SAMPLE))


def test_sample_is_a_byte_copy_of_the_seed():
    seed = ROOT.parent / "shared" / "seeds" / "isw-2023-08-03-syria.txt"
    if not seed.exists():
        pytest.skip("shared/ seeds not beside the repository")
    assert SAMPLE.read_bytes() == seed.read_bytes()


def test_document(catalog, gold):
    assert catalog.document.title == gold["title"]
    assert catalog.document.date.isoformat() == gold["date"]


def test_every_note_present(catalog, gold):
    assert [n.number for n in catalog.notes] == sorted(int(k) for k in gold["notes"])


@pytest.mark.parametrize("number", range(1, 39))
def test_note_sources(catalog, gold, number):
    expected = gold["notes"][str(number)]["sources"]
    got = catalog.note(number).sources
    assert len(got) == len(expected), [s.url for s in got]
    for want, source in zip(expected, got, strict=True):
        assert source.url in (want["url"], *want["alternates"])
        assert source.as_written == want["as_written"]
        assert set(source.flags) - INFORMATIONAL == {Flag(f) for f in want["flags"]}, source.url


def test_totals(catalog):
    assert len(catalog.sources()) == 122
    assert len(catalog.unique_urls()) == 100
    assert len(catalog.claims) == 38


def test_claims(catalog, gold):
    got = [(list(c.notes), " ".join(c.text.split()[:8])) for c in catalog.claims]
    want = [(c["cites"], c["starts_with"]) for c in gold["claims"]]
    assert got == want


def test_shortlink_is_marked_unresolved(catalog):
    (tco,) = [s for _, s in catalog.sources() if s.url == "https://t.co/jCrPHmu5Jg"]
    assert Flag.SHORTLINK in tco.flags
    assert tco.outlet == "t.co"


def _findings(catalog, kind):
    return [f for f in catalog.findings if f.kind == kind]


def test_typo_findings(catalog, gold):
    got = [set(f.urls) for f in _findings(catalog, "possible_typo")]
    for want in gold["findings"]:
        if want["kind"] == "possible_typo" and want["confidence"] in ("high", "medium"):
            assert set(want["urls"]) in got, want["why"]


def test_same_resource_variants(catalog, gold):
    got = {frozenset(f.urls) for f in _findings(catalog, "same_resource_variant")}
    want = {frozenset(f["urls"]) for f in gold["findings"] if f["kind"] == "same_resource_variant"}
    assert got == want


def test_cited_in_many(catalog, gold):
    got = {(f.urls, f.notes) for f in _findings(catalog, "cited_in_many")}
    want = {
        (tuple(f["urls"]), tuple(f["notes"]))
        for f in gold["findings"]
        if f["kind"] == "cited_in_many"
    }
    assert got == want


def test_truncated_url_is_never_checkable(catalog):
    truncated = [s for _, s in catalog.sources() if Flag.TRUNCATED in s.flags]
    assert [s.url for s in truncated] == [
        "https://www.reuters.com/world/middle-east/iranian-president-lands-damasc"
    ]
    assert not truncated[0].checkable


def test_platform_outlets(catalog):
    outlets = {s.outlet for _, s in catalog.sources()}
    assert {"twitter.com/DeirEzzore", "t.me/jharnous", "t.me/SAM_Syria0"} <= outlets
    assert "twitter.com" not in outlets
