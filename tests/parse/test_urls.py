"""URL extraction from one piece of text: the ways people write links, and the repairs.

Each test is one rule of the parser spec on a hand-written input, asserting the URL, the span
(`as_written`) and the flags, so a regression names the rule it broke.
"""

from __future__ import annotations

import time

import pytest

import citeaudit.parse.urls as urls_module
from citeaudit.errors import InputError
from citeaudit.models import Flag
from citeaudit.parse.url_bounds import unescape_markdown
from citeaudit.parse.url_join import longest_overlap
from citeaudit.parse.urls import MAX_URLS, find_urls


def urls(text: str) -> list[str]:
    return [r.url for r in find_urls(text)]


def one(text: str):
    refs = find_urls(text)
    assert len(refs) == 1, [r.url for r in refs]
    return refs[0]


# -- sources -----------------------------------------------------------------------------------


def test_autolink():
    ref = one("See <https://a.example/x?q=1> for more.")
    assert ref.url == "https://a.example/x?q=1"
    assert ref.as_written == "https://a.example/x?q=1"
    assert ref.flags == ()


def test_bare_url_span_points_into_the_original():
    text = "Reuters, https://a.example/path/to/page, 3 Aug."
    ref = one(text)
    assert ref.url == "https://a.example/path/to/page"
    assert text[ref.start : ref.end] == ref.as_written == ref.url


def test_www_without_scheme_gets_one_and_is_flagged():
    ref = one("at www.b.example/y.")
    assert ref.url == "http://www.b.example/y"
    assert ref.as_written == "www.b.example/y"
    assert Flag.SCHEME_ADDED in ref.flags


def test_www_inside_a_word_is_not_a_url():
    assert urls("mywww.example.com and foo@www.example.com") == []


def test_markdown_link_with_equal_text_is_one_source():
    ref = one("[https://a.example/x](https://a.example/x)")
    assert ref.url == "https://a.example/x"
    assert ref.flags == (Flag.MARKDOWN_LINK,)
    assert ref.as_written == "[https://a.example/x](https://a.example/x)"


def test_markdown_link_text_equal_after_unescaping():
    ref = one(r"[https://a.example/some\_page](https://a.example/some_page)")
    assert ref.url == "https://a.example/some_page"
    assert Flag.MARKDOWN_LINK in ref.flags
    assert Flag.LINK_TEXT_DIFFERS not in ref.flags


def test_markdown_link_text_equal_after_refanging():
    ref = one("[hxxps://a[.]example/x](https://a.example/x)")
    assert ref.url == "https://a.example/x"
    assert Flag.MARKDOWN_LINK in ref.flags
    assert Flag.DEFANGED in ref.flags


def test_markdown_link_with_a_different_url_as_text_gives_both():
    refs = find_urls("[https://shown.example/a](https://target.example/b)")
    assert [r.url for r in refs] == ["https://shown.example/a", "https://target.example/b"]
    assert all(Flag.LINK_TEXT_DIFFERS in r.flags for r in refs)
    assert all(Flag.MARKDOWN_LINK not in r.flags for r in refs)


def test_markdown_link_with_prose_text_gives_the_href_only():
    ref = one("[Iran's president lands in Damascus](https://a.example/news/1)")
    assert ref.url == "https://a.example/news/1"
    assert Flag.LINK_TEXT_DIFFERS not in ref.flags
    assert ref.as_written == "https://a.example/news/1"


def test_markdown_link_with_title():
    assert urls('[site](https://a.example/x "The title")') == ["https://a.example/x"]


def test_markdown_link_to_an_anchor_is_not_a_source():
    assert urls("[back](#fn1) and [mail](mailto:a@b.example) and [cdn](//cdn.example/x)") == []


def test_markdown_link_to_a_relative_path_is_a_relative_source():
    refs = find_urls("[note](../notes.md#top), [about](/about) and [x](see%20this.pdf)")
    assert [(r.url, r.flags) for r in refs] == [
        ("../notes.md#top", (Flag.RELATIVE,)),
        ("/about", (Flag.RELATIVE,)),
        ("see%20this.pdf", (Flag.RELATIVE,)),
    ]


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("(see https://a.example/x)", "https://a.example/x"),
        ("https://a.example/x;", "https://a.example/x"),
        ("https://a.example/x, and more", "https://a.example/x"),
        ("<https://a.example/x>.", "https://a.example/x"),
        ("https://a.example/x>", "https://a.example/x"),
        ("https://a.example/x.", "https://a.example/x"),
        ("https://a.example/x).", "https://a.example/x"),
        ("(https://a.example/x);", "https://a.example/x"),
        ('"https://a.example/x"', "https://a.example/x"),
        ("https://a.example/x?a=1&b=2#frag.", "https://a.example/x?a=1&b=2#frag"),
        ("[https://a.example/x]", "https://a.example/x"),
    ],
)
def test_closing_punctuation_is_not_part_of_the_url(text, url):
    assert urls(text) == [url]


WIKI = "https://en.wikipedia.org/wiki/Foo_(bar)"


@pytest.mark.parametrize(
    "text",
    [
        f"See {WIKI} now",
        f"See {WIKI}.",
        f"(see {WIKI})",
        f"({WIKI}).",
        f"[wiki]({WIKI})",
        f"[{WIKI}]({WIKI})",
        f"<{WIKI}>",
    ],
)
def test_balanced_parentheses_stay_in_the_url(text):
    assert urls(text) == [WIKI]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("as reported https://a.example/story[12] by", "https://a.example/story"),
        ("https://a.example/story.[3]", "https://a.example/story"),
        ("https://a.example/story[^4],", "https://a.example/story"),
        ("https://en.wikipedia.org/wiki/Foo_(bar)[5]", WIKI),
        # brackets in a query are the URL's own; five digits is no marker
        ("https://a.example/list?ids[1]", "https://a.example/list?ids[1]"),
        ("https://a.example/x[12345]", "https://a.example/x[12345]"),
    ],
)
def test_a_note_marker_glued_to_a_url_is_not_part_of_it(text, expected):
    assert urls(text) == [expected]


# -- repairs -----------------------------------------------------------------------------------


def test_two_urls_glued_in_one_token_are_split():
    refs = find_urls("https://a.example/xhttps://b.example/y")
    assert [r.url for r in refs] == ["https://a.example/x", "https://b.example/y"]
    assert all(Flag.GLUED in r.flags for r in refs)
    assert [r.as_written for r in refs] == ["https://a.example/x", "https://b.example/y"]


def test_glue_residue_is_dropped_and_kept_as_an_alternate():
    first, second = find_urls("https://a.example/x-%C2%A0https://b.example/y")
    assert first.url == "https://a.example/x"
    assert first.alternates == ("https://a.example/x-%C2%A0",)
    assert first.as_written == "https://a.example/x-%C2%A0"
    assert Flag.GLUED in first.flags
    assert second.url == "https://b.example/y"


def test_archive_url_is_not_split():
    url = "https://web.archive.org/web/2023/https://example.com/"
    ref = one(url)
    assert ref.url == url
    assert Flag.GLUED not in ref.flags


def test_redirect_parameter_is_not_split():
    url = "https://r.example/out?u=https://example.com/a"
    assert urls(url) == [url]


@pytest.mark.parametrize("dots", ["...", "…"])
def test_truncated_url_keeps_the_part_before_the_dots(dots):
    ref = one(f"Reuters, https://www.reuters.com/world/iranian-president-lands-damasc{dots}")
    assert ref.url == "https://www.reuters.com/world/iranian-president-lands-damasc"
    assert ref.as_written.endswith(dots)
    assert Flag.TRUNCATED in ref.flags


def test_dots_inside_a_path_are_not_truncation():
    ref = one("https://a.example/x...more")
    assert Flag.TRUNCATED not in ref.flags


def test_fragment_after_a_page_break_joins_with_the_overlap():
    ref = one("Eye of Euphrates, https://www.eyeofeufrates.com/\n\f\ncom/ar/news/123")
    assert ref.url == "https://www.eyeofeufrates.com/ar/news/123"
    assert Flag.JOINED_FRAGMENT in ref.flags
    assert ref.as_written == "https://www.eyeofeufrates.com/"
    assert ref.alternates == ("https://www.eyeofeufrates.com/",)
    assert ref.continuation == "com/ar/news/123"


def test_fragment_after_a_page_break_is_concatenated_without_overlap():
    ref = one("https://a.example/reports/\f2023/annual-summary.pdf")
    assert ref.url == "https://a.example/reports/2023/annual-summary.pdf"
    assert Flag.JOINED_FRAGMENT in ref.flags


def test_prose_after_a_page_break_is_not_joined():
    ref = one("https://a.example/reports/\fand the next sentence goes on.")
    assert ref.url == "https://a.example/reports/"
    assert Flag.JOINED_FRAGMENT not in ref.flags


def test_new_url_after_a_page_break_is_not_a_fragment():
    assert urls("https://a.example/x\fhttps://b.example/y") == [
        "https://a.example/x",
        "https://b.example/y",
    ]


def test_longest_overlap():
    assert longest_overlap("https://eyeofeufrates.com/", "com/ar/news") == 4
    assert longest_overlap("https://a.example/x/", "/y") == 1
    assert longest_overlap("https://a.example/x", "yz") == 0
    assert longest_overlap("https://a.example/ab", "b/c") == 0  # one letter is coincidence


def test_unescape_markdown():
    assert unescape_markdown(r"a\_b\[c\]\(d\)") == "a_b[c](d)"
    assert unescape_markdown(r"no\escape") == r"no\escape"


def test_empty_scheme_is_not_a_url():
    assert urls("http:// and https:// alone, (http://)") == []


def test_urls_come_in_document_order():
    text = "<https://1.example/> [t](https://2.example/) https://3.example/ www.4.example/"
    assert urls(text) == [
        "https://1.example/",
        "https://2.example/",
        "https://3.example/",
        "http://www.4.example/",
    ]


# -- boundaries (issue 11, RFC 3986 and the GFM autolink extension) ----------------------------


def test_ftp_urls_are_sources():
    assert urls("Archive: ftp://ftp.example.org/pub/report.pdf.") == [
        "ftp://ftp.example.org/pub/report.pdf"
    ]


@pytest.mark.parametrize("before", ["Source", "voir", "ريا", "2023"])
def test_url_glued_to_the_word_before_is_found(before):
    ref = one(f"{before}https://a.example/x and more")
    assert ref.url == "https://a.example/x"
    assert ref.as_written == "https://a.example/x"


@pytest.mark.parametrize("end", ["|", "｜", "）", "、", "。"])
def test_pipe_and_full_width_punctuation_end_a_url(end):
    assert urls(f"https://a.example/x{end}next") == ["https://a.example/x"]


@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_quote_before_a_tag_ends_a_url(quote):
    assert urls(f"<p>https://a.example/x{quote}<br></p>") == ["https://a.example/x"]


def test_two_bracketed_urls_side_by_side_are_two():
    refs = find_urls("[https://a.example/x][https://b.example/y]")
    assert [r.url for r in refs] == ["https://a.example/x", "https://b.example/y"]
    assert all(Flag.GLUED not in r.flags for r in refs)


def test_wiki_style_double_brackets():
    assert urls("see [[https://a.example/x]] and [[https://b.example/y|label]]") == [
        "https://a.example/x",
        "https://b.example/y",
    ]


@pytest.mark.parametrize("text", ["http://#x", "https://?q=1", "http:///", "https://@/x"])
def test_a_url_with_an_empty_host_is_not_a_url(text):
    assert urls(f"see {text} here") == []


def test_trailing_underscore_is_part_of_a_path():
    assert urls("https://a.example/some_path_ next") == ["https://a.example/some_path_"]


def test_gfm_trailing_punctuation_is_not_part_of_a_url():
    assert urls("(https://a.example/x?), https://b.example/y!, https://c.example/z:") == [
        "https://a.example/x",
        "https://b.example/y",
        "https://c.example/z",
    ]


def test_a_url_in_parentheses_keeps_its_own():
    assert urls("(see https://en.wikipedia.org/wiki/A_(b))") == [
        "https://en.wikipedia.org/wiki/A_(b)"
    ]


# -- size: linear, and refused past the cap -----------------------------------------------------


def test_a_text_with_too_many_urls_is_refused_with_one_line():
    text = " ".join("https://a.example/x" for _ in range(MAX_URLS + 1))
    with pytest.raises(InputError) as exc:
        find_urls(text)
    assert "over the limit" in str(exc.value)
    assert "\n" not in str(exc.value)


def test_defanged_hosts_count_toward_the_cap(monkeypatch):
    monkeypatch.setattr(urls_module, "MAX_URLS", 10)
    with pytest.raises(InputError):
        find_urls(" ".join(f"a{i}\\.example\\.com/x" for i in range(11)))
    assert len(find_urls(" ".join(f"a{i}[.]com/x" for i in range(10)))) == 10


def _cpu(fn, *args) -> float:
    # CPU time of this process, not wall time: other work on a busy machine does not move it.
    t0 = time.process_time()
    fn(*args)
    return time.process_time() - t0


@pytest.mark.parametrize(
    "unit",
    [
        "See hxxps://a[.]example/x(dot)y and example[.]com/p, https://b.example/q. ",
        "[.)" * 7 + " dot " * 3 + "http__ " + "\\." * 5 + "\u200b" * 3 + " [@] ",
        "https://a.example/" + "[" * 20 + " ",
    ],
)
def test_parsing_is_linear_in_the_input(unit):
    small, large = unit * 2_000, unit * 8_000
    find_urls(small)  # warm caches (regexes, the suffix list)
    ratio = _cpu(find_urls, large) / max(_cpu(find_urls, small), 1e-3)
    assert ratio < 8, ratio  # 4x the input; quadratic would be ~16x


@pytest.mark.parametrize("between", [" / ", " . ", " /", " ."])
def test_urls_separated_by_a_spaced_slash_or_dot_stay_two(between):
    assert urls(f"https://a.example/x{between}https://b.example/y") == [
        "https://a.example/x",
        "https://b.example/y",
    ]


def test_prose_slash_between_words_is_left_alone():
    assert urls("Reuters / AP at https://a.example/x") == ["https://a.example/x"]
