"""Refanging: every defang style one by one, the offset map behind `as_written`, and prose.

Each style is checked twice: on the text level (`refang_text`) and end to end through a note,
so the `defanged` flag and the exact `as_written` reach the catalog's `Source`.
"""

from __future__ import annotations

import pytest

from citeaudit.catalog import note_sources
from citeaudit.models import Flag, Span
from citeaudit.parse.raw import RawNote
from citeaudit.parse.refang import has_defang, refang, refang_text
from citeaudit.parse.urls import find_urls

# (as written, refanged URL)
STYLES = [
    ("hxxp://evil.example/a", "http://evil.example/a"),
    ("hXXp://evil.example/a", "http://evil.example/a"),
    ("hXxp://evil.example/a", "http://evil.example/a"),
    ("h**p://evil.example/a", "http://evil.example/a"),
    (r"h\*\*p://evil.example/a", "http://evil.example/a"),
    ("hxxps://evil.example/a", "https://evil.example/a"),
    ("hXXps://evil.example/a", "https://evil.example/a"),
    ("https://evil[.]example/a", "https://evil.example/a"),
    ("https://evil(.)example/a", "https://evil.example/a"),
    ("https://evil{.}example/a", "https://evil.example/a"),
    ("https://evil[dot]example/a", "https://evil.example/a"),
    ("https://evil[DOT]example/a", "https://evil.example/a"),
    ("https://evil(dot)example/a", "https://evil.example/a"),
    ("https://evil{dot}example/a", "https://evil.example/a"),
    (r"https://evil\[dot\]example/a", "https://evil.example/a"),
    (r"https://evil\[.\]example/a", "https://evil.example/a"),
    ("https://evil dot example/a", "https://evil.example/a"),
    ("https://sub dot evil dot example/a", "https://sub.evil.example/a"),
    ("https[:]//evil.example/a", "https://evil.example/a"),
    ("https[://]evil.example/a", "https://evil.example/a"),
    ("https://evil.example[/]a", "https://evil.example/a"),
    (r"https\[:\]//evil.example/a", "https://evil.example/a"),
    (r"https\[://\]evil.example/a", "https://evil.example/a"),
    (r"https://evil.example\[/\]a", "https://evil.example/a"),
    ("hxxps[:]//kremlin[.]ru/events", "https://kremlin.ru/events"),
    ("hxxp[://]evil[dot]example(.)org[/]x", "http://evil.example.org/x"),
    ("www[.]evil[.]example/a", "http://www.evil.example/a"),
    ("www(dot)evil(dot)example/a", "http://www.evil.example/a"),
]


@pytest.mark.parametrize(("written", "url"), STYLES)
def test_each_style_refangs_to_the_url(written, url):
    refs = find_urls(f"See {written} for details.")
    assert [r.url for r in refs] == [url]
    (ref,) = refs
    assert Flag.DEFANGED in ref.flags
    assert ref.as_written == written


@pytest.mark.parametrize(("written", "url"), STYLES)
def test_defanged_flag_and_as_written_reach_the_source(written, url):
    note = RawNote(1, Span(7, 1), f"Report, {written}, accessed 2023.")
    (source,) = note_sources(note)
    assert source.url == url
    assert source.as_written == written
    assert Flag.DEFANGED in source.flags
    assert source.span == Span(7, 1 + len("Report, "))


def test_plain_url_is_not_flagged_defanged():
    (source,) = note_sources(RawNote(1, Span(1, 1), "https://plain.example/a"))
    assert Flag.DEFANGED not in source.flags


@pytest.mark.parametrize(
    "prose",
    [
        "the dot com era",
        "See the dot com era and more.",
        "The dot com bubble burst dot Then it was over.",
        "dot dot dot",
        "a hxxp joke without a colon",
        "Use (dot) notation and [.] brackets in prose.",
    ],
)
def test_prose_never_becomes_a_url(prose):
    assert find_urls(prose) == []


def test_dot_between_words_is_refanged_only_as_text():
    # Refanging is text-level; it never decides that something is a URL.
    assert refang_text("the dot com era") == "the.com era"
    assert find_urls("the dot com era") == []


def test_dot_needs_label_characters_on_both_sides():
    assert refang_text("end dot") == "end dot"
    assert refang_text("dot start") == "dot start"
    assert refang_text("a  dot  b") == "a.b"


def test_offsets_map_back_to_the_original():
    original = "x hxxps://a[.]b(dot)c/d y"
    r = refang(original)
    assert r.text == "x https://a.b.c/d y"
    start = r.text.index("https")
    end = r.text.index(" y")
    assert r.as_written(start, end) == "hxxps://a[.]b(dot)c/d"
    assert r.to_original(end) == original.index(" y")
    assert r.was_defanged(start, end)
    assert not r.was_defanged(0, 1)


def test_nested_escaped_styles_need_several_passes():
    # "\[\.\]"-like mixes: whatever one pass leaves, the next one finishes.
    assert refang_text(r"https://a\[.\]b[dot]c") == "https://a.b.c"


def test_has_defang():
    assert has_defang(r"h\*\*p://x")
    assert has_defang("kremlin[dot]ru")
    assert not has_defang("an ordinary sentence, with dots. And brackets [1].")


def test_refang_is_idempotent_on_examples():
    for written, _ in STYLES:
        once = refang_text(written)
        assert refang_text(once) == once
