"""Property tests: the parser never raises, refanging is idempotent, extracted URLs parse.

Two kinds of input: arbitrary text, and text drawn from a URL-ish alphabet (brackets, `<>`,
`(dot)`, page breaks, schemes, Arabic letters) where the scanner's corner cases live.
"""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeaudit.catalog import build_catalog, urls_in_text
from citeaudit.models import Flag
from citeaudit.parse.refang import refang, refang_text
from citeaudit.parse.text import parse_text
from citeaudit.parse.urls import find_urls

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PIECES = [
    "http://", "https://", "hxxp://", "hXXps://", "h**p://", r"h\*\*p://", "www.", "[.]", "(.)",
    "{.}", "[dot]", "(dot)", "{dot}", r"\[dot\]", " dot ", "[:]", "[://]", "[/]", r"\[/\]",
    "[", "]", "(", ")", "<", ">", "{", "}", "\\", "\f", "\n", "\n\n", " ", "...", "…", ".", ",",
    ";", "/", "?", "#", "%C2%A0", "-", "_", "a", "example", "com", "co.uk", "عربي", "ü", "1",
    "[1]", "[^1]", "[^a]: ", "[2, 3]", "[4-6]", "1. ", "^2 ", "Notes\n", "## References\n",
    "[x](", "](", "web.archive.org/web/2023/", "@", ":", "=", "&", "'", '"', "*", "\t", "\r",
]  # fmt: skip

urlish = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)
any_text = st.text(max_size=400)
texts = st.one_of(any_text, urlish)


def _catalog(text: str):
    return build_catalog(parse_text(text, "x", require_notes=False), "x")


@SETTINGS
@given(texts)
def test_parser_never_raises(text):
    catalog = _catalog(text)
    catalog.to_json()
    urls_in_text(text)


@SETTINGS
@given(
    st.lists(st.sampled_from(PIECES), max_size=40).map(
        lambda p: "Title\n\nClaim.[1]\n\nNotes\n\n[1] " + "".join(p)
    )
)
def test_parser_never_raises_inside_a_notes_section(text):
    catalog = _catalog(text)
    assert catalog.notes  # the note is always there, whatever its text
    for _, source in catalog.sources():
        assert source.as_written


@SETTINGS
@given(texts)
def test_refang_is_idempotent(text):
    once = refang_text(text)
    assert refang_text(once) == once


@SETTINGS
@given(texts)
def test_refang_offsets_stay_in_range(text):
    r = refang(text)
    for i in range(0, len(r.text) + 1, max(1, len(r.text) // 10)):
        assert 0 <= r.to_original(i) <= len(text)


@SETTINGS
@given(texts)
def test_every_checkable_url_parses_with_httpx(text):
    for _, source in _catalog(text + "\n\nNotes\n\n[1] " + text).sources():
        if source.checkable:
            httpx.URL(source.url)
            httpx.URL(source.key)
    for row in urls_in_text(text):
        if Flag.TRUNCATED not in row["flags"] and Flag.INVALID not in row["flags"]:
            httpx.URL(row["url"])


@SETTINGS
@given(texts)
def test_as_written_is_a_slice_of_the_text(text):
    for ref in find_urls(text):
        assert text[ref.start : ref.end] == ref.as_written
