"""Refanging: every defang style one by one, the offset map behind `as_written`, and prose.

Each style is checked twice: on the text level (`refang_text`) and end to end through a note,
so the `defanged` flag and the exact `as_written` reach the catalog's `Source`.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citeaudit.catalog import note_sources
from citeaudit.models import Flag, Span
from citeaudit.parse.raw import RawNote
from citeaudit.parse.refang import (
    _DEFANG,
    _markers,
    _replacement,
    has_defang,
    refang,
    refang_text,
)
from citeaudit.parse.urls import find_urls
from tests.parse.refang_table import NOT_URLS, TABLE

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


# -- the whole vocabulary (issue 11): one row per form, exact URL and flags -------------------


@pytest.mark.parametrize(("written", "url", "flags"), TABLE)
def test_vocabulary_table(written, url, flags):
    (ref,) = find_urls(f"See {written} for details.")
    assert ref.url == url
    assert ref.as_written == written
    assert tuple(str(f) for f in ref.flags) == flags


@pytest.mark.parametrize(("written", "url", "flags"), TABLE)
def test_vocabulary_reaches_the_source_at_its_span(written, url, flags):
    text = f"Report ({written}), 2023."
    (source,) = note_sources(RawNote(1, Span(3, 1), text))
    assert source.url == url
    assert source.as_written == written
    assert source.span == Span(3, 1 + text.index(written))


@pytest.mark.parametrize("prose", NOT_URLS)
def test_near_misses_stay_out(prose):
    assert find_urls(prose) == []


@pytest.mark.parametrize(
    ("written", "flag"),
    [
        ("hxxp://example[.)com/x", Flag.UNBALANCED_BRACKETS),
        ("http__example.com/x", Flag.MANGLED_SEPARATOR),
        ("fxp://example.com/x", Flag.DEFANGED_SCHEME),
        ("http://example\\.com/x", Flag.ESCAPED),
        ("http://a[@]example.com/x", Flag.DEFANGED_AT),
        ("http:// example .com /x", Flag.SPACED),
        ("http://exa\u200bmple.com/x", Flag.ZERO_WIDTH),
        ("example[.]com/x", Flag.SCHEME_ADDED),
    ],
)
def test_each_new_form_has_its_flag_and_defanged(written, flag):
    (ref,) = find_urls(written)
    assert flag in ref.flags
    assert Flag.DEFANGED in ref.flags


def test_undefanged_bare_domain_stays_out_but_defanged_one_is_found():
    assert find_urls("see example.com/path today") == []
    (ref,) = find_urls("see example[.]com/path today")
    assert ref.url == "http://example.com/path"


def test_bare_host_needs_a_public_suffix():
    assert find_urls("see notes[.]notatld/x") == []
    assert [r.url for r in find_urls("see kremlin[.]ru/x")] == ["http://kremlin.ru/x"]


def test_host_only_defangs_leave_the_path_alone():
    (ref,) = find_urls("https://evil-dot-example.com/polka-dot-dress")
    assert ref.url == "https://evil.example.com/polka-dot-dress"


def test_zero_width_inside_arabic_text_is_kept():
    # ZWNJ is part of Persian words; only a zero-width character between ASCII is a defang
    assert refang_text("می\u200cخواهم") == "می\u200cخواهم"


def test_many_passes_stay_idempotent():
    for text in ("HTTP://[/]", "0 [DOT]0", "HTTP:// 0\\[dot0", "hxxp:///////////x.com"):
        once = refang_text(text)
        assert refang_text(once) == once


_PIECES = [w for w, _, _ in TABLE] + [
    "http", "https", "ftp", "fxp", "HXXPS", "[", "]", "(", ")", "{", "}", "<", ">", "\\", ":",
    "/", "//", "__", " ", "\t", ".", "dot", "DOT", "-", "x", "*", "a", "com", "\u200b", "@", "at",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_the_trigger_prefilter_finds_every_marker(text):
    # refang tries the full pattern only next to a trigger; that must lose no repair (a plain
    # `http://`, which the pattern matches and refang leaves alone, need not wake it)
    def repairs(matches):
        return [m.span() for m in matches if _replacement(m) is not None]

    assert repairs(_markers(text)) == repairs(_DEFANG.finditer(text))
